"""Poll card actions: vote, close, and the private links to the results page and the export."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from botbuilder.core import MessageFactory, TurnContext

from bot.capabilities.polls.cards import notice_card, poll_card, when
from bot.capabilities.polls.publisher import PollPublisher
from bot.capabilities.polls.turns import PollCommands
from bot.capabilities.polls.wording import say
from bot.channel.card_actions import CardAction, CardActionResult
from bot.channel.cards import as_attachment
from bot.channel.references import tenant_of
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.polls import PollService, RefusalReason
from bot.domain.polls.limits import MAX_OPEN_ANSWER_CHARS
from bot.domain.polls.model import LIKERT_LABELS, Answer, Poll, PollKind
from bot.domain.polls.ports import PollRepository

log = logging.getLogger(__name__)

_REFUSALS = {
    RefusalReason.UNKNOWN_POLL: "vote.unknown_poll",
    RefusalReason.FOREIGN_POLL: "vote.unknown_poll",  # never confirm another chat's poll exists
    RefusalReason.POLL_CLOSED: "vote.closed",
    RefusalReason.EMPTY_VOTE: "vote.empty",
    RefusalReason.TEXT_TOO_LONG: "vote.too_long",
}


# A delete confirmation answers within this long; pressed later, it is asked again.
CONFIRM_WINDOW = timedelta(minutes=15)


class Links(Protocol):
    def results_url(self, poll_id: str) -> tuple[str, Any]: ...

    def export_urls(self, poll_id: str) -> tuple[str, str, Any]: ...


class PollCardActions:
    def __init__(
        self,
        service: PollService,
        repository: PollRepository,
        publisher: PollPublisher,
        commands: PollCommands,
        links: Links,
        clock: Clock,
    ) -> None:
        self._service = service
        self._polls = repository
        self._publisher = publisher
        self._commands = commands
        self._links = links
        self._clock = clock
        self._updates: set[asyncio.Task] = set()

    async def vote(self, context: TurnContext, action: CardAction) -> CardActionResult:
        activity = context.activity
        sender = activity.from_property
        poll_id = action.data.get("pollId")
        if sender is None or not sender.id:
            return _private(say("vote.no_voter", action.lang))
        if not isinstance(poll_id, str) or not 0 < len(poll_id) <= 64:
            return _private(say("vote.unknown_poll", action.lang))
        outcome = await self._service.vote(
            poll_id,
            action.data,
            conversation_id=activity.conversation.id,
            tenant_id=tenant_of(activity) or "",
            user_id=sender.id,
            user_name=sender.name or "",
        )
        poll = outcome.poll
        if outcome.refusal is not None or poll is None or outcome.answer is None:
            reason = outcome.refusal.reason if outcome.refusal else RefusalReason.UNKNOWN_POLL
            lang = poll.spec.lang if poll is not None else action.lang
            log.info("refused a vote (%s) in %s", reason.value, activity.conversation.id)
            text = say(_REFUSALS.get(reason, "vote.invalid"), lang, limit=MAX_OPEN_ANSWER_CHARS)
            return _private(text)
        # The vote is committed; the shared card follows without holding up this answer.
        self._in_background(self._publisher.voted(poll))
        note = say("voted", poll.spec.lang, answer=describe(poll, outcome.answer))
        if not action.invoked:
            return _private(note)  # Action.Submit: a message, not a per-person card
        card = poll_card(poll, None, now=self._clock.now(), note=note)
        return CardActionResult(card=card)

    async def close(self, context: TurnContext, action: CardAction) -> CardActionResult:
        poll_id = action.data.get("pollId")
        if not isinstance(poll_id, str) or not 0 < len(poll_id) <= 64:
            return _private(say("vote.unknown_poll", action.lang))
        refused = await self._commands.close_poll(context, poll_id, action.lang)
        if refused is not None:
            return _private(refused)
        poll = await self._polls.get(poll_id)
        if poll is None or not action.invoked:
            return CardActionResult()
        return CardActionResult(card=await self._publisher.card(poll))

    async def results_link(self, context: TurnContext, action: CardAction) -> CardActionResult:
        poll = await self._managed(context, action)
        if isinstance(poll, CardActionResult):
            return poll
        url, until = self._links.results_url(poll.id)
        text = say("link.results", poll.spec.lang, url=url, until=when(until, poll.spec.lang))
        return await self._privately(context, action, poll.spec.lang, text)

    async def export_link(self, context: TurnContext, action: CardAction) -> CardActionResult:
        poll = await self._managed(context, action, denied="export.denied")
        if isinstance(poll, CardActionResult):
            return poll
        csv_url, xlsx_url, until = self._links.export_urls(poll.id)
        lang = poll.spec.lang
        text = say("link.export", lang, csv=csv_url, xlsx=xlsx_url, until=when(until, lang))
        return await self._privately(context, action, lang, text)

    async def delete_confirm(self, context: TurnContext, action: CardAction) -> CardActionResult:
        """ "Slet" on the confirmation card: the poll and its votes go, its card says so."""
        checked = await self._delete_request(context, action)
        if isinstance(checked, CardActionResult):
            return checked
        sender = context.activity.from_property
        ids = (sender.id, sender.aad_object_id) if sender is not None else ()
        outcome = await self._service.delete(checked.id, *ids)
        lang = checked.spec.lang
        if outcome.status == "not_allowed":
            return _private(say("delete.denied", lang))
        if outcome.status != "deleted" or outcome.poll is None:
            return _private(say("delete.gone", lang))  # another press won
        log.info("poll %s deleted in %s", checked.id, checked.conversation_id)
        try:
            await self._publisher.deleted(outcome.poll)
        except Exception as error:  # the poll is gone either way; its card may lag
            log.warning("poll %s: the deleted card could not be shown: %s", checked.id, error)
        return await self._answered(context, action, say("delete.done", lang))

    async def delete_cancel(self, context: TurnContext, action: CardAction) -> CardActionResult:
        """ "Fortryd" on the confirmation card: nothing is deleted, the buttons go."""
        checked = await self._delete_request(context, action)
        if isinstance(checked, CardActionResult):
            return checked
        return await self._answered(context, action, say("delete.cancelled", checked.spec.lang))

    async def _delete_request(
        self, context: TurnContext, action: CardAction
    ) -> Poll | CardActionResult:
        """The poll a confirmation card's button names, when it is genuine, recent and
        pressed by someone who may delete the poll; otherwise the private refusal."""
        poll_id = action.data.get("pollId")
        if not isinstance(poll_id, str) or not 0 < len(poll_id) <= 64:
            return _private(say("vote.unknown_poll", action.lang))
        poll = await self._polls.get(poll_id)
        if poll is None:
            return _private(say("delete.gone", action.lang))  # deleted already, or made up
        if poll.conversation_id != context.activity.conversation.id:
            return _private(say("vote.unknown_poll", action.lang))  # never confirm it exists
        lang = poll.spec.lang
        sender = context.activity.from_property
        ids = (sender.id, sender.aad_object_id) if sender is not None else ()
        if not self._service.may_manage(poll, *ids):
            return _private(say("delete.denied", lang))
        asked_at = _moment(action.data.get("askedAt"))
        now = self._clock.now()
        if asked_at is None or not timedelta(0) <= now - asked_at <= CONFIRM_WINDOW:
            return _private(say("delete.stale", lang))
        return poll

    async def _answered(
        self, context: TurnContext, action: CardAction, text: str
    ) -> CardActionResult:
        """The confirmation card becomes its outcome, for everyone (no buttons left)."""
        card = notice_card(text)
        if action.invoked and action.card_activity_id:
            # The invoke answer changes the presser's card; the others see the update.
            update = MessageFactory.attachment(as_attachment(card))
            update.id = action.card_activity_id
            try:
                await context.update_activity(update)
            except Exception as error:
                log.warning("could not update a delete confirmation: %s", error)
        return CardActionResult(card=card, message=None if action.invoked else text)

    async def _privately(
        self, context: TurnContext, action: CardAction, lang: Lang, text: str
    ) -> CardActionResult:
        """Links go to the person's 1:1 chat with the bot, where they can find them again;
        never into a group. If that chat cannot be reached, an invoke still answers
        privately (only the presser sees it); a plain submission is posted for all to see,
        so it gets no link."""
        activity = context.activity
        if (activity.conversation.conversation_type or "personal") == "personal":
            return _private(text)
        sender = activity.from_property
        sent = await self._publisher.send_privately(
            sender.id if sender else "",
            tenant_of(activity) or "",
            activity.service_url or "",
            text,
            bot_id=activity.recipient.id if activity.recipient else None,  # as in this chat
        )
        if sent:
            return _private(say("link.sent", lang))
        if action.invoked:
            return _private(text)
        return _private(say("link.not_sent", lang))

    async def _managed(
        self, context: TurnContext, action: CardAction, denied: str = "close.denied"
    ) -> Poll | CardActionResult:
        """The poll, when the person may manage it (its creator or an administrator)."""
        poll_id = action.data.get("pollId")
        poll = await self._polls.get(poll_id) if isinstance(poll_id, str) else None
        if poll is None or poll.conversation_id != context.activity.conversation.id:
            return _private(say("vote.unknown_poll", action.lang))
        sender = context.activity.from_property
        ids = (sender.id, sender.aad_object_id) if sender is not None else ()
        if not self._service.may_manage(poll, *ids):
            return _private(say(denied, poll.spec.lang))
        return poll

    def _in_background(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._updates.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._updates.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("poll card update failed: %s", task.exception())

    async def drain(self) -> None:
        """Wait for card updates under way (shutdown, tests)."""
        if self._updates:
            await asyncio.gather(*self._updates, return_exceptions=True)


def describe(poll: Poll, answer: Answer) -> str:
    """The voter's answer in words, for their own card."""
    spec, lang = poll.spec, poll.spec.lang
    if spec.kind.has_options:
        labels = {o.id: o.label for o in spec.options}
        return ", ".join(labels.get(c, c) for c in answer.choices)
    if spec.kind is PollKind.SCALE:
        return str(answer.value)
    if spec.kind is PollKind.LIKERT:
        names = LIKERT_LABELS[lang]
        texts = {s.id: s.text for s in spec.statements}
        return "; ".join(f"{_cut(texts.get(i, i), 30)}: {names[v]}" for i, v in answer.ratings)
    return f"„{_cut(answer.text, 60)}“" if lang == "da" else f'"{_cut(answer.text, 60)}"'


def _moment(value: Any) -> datetime | None:
    """An aware time as a card sends it back (ISO 8601); None for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _private(text: str) -> CardActionResult:
    """An answer only the person who pressed the button sees (the invoke response)."""
    return CardActionResult(message=text)
