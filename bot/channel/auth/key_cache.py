"""Caches the channel's OpenID signing keys: async fetch, background refresh, bounded re-fetch."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

from .errors import AuthenticationFailed

logger = logging.getLogger(__name__)

# Metadata and key sets are a few KB; anything much larger is not what we asked for.
_MAX_DOCUMENT_BYTES = 1_000_000


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: Any  # a cryptography RSA public key, as PyJWT wants it
    endorsements: frozenset[str]


class OpenIdKeyCache:
    """Signing keys by `kid`, from the OpenID metadata's `jwks_uri`.

    Keys are refreshed in the background every `refresh_interval`; a request never waits for that.
    An unknown `kid` may force one refresh, but at most once per `min_refresh_interval` (after a
    failed fetch: once per `failure_backoff`), and concurrent requests share that one fetch, so a
    flood of forged tokens cannot hammer the metadata server.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        metadata_url: str,
        *,
        fetch_timeout: float = 5.0,
        refresh_interval: float = 24 * 3600.0,
        min_refresh_interval: float = 300.0,
        failure_backoff: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._metadata_url = metadata_url
        self._fetch_timeout = fetch_timeout
        self._refresh_interval = refresh_interval
        self._min_refresh_interval = min_refresh_interval
        self._failure_backoff = failure_backoff
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._inflight: asyncio.Task[bool] | None = None
        self._last_attempt: float | None = None
        self._last_failed = False
        self._loop_task: asyncio.Task[None] | None = None
        self.fetches = 0  # number of refresh attempts, for metrics

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    async def start(self) -> None:
        """Begin the first fetch now and keep the keys fresh in the background."""
        if self._loop_task is None:
            self._ensure_refresh()
            self._loop_task = asyncio.create_task(self._refresh_loop(), name="openid-key-refresh")

    async def close(self) -> None:
        tasks = [t for t in (self._loop_task, self._inflight) if t is not None]
        self._loop_task = None
        self._inflight = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def get(self, kid: str) -> SigningKey:
        """The key for `kid`, or AuthenticationFailed; waits only when a fetch is unavoidable."""
        key = self._keys.get(kid)
        if key is not None:
            return key
        if self._inflight is None:
            if not self._may_refresh():
                raise AuthenticationFailed(
                    "signing keys unavailable" if self._last_failed else "unknown signing key"
                )
            self._ensure_refresh()
        task = self._inflight
        assert task is not None
        # shield: a caller that gives up (client disconnect) must not cancel the shared fetch.
        ok = await asyncio.shield(task)
        key = self._keys.get(kid)
        if key is not None:
            return key
        raise AuthenticationFailed("unknown signing key" if ok else "signing keys unavailable")

    async def refresh(self) -> bool:
        """Fetch now (or join the fetch in flight); True when the keys were updated."""
        return await asyncio.shield(self._ensure_refresh())

    def _may_refresh(self) -> bool:
        if self._last_attempt is None:
            return True
        wait = self._failure_backoff if self._last_failed else self._min_refresh_interval
        return self._clock() - self._last_attempt >= wait

    def _ensure_refresh(self) -> asyncio.Task[bool]:
        if self._inflight is None:
            self._inflight = asyncio.create_task(self._fetch(), name="openid-key-fetch")
        return self._inflight

    async def _refresh_loop(self) -> None:
        while True:
            ok = await asyncio.shield(self._ensure_refresh())
            await asyncio.sleep(self._refresh_interval if ok else self._failure_backoff)

    async def _fetch(self) -> bool:
        # Never raises: waiters read the outcome from the key table and the returned flag.
        self._last_attempt = self._clock()
        self.fetches += 1
        try:
            async with asyncio.timeout(self._fetch_timeout):
                metadata = await self._get_json(self._metadata_url)
                jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
                if not isinstance(jwks_uri, str) or not jwks_uri:
                    raise ValueError("metadata has no jwks_uri")
                keys = _parse_jwks(await self._get_json(jwks_uri))
            if not keys:
                raise ValueError("key set has no usable RSA signing keys")
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            self._last_failed = True
            logger.warning(
                "OpenID key refresh from %s failed: %s: %s",
                self._metadata_url,
                type(exc).__name__,
                exc,
            )
            return False
        finally:
            self._last_attempt = self._clock()
            if self._inflight is asyncio.current_task():
                self._inflight = None
        # Replace rather than merge: keys the channel has rotated out must stop validating.
        self._keys = keys
        self._last_failed = False
        logger.info("OpenID signing keys refreshed: %d keys", len(keys))
        return True

    async def _get_json(self, url: str) -> Any:
        async with self._session.get(url, headers={"Accept": "application/json"}) as resp:
            if resp.status != 200:
                raise ValueError(f"GET {url} answered {resp.status}")
            body = await resp.content.read(_MAX_DOCUMENT_BYTES + 1)
        if len(body) > _MAX_DOCUMENT_BYTES:
            raise ValueError(f"GET {url} answered more than {_MAX_DOCUMENT_BYTES} bytes")
        return json.loads(body)  # JSONDecodeError is a ValueError


def _parse_jwks(jwks: Any) -> dict[str, SigningKey]:
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise ValueError("key set has no 'keys' list")
    keys: dict[str, SigningKey] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid or entry.get("use", "sig") != "sig":
            continue
        try:
            public_key = jwt.PyJWK(entry, algorithm="RS256").key
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
            logger.warning("skipping unusable signing key %s", kid)
            continue
        raw = entry.get("endorsements")
        raw = raw if isinstance(raw, list) else []
        endorsements = frozenset(e for e in raw if isinstance(e, str))
        keys[kid] = SigningKey(kid=kid, key=public_key, endorsements=endorsements)
    return keys
