"""MoedebotBot: the activity handler; translates Teams activities into domain calls and replies."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
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

from bot.channel.admin_commands import AdminCommands
from bot.channel.card_actions import (
    CardAction,
    CardActionResult,
    CardActionRouter,
    UnknownVerb,
    invoke_body,
    parse_execute,
    parse_submit,
)
from bot.channel.cards import as_attachment, help_card, welcome_card
from bot.channel.conversation_log import ConversationLog
from bot.channel.meetings import parse_meeting_event
from bot.channel.mentions import text_without_bot_mention
from bot.channel.wording import say
from bot.domain.commands import Command, CommandKind, parse_command
from bot.domain.language import Lang, detect_language
from dialogs.language_dialog import LanguageDialog, language_choice, store_language

log = logging.getLogger(__name__)

# A capability that answers free text (the knowledge base, later): returns True when it replied.
TextAnswerer = Callable[[TurnContext, str, Lang], Awaitable[bool]]
# Turns that read preferences and dialogs; the others load state only if they touch it.
_STATEFUL = frozenset({"message", "invoke"})


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
        user_state: BotState,
        turn_states: TurnStateStore,
        card_actions: CardActionRouter,
        answerer: TextAnswerer | None = None,
        admin_commands: AdminCommands | None = None,
    ) -> None:
        self._log = conversation_log
        self._states = turn_states
        self._preferences: StatePropertyAccessor = user_state.create_property("preferences")
        self._dialog_stack = dialog_state.create_property("dialogs")
        self._dialogs = DialogSet(self._dialog_stack)
        self._dialogs.add(LanguageDialog(self._preferences))
        self._card_actions = card_actions
        self._answerer = answerer
        self._admin = admin_commands
        card_actions.register("ask", self._ask_from_card)

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._log.remember(turn_context.activity)
        if turn_context.activity.type in _STATEFUL:
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
        if submitted is not None and (not text or self._card_actions.knows(submitted[0])):
            await self._submit(turn_context, submitted, lang)
            return
        command = parse_command(text)
        if await self._in_dialog(turn_context):
            dialog_context = await self._dialogs.create_context(turn_context)
            if command.kind is CommandKind.CANCEL:
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity(say("cancelled", lang))
                return
            result = await dialog_context.continue_dialog()
            if result.status is not DialogTurnStatus.Empty:
                return
        await self._command(turn_context, command, lang)

    async def _in_dialog(self, turn_context: TurnContext) -> bool:
        # A dialog context costs more than the rest of a help turn; build one only when needed.
        state = await self._dialog_stack.get(turn_context)
        return bool(getattr(state, "dialog_stack", None))

    async def _command(self, turn_context: TurnContext, command: Command, lang: Lang) -> None:
        kind = command.kind
        if kind is CommandKind.HELP:
            await self._send_card(turn_context, help_card(lang))
        elif kind is CommandKind.LANGUAGE:
            chosen = language_choice(command.argument)
            if chosen is None:
                dialog_context = await self._dialogs.create_context(turn_context)
                await dialog_context.begin_dialog(LanguageDialog.__name__, {"lang": lang})
            else:
                await store_language(self._preferences, turn_context, chosen)
                await turn_context.send_activity(say(f"language.set.{chosen}", chosen))
        elif kind is CommandKind.CANCEL:
            await turn_context.send_activity(say("nothing_to_cancel", lang))
        elif kind is CommandKind.RELOAD_KNOWLEDGE and self._admin is not None:
            await turn_context.send_activity(await self._admin.reload_knowledge(turn_context, lang))
        elif kind is CommandKind.EMPTY:
            await turn_context.send_activity(say("empty", lang))
        else:
            await self._answer(turn_context, command.text, lang)

    async def _answer(self, turn_context: TurnContext, text: str, lang: Lang) -> None:
        if self._answerer is not None and await self._answerer(turn_context, text, lang):
            return
        await turn_context.send_activity(say("not_yet", lang))

    async def _ask_from_card(
        self, turn_context: TurnContext, action: CardAction
    ) -> CardActionResult:
        text = str(action.data.get("text") or "").strip()
        if text:
            await self._answer(turn_context, text, action.lang)
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
            result = await self._card_actions.dispatch(turn_context, action)
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
        lang = await self._language(turn_context, "")
        parsed = parse_execute(activity.value)
        if parsed is None:
            result = CardActionResult(status=400, message=say("error.unknown_action", lang))
            return InvokeResponse(status=200, body=invoke_body(result))
        verb, data = parsed
        action = CardAction(verb, data, activity.reply_to_id, lang, invoked=True)
        try:
            result = await self._card_actions.dispatch(turn_context, action)
        except UnknownVerb:
            result = CardActionResult(status=400, message=say("error.unknown_action", lang))
        return InvokeResponse(status=200, body=invoke_body(result))

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
        lang: Lang = "en" if (activity.locale or "").lower().startswith("en") else "da"
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

    async def _send_card(self, turn_context: TurnContext, card: dict[str, Any]) -> None:
        await turn_context.send_activity(MessageFactory.attachment(as_attachment(card)))


def _contains(members: list[ChannelAccount] | None, member_id: str | None) -> bool:
    return bool(member_id) and any(m is not None and m.id == member_id for m in members or [])
