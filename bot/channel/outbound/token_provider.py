"""The bot's own AAD access token (client credentials), cached and refreshed by one request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import aiohttp

from .errors import TokenAcquisitionError

logger = logging.getLogger(__name__)


class AadTokenProvider:
    """`await get_token()` gives a bearer token for outbound connector calls (None without app id).

    The token is reused until `refresh_margin` seconds before it expires; when it must be fetched,
    all concurrent callers wait for the same single request.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        app_id: str,
        app_password: str,
        tenant: str,
        authority: str = "https://login.microsoftonline.com",
        scope: str = "https://api.botframework.com",
        timeout: float = 10.0,
        refresh_margin: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._app_id = app_id
        self._app_password = app_password
        self._url = f"{authority.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self._scope = f"{scope.rstrip('/')}/.default"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0
        self._expires_at = 0.0
        self._inflight: asyncio.Task[str] | None = None
        self.fetches = 0

    @property
    def enabled(self) -> bool:
        return bool(self._app_id)

    async def get_token(self) -> str | None:
        if not self._app_id:
            return None  # local/emulator mode: outbound calls carry no Authorization header
        if self._token is not None and self._clock() < self._refresh_at:
            return self._token
        if self._inflight is None:
            self._inflight = asyncio.create_task(self._fetch(), name="aad-token-fetch")
            # Retrieve the outcome even if every waiter was cancelled (no "never retrieved" noise).
            self._inflight.add_done_callback(_consume)
        try:
            return await asyncio.shield(self._inflight)
        except TokenAcquisitionError:
            # A token that is due for refresh but not yet expired is still good to use.
            if self._token is not None and self._clock() < self._expires_at - 30.0:
                logger.warning("AAD token refresh failed; using the current token until expiry")
                return self._token
            raise

    def invalidate(self) -> None:
        """Forget the cached token (the connector answered 401 with it)."""
        self._token = None
        self._refresh_at = self._expires_at = 0.0

    async def close(self) -> None:
        task, self._inflight = self._inflight, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TokenAcquisitionError):
                await task

    async def _fetch(self) -> str:
        self.fetches += 1
        form = {
            "grant_type": "client_credentials",
            "client_id": self._app_id,
            "client_secret": self._app_password,
            "scope": self._scope,
        }
        try:
            started = self._clock()
            async with self._session.post(self._url, data=form, timeout=self._timeout) as resp:
                status = resp.status
                payload = await resp.json(content_type=None) if status == 200 else None
                error = None if status == 200 else await _error_code(resp)
            if status != 200:
                # Log AAD's error code only: the request carried the secret, the body may echo it.
                logger.warning("AAD token request answered %s (%s)", status, error)
                raise TokenAcquisitionError(
                    f"token endpoint answered {status}",
                    transient=status == 429 or status >= 500,
                    status=status,
                )
            token, lifetime = _parse(payload)
        except (aiohttp.ClientError, TimeoutError) as exc:
            logger.warning("AAD token request failed: %s", type(exc).__name__)
            raise TokenAcquisitionError(
                f"token endpoint unreachable: {type(exc).__name__}", transient=True
            ) from exc
        except ValueError as exc:
            raise TokenAcquisitionError(f"bad token response: {exc}", transient=False) from exc
        finally:
            self._inflight = None
        self._token = token
        self._expires_at = started + lifetime
        # Refresh ahead of expiry; for short-lived tokens, at half their life instead.
        self._refresh_at = started + max(lifetime - self._refresh_margin, lifetime / 2)
        return token


def _parse(payload: object) -> tuple[str, float]:
    if not isinstance(payload, dict):
        raise ValueError("not a JSON object")
    token = payload.get("access_token")
    if not isinstance(token, str) or not token:
        raise ValueError("no access_token")
    try:
        lifetime = float(payload.get("expires_in", 3600))
    except (TypeError, ValueError) as exc:
        raise ValueError("bad expires_in") from exc
    return token, max(lifetime, 0.0)


async def _error_code(resp: aiohttp.ClientResponse) -> str | None:
    try:
        body = await resp.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return None
    return body.get("error") if isinstance(body, dict) else None


def _consume(task: asyncio.Task[str]) -> None:
    if not task.cancelled():
        task.exception()
