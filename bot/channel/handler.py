"""MoedebotBot: the activity handler; strips mentions, picks the language, routes, saves state."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from botbuilder.core import (
    ActivityHandler,
    BotState,
    InvokeResponse,
    MessageFactory,
    StatePropertyAccessor,
    TurnContext,
)
from botbuilder.dialogs import DialogSet, DialogTurnStatus
from botbuilder.schema import ChannelAccount

from bot.channel.card_actions import (
    CardAction,
    CardActionResult,
    invoke_body,
    parse_execute,
    parse_submit,
)
from bot.channel.cards import as_attachment, welcome_card
from bot.channel.conversation_log import ConversationLog
from bot.channel.meetings import parse_meeting_event
from bot.channel.mentions import text_without_bot_mention
from bot.channel.router import Turn, TurnRouter, UnknownVerb
from bot.channel.wording import say
from bot.domain.commands import clean_text, is_cancel, normalise_command_text
from bot.domain.language import Lang, detect_language

log = logging.getLogger(__name__)

# Turns that read preferences and dialogs; the others load state only if they touch it.
_STATEFUL = frozenset({"message", "invoke"})
_STATELESS = "moedebot.stateless_invoke"  # decided once per turn, in on_turn


class TurnStateStore(Protocol):
    """Loads every state scope of a turn at once and saves only what changed."""

    async def load(self, turn_context: TurnContext) -> None: ...

    async def save(self, turn_context: TurnContext) -> None: ...


MEETING_EVENTS = ("application/vnd.microsoft.meetingStart", "application/vnd.microsoft.meetingEnd")


class MoedebotBot(ActivityHandler):
    def __init__(
        self,
        *,
        conversation_log: ConversationLog,
        dialog_state: BotState,
        preferences: StatePropertyAccessor,
        turn_states: TurnStateStore,
        router: TurnRouter,
    ) -> None:
        """`router` holds every capability's commands, verbs, dialogs and events; register
        them before the bot is built (its dialog set is made here)."""
        self._log = conversation_log
        self._states = turn_states
        self._preferences = preferences
        self._dialog_stack = dialog_state.create_property("dialogs")
        self._dialogs = DialogSet(self._dialog_stack)
        for dialog in router.dialogs:
            self._dialogs.add(dialog)
        self._router = router
        router.verb("ask", self._ask_from_card)

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._log.remember(activity)
        stateless = self._stateless_invoke(activity)
        turn_context.turn_state[_STATELESS] = stateless
        if activity.type in _STATEFUL and not stateless:
            await self._states.load(turn_context)
        await super().on_turn(turn_context)
        await self._states.save(turn_context)

    # --- messages -------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        text = text_without_bot_mention(activity)
        activity.text = text  # prompts in dialogs read the activity's text
        lang = await self._language(turn_context, text)
        # A card button may carry a verb and, with Teams' messageBack, visible text as well.
        submitted = parse_submit(activity.value)
        if submitted is not None and (not text or self._router.knows(submitted[0])):
            await self._submit(turn_context, submitted, lang)
            return
        if await self._in_dialog(turn_context):
            dialog_context = await self._dialogs.create_context(turn_context)
            if is_cancel(text):
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity(say("cancelled", lang))
                return
            if self._router.starts_command(clean_text(text)):
                # A new command is not an answer to the question asked: it ends the dialog
                # (people start over rather than answer), and goes where typed commands go.
                await dialog_context.cancel_all_dialogs()
            else:
                result = await dialog_context.continue_dialog()
                if result.status is not DialogTurnStatus.Empty:
                    return
        await self._route(turn_context, text, lang)

    async def _in_dialog(self, turn_context: TurnContext) -> bool:
        # A dialog context costs more than the rest of a help turn; build one only when needed.
        state = await self._dialog_stack.get(turn_context)
        return bool(getattr(state, "dialog_stack", None))

    async def _route(self, turn_context: TurnContext, text: str, lang: Lang) -> None:
        cleaned = clean_text(text)
        if not normalise_command_text(cleaned):  # nothing, or only dots and exclamation marks
            await turn_context.send_activity(say("empty", lang))
        elif is_cancel(cleaned):
            await turn_context.send_activity(say("nothing_to_cancel", lang))
        else:
            turn = Turn(turn_context, cleaned, lang, dialogs=self._dialogs)
            if not await self._router.route_text(turn):
                await turn_context.send_activity(say("not_yet", lang))

    async def _ask_from_card(
        self, turn_context: TurnContext, action: CardAction
    ) -> CardActionResult:
        """A button that types text for the user: the text goes where typed text would."""
        text = str(action.data.get("text") or "").strip()
        if text:
            await self._route(turn_context, text, action.lang)
        return CardActionResult()

    async def _language(self, turn_context: TurnContext, text: str) -> Lang:
        """A language the user chose wins; otherwise the language they write in."""
        chosen = (await self._preferences.get(turn_context, dict)).get("lang")
        if chosen in ("da", "en"):
            return chosen
        return detect_language(text)

    # --- card submissions and invokes -----------------------------------------------------

    async def _submit(
        self, turn_context: TurnContext, submitted: tuple[str, dict[str, Any]], lang: Lang
    ) -> None:
        verb, data = submitted
        action = CardAction(verb, data, turn_context.activity.reply_to_id, lang, invoked=False)
        try:
            result = await self._router.dispatch(turn_context, action)
        except UnknownVerb:
            log.info(
                "unknown card verb %r in conversation %s",
                verb,
                turn_context.activity.conversation.id,
            )
            await turn_context.send_activity(say("error.unknown_action", lang))
            return
        if result.card is not None and action.card_activity_id:
            update = MessageFactory.attachment(as_attachment(result.card))
            update.id = action.card_activity_id
            await turn_context.update_activity(update)
        if result.message:
            await turn_context.send_activity(result.message)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return InvokeResponse(status=200, body={})
        parsed = parse_execute(activity.value)
        if turn_context.turn_state.get(_STATELESS):
            lang = locale_language(activity.locale)
        else:
            lang = await self._language(turn_context, "")
        if parsed is None:
            result = CardActionResult(status=400, message=say("error.unknown_action", lang))
            return InvokeResponse(status=200, body=invoke_body(result))
        verb, data = parsed
        action = CardAction(verb, data, activity.reply_to_id, lang, invoked=True)
        try:
            result = await self._router.dispatch(turn_context, action)
        except UnknownVerb:
            result = CardActionResult(status=400, message=say("error.unknown_action", lang))
        return InvokeResponse(status=200, body=invoke_body(result))

    def _stateless_invoke(self, activity: Any) -> bool:
        if activity.type != "invoke" or activity.name != "adaptiveCard/action":
            return False
        parsed = parse_execute(activity.value)
        return parsed is not None and self._router.is_stateless(parsed[0])

    # --- installation, membership and meetings --------------------------------------------

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # The Teams handler crashes without channelData and looks members up on the connector;
        # everything we need is in the activity itself.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if _contains(activity.members_added, bot_id):
            await self._welcome(turn_context)
        if _contains(activity.members_removed, bot_id):
            await self._log.forget(activity)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._log.forget(turn_context.activity)

    async def _welcome(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not await self._log.claim_welcome(activity):
            return  # installation sends two activities; greet once
        lang = locale_language(activity.locale)
        in_channel = (activity.conversation.conversation_type or "") == "channel"
        await self._send_card(turn_context, welcome_card(lang, in_channel=in_channel))

    async def on_event_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.name in MEETING_EVENTS:
            event = parse_meeting_event(activity.name, activity.value)
            log.info(
                "meeting %s in conversation %s: %s",
                event.kind,
                activity.conversation.id,
                event.title or "(untitled)",
            )
            await self._router.on_event(turn_context, activity.name, event)

    async def _send_card(self, turn_context: TurnContext, card: dict[str, Any]) -> None:
        await turn_context.send_activity(MessageFactory.attachment(as_attachment(card)))


def locale_language(locale: str | None) -> Lang:
    """The language of the person's Teams client (where no chosen language was read)."""
    return "en" if (locale or "").lower().startswith("en") else "da"


def _contains(members: list[ChannelAccount] | None, member_id: str | None) -> bool:
    return bool(member_id) and any(m is not None and m.id == member_id for m in members or [])
