"""HTTP routes of the knowledge base: event calendar files and the admin reload."""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.domain.clock import Clock
from bot.domain.knowledge import KnowledgeError, KnowledgeService

log = logging.getLogger(__name__)


def ics_handler(knowledge: KnowledgeService, clock: Clock) -> Handler:
    async def event_ics(request: web.Request) -> web.Response:
        event_id = request.match_info["event_id"]
        lang = "en" if request.query.get("lang") == "en" else "da"
        text = knowledge.ics(event_id, now=clock.now(), lang=lang)
        if text is None:
            raise web.HTTPNotFound(text="no calendar file for that event")
        return web.Response(
            body=text.encode("utf-8"),
            content_type="text/calendar",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{event_id}.ics"'},
        )

    return event_ics


def reload_handler(knowledge: KnowledgeService, admin_token: str) -> Handler:
    """POST with `Authorization: Bearer <admin token>` (what `moedebot kb reload` sends)."""

    async def reload(request: web.Request) -> web.Response:
        given = _bearer_token(request.headers.get("Authorization", ""))
        # Bytes, not str: compare_digest refuses non-ASCII str, which must be a 401, not a 500.
        if not given or not hmac.compare_digest(given.encode(), admin_token.encode()):
            log.debug("refused a knowledge reload without the admin token")
            return web.json_response({"error": "unauthorized"}, status=401)
        return web.json_response(await reload_knowledge(knowledge))

    return reload


def _bearer_token(header: str) -> str | None:
    """The token of `Bearer <token>` (the scheme is case-insensitive, RFC 7235); else None."""
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def reload_knowledge(knowledge: KnowledgeService) -> dict:
    """Reload from disk; on errors the old knowledge stays in service and the problems are told.

    Building the index takes CPU time, so it runs in a thread; the swap itself is atomic.
    """
    try:
        kb = await asyncio.to_thread(knowledge.reload)
    except KnowledgeError as error:
        log.warning("knowledge reload refused: %d problems", len(error.problems))
        return {"reloaded": False, "problems": list(error.problems)}
    counts = {
        "roles": len(kb.roles),
        "events": len(kb.events),
        "contacts": len(kb.contacts),
        "facts": len(kb.facts),
    }
    log.info("knowledge reloaded: %s", counts)
    await announce_knowledge(knowledge)
    return {"reloaded": True, **counts}


async def announce_knowledge(knowledge: KnowledgeService) -> None:
    """Tell the reload listeners the knowledge in service: after a reload, and at start-up
    (the files may have changed while the bot was down)."""
    for listener in knowledge.reload_listeners:
        try:
            await listener(knowledge.kb)
        except Exception:  # the knowledge is in service; one follower's trouble is logged
            log.exception("a knowledge reload listener failed")
