"""Run an evaluation set against a KnowledgeService: top-1 accuracy and abstention per split."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from bot.domain.knowledge.service import KnowledgeResult, KnowledgeService

EVENTS = "@events"  # expected answer: a listing of the events in a time window


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    text: str
    lang: str
    expect: tuple[str, ...]  # acceptable entry ids; empty = must abstain
    split: str


@dataclass(frozen=True, slots=True)
class EvalSet:
    now: datetime
    questions: tuple[EvalQuestion, ...]


@dataclass(frozen=True, slots=True)
class Miss:
    split: str
    question: str
    expected: str
    got: str
    confidence: float


@dataclass
class SplitFigures:
    split: str
    in_scope: int = 0
    correct: int = 0
    wrong: int = 0
    false_abstentions: int = 0
    out_of_scope: int = 0
    abstained: int = 0

    @property
    def top1(self) -> float:
        """Share of in-scope questions answered with the expected entry."""
        return self.correct / self.in_scope if self.in_scope else 1.0

    @property
    def abstention(self) -> float:
        """Share of out-of-scope questions the bot correctly declined."""
        return self.abstained / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def false_abstention_rate(self) -> float:
        return self.false_abstentions / self.in_scope if self.in_scope else 0.0


@dataclass
class EvalReport:
    threshold: float
    splits: dict[str, SplitFigures] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def load_questions(path: str | Path) -> EvalSet:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    now = data["now"]
    now = now if isinstance(now, datetime) else datetime.fromisoformat(str(now))
    questions = []
    for item in data["questions"]:
        expect = item.get("expect")
        ids = () if expect is None else tuple(expect if isinstance(expect, list) else [expect])
        questions.append(EvalQuestion(str(item["q"]), item.get("lang", "da"), ids, item["split"]))
    return EvalSet(now, tuple(questions))


def _got(result: KnowledgeResult) -> str:
    if not result.answered:
        return "(abstained)"
    return EVENTS if result.answer.kind == "events" else str(result.entry_id)


def evaluate(service: KnowledgeService, eval_set: EvalSet) -> EvalReport:
    report = EvalReport(service.threshold)
    for q in eval_set.questions:
        figures = report.splits.setdefault(q.split, SplitFigures(q.split))
        result = service.ask(q.text, lang=q.lang, now=eval_set.now)
        got = _got(result)
        if not q.expect:
            figures.out_of_scope += 1
            figures.abstained += not result.answered
            ok = not result.answered
        else:
            figures.in_scope += 1
            ok = got in q.expect
            figures.correct += ok
            figures.false_abstentions += not result.answered
            figures.wrong += result.answered and not ok
        if not ok:
            expected = "|".join(q.expect) or "(abstain)"
            report.misses.append(Miss(q.split, q.text, expected, got, result.confidence))
    return report


def tune_threshold(
    service: KnowledgeService, eval_set: EvalSet, split: str = "tune"
) -> tuple[float, EvalReport]:
    """Pick the threshold that does best on one split (balanced accuracy/abstention).

    Ties go to the middle of the best range, so the choice does not hug one question.
    """
    only = EvalSet(eval_set.now, tuple(q for q in eval_set.questions if q.split == split))
    original = service.threshold
    scored = []
    try:
        for step in range(20, 96, 2):
            service.threshold = step / 100
            figures = evaluate(service, only).splits.get(split, SplitFigures(split))
            scored.append(
                (
                    min(figures.top1, figures.abstention) + figures.top1 + figures.abstention,
                    step / 100,
                )
            )
    finally:
        service.threshold = original
    best = max(s for s, _ in scored)
    winners = [t for s, t in scored if s == best]
    chosen = winners[len(winners) // 2]
    service.threshold = chosen
    try:
        return chosen, evaluate(service, only)
    finally:
        service.threshold = original
