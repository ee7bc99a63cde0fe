"""Knowledge: answers about roles, dates and contacts, their ratings and the knowledge routes."""

from __future__ import annotations

from aiohttp import web

from bot.capabilities.knowledge.admin import AdminCommands
from bot.capabilities.knowledge.turns import KnowledgeTurns
from bot.capabilities.knowledge.web import ics_handler, reload_handler
from bot.channel.router import TurnRouter
from bot.channel.wording import say
from bot.domain.admins import Admins
from bot.domain.answer_desk import AnswerDesk
from bot.domain.clock import Clock
from bot.domain.knowledge import KnowledgeService, RoleHolderService
from bot.domain.language import Lang


class KnowledgeCapability:
    def __init__(
        self,
        knowledge: KnowledgeService,
        desk: AnswerDesk,
        role_holders: RoleHolderService,
        clock: Clock,
        *,
        admins: Admins,
        public_url: str,
    ) -> None:
        self.turns = KnowledgeTurns(desk, role_holders, clock, public_url=public_url, admins=admins)
        self._admin = AdminCommands(admins, knowledge)

    def register(self, router: TurnRouter) -> None:
        router.help(_help_lines)
        self._admin.register(router)
        self.turns.register(router)  # free text: registered last of all fallbacks by app.py


def add_knowledge_routes(
    app: web.Application, knowledge: KnowledgeService, clock: Clock, *, admin_token: str
) -> None:
    """Calendar files of events, and the admin reload (added before the app starts)."""
    app.router.add_get("/kb/events/{event_id}.ics", ics_handler(knowledge, clock))
    app.router.add_post("/admin/knowledge/reload", reload_handler(knowledge, admin_token))


def _help_lines(lang: Lang) -> list[str]:
    return [say("help.questions", lang), say("help.roles", lang)]


__all__ = ["AdminCommands", "KnowledgeCapability", "KnowledgeTurns", "add_knowledge_routes"]
