"""TurnRouter: where capabilities register their text commands, card verbs, dialogs and events.

The activity handler asks the router what to do with a turn; it never learns the capabilities.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import Dialog, DialogSet

from bot.channel.card_actions import CardAction, CardActionResult
from bot.channel.cards import as_attachment
from bot.domain.commands import normalise_command_text
from bot.domain.language import Lang


@dataclass
class Turn:
    """One message turn as a capability sees it: the cleaned text, its language, and ways out."""

    context: TurnContext
    text: str  # mention stripped, single-spaced, original case
    lang: Lang
    key: str = ""  # the normalised form commands compare in
    rest: str = ""  # the text after the command's words, original case
    dialogs: DialogSet | None = field(default=None, repr=False)

    async def send(self, text: str) -> None:
        await self.context.send_activity(text)

    async def send_card(self, card: dict[str, Any]) -> str | None:
        """Post a card; returns the posted activity's id (to update it in place later)."""
        response = await self.context.send_activity(MessageFactory.attachment(as_attachment(card)))
        return response.id if response is not None else None

    async def begin_dialog(self, dialog_id: str, options: Any = None) -> None:
        if self.dialogs is None:
            raise RuntimeError("this turn has no dialog set")
        dialog_context = await self.dialogs.create_context(self.context)
        await dialog_context.begin_dialog(dialog_id, options)


# A text handler returns False when the text is not its after all (the next one is tried).
TextHandler = Callable[[Turn], Awaitable[bool]]
CardHandler = Callable[[TurnContext, CardAction], Awaitable[CardActionResult]]
EventHandler = Callable[[TurnContext, Any], Awaitable[None]]
HelpLines = Callable[[Lang], list[str]]


class UnknownVerb(LookupError):
    pass


@dataclass(frozen=True)
class _Command:
    words: int
    exact: bool
    handler: TextHandler


class TurnRouter:
    """Text commands are matched by their leading words, longest phrase first; free text that
    no command takes goes to the fallbacks in the order they were registered."""

    def __init__(self) -> None:
        self._commands: dict[str, list[_Command]] = {}
        self._longest = 1
        self._fallbacks: list[TextHandler] = []
        self._verbs: dict[str, CardHandler] = {}
        self._stateless: set[str] = set()
        self._dialogs: list[Dialog] = []
        self._events: dict[str, list[EventHandler]] = {}
        self._help: list[HelpLines] = []

    # --- registration (at start-up) -------------------------------------------------------

    def command(self, phrases: Iterable[str], handler: TextHandler, *, exact: bool = False) -> None:
        """`exact`: the whole message must be the phrase ("hjælp"); otherwise the phrase starts
        the message and the rest is the command's argument ("afstemning …")."""
        for phrase in phrases:
            key = normalise_command_text(phrase)
            if not key:
                raise ValueError(f"empty command phrase {phrase!r}")
            words = key.count(" ") + 1
            self._commands.setdefault(key, []).append(_Command(words, exact, handler))
            self._longest = max(self._longest, words)

    def fallback(self, handler: TextHandler) -> None:
        self._fallbacks.append(handler)

    def verb(self, verb: str, handler: CardHandler, *, stateless: bool = False) -> None:
        """`stateless`: the handler reads no bot state, so an Action.Execute of this verb
        loads none (no state read per vote); its language comes from the Teams locale."""
        if verb in self._verbs:
            raise ValueError(f"card verb {verb!r} registered twice")
        self._verbs[verb] = handler
        if stateless:
            self._stateless.add(verb)

    def is_stateless(self, verb: str) -> bool:
        return verb in self._stateless

    def dialog(self, dialog: Dialog) -> None:
        self._dialogs.append(dialog)

    def event(self, name: str, handler: EventHandler) -> None:
        self._events.setdefault(name, []).append(handler)

    def help(self, lines: HelpLines) -> None:
        """A capability's lines in the help card, in registration order."""
        self._help.append(lines)

    # --- routing (every turn) -------------------------------------------------------------

    @property
    def dialogs(self) -> list[Dialog]:
        return list(self._dialogs)

    def help_lines(self, lang: Lang) -> list[str]:
        return [line for lines in self._help for line in lines(lang)]

    def knows(self, verb: str) -> bool:
        return verb in self._verbs

    def starts_command(self, text: str) -> bool:
        """Whether the text begins with a registered command phrase (a dialog gives way)."""
        key = normalise_command_text(text)
        words = key.split(" ", self._longest)
        for count in range(min(self._longest, len(words)), 0, -1):
            phrase = " ".join(words[:count])
            for command in self._commands.get(phrase, ()):
                if not command.exact or phrase == key:
                    return True
        return False

    async def route_text(self, turn: Turn) -> bool:
        """Offer the text to the matching commands, then to the fallbacks; True when taken."""
        key = normalise_command_text(turn.text)
        turn.key = key
        words = key.split(" ", self._longest)
        original = turn.text.split(" ")
        for count in range(min(self._longest, len(words)), 0, -1):
            phrase = " ".join(words[:count])
            for command in self._commands.get(phrase, ()):
                if command.exact and phrase != key:
                    continue
                turn.rest = " ".join(original[count:]).strip()
                if await command.handler(turn):
                    return True
        turn.rest = turn.text
        for handler in self._fallbacks:
            if await handler(turn):
                return True
        return False

    async def dispatch(self, context: TurnContext, action: CardAction) -> CardActionResult:
        handler = self._verbs.get(action.verb)
        if handler is None:
            raise UnknownVerb(action.verb)
        return await handler(context, action)

    async def on_event(self, context: TurnContext, name: str, value: Any) -> bool:
        handlers = self._events.get(name, ())
        for handler in handlers:
            await handler(context, value)
        return bool(handlers)
