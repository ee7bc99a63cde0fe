"""HTTP routes of polls: the live results page, its data and events, the CSV/XLSX exports.

Every route is opened by a signed link (links.py); who may have one is decided when the Teams
code makes it. Tokens are part of the path, so nothing here logs a path or a token.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.capabilities.polls.exports import answers_table, csv_bytes, file_name, xlsx_bytes
from bot.capabilities.polls.links import LinkRefusal, PollLinks, Purpose
from bot.capabilities.polls.page.live import LiveResults, StreamLimits
from bot.capabilities.polls.page.render import STATIC_FILES, asset, message_page, results_page
from bot.capabilities.polls.page.view import PageState, refusal_text, results_data
from bot.domain.clock import COPENHAGEN, Clock
from bot.domain.polls import Poll, PollService
from bot.domain.polls.ports import PollRepository

log = logging.getLogger(__name__)

# Only this origin: the page, its stylesheet, its script and its event stream.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
_PRIVATE = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the address
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}
_STATUS = {"expired": 410, "invalid": 404, "failed": 503}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class PollWebContext:
    service: PollService
    links: PollLinks
    clock: Clock
    polls: PollRepository  # for the poll itself and the export's rows
    zone: ZoneInfo = COPENHAGEN


Method = Callable[["_PollRoutes", web.Request], Awaitable[web.StreamResponse]]


def add_poll_routes(
    app: web.Application,
    context: Callable[[], PollWebContext],
    *,
    limits: StreamLimits | None = None,
) -> None:
    """`context` is called per request: the services are built later, in the app's lifetime."""
    routes = _PollRoutes(context, LiveResults(limits or StreamLimits()))
    app.router.add_get("/polls/r/{token}", routes.page)
    app.router.add_get("/polls/r/{token}/data", routes.data)
    app.router.add_get("/polls/r/{token}/events", routes.events)
    app.router.add_get("/polls/x/{token}.{ext:csv|xlsx}", routes.export)
    app.router.add_get("/polls/static/{name}", routes.static)
    app.on_shutdown.append(routes.live.stop)


def _guarded(method: Method) -> Method:
    """A failure is a short 503 page and a log line: never a traceback to the browser."""

    @wraps(method)
    async def guarded(routes: _PollRoutes, request: web.Request) -> web.StreamResponse:
        try:
            return await method(routes, request)
        except (web.HTTPException, ConnectionResetError):
            raise
        except Exception:
            log.exception("poll web %s failed", method.__name__)  # no path: it holds the token
            return _refused("failed")

    return guarded


class _PollRoutes:
    def __init__(self, context: Callable[[], PollWebContext], live: LiveResults) -> None:
        self._context = context
        self.live = live

    @_guarded
    async def page(self, request: web.Request) -> web.StreamResponse:
        context = self._context()
        poll = await _linked_poll(context, request, "results")
        if isinstance(poll, web.Response):
            return poll
        data = await _results(context, poll.id)
        if data is None:
            return _refused("invalid")
        return _html(200, results_page(data))

    @_guarded
    async def data(self, request: web.Request) -> web.StreamResponse:
        context = self._context()
        poll = await _linked_poll(context, request, "results")
        if isinstance(poll, web.Response):
            return poll
        data = await _results(context, poll.id)
        if data is None:
            return _refused("invalid")
        return web.json_response(data, headers=_PRIVATE, dumps=_json)

    @_guarded
    async def events(self, request: web.Request) -> web.StreamResponse:
        context = self._context()
        poll = await _linked_poll(context, request, "results")
        if isinstance(poll, web.Response):
            return poll
        if not self.live.enter(poll.id):
            log.warning("results stream refused: %d streams open", self.live.streams)
            return web.Response(status=503, text="busy", headers={"Retry-After": "10"})
        response = web.StreamResponse(
            headers={**_PRIVATE, "Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        try:
            await response.prepare(request)
            token = request.match_info["token"]
            await self.live.follow(
                poll.id,
                lambda: _results(context, poll.id),
                lambda: not isinstance(context.links.read(token, "results"), LinkRefusal),
                response.write,
            )
        except ConnectionResetError:
            pass  # the screen went away
        except Exception:
            # The headers are sent: end the stream (the browser reconnects) rather than answer.
            log.exception("results stream failed")
        finally:
            self.live.leave(poll.id)
        return response

    @_guarded
    async def export(self, request: web.Request) -> web.StreamResponse:
        context = self._context()
        poll = await _linked_poll(context, request, "export")
        if isinstance(poll, web.Response):
            return poll
        votes = await context.polls.votes(poll.id)
        threshold = context.service.anonymity_threshold
        if poll.spec.settings.anonymous and len(votes) < threshold:
            # Two rows would show what each of two people answered: the threshold holds here too.
            title, lines = refusal_text("withheld", n=threshold)
            return _html(409, message_page(poll.spec.lang, title, lines))
        table = answers_table(poll, votes, context.zone)
        ext = request.match_info["ext"]
        if ext == "csv":
            body, content_type = csv_bytes(table), "text/csv; charset=utf-8"
        else:
            now = context.clock.now()
            body = await asyncio.to_thread(
                xlsx_bytes, poll, table, exported_at=now, zone=context.zone
            )
            content_type = _XLSX
        name = file_name(poll, ext, context.zone)
        headers = {
            **_PRIVATE,
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        log.info("poll %s exported as %s (%d rows)", poll.id, ext, len(table.rows))
        return web.Response(body=body, headers=headers)

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound(text="not found")
        headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
        body = asset(name)
        return web.Response(body=body, content_type=STATIC_FILES[name], headers=headers)


async def _linked_poll(
    context: PollWebContext, request: web.Request, purpose: Purpose
) -> Poll | web.Response:
    read = context.links.read(request.match_info["token"], purpose)
    if isinstance(read, LinkRefusal):
        log.debug("refused a %s link (%s)", purpose, read.reason)
        return _refused(read.reason)
    poll = await context.polls.get(read)
    return poll if poll is not None else _refused("invalid")


async def _results(context: PollWebContext, poll_id: str) -> dict[str, Any] | None:
    """The page's data now, read fresh (the poll may have closed since the last look)."""
    poll = await context.polls.get(poll_id)
    if poll is None:
        return None
    now = context.clock.now()
    tally = await context.service.tally(poll)
    trend = None
    # The page's link is given only to the creator and administrators (see results_data).
    visible = poll.shows_results(now, to_manager=True)
    if poll.spec.template_id and visible and not tally.withheld:
        trend = await context.service.trend(poll, tally, to_manager=True)
    threshold = context.service.anonymity_threshold
    return results_data(PageState(poll, tally, now, threshold, trend, context.zone))


def _refused(reason: str) -> web.Response:
    title, lines = refusal_text(reason)
    return _html(_STATUS[reason], message_page("da", title, lines))


def _html(status: int, page: str) -> web.Response:
    return web.Response(status=status, text=page, content_type="text/html", headers=_PRIVATE)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
