"""Poll commands in a conversation: create, list, close, the meeting-end evaluation opt-in."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

from bot.capabilities.polls.cards import delete_confirmation_card
from bot.capabilities.polls.publisher import PollPublisher, ReplyPath
from bot.capabilities.polls.wording import command_error_text, say
from bot.channel.card_text import literal
from bot.channel.cards import as_attachment
from bot.channel.references import tenant_of
from bot.channel.router import Turn
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.polls import (
    PollCommandError,
    PollCommandReason,
    PollDraft,
    PollService,
    parse_poll_command,
)
from bot.domain.polls.commands import KEYWORDS
from bot.domain.polls.model import Poll, PollSpec
from bot.domain.polls.ports import PollRepository
from bot.domain.polls.templates import PollTemplates
from dialogs.poll_dialog import draft_to_json

log = logging.getLogger(__name__)

LIST_PHRASES = ("afstemninger", "åbne afstemninger", "polls", "open polls", "list polls")
CLOSE_PHRASES = ("luk afstemning", "luk afstemningen", "close poll", "close the poll")
DELETE_PHRASES = (
    "slet afstemning",
    "slet afstemningen",
    "fjern afstemning",
    "fjern afstemningen",
    "delete poll",
    "delete the poll",
    "remove poll",
    "remove the poll",
)
# `slet afstemning seneste`: the conversation's newest poll, open or closed (closed ones are
# in no numbered list).
_LATEST = {"seneste", "sidste", "latest", "last"}
MEETINGS_PHRASES = ("evaluering efter møder", "evaluering efter mødet", "evaluation after meetings")
_ON, _OFF = {"til", "on", "ja", "yes"}, {"fra", "off", "nej", "no"}
# Everyday words that also start poll commands: without quotes they start a question instead.
_EXPLICIT = {"afstemning", "poll"}
_QUOTES = "\"'“”„«»‘’‚"
MEETING_END = "application/vnd.microsoft.meetingEnd"


class PollCommands:
    def __init__(
        self,
        service: PollService,
        repository: PollRepository,
        publisher: PollPublisher,
        templates: PollTemplates,
        clock: Clock,
        *,
        dialog_id: str,
    ) -> None:
        self._service = service
        self._polls = repository
        self._publisher = publisher
        self._templates = templates
        self._clock = clock
        self._dialog_id = dialog_id

    keywords = tuple(KEYWORDS)

    async def create(self, turn: Turn) -> bool:
        parsed = parse_poll_command(turn.text, self._clock.now(), self._templates, turn.lang)
        if parsed is None:
            return False
        if isinstance(parsed, PollCommandError):
            if _looks_like_a_question(turn, parsed):
                return False
            await turn.send(error_text(parsed, turn.lang))
            return True
        if parsed.missing_parts:
            await turn.begin_dialog(self._dialog_id, draft_options(parsed))
            return True
        await self.post(turn.context, parsed.to_spec())
        return True

    async def post(self, context: TurnContext, spec: PollSpec) -> Poll:
        """Create the poll and post its card in the conversation of this turn."""
        activity = context.activity
        sender = activity.from_property
        poll = await self._service.create(
            spec,
            conversation_id=activity.conversation.id,
            tenant_id=tenant_of(activity) or "",
            creator_id=sender.id if sender is not None else "",
            creator_name=(sender.name or "") if sender is not None else "",
        )
        card = await self._publisher.card(poll)
        response = await context.send_activity(MessageFactory.attachment(as_attachment(card)))
        activity_id = response.id if response is not None else None
        await self._publisher.posted(poll, activity_id, reply_path(context))
        return poll

    async def list_open(self, turn: Turn) -> bool:
        polls = await self._open(turn.context)
        if not polls:
            await turn.send(say("list.none", turn.lang))
            return True
        lines = [f"**{say('list.title', turn.lang)}**"]
        lines += [_listed(n, poll, turn.lang) for n, poll in enumerate(polls, 1)]
        await turn.send("\n\n".join(lines))
        return True

    async def close(self, turn: Turn) -> bool:
        rest = turn.rest.strip().rstrip(".!")
        polls = await self._open(turn.context)
        if rest and not rest.isdigit():
            return False  # "luk afstemning om KMD?" is not a number: not our command
        if not polls:
            await turn.send(say("close.none_open", turn.lang))
            return True
        if not rest and len(polls) > 1:
            await turn.send(say("close.which", turn.lang))
            return True
        number = int(rest) if rest else 1
        if not 1 <= number <= len(polls):
            await turn.send(say("close.which", turn.lang))
            return True
        refused = await self.close_poll(turn.context, polls[number - 1].id, turn.lang)
        if refused is not None:
            await turn.send(refused)
        return True

    async def close_poll(self, context: TurnContext, poll_id: str, lang: Lang) -> str | None:
        """Close by hand; None when it closed (the results message says the rest)."""
        sender = context.activity.from_property
        ids = (sender.id, sender.aad_object_id) if sender is not None else ()
        poll = await self._polls.get(poll_id)
        if poll is None or poll.conversation_id != context.activity.conversation.id:
            return say("vote.unknown_poll", lang)
        outcome = await self._service.close(poll_id, *ids)
        if outcome.status == "not_allowed":
            return say("close.denied", lang)
        if outcome.status != "closed":
            return say("close.already", lang)
        await self._publisher.closed(poll, reply_path(context))
        return None

    async def delete(self, turn: Turn) -> bool:
        """`slet afstemning [nummer | seneste]`: picked as `luk afstemning` picks; then a card
        asks to confirm (the poll card verbs in votes.py delete or keep it)."""
        rest = turn.rest.strip().rstrip(".!").lower()
        if rest and not rest.isdigit() and rest not in _LATEST:
            return False  # "slet afstemning om KMD" is not ours
        polls = await self._open(turn.context)
        conversation_id = turn.context.activity.conversation.id
        if rest in _LATEST or (not rest and not polls):
            latest = await self._polls.latest_poll(conversation_id)
            if latest is None:
                await turn.send(say("delete.none", turn.lang))
                return True
            poll = latest
        elif not rest and len(polls) > 1:
            await turn.send(say("delete.which", turn.lang))
            return True
        else:
            number = int(rest) if rest else 1
            if not 1 <= number <= len(polls):
                await turn.send(say("delete.no_number", turn.lang, number=number))
                return True
            poll = polls[number - 1]
        sender = turn.context.activity.from_property
        ids = (sender.id, sender.aad_object_id) if sender is not None else ()
        if not self._service.may_manage(poll, *ids):
            await turn.send(say("delete.denied", poll.spec.lang))
            return True
        tally = await self._service.tally(poll)
        now = self._clock.now()
        asked_by = (sender.name or "") if sender is not None else ""
        card = delete_confirmation_card(
            poll, tally.respondents, asked_by=asked_by, asked_at=now, now=now
        )
        await turn.send_card(card)
        return True

    async def meetings(self, turn: Turn) -> bool:
        word = turn.rest.strip().lower().rstrip(".!")
        if word not in _ON | _OFF:
            await turn.send(say("meetings.which", turn.lang))
            return True
        activity = turn.context.activity
        await self._polls.set_evaluation_after_meetings(
            activity.conversation.id, tenant_of(activity) or "", word in _ON, self._clock.now()
        )
        await turn.send(say("meetings.on" if word in _ON else "meetings.off", turn.lang))
        return True

    async def meeting_ended(self, context: TurnContext, _event: Any) -> None:
        conversation_id = context.activity.conversation.id
        if not await self._polls.evaluation_after_meetings(conversation_id):
            return
        template = self._templates.default
        if template is None:
            log.warning("no evaluation template: nothing posted after the meeting")
            return
        lang: Lang = "en" if (context.activity.locale or "").startswith("en") else "da"
        await self.post(context, template.draft(lang).to_spec())

    async def _open(self, context: TurnContext) -> list[Poll]:
        now = self._clock.now()
        polls = await self._polls.open_polls(context.activity.conversation.id)
        return [p for p in polls if p.is_open(now)]


def error_text(error: PollCommandError, lang: Lang) -> str:
    return command_error_text(error.reason.value, lang, detail=error.detail, limit=error.limit)


def draft_options(draft: PollDraft) -> dict[str, Any]:
    """A draft as the guided dialog keeps it in its (JSON) state."""
    return {"draft": draft_to_json(draft)}


def reply_path(context: TurnContext) -> ReplyPath:
    """How this turn's connector reaches a person privately (see ReplyPath)."""
    activity = context.activity
    bot_id = activity.recipient.id if activity.recipient is not None else None
    return ReplyPath(activity.service_url or "", bot_id or None)


def _listed(number: int, poll: Poll, lang: Lang) -> str:
    line = f"{number}. {_short(poll.spec.question)}"
    results = poll.spec.settings.results
    if results != "live":
        line += f" ({say('list.creator' if results == 'creator' else 'list.hidden', lang)})"
    return line


def _looks_like_a_question(turn: Turn, error: PollCommandError) -> bool:
    # "åbent hus i april?" or "evaluering af projektet?": no quotes, no explicit poll word.
    if turn.key.split(" ", 1)[0] in _EXPLICIT or any(q in turn.text for q in _QUOTES):
        return False
    return error.reason in (PollCommandReason.UNQUOTED_TEXT, PollCommandReason.UNKNOWN_TEMPLATE)


def _short(text: str, limit: int = 80) -> str:
    shown = literal(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
