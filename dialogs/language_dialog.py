"""LanguageDialog: asks which language the user wants answers in and remembers it."""

from __future__ import annotations

from botbuilder.core import MessageFactory, StatePropertyAccessor, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from bot.channel.cards import adaptive_card, as_attachment, ask_button, paragraph
from bot.channel.wording import say
from bot.domain.language import Lang

_CHOICES: dict[str, Lang] = {
    "dansk": "da",
    "danish": "da",
    "da": "da",
    "1": "da",
    "engelsk": "en",
    "english": "en",
    "en": "en",
    "2": "en",
}


def language_choice(text: str | None) -> Lang | None:
    return _CHOICES.get((text or "").strip().lower().rstrip("."))


class LanguageDialog(ComponentDialog):
    """Waterfall: ask (with two buttons) → validate → store in user preferences."""

    def __init__(self, preferences: StatePropertyAccessor) -> None:
        super().__init__(LanguageDialog.__name__)
        self._preferences = preferences
        self.add_dialog(TextPrompt("language.prompt", self._valid_choice))
        self.add_dialog(WaterfallDialog("language.steps", [self._ask, self._store]))
        self.initial_dialog_id = "language.steps"

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        lang: Lang = (step.options or {}).get("lang", "da")
        return await step.prompt(
            "language.prompt",
            PromptOptions(
                prompt=_choice_card(say("language.ask", lang)),
                retry_prompt=_choice_card(say("language.retry", lang)),
            ),
        )

    async def _store(self, step: WaterfallStepContext) -> DialogTurnResult:
        chosen = language_choice(step.result)
        if chosen is None:  # the prompt's validator lets only a language choice through
            raise ValueError(f"not a language choice: {step.result!r}")
        await store_language(self._preferences, step.context, chosen)
        await step.context.send_activity(say(f"language.set.{chosen}", chosen))
        return await step.end_dialog(chosen)

    @staticmethod
    async def _valid_choice(prompt: PromptValidatorContext) -> bool:
        return prompt.recognized.succeeded and language_choice(prompt.recognized.value) is not None


async def store_language(
    preferences: StatePropertyAccessor, context: TurnContext, lang: Lang
) -> None:
    current = await preferences.get(context, dict)
    current["lang"] = lang
    await preferences.set(context, current)


def _choice_card(question: str) -> Activity:
    card = adaptive_card(
        [paragraph(question)],
        [ask_button("Dansk", "dansk"), ask_button("English", "english")],
        fallback_text=question,
    )
    return MessageFactory.attachment(as_attachment(card))
