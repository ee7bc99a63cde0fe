"""Chat command for administrators (ADMIN_IDS): reload the knowledge base."""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.capabilities.knowledge.web import reload_knowledge
from bot.channel.router import Turn, TurnRouter
from bot.domain.admins import Admins
from bot.domain.knowledge import KnowledgeService
from bot.domain.language import Lang

_TEXT = {
    "da": {
        "denied": "Kun administratorer kan genindlæse vidensbasen.",
        "done": "Vidensbasen er genindlæst: {roles} roller, {events} begivenheder, "
        "{contacts} kontakter og {facts} fakta.",
        "refused": "Vidensbasen blev ikke genindlæst; den gamle bruges stadig. Problemer:",
    },
    "en": {
        "denied": "Only administrators can reload the knowledge base.",
        "done": "The knowledge base was reloaded: {roles} roles, {events} events, "
        "{contacts} contacts and {facts} facts.",
        "refused": "The knowledge base was not reloaded; the old one is still in use. Problems:",
    },
}


RELOAD_PHRASES = (
    "genindlæs viden",
    "genindlaes viden",
    "genindlæs vidensbasen",
    "reload knowledge",
    "kb reload",
)


class AdminCommands:
    def __init__(self, admins: Admins, knowledge: KnowledgeService) -> None:
        self._admins = admins
        self._knowledge = knowledge

    def register(self, router: TurnRouter) -> None:
        router.command(RELOAD_PHRASES, self._reload, exact=True)

    async def _reload(self, turn: Turn) -> bool:
        await turn.send(await self.reload_knowledge(turn.context, turn.lang))
        return True

    def is_admin(self, turn_context: TurnContext) -> bool:
        sender = turn_context.activity.from_property
        return sender is not None and self._admins.includes(sender.id, sender.aad_object_id)

    async def reload_knowledge(self, turn_context: TurnContext, lang: Lang) -> str:
        text = _TEXT["en" if lang == "en" else "da"]
        if not self.is_admin(turn_context):
            return text["denied"]
        outcome = await reload_knowledge(self._knowledge)
        if outcome["reloaded"]:
            return text["done"].format(**outcome)
        problems = outcome["problems"]
        shown = "\n".join(f"- {p}" for p in problems[:10])
        more = f"\n… (+{len(problems) - 10})" if len(problems) > 10 else ""
        return f"{text['refused']}\n\n{shown}{more}"
