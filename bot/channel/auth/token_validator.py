"""Validates a channel's `Authorization: Bearer <jwt>` against the Bot Framework's rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from .errors import AuthenticationFailed
from .key_cache import OpenIdKeyCache

# Real channel tokens are ~1-2 KB; refuse to parse megabytes of attacker input.
_MAX_TOKEN_LENGTH = 16 * 1024
_ALGORITHMS = ["RS256"]

# Most specific first: ExpiredSignatureError is also an InvalidTokenError, and so on.
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.MissingRequiredClaimError, "required claim missing"),
)


@dataclass(frozen=True)
class VerifiedToken:
    """A token whose signature, issuer, audience and lifetime are good; what is left to check
    needs the activity: the channel its key is endorsed for and the `serviceurl` claim."""

    claims: dict[str, Any]
    endorsements: frozenset[str]


class ChannelTokenValidator:
    """Checks scheme, signature (RS256, by `kid`), issuer, audience, lifetime, endorsements and
    the `serviceurl` claim; returns the token's claims or raises AuthenticationFailed.

    `verify` needs only the header, so a request can be refused before its body is read;
    `check_activity` finishes the job once the activity is parsed."""

    def __init__(
        self,
        keys: OpenIdKeyCache,
        *,
        app_id: str,
        issuers: Sequence[str],
        clock_skew: float = 300.0,
    ) -> None:
        if not app_id:
            raise ValueError("a token validator needs the bot's app id (the token audience)")
        self._keys = keys
        self._app_id = app_id
        self._issuers = list(issuers)
        self._clock_skew = clock_skew

    async def validate(
        self, auth_header: str | None, *, channel_id: str | None, service_url: str | None
    ) -> dict[str, Any]:
        token = await self.verify(auth_header)
        return self.check_activity(token, channel_id=channel_id, service_url=service_url)

    async def verify(self, auth_header: str | None) -> VerifiedToken:
        token = _bearer_token(auth_header)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed("malformed token") from exc
        if header.get("alg") not in _ALGORITHMS:
            raise AuthenticationFailed("signing algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationFailed("token has no key id")
        # Cheap checks before the key lookup, so tokens that cannot pass never trigger a key
        # refresh (the signature is still verified below; these claims are re-checked then).
        if unverified.get("iss") not in self._issuers:
            raise AuthenticationFailed("wrong issuer")
        if not _audience_matches(unverified.get("aud"), self._app_id):
            raise AuthenticationFailed("wrong audience")

        key = await self._keys.get(kid)
        # A key that endorses nothing endorses no channel (as in the SDK's own validator), so
        # that much is decided before the body names its channel.
        if not key.endorsements:
            raise AuthenticationFailed("signing key not endorsed for any channel")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=_ALGORITHMS,
                audience=self._app_id,
                issuer=self._issuers,
                leeway=self._clock_skew,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(_reason(exc)) from exc
        claimed_url = claims.get("serviceurl")
        if not isinstance(claimed_url, str) or not claimed_url:
            raise AuthenticationFailed("serviceurl claim missing")
        return VerifiedToken(claims=claims, endorsements=key.endorsements)

    def check_activity(
        self, token: VerifiedToken, *, channel_id: str | None, service_url: str | None
    ) -> dict[str, Any]:
        # The channel must be one the signing key is endorsed for (Bot Framework protocol).
        if not channel_id:
            raise AuthenticationFailed("activity has no channel id")
        if channel_id not in token.endorsements:
            raise AuthenticationFailed("signing key not endorsed for channel")
        claimed_url = token.claims["serviceurl"]
        if not service_url or claimed_url.rstrip("/") != service_url.rstrip("/"):
            raise AuthenticationFailed("serviceurl claim does not match activity")
        return token.claims


def _bearer_token(auth_header: str | None) -> str:
    if not auth_header:
        raise AuthenticationFailed("no Authorization header")
    if len(auth_header) > _MAX_TOKEN_LENGTH:
        raise AuthenticationFailed("Authorization header too long")
    parts = auth_header.split(" ")
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise AuthenticationFailed("Authorization is not a Bearer token")
    if not parts[1]:
        raise AuthenticationFailed("empty Bearer token")
    return parts[1]


def _audience_matches(aud: Any, app_id: str) -> bool:
    if isinstance(aud, str):
        return aud == app_id
    return isinstance(aud, list) and app_id in aud


def _reason(exc: Exception) -> str:
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return "invalid token"
