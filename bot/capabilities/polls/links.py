"""Unguessable, expiring links to a poll's results page and exports, signed, with no stored row.

A token is base64url(version, purpose, expiry, poll id, HMAC-SHA256 of those). The key is
derived from the bot's secret for this use only, so a link's signature says nothing about the
voter hashes made with the same secret. Who may receive a link is decided where it is made
(the poll's creator or an administrator, in the Teams code); holding a valid link is the only
check the HTTP routes make.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.domain.clock import Clock

Purpose = Literal["results", "export"]
RefusalReason = Literal["expired", "invalid"]

_VERSION = 1
_PURPOSES: dict[Purpose, int] = {"results": 1, "export": 2}
_HEAD = struct.Struct("!BBQ")  # version, purpose, expiry in Unix seconds
_SIGNATURE_BYTES = 32
MAX_POLL_ID_BYTES = 64  # keeps a token under MAX_TOKEN_CHARS
MAX_TOKEN_CHARS = 200
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class LinkRefusal:
    reason: RefusalReason


class PollLinks:
    def __init__(self, secret: bytes, base_url: str, clock: Clock) -> None:
        self._key = hmac.new(secret, b"moedebot/poll-link/v1", hashlib.sha256).digest()
        self._base = base_url.rstrip("/")
        self._clock = clock

    def results_url(
        self, poll_id: str, valid_for: timedelta = timedelta(hours=12)
    ) -> tuple[str, datetime]:
        """The results page for the meeting screen, and when the link stops working."""
        token, expires_at = self.token(poll_id, "results", valid_for)
        return f"{self._base}/polls/r/{token}", expires_at

    def export_urls(
        self, poll_id: str, valid_for: timedelta = timedelta(hours=1)
    ) -> tuple[str, str, datetime]:
        """The CSV and XLSX exports (one token for both), and when they stop working."""
        token, expires_at = self.token(poll_id, "export", valid_for)
        return f"{self._base}/polls/x/{token}.csv", f"{self._base}/polls/x/{token}.xlsx", expires_at

    def token(self, poll_id: str, purpose: Purpose, valid_for: timedelta) -> tuple[str, datetime]:
        poll_bytes = poll_id.encode("utf-8")
        if not 0 < len(poll_bytes) <= MAX_POLL_ID_BYTES:
            raise ValueError("a poll id for a link is 1-64 bytes")
        # Whole seconds, so the expiry told to the person is exactly the one enforced.
        expiry = int((self._clock.now() + valid_for - _EPOCH).total_seconds())
        payload = _HEAD.pack(_VERSION, _PURPOSES[purpose], expiry) + poll_bytes
        text = base64.urlsafe_b64encode(payload + self._sign(payload)).rstrip(b"=").decode()
        return text, _EPOCH + timedelta(seconds=expiry)

    def read(self, token: str, purpose: Purpose) -> str | LinkRefusal:
        """The poll id of a genuine, unexpired token made for `purpose`."""
        raw = _decode(token)
        if raw is None or len(raw) <= _HEAD.size + _SIGNATURE_BYTES:
            return LinkRefusal("invalid")
        payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
        if not hmac.compare_digest(signature, self._sign(payload)):
            return LinkRefusal("invalid")
        version, kind, expiry = _HEAD.unpack_from(payload)
        if version != _VERSION or kind != _PURPOSES[purpose]:
            return LinkRefusal("invalid")  # a results link never opens an export, nor back
        if self._clock.now() >= _EPOCH + timedelta(seconds=expiry):
            return LinkRefusal("expired")
        try:
            return payload[_HEAD.size :].decode("utf-8")
        except UnicodeDecodeError:
            return LinkRefusal("invalid")

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()


def _decode(token: str) -> bytes | None:
    """Strict base64url without padding: one spelling per token, nothing else accepted."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not _TOKEN.fullmatch(token):
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        return None
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token:
        return None
    return raw
