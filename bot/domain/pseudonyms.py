"""Keyed hashes that let us count "one per person" without storing who the person is."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts; without the secret it cannot be traced back to a user id."""
    if not secret:
        raise ValueError("a pseudonym needs a non-empty secret")
    message = "\x1f".join(parts).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
