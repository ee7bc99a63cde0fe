"""Poll specs and answers as JSON-ready dictionaries, for the database and the results page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.polls.model import (
    RESULTS_VISIBILITIES,
    Answer,
    Option,
    PollKind,
    PollSettings,
    PollSpec,
    ResultsVisibility,
    Statement,
)


def spec_to_json(spec: PollSpec) -> dict[str, Any]:
    settings = spec.settings
    return {
        "kind": spec.kind.value,
        "question": spec.question,
        "options": [[o.id, o.label] for o in spec.options],
        "statements": [[s.id, s.text] for s in spec.statements],
        "anonymous": settings.anonymous,
        "results": settings.results,
        "closes_at": settings.closes_at.isoformat() if settings.closes_at else None,
        "lang": spec.lang,
        "template_id": spec.template_id,
    }


def spec_from_json(data: dict[str, Any]) -> PollSpec:
    closes_at = data.get("closes_at")
    settings = PollSettings(
        anonymous=bool(data.get("anonymous", True)),
        results=visibility_from_json(data.get("results")),
        closes_at=datetime.fromisoformat(closes_at) if closes_at else None,
    )
    return PollSpec(
        kind=PollKind(data["kind"]),
        question=data["question"],
        options=tuple(Option(i, label) for i, label in data.get("options", ())),
        statements=tuple(Statement(i, text) for i, text in data.get("statements", ())),
        settings=settings,
        lang="en" if data.get("lang") == "en" else "da",
        template_id=data.get("template_id"),
    )


def visibility_from_json(value: Any) -> ResultsVisibility:
    """A stored visibility; rows from before a setting existed (or without one) are live."""
    for known in RESULTS_VISIBILITIES:
        if value == known:
            return known
    return "live"


def answer_to_json(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if answer.choices:
        data["choices"] = list(answer.choices)
    if answer.value is not None:
        data["value"] = answer.value
    if answer.ratings:
        data["ratings"] = {sid: level for sid, level in answer.ratings}
    if answer.text:
        data["text"] = answer.text
    return data


def answer_from_json(data: dict[str, Any]) -> Answer:
    value = data.get("value")
    return Answer(
        choices=tuple(str(c) for c in data.get("choices", ())),
        value=int(value) if value is not None else None,
        ratings=tuple((str(s), int(v)) for s, v in dict(data.get("ratings", {})).items()),
        text=str(data.get("text", "")),
    )
