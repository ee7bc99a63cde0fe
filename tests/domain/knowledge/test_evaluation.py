"""The evaluation sets: size and mix, how blind each is, the dev targets and the report."""

from pathlib import Path

from bot.domain.knowledge import DEFAULT_THRESHOLD, evaluate, load_questions, tune_threshold
from bot.domain.knowledge.evaluation import load_sets
from bot.domain.knowledge_cli import eval_report

SETS = [
    "tune",
    "blind10",
    "blind12",
    "blind14",
    "blind15",
    "blind3",
    "blind6",
    "blind7",
    "blind9",
    "dev",
    "fresh",
    "blind11",
    "blind13",
    "blind2",
    "blind4",
    "blind5",
]  # least blind first, then by name (as load_sets orders them)
FRESH = ["blind8"]  # blind sets labelled after the matcher's last change, when present
# tune, blind10, blind12, blind14, blind15, blind3, blind6, blind7, blind9, dev, fresh: read
# while changed
DEVELOPMENT = 11


def _sets(eval_dir) -> list[str]:
    return SETS + [n for n in FRESH if (Path(eval_dir) / f"eval_{n}.yaml").exists()]


def test_every_set_says_how_blind_it_is(eval_dir):
    sets = load_sets(eval_dir)
    names = _sets(eval_dir)
    assert [sorted({q.split for q in s.questions}) for s in sets] == [[n] for n in names]
    assert all(s.blindness for s in sets)
    assert [s.blind for s in sets] == [False] * DEVELOPMENT + [True] * (len(names) - DEVELOPMENT)


def test_eval_set_shape(eval_dir):
    sets = load_sets(eval_dir)
    for eval_set in sets:
        # The seed-only sets (blind3 to blind15) are 65 to 84 questions; the others 80 or more.
        assert len(eval_set.questions) >= 60
        assert sum(1 for q in eval_set.questions if not q.expect) >= 10
    assert {q.lang for s in sets[:2] for q in s.questions} == {"da", "en"}


def test_expected_ids_exist(service, eval_dir):
    ids = {e.id for e in service.kb.entries()} | {"@events"}
    for eval_set in load_sets(eval_dir):
        for q in eval_set.questions:
            assert set(q.expect) <= ids, q


def test_targets_on_the_dev_set(service, dev_file):
    # The dev set has gated every matcher change, so these figures guard against regressions;
    # they say little about new questions (the blind sets are reported, never asserted).
    report = evaluate(service, load_questions(dev_file))
    dev = report.splits["dev"]
    assert dev.top1 >= 0.95, report.misses
    assert dev.abstention >= 0.95, report.misses


def test_threshold_comes_from_the_tune_set(service, tune_file):
    chosen, _ = tune_threshold(service, load_questions(tune_file), split="tune")
    assert chosen == DEFAULT_THRESHOLD
    assert service.threshold == DEFAULT_THRESHOLD  # tuning does not leak into the service


def test_report_shows_every_set_with_its_blindness_but_no_blind_misses(knowledge_dir, eval_dir):
    text = eval_report(knowledge_dir, sets_dir=eval_dir)
    names = _sets(eval_dir)
    rows = [line.split()[0] for line in text.splitlines()[3 : 3 + len(names)]]
    assert rows == names
    for eval_set in load_sets(eval_dir):
        assert eval_set.blindness in text
    assert "confident wrong" in text and "abstained" in text
    sets = load_sets(eval_dir)
    # Two writers can ask the very same thing; such a question is shown as a dev set's miss.
    # A miss is printed as its quoted text: a short blind question may be part of a longer one.
    shared = {q.text for s in sets if not s.blind for q in s.questions}
    for blind in [s for s in sets if s.blind]:
        assert not any(f"{q.text!r}:" in text for q in blind.questions if q.text not in shared)
    assert "[blind2]" not in text and "[blind4]" not in text


def test_one_file_on_request(knowledge_dir, dev_file):
    lines = eval_report(knowledge_dir, dev_file).splitlines()
    assert lines[3].split()[0] == "dev" and lines[4] == ""  # one row
    assert any(line.startswith("  [dev] ") for line in lines)  # with its misses


def test_a_file_without_blindness_says_so(knowledge_dir, tmp_path):
    path = tmp_path / "eval_mine.yaml"
    path.write_text(
        "now: 2021-03-24T10:00:00+01:00\nquestions:\n"
        '  - {q: "Hvordan bager man boller?", expect: null, split: mine}\n',
        encoding="utf-8",
    )
    text = eval_report(knowledge_dir, path)
    assert "mine" in text and "(not stated)" in text
