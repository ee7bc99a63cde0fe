"""Poll commands in a conversation: create, list, close, the meeting-end evaluation opt-in."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

from bot.capabilities.polls.publisher import PollPublisher
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
        await self._publisher.posted(poll, response.id if response is not None else None)
        return poll

    async def list_open(self, turn: Turn) -> bool:
        polls = await self._open(turn.context)
        if not polls:
            await turn.send(say("list.none", turn.lang))
            return True
        lines = [f"**{say('list.title', turn.lang)}**"]
        lines += [f"{n}. {_short(poll.spec.question)}" for n, poll in enumerate(polls, 1)]
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
        await self._publisher.closed(poll)
        return None

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


def _looks_like_a_question(turn: Turn, error: PollCommandError) -> bool:
    # "åbent hus i april?" or "evaluering af projektet?": no quotes, no explicit poll word.
    if turn.key.split(" ", 1)[0] in _EXPLICIT or any(q in turn.text for q in _QUOTES):
        return False
    return error.reason in (PollCommandReason.UNQUOTED_TEXT, PollCommandReason.UNKNOWN_TEMPLATE)


def _short(text: str, limit: int = 80) -> str:
    shown = literal(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
