"""Knowledge turns: answer free text, rate answers, follow suggestion buttons."""

from __future__ import annotations

import logging
from urllib.parse import quote

from botbuilder.core import MessageFactory, TurnContext

from bot.capabilities.knowledge.cards import answer_card, rated_card
from bot.channel.card_actions import CardAction, CardActionResult
from bot.channel.cards import as_attachment
from bot.channel.references import tenant_of
from bot.channel.router import Turn, TurnRouter
from bot.channel.wording import say
from bot.domain.admins import Admins
from bot.domain.answer_desk import AnswerDesk, AskOutcome
from bot.domain.clock import Clock
from bot.domain.feedback import GivenAnswer
from bot.domain.knowledge import Answer, RoleHolderService

log = logging.getLogger(__name__)


class KnowledgeTurns:
    def __init__(
        self,
        desk: AnswerDesk,
        role_holders: RoleHolderService,
        clock: Clock,
        *,
        public_url: str,
        admins: Admins,
    ) -> None:
        self._admins = admins
        self._desk = desk
        self._roles = role_holders
        self._clock = clock
        self._public_url = public_url.rstrip("/")

    def register(self, router: TurnRouter) -> None:
        router.verb("kb.rate", self.rate)
        router.verb("kb.entry", self.entry)
        router.fallback(self.answer)

    async def answer(self, turn: Turn) -> bool:
        """Free text: small talk, role-holder sentences, then the knowledge base."""
        turn_context, text, lang = turn.context, turn.text, turn.lang
        chat = self._desk.knowledge.small_talk(text)
        if chat is not None:  # a friendly word back; not a question, so nothing is recorded
            await turn_context.send_activity(MessageFactory.text(chat.text))
            return True
        activity = turn_context.activity
        sender = activity.from_property
        held = None
        if sender is not None and sender.id:
            held = await self._roles.handle(
                text,
                user_id=sender.id,
                user_name=sender.name or "",
                lang=lang,
                now=self._clock.now(),
                tenant=tenant_of(activity) or "",
                is_admin=self._admins.includes(sender.id, sender.aad_object_id),
            )
        if held is not None:
            await _send(turn_context, answer_card(held, answer_id=None, ics_url=None))
            return True
        await self._deliver(turn_context, self._desk.ask(text, lang))
        return True

    async def entry(self, turn_context: TurnContext, action: CardAction) -> CardActionResult:
        entry_id = action.data.get("entryId")
        outcome = self._desk.ask_entry(entry_id, action.lang) if isinstance(entry_id, str) else None
        if outcome is None:  # a stale button after a reload, or a forged one
            return CardActionResult(status=400, message=say("error.unknown_action", action.lang))
        await self._deliver(turn_context, outcome)
        return CardActionResult()

    async def rate(self, turn_context: TurnContext, action: CardAction) -> CardActionResult:
        answer_id, helpful = action.data.get("answerId"), action.data.get("helpful")
        sender = turn_context.activity.from_property
        tenant = tenant_of(turn_context.activity) or ""
        if not (
            isinstance(answer_id, str)
            and 0 < len(answer_id) <= 64
            and isinstance(helpful, bool)
            and sender is not None
            and bool(sender.id)
            and await self._desk.rate(answer_id, sender.id, helpful, tenant=tenant)
        ):
            log.info(
                "refused a rating for an unknown answer in %s",
                turn_context.activity.conversation.id,
            )
            return CardActionResult(status=400, message=say("error.unknown_action", action.lang))
        given = await self._desk.given_answer(answer_id)
        return CardActionResult(card=self._rated(given) if given else None)

    def _rated(self, given: GivenAnswer) -> dict | None:
        """The answer as it reads now ("in 3 days" ages), in its language, with a thank-you."""
        fresh = self._desk.ask_entry(given.entry_id, given.lang)
        if fresh is not None:
            return rated_card(self._card(fresh.result.answer, None), given.lang)
        return rated_card(given.card, given.lang) if given.card else None

    def _card(self, answer: Answer, answer_id: str | None) -> dict:
        ics_url = None
        if answer.ics_event_id:
            ics_url = f"{self._public_url}/kb/events/{quote(answer.ics_event_id, safe='')}.ics"
            if answer.lang == "en":
                ics_url += "?lang=en"
        return answer_card(answer, answer_id=answer_id, ics_url=ics_url)

    async def _deliver(self, turn_context: TurnContext, outcome: AskOutcome) -> None:
        card = self._card(outcome.result.answer, outcome.answer_id)
        await self._desk.record(outcome, shown=card, tenant=tenant_of(turn_context.activity) or "")
        await _send(turn_context, card)


async def _send(turn_context: TurnContext, card: dict) -> None:
    await turn_context.send_activity(MessageFactory.attachment(as_attachment(card)))
