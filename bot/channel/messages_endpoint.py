"""POST /api/messages: authenticate the header, then read and check the body, run the turn."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.cloud_adapter_base import CloudAdapterBase
from botbuilder.schema import Activity, ActivityTypes

from bot.channel.activity_rules import activity_problem
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.refusals import RefusalLog
from bot.channel.schema_codec import TooManyItems, from_json
from bot.channel.wire_json import BodyError, parse_json_body
from bot.metrics import Metrics

log = logging.getLogger(__name__)
TurnLogic = Callable[[TurnContext], Awaitable[Any]]

# How long a client may take to send the body once the headers are in (then 408). The server
# sets it from BODY_TIMEOUT_SECONDS; an app served some other way gets the default.
BODY_TIMEOUT = web.AppKey("moedebot_body_timeout_seconds", float)
DEFAULT_BODY_TIMEOUT_SECONDS = 10.0
# List and map items per activity: a Teams activity has a handful (mentions, attachments,
# members added); each costs a model, so 500 KB of them would hold the event loop ~0.7 s.
MAX_ACTIVITY_ITEMS = 1000

_KNOWN_TYPES = frozenset(t.value for t in ActivityTypes)
_CONVERSATION_KINDS = frozenset(("personal", "groupChat", "channel"))


def is_known_activity_type(activity: Activity) -> bool:
    return activity.type in _KNOWN_TYPES


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class MessagesEndpoint:
    """Our own entry point: the stock `CloudAdapter.process` gives 500 to invokes and bad tokens.

    The token is checked from the header alone before a byte of the body is read, so a flood
    of forged requests costs no parsing; the checks that need the activity (its channel and
    serviceUrl) follow once it is parsed. One INFO line per turn (type, conversation kind,
    status, milliseconds; never text); refusals are DEBUG lines with a rate-limited summary.
    """

    def __init__(
        self,
        adapter: CloudAdapterBase,
        logic: TurnLogic,
        *,
        max_body_bytes: int,
        auth_errors: tuple[type[BaseException], ...],
        metrics: Metrics | None = None,
    ) -> None:
        authentication = adapter.bot_framework_authentication
        if not isinstance(authentication, MoedebotFrameworkAuthentication):
            raise TypeError("the messages endpoint needs MoedebotFrameworkAuthentication")
        self._authentication = authentication
        self._metrics = metrics or Metrics()
        self._adapter = adapter
        self._logic = logic
        self._max_body = max_body_bytes
        self._auth_errors = auth_errors
        self._refusals = RefusalLog("unauthenticated requests")

    async def __call__(self, request: web.Request) -> web.Response:
        response = await self._handle(request)
        if response.status >= 400:
            self._metrics.rejected.labels(str(response.status)).inc()
        return response

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type not in ("application/json", "text/json"):
            return _problem(415, "expected Content-Type: application/json")
        if request.content_length is not None and request.content_length > self._max_body:
            return _problem(413, f"body larger than {self._max_body} bytes")
        try:
            token = await self._authentication.authenticate_header(
                request.headers.get("Authorization", "")
            )
        except self._auth_errors as error:
            return self._unauthorized(error)
        raw = await self._read_body(request)
        if isinstance(raw, web.Response):
            return raw
        activity = _parse_activity(raw)
        if isinstance(activity, web.Response):
            return activity
        try:
            authenticated = self._authentication.authorize_activity(token, activity)
        except self._auth_errors as error:
            return self._unauthorized(error)
        if not is_known_activity_type(activity):
            log.debug("ignoring an activity of unknown type")
            self._metrics.activities.labels("unknown").inc()
            return web.Response(status=200)
        return await self._run(activity, authenticated)

    def _unauthorized(self, error: BaseException) -> web.Response:
        self._refusals.refused(_reason(error))
        return _problem(401, "unauthorized")

    async def _read_body(self, request: web.Request) -> bytes | web.Response:
        timeout = request.app.get(BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT_SECONDS)
        try:
            async with asyncio.timeout(timeout):
                raw = await _read_at_most(request, self._max_body)
        except TimeoutError:
            log.debug("request body not complete within %g s", timeout)
            response = _problem(408, f"the body did not arrive within {timeout:g} s")
            response.force_close()  # the rest of the body may never come
            return response
        except (ConnectionError, web.RequestPayloadError) as error:
            # The client went away (or broke the framing) mid-body: nobody reads an answer.
            log.debug("request body incomplete: %s", type(error).__name__)
            response = _problem(400, "incomplete body")
            response.force_close()
            return response
        if raw is None:
            response = _problem(413, f"body larger than {self._max_body} bytes")
            response.force_close()
            return response
        return raw

    async def _run(self, activity: Activity, authenticated: Any) -> web.Response:
        self._metrics.activities.labels(activity.type).inc()
        started = time.perf_counter()
        try:
            with self._metrics.turn_seconds.time():
                response = _write(
                    await self._adapter.process_activity(authenticated, activity, self._logic)
                )
        except Exception:
            log.exception(
                "turn could not run: type=%s activity=%s conversation=%s",
                activity.type,
                activity.id,
                activity.conversation.id,
            )
            response = _problem(503, "the bot could not handle this activity right now")
        log.info(
            "turn type=%s conversation=%s status=%d ms=%.0f",
            activity.type,
            _conversation_kind(activity),
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return response


async def _read_at_most(request: web.Request, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` (chunked bodies have no Content-Length)."""
    buffer = bytearray()
    while chunk := await request.content.read(64 * 1024):
        buffer += chunk
        if len(buffer) > limit:
            return None
    return bytes(buffer)


def _parse_activity(raw: bytes) -> Activity | web.Response:
    """The activity, or a 400 with a fixed message (never the parser's own words)."""
    try:
        body = parse_json_body(raw)
    except BodyError as error:
        return _problem(400, error.reason)
    if not isinstance(body, dict):
        return _problem(400, "the body must be a JSON object (an activity)")
    try:
        activity = from_json(Activity, body, max_items=MAX_ACTIVITY_ITEMS)
    except TooManyItems:
        return _problem(400, f"activity has more than {MAX_ACTIVITY_ITEMS} list items")
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        log.debug("not a valid activity: %s", _reason(error))
        return _problem(400, "not a valid Bot Framework activity")
    problem = activity_problem(activity)
    if problem:
        return _problem(400, problem)
    return activity


def _conversation_kind(activity: Activity) -> str:
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind if kind in _CONVERSATION_KINDS else "other"


def _write(response: InvokeResponse | None) -> web.Response:
    if response is None:
        return web.Response(status=200)
    body = response.body
    if hasattr(body, "serialize"):
        body = body.serialize()
    status = int(response.status or 200)
    if body is None:
        return web.Response(status=status)
    return web.Response(
        status=status, text=json.dumps(body, default=_json_default), content_type="application/json"
    )


def _json_default(value: Any) -> Any:
    if hasattr(value, "serialize"):
        return value.serialize()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
