"""The evaluation set: size and mix, and the targets asserted on the held-out split."""

from bot.domain.knowledge import DEFAULT_THRESHOLD, evaluate, load_questions, tune_threshold
from bot.domain.knowledge_cli import eval_report


def test_eval_set_shape(eval_file):
    questions = load_questions(eval_file).questions
    assert len(questions) >= 100
    assert sum(1 for q in questions if not q.expect) >= 20
    assert {q.split for q in questions} == {"tune", "heldout"}
    assert {q.lang for q in questions} == {"da", "en"}
    for split in ("tune", "heldout"):
        part = [q for q in questions if q.split == split]
        assert sum(1 for q in part if not q.expect) >= 10


def test_expected_ids_exist(service, eval_file):
    ids = {e.id for e in service.kb.entries()} | {"@events"}
    for q in load_questions(eval_file).questions:
        assert set(q.expect) <= ids, q


def test_targets_on_heldout(service, eval_file):
    report = evaluate(service, load_questions(eval_file))
    heldout = report.splits["heldout"]
    assert heldout.top1 >= 0.95, report.misses
    assert heldout.abstention >= 0.95, report.misses


def test_threshold_comes_from_the_tune_split(service, eval_file):
    chosen, _ = tune_threshold(service, load_questions(eval_file), split="tune")
    assert chosen == DEFAULT_THRESHOLD
    assert service.threshold == DEFAULT_THRESHOLD  # tuning does not leak into the service


def test_report_text(knowledge_dir, eval_file):
    text = eval_report(knowledge_dir, eval_file)
    assert "tune" in text and "heldout" in text and "top-1" in text
