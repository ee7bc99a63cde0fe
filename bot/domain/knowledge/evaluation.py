"""Run evaluation sets against a KnowledgeService: top-1 accuracy and abstention per split."""

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
    # How far the matcher's authors have seen this set (the file's `blindness:`), so that a
    # figure is never read as more independent than it is.
    blindness: str = ""
    # A blind set's misses are kept out of reports: reading them would make it a dev set.
    blind: bool = False


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
    blindness: str = ""
    blind: bool = False
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
    blindness = str(data.get("blindness") or "")
    return EvalSet(now, tuple(questions), blindness, bool(data.get("blind", False)))


def load_sets(folder: str | Path) -> list[EvalSet]:
    """Every eval_*.yaml in `folder`: the tune set first, blind sets last."""
    sets = [load_questions(p) for p in sorted(Path(folder).glob("eval_*.yaml"))]
    if not sets:
        raise FileNotFoundError(f"no eval_*.yaml in {folder}")

    def order(s: EvalSet) -> tuple[bool, bool, str]:
        splits = sorted({q.split for q in s.questions})
        return s.blind, "tune" not in splits, splits[0] if splits else ""

    return sorted(sets, key=order)


def _got(result: KnowledgeResult) -> str:
    if not result.answered:
        return "(abstained)"
    return EVENTS if result.answer.kind == "events" else str(result.entry_id)


def evaluate(
    service: KnowledgeService, eval_set: EvalSet, report: EvalReport | None = None
) -> EvalReport:
    """Add one set's figures (per split) and misses to `report` (a new one by default)."""
    if report is None:
        report = EvalReport(service.threshold)
    for q in eval_set.questions:
        figures = report.splits.setdefault(
            q.split, SplitFigures(q.split, eval_set.blindness, eval_set.blind)
        )
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


def evaluate_all(service: KnowledgeService, sets: list[EvalSet]) -> EvalReport:
    """One report over several sets, in their order."""
    report = EvalReport(service.threshold)
    for eval_set in sets:
        evaluate(service, eval_set, report)
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
