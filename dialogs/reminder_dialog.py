"""ReminderDialog: asks for what a reminder command left out (its text, its time), then sets it.

What is known so far lives in the dialog's state (the database), so the dialog survives a
restart; `annuller` / `cancel` ends it (the activity handler checks that before any dialog runs).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, ActivityTypes

from bot.capabilities.reminders.jobs import MAX_TEXT_CHARS
from bot.capabilities.reminders.replies import error_text, shown, too_long
from bot.capabilities.reminders.wording import say
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.reminders import ParseResult, ReminderError, ReminderRequest, parse_reminder

SetReminder = Callable[[TurnContext, ReminderRequest, Lang], Awaitable[str]]
_PROMPT = "reminder.prompt"
MAX_ATTEMPTS = 3  # answers to one question before the dialog gives up
_TRIGGERS = {("me", "da"): "påmind mig", ("conversation", "da"): "påmind os"}
_TRIGGERS |= {("me", "en"): "remind me", ("conversation", "en"): "remind us"}
_LEADING_SEPARATOR = re.compile(r"^(?:om|to|about|:)\s+", re.IGNORECASE)
_TRAILING_SEPARATOR = re.compile(r"\s+(?:om|to|about|:)[\s.!]*$", re.IGNORECASE)


def compose(state: dict[str, Any], *, text: str | None = None, when: str | None = None) -> str:
    """The command the answers add up to: "påmind mig <when> om <text>"."""
    lang: Lang = "en" if state.get("lang") == "en" else "da"
    separator = "to" if lang == "en" else "om"
    body = _LEADING_SEPARATOR.sub("", (text if text is not None else state.get("text", "")).strip())
    command = state.get("command")
    if command:  # the time was in the command; only the text was missing
        return f"{_TRAILING_SEPARATOR.sub('', command)} {separator} {body}"
    target = "conversation" if state.get("target") == "conversation" else "me"
    return f"{_TRIGGERS[(target, lang)]} {when or ''} {separator} {body}"


class ReminderDialog(ComponentDialog):
    def __init__(self, set_reminder: SetReminder, clock: Clock, zone: ZoneInfo) -> None:
        super().__init__(ReminderDialog.__name__)
        self._set = set_reminder
        self._clock = clock
        self._zone = zone
        self.add_dialog(TextPrompt(_PROMPT, self._valid))
        steps = [self._ask_text, self._ask_time, self._finish]
        self.add_dialog(WaterfallDialog("reminder.steps", steps))
        self.initial_dialog_id = "reminder.steps"

    async def _ask_text(self, step: WaterfallStepContext) -> DialogTurnResult:
        state = dict(step.options or {})
        step.values["state"] = state
        if str(state.get("text") or "").strip():
            return await step.next(None)
        return await self._prompt(step, say("dialog.text", _lang(state)), state, "text")

    async def _ask_time(self, step: WaterfallStepContext) -> DialogTurnResult:
        state = dict(step.values["state"])
        if step.result is not None:
            state["text"] = _LEADING_SEPARATOR.sub("", str(step.result).strip())
            step.values["state"] = state
        if state.get("command"):
            return await step.next(None)
        question = say("dialog.time", _lang(state), text=shown(str(state["text"])))
        return await self._prompt(step, question, state, "time")

    async def _finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        state = dict(step.values["state"])
        lang = _lang(state)
        answer = str(step.result) if step.result is not None else None
        parsed = self._understood(state, "time" if answer is not None else "text", answer)
        if not isinstance(parsed, ReminderRequest):
            # The validator let only a good answer through; state from an older version may
            # still not add up. Say so instead of setting half a reminder.
            await step.context.send_activity(say("dialog.failed", lang))
            return await step.end_dialog(None)
        await step.context.send_activity(await self._set(step.context, parsed, lang))
        return await step.end_dialog(True)

    def _understood(
        self, state: dict[str, Any], part: str, answer: str | None
    ) -> ParseResult | None:
        now = self._clock.now()
        if part == "text":
            return parse_reminder(compose(state, text=answer), now, self._zone)
        whole = parse_reminder(answer or "", now, self._zone)
        if isinstance(whole, ReminderRequest):
            return whole  # the whole command typed again
        return parse_reminder(compose(state, when=answer), now, self._zone)

    async def _prompt(
        self, step: WaterfallStepContext, question: str, state: dict[str, Any], part: str
    ) -> DialogTurnResult:
        lang = _lang(state)
        options = PromptOptions(
            prompt=_text(question + " " + say("dialog.cancel_hint", lang)),
            retry_prompt=_text(question),
            validations={"state": state, "part": part},
        )
        return await step.prompt(_PROMPT, options)

    async def _valid(self, prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        wanted = prompt.options.validations or {}
        state, part = dict(wanted.get("state") or {}), wanted.get("part")
        lang = _lang(state)
        answer = str(prompt.recognized.value or "").strip()
        if not answer:
            return False
        if part == "text":
            if len(answer) > MAX_TEXT_CHARS:
                await prompt.context.send_activity(too_long(lang))
                return False
            if not state.get("command"):
                return True  # the time is asked next
        parsed = self._understood(state, str(part), answer)
        if isinstance(parsed, ReminderRequest):
            return True
        if isinstance(parsed, ReminderError) and parsed.reason not in (
            "missing_time",
            "unrecognised",
        ):
            await prompt.context.send_activity(error_text(parsed, lang))
        # Asked enough: let the answer through, and the last step says it could not be set
        # instead of holding every further message hostage to the question.
        # (The Python SDK counts answers in options.number_of_attempts, after this check;
        # its attempt_count stays 0.)
        answers = getattr(prompt.options, "number_of_attempts", 0) + 1
        return answers >= MAX_ATTEMPTS  # else the retry prompt asks again


def _lang(state: dict[str, Any]) -> Lang:
    return "en" if state.get("lang") == "en" else "da"


def _text(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text)
