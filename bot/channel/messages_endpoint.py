"""POST /api/messages: validate the request, authenticate it, run the turn, write the answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.cloud_adapter_base import CloudAdapterBase
from botbuilder.schema import Activity, ActivityTypes

from bot.channel.schema_codec import from_json
from bot.metrics import Metrics

log = logging.getLogger(__name__)
TurnLogic = Callable[[TurnContext], Awaitable[Any]]


_KNOWN_TYPES = frozenset(t.value for t in ActivityTypes)


def is_known_activity_type(activity: Activity) -> bool:
    return activity.type in _KNOWN_TYPES


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class MessagesEndpoint:
    """Our own entry point: the stock `CloudAdapter.process` gives 500 to invokes and bad tokens."""

    def __init__(
        self,
        adapter: CloudAdapterBase,
        logic: TurnLogic,
        *,
        max_body_bytes: int,
        auth_errors: tuple[type[BaseException], ...],
        metrics: Metrics | None = None,
    ) -> None:
        self._metrics = metrics or Metrics()
        self._adapter = adapter
        self._logic = logic
        self._max_body = max_body_bytes
        self._auth_errors = auth_errors

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
        raw = await _read_at_most(request, self._max_body)
        if raw is None:
            return _problem(413, f"body larger than {self._max_body} bytes")
        body, error = _parse_activity_json(raw)
        if error:
            return _problem(400, error)
        try:
            activity = from_json(Activity, body)
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            return _problem(400, f"not a valid Bot Framework activity: {error}")
        return await self._run(request, activity)

    async def _run(self, request: web.Request, activity: Activity) -> web.Response:
        header = request.headers.get("Authorization", "")
        authentication = self._adapter.bot_framework_authentication
        try:
            authenticated = await authentication.authenticate_request(activity, header)
        except self._auth_errors as error:
            log.info("refused unauthenticated request: %s", _reason(error))
            return _problem(401, "unauthorized")
        if not is_known_activity_type(activity):
            log.debug("ignoring activity of unknown type %r", activity.type)
            self._metrics.activities.labels("unknown").inc()
            return web.Response(status=200)
        self._metrics.activities.labels(activity.type).inc()
        try:
            with self._metrics.turn_seconds.time():
                response = await self._adapter.process_activity(
                    authenticated, activity, self._logic
                )
        except Exception:
            log.exception(
                "turn could not run: activity=%s conversation=%s",
                activity.id,
                activity.conversation.id,
            )
            return _problem(503, "the bot could not handle this activity right now")
        return _write(response)


async def _read_at_most(request: web.Request, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` (chunked bodies have no Content-Length)."""
    buffer = bytearray()
    while chunk := await request.content.read(64 * 1024):
        buffer += chunk
        if len(buffer) > limit:
            return None
    return bytes(buffer)


def _parse_activity_json(raw: bytes) -> tuple[dict[str, Any], str | None]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}, "malformed JSON"
    if not isinstance(body, dict):
        return {}, "the body must be a JSON object (an activity)"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return {}, "activity has no type"
    conversation = body.get("conversation")
    if (
        not isinstance(conversation, dict)
        or not isinstance(conversation.get("id"), str)
        or not conversation["id"]
    ):
        return {}, "activity has no conversation id"
    service_url = body.get("serviceUrl")
    if (
        not isinstance(service_url, str)
        or urlsplit(service_url).scheme not in ("http", "https")
        or not urlsplit(service_url).netloc
    ):
        return {}, "activity has no valid serviceUrl"
    return body, None


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
