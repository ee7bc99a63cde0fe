"""Pure functions behind `moedebot kb validate` and `moedebot kb eval` (the CLI prints them)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.knowledge.evaluation import EvalReport, evaluate_all, load_questions, load_sets
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
    """One row per split; misses listed after the table, except those of blind sets."""
    lines = [f"Threshold: {report.threshold:.2f} (chosen on the tune split)", ""]
    lines.append(
        f"{'set':<9} {'in-scope':>8} {'top-1':>7} {'confident wrong':>15} {'no answer':>9} "
        f"{'out-of-scope':>12} {'abstained':>9}  blindness"
    )
    for f in report.splits.values():
        wrong = f"{f.wrong} ({f.wrong / f.in_scope if f.in_scope else 0.0:.1%})"
        lines.append(
            f"{f.split:<9} {f.in_scope:>8} {f.top1:>7.1%} {wrong:>15} {f.false_abstentions:>9} "
            f"{f.out_of_scope:>12} {f.abstention:>9.1%}  {f.blindness or '(not stated)'}"
        )
    lines += [
        "",
        "top-1: in-scope questions answered with an expected entry; confident wrong: answered",
        "with another entry; no answer: in-scope but declined; abstained: out-of-scope declined.",
    ]
    blind = {f.split for f in report.splits.values() if f.blind}
    shown = [m for m in report.misses if m.split not in blind]
    if shown:
        lines += ["", "Misses:"]
        for m in shown:
            lines.append(
                f"  [{m.split}] {m.question!r}: expected {m.expected}, got {m.got} "
                f"(confidence {m.confidence:.2f})"
            )
    if hidden := sorted(blind & {m.split for m in report.misses}):
        lines += [
            "",
            f"Misses of blind sets not shown ({', '.join(hidden)}): reading them "
            "would make a blind set a development set.",
        ]
    return "\n".join(lines)


# Where the evaluation sets live in a checkout (the CLI runs from the repository root).
EVAL_DIR = Path("tests/domain/knowledge")


def eval_report(
    path: str | Path, questions_file: str | Path | None = None, sets_dir: str | Path = EVAL_DIR
) -> str:
    """Figures per set and the misses, as printable text: one file, or every eval_*.yaml."""
    service = KnowledgeService(path)
    sets = [load_questions(questions_file)] if questions_file else load_sets(sets_dir)
    return format_report(evaluate_all(service, sets))
