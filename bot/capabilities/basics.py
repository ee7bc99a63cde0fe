"""Basics every conversation has: the help card and the choice of answer language."""

from __future__ import annotations

from botbuilder.core import StatePropertyAccessor

from bot.channel.cards import help_card
from bot.channel.router import Turn, TurnRouter
from bot.channel.wording import say
from dialogs.language_dialog import LanguageDialog, language_choice, store_language

HELP_PHRASES = ("hjælp", "hjaelp", "hjalp", "help", "?", "hvad kan du", "hvad kan du?")
HELP_PHRASES_EN = ("what can you do", "what can you do?")
LANGUAGE_PHRASES = ("sprog", "language", "skift sprog", "change language", "indstil sprog")


class Basics:
    def __init__(self, preferences: StatePropertyAccessor) -> None:
        self._preferences = preferences
        self._router: TurnRouter | None = None

    def register(self, router: TurnRouter) -> None:
        self._router = router
        router.command((*HELP_PHRASES, *HELP_PHRASES_EN), self._help, exact=True)
        router.command(LANGUAGE_PHRASES, self._language)
        router.dialog(LanguageDialog(self._preferences))

    async def _help(self, turn: Turn) -> bool:
        lines = self._router.help_lines(turn.lang) if self._router else []
        await turn.send_card(help_card(turn.lang, [*lines, say("help.language", turn.lang)]))
        return True

    async def _language(self, turn: Turn) -> bool:
        # "sprog", "skift sprog" ask; "sprog engelsk" / "language english" choose at once.
        if turn.rest and turn.key.split(" ", 1)[0] not in ("sprog", "language"):
            return False  # "skift sprog til …" is not a form we know; let the question through
        chosen = language_choice(turn.rest)
        if chosen is None:
            await turn.begin_dialog(LanguageDialog.__name__, {"lang": turn.lang})
            return True
        await store_language(self._preferences, turn.context, chosen)
        await turn.send(say(f"language.set.{chosen}", chosen))
        return True
