"""PollDialog: asks for what a poll command left out (question, options, statements), then posts.

The draft lives in the dialog's state (the database), so the dialog survives a restart;
`annuller` / `cancel` ends it (the activity handler checks that before any dialog runs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

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

from bot.capabilities.polls.wording import command_error_text, say
from bot.domain.polls import PollCommandError, PollDraft, check_draft
from bot.domain.polls.codec import visibility_from_json
from bot.domain.polls.model import PollKind, PollSettings, PollSpec, Statement
from bot.domain.polls.quotes import UnbalancedQuotes, tokenize

PostPoll = Callable[[TurnContext, PollSpec], Awaitable[Any]]
_PROMPT = "poll.prompt"


class PollDialog(ComponentDialog):
    def __init__(self, post: PostPoll) -> None:
        super().__init__(PollDialog.__name__)
        self._post = post
        self.add_dialog(TextPrompt(_PROMPT, self._valid))
        steps = [self._ask_question, self._ask_list, self._finish]
        self.add_dialog(WaterfallDialog("poll.steps", steps))
        self.initial_dialog_id = "poll.steps"

    async def _ask_question(self, step: WaterfallStepContext) -> DialogTurnResult:
        draft = _draft(step.options)
        step.values["draft"] = draft_to_json(draft)
        if draft.question is not None:
            return await step.next(None)
        return await self._prompt(step, "dialog.question", draft, "question")

    async def _ask_list(self, step: WaterfallStepContext) -> DialogTurnResult:
        draft = draft_from_json(step.values["draft"])
        if step.result is not None:
            draft = replace(draft, question=str(step.result).strip())
            step.values["draft"] = draft_to_json(draft)
        if "options" in draft.missing_parts:
            return await self._prompt(step, "dialog.options", draft, "options")
        if "statements" in draft.missing_parts:
            return await self._prompt(step, "dialog.statements", draft, "statements")
        return await step.next(None)

    async def _finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        draft = draft_from_json(step.values["draft"])
        if step.result is not None:
            draft = _with_list(draft, split_list(str(step.result)))
        checked = check_draft(draft)
        if isinstance(checked, PollCommandError) or checked.missing_parts:
            # The validator let only a good answer through; a draft can still be stale after
            # an upgrade. Say so instead of posting half a poll.
            await step.context.send_activity(say("dialog.failed", draft.lang))
            return await step.end_dialog(None)
        await self._post(step.context, checked.to_spec())
        return await step.end_dialog(True)

    async def _prompt(
        self, step: WaterfallStepContext, key: str, draft: PollDraft, part: str
    ) -> DialogTurnResult:
        lang = draft.lang
        options = PromptOptions(
            prompt=_text(say(key, lang) + " " + say("dialog.cancel_hint", lang)),
            retry_prompt=_text(say(key, lang)),
            validations={"draft": draft_to_json(draft), "part": part},
        )
        return await step.prompt(_PROMPT, options)

    @staticmethod
    async def _valid(prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        wanted = prompt.options.validations or {}
        draft = draft_from_json(wanted["draft"])
        text = str(prompt.recognized.value or "").strip()
        if wanted["part"] == "question":
            candidate = replace(draft, question=text)
        else:
            candidate = _with_list(draft, split_list(text))
            if not (candidate.options or candidate.statements):
                candidate = replace(candidate, options=(text,))  # "one option" is the error
        checked = check_draft(candidate)
        if isinstance(checked, PollCommandError):
            reason, detail, limit = checked.reason.value, checked.detail, checked.limit
            text = command_error_text(reason, draft.lang, detail=detail, limit=limit)
            await prompt.context.send_activity(text)
            return False
        return True


def split_list(text: str) -> list[str]:
    """Options as people type them: in quotes, one per line, or separated by ; or ,."""
    try:
        tokens = tokenize(text)
    except UnbalancedQuotes:
        tokens = []
    quoted = [t.text for t in tokens if t.quoted]
    if quoted:
        return quoted
    for separator in ("\n", ";", ","):
        if separator in text:
            return [part.strip() for part in text.split(separator) if part.strip()]
    return [text.strip()] if text.strip() else []


def _with_list(draft: PollDraft, items: list[str]) -> PollDraft:
    if draft.kind is PollKind.LIKERT:
        statements = tuple(Statement(f"s{i}", t) for i, t in enumerate(items, 1))
        return replace(draft, statements=statements)
    return replace(draft, options=tuple(items))


def draft_to_json(draft: PollDraft) -> dict[str, Any]:
    settings = draft.settings
    return {
        "kind": draft.kind.value,
        "question": draft.question,
        "options": list(draft.options),
        "statements": [[s.id, s.text] for s in draft.statements],
        "anonymous": settings.anonymous,
        "results": settings.results,
        "closes_at": settings.closes_at.isoformat() if settings.closes_at else None,
        "lang": draft.lang,
        "template_id": draft.template_id,
    }


def draft_from_json(data: dict[str, Any]) -> PollDraft:
    closes_at = data.get("closes_at")
    return PollDraft(
        kind=PollKind(data["kind"]),
        question=data.get("question"),
        options=tuple(str(o) for o in data.get("options", ())),
        statements=tuple(Statement(str(i), str(t)) for i, t in data.get("statements", ())),
        settings=PollSettings(
            anonymous=bool(data.get("anonymous", True)),
            results=visibility_from_json(data.get("results")),
            closes_at=datetime.fromisoformat(closes_at) if closes_at else None,
        ),
        lang="en" if data.get("lang") == "en" else "da",
        template_id=data.get("template_id"),
    )


def _draft(options: Any) -> PollDraft:
    return draft_from_json((options or {})["draft"])


def _text(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text)
