"""Sends one connector request: token, pacing, bounded retries, typed errors, stats and logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypedDict

import aiohttp
import yarl

from .errors import (
    ConversationForbidden,
    ConversationNotFound,
    DeliveryError,
    TokenAcquisitionError,
)
from .pacer import ConversationPacer, LaneTurn
from .reasons import doing, is_refused, safe_service_url, transport_failure
from .retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from .stats import DeliveryStats
from .token_provider import AadTokenProvider

logger = logging.getLogger(__name__)

_TRANSIENT_ERRORS = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError)

_ERROR_BY_STATUS: dict[int | None, type[DeliveryError]] = {
    403: ConversationForbidden,
    404: ConversationNotFound,
}


class _Context(TypedDict):
    """What one request's log lines and errors name."""

    operation: str
    conversation_id: str
    activity_id: str | None
    service_url: str | None  # as given; cleaned for the log only when a failure is logged
    url: str


class ConnectorTransport:
    """All outbound connector HTTP goes through `call`, on one shared keep-alive ClientSession.

    A retry re-sends the same request; for a POST whose response was lost to a timeout or a
    dropped connection this can duplicate a message, which we accept over losing it.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: AadTokenProvider,
        *,
        stats: DeliveryStats | None = None,
        pacer: ConversationPacer | None = None,
        retry: RetryPolicy | None = None,
        request_timeout: float = 15.0,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._session = session
        self._tokens = tokens
        self.stats = stats if stats is not None else DeliveryStats()
        self._pacer = pacer
        self._retry = retry or RetryPolicy()
        self._request_timeout = request_timeout
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng

    async def call(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        conversation_id: str,
        activity_id: str | None = None,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        paced: bool = False,
        service_url: str | None = None,
    ) -> Any:
        """The parsed JSON of a 2xx answer (None if empty), or a DeliveryError subclass.

        `service_url` only names the destination in the log (default: the url's origin).
        """
        if isinstance(body, bytes):  # already encoded (activities: schema_codec.to_json_bytes)
            data: bytes | None = body
        else:
            data = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        ctx: _Context = {
            "operation": operation,
            "conversation_id": conversation_id,
            "activity_id": activity_id,
            "service_url": service_url,
            "url": url,
        }
        if paced and self._pacer is not None:
            async with self._pacer.lane(conversation_id) as take_slot:
                return await self._attempts(method, url, data, params, take_slot, ctx)
        return await self._attempts(method, url, data, params, None, ctx)

    async def _attempts(
        self,
        method: str,
        url: str,
        data: bytes | None,
        params: Mapping[str, str] | None,
        take_slot: LaneTurn | None,
        ctx: _Context,
    ) -> Any:
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            if take_slot is not None:
                await take_slot()
            status: int | None = None
            retry_after: float | None = None
            deadline = self._retry.deadline
            try:
                try:
                    status, retry_after, payload = await self._send_once(method, url, data, params)
                finally:
                    if take_slot is not None:
                        take_slot.sent()  # arrived by now: the lane counts it from here
            except _TRANSIENT_ERRORS as exc:
                label, reason = transport_failure(exc, self._request_timeout)
                if is_refused(exc):
                    deadline = min(deadline, self._retry.refused_deadline)
            except TokenAcquisitionError as exc:
                label, reason = "token", f"no AAD token: {exc.reason}"
                if not exc.transient:
                    raise self._fail(label, None, attempt, ctx, reason) from exc
            else:
                if 200 <= status < 300:
                    self.stats.record_sent(ctx["operation"])
                    return payload
                label, reason = str(status), f"connector answered {status}"
                if status == 401:
                    self._tokens.invalidate()  # a revoked/stale token must not be reused
                if status not in RETRYABLE_STATUSES:
                    raise self._fail(label, status, attempt, ctx, reason, retry_after)
            delay = self._retry.delay(attempt, retry_after, self._rng)
            elapsed = self._clock() - started
            if attempt >= self._retry.max_attempts or elapsed + delay > deadline:
                # The wait the connector asked for goes with the error: a scheduled delivery
                # (RetryLater) must not come back sooner than that.
                raise self._fail(label, status, attempt, ctx, reason, retry_after)
            self.stats.record_retry(label)
            # DEBUG: retries are counted in the metrics; the outcome is what operators read.
            logger.debug(
                "retrying %s in %.2fs after %s (conversation=%s activity=%s attempt=%d)",
                ctx["operation"],
                delay,
                reason,
                ctx["conversation_id"],
                ctx["activity_id"],
                attempt,
            )
            await self._sleep(delay)

    async def _send_once(
        self, method: str, url: str, data: bytes | None, params: Mapping[str, str] | None
    ) -> tuple[int, float | None, Any]:
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        token = await self._tokens.get_token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # encoded=True: send ids exactly as quoted (like the SDK); yarl would otherwise decode
        # %3A/%40/%3B back to ':', '@', ';' in the path.
        target = yarl.URL(url, encoded=True)
        async with self._session.request(
            method, target, data=data, params=params, headers=headers, timeout=self._timeout
        ) as resp:
            # Always read the body: an unread body prevents the connection from being reused.
            raw = await resp.read()
            retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            payload = _json_or_none(raw) if 200 <= resp.status < 300 else None
            return resp.status, retry_after, payload

    def _fail(
        self,
        label: str,
        status: int | None,
        attempts: int,
        ctx: _Context,
        reason: str,
        retry_after: float | None = None,
    ) -> DeliveryError:
        self.stats.record_failure(label)
        # One line, ids only: never the token, never the activity body.
        logger.warning(
            "could not %s to %s: %s (conversation=%s activity=%s attempts=%d)",
            doing(ctx["operation"]),
            _logged_destination(ctx),
            reason,
            ctx["conversation_id"],
            ctx["activity_id"],
            attempts,
        )
        kind = _ERROR_BY_STATUS.get(status, DeliveryError)
        return kind(
            reason,
            status=status,
            attempts=attempts,
            conversation_id=ctx["conversation_id"],
            activity_id=ctx["activity_id"],
            operation=ctx["operation"],
            retry_after=retry_after,
        )


def _logged_destination(ctx: _Context) -> str:
    # Parsing and cleaning the url costs more than the rest of a send's bookkeeping: it is
    # done for the log line of a failure, not for every request.
    given = ctx["service_url"]
    if given:
        return safe_service_url(given)
    try:
        origin = str(yarl.URL(ctx["url"], encoded=True).origin())
    except ValueError:
        return "(unparsable service url)"
    return safe_service_url(origin + "/")


def _json_or_none(raw: bytes) -> Any:
    if not raw.strip():
        return None
    with contextlib.suppress(ValueError):
        return json.loads(raw)
    return None
