"""Pure functions behind `moedebot kb validate` and `moedebot kb eval` (the CLI prints them)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.knowledge.evaluation import EvalReport, evaluate, load_questions
from bot.domain.knowledge.loader import KnowledgeError, load
from bot.domain.knowledge.service import KnowledgeService


def validate(path: str | Path) -> tuple[bool, str]:
    """Validate the knowledge directory: (True, summary) or (False, one problem per line)."""
    try:
        kb = load(path)
    except KnowledgeError as exc:
        count = len(exc.problems)
        return False, f"{count} problem{'s' * (count != 1)} in {path}:\n" + "\n".join(
            f"  - {p}" for p in exc.problems
        )
    review = sum(1 for e in kb.entries() if e.review)
    return True, (
        f"OK: {len(kb.roles)} roles, {len(kb.events)} events, {len(kb.contacts)} contacts, "
        f"{len(kb.facts)} facts, {len(kb.synonyms)} synonym groups, "
        f"{len(kb.municipalities)} municipalities ({review} entries marked for review)"
    )


def format_report(report: EvalReport) -> str:
    lines = [f"Threshold: {report.threshold:.2f}", ""]
    lines.append(
        f"{'split':<9} {'in-scope':>8} {'top-1':>7} {'wrong':>6} {'no-ans':>6} "
        f"{'out-of-scope':>12} {'abstained':>9}"
    )
    for name in sorted(report.splits, key=lambda s: (s != "tune", s)):
        f = report.splits[name]
        lines.append(
            f"{name:<9} {f.in_scope:>8} {f.top1:>7.1%} {f.wrong:>6} "
            f"{f.false_abstentions:>6} {f.out_of_scope:>12} {f.abstention:>9.1%}"
        )
    if report.misses:
        lines += ["", "Misses:"]
        for m in report.misses:
            lines.append(
                f"  [{m.split}] {m.question!r}: expected {m.expected}, got {m.got} "
                f"(confidence {m.confidence:.2f})"
            )
    return "\n".join(lines)


def eval_report(path: str | Path, questions_file: str | Path) -> str:
    """Per-split top-1 accuracy, abstention rate and the misses, as printable text."""
    service = KnowledgeService(path)
    return format_report(evaluate(service, load_questions(questions_file)))
