"""The index walks a bounded number of postings: a question of the most frequent words must not
cost a pass over the whole knowledge per word, and within the bound nothing changes.

The reference below is the search loop as it was before the bound (every slot walked in full,
a repeated word walked once per occurrence).
"""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from bot.domain.knowledge import KnowledgeService
from bot.domain.knowledge.evaluation import load_sets
from bot.domain.knowledge.index import (
    BODY_EVIDENCE,
    COHERENT_SLOTS,
    LONG_COHERENT_SLOTS,
    MAX_POSTINGS_WALKED,
    NEGLIGIBLE_SLOT,
    UNKNOWN_FORGIVEN,
    Document,
    SearchIndex,
    Slot,
    _walk_plan,
)
from bot.domain.knowledge.text import content_tokens


def _former_scores(index: SearchIndex, slots: list[Slot]) -> dict[int, tuple[float, float]]:
    scores: dict[int, float] = defaultdict(float)
    covered: dict[int, float] = defaultdict(float)
    lifted: dict[int, float] = defaultdict(float)
    matched: dict[int, int] = defaultdict(int)
    total = sum(s.weight for s in slots) or 1.0
    seen: set = set()
    for slot in slots:
        weight = slot.weight
        if weight < NEGLIGIBLE_SLOT * total:
            continue
        new = slot.alternatives not in seen
        seen.add(slot.alternatives)
        if len(slot.alternatives) == 1:
            term, factor = slot.alternatives[0]
            for doc, (contrib, evidence) in index.postings.get(term, {}).items():
                scores[doc] += contrib * factor
                covered[doc] += weight * factor * evidence
                lifted[doc] += weight * factor * (1.0 if evidence == BODY_EVIDENCE else evidence)
                matched[doc] += new
            continue
        merged: dict[int, tuple[float, float]] = {}
        for term, factor in slot.alternatives:
            for doc, (contrib, evidence) in index.postings.get(term, {}).items():
                if contrib * factor > merged.get(doc, (0.0, 0.0))[0]:
                    merged[doc] = (contrib * factor, factor * evidence)
        for doc, (value, credit) in merged.items():
            scores[doc] += value
            covered[doc] += weight * credit
            lifted[doc] += weight * min(1.0, credit / BODY_EVIDENCE)
            matched[doc] += new
    unknown = sum(s.weight for s in slots if not s.alternatives)
    for doc, n in matched.items():
        if n >= COHERENT_SLOTS:
            covered[doc] = max(covered[doc], lifted[doc])
        if n >= LONG_COHERENT_SLOTS and unknown:
            covered[doc] += unknown * UNKNOWN_FORGIVEN
    return {d: (scores[d], covered[d]) for d in scores}


def _slots(service: KnowledgeService, text: str) -> list[Slot]:
    engine = service._engine
    return engine.analyzer.query_slots(content_tokens(text), engine.index, engine.fuzzy, "da")


def test_within_the_bound_the_ranking_is_the_former_one(service, eval_dir):
    shipped = service
    rng = random.Random(7)
    # The words people use for this knowledge: every evaluation question's.
    words = sorted(
        {w for s in load_sets(eval_dir) for q in s.questions for w in content_tokens(q.text)}
    )
    index = shipped._engine.index
    for _ in range(300):
        # Questions of 2 to 30 knowledge words, some repeated: the shipped knowledge is far
        # below the bound, so every one is scored exactly as before.
        picked = [rng.choice(words) for _ in range(rng.randint(2, 30))]
        slots = _slots(shipped, " ".join(picked + picked[: rng.randint(0, 3)]))
        if not slots:
            continue
        former = _former_scores(index, slots)
        total = sum(s.weight for s in slots)
        hits = index.search(slots, limit=len(index))
        assert {h.doc for h in hits} == set(former)
        for h in hits:
            score, covered = former[h.doc]
            assert h.score == pytest.approx(score * (0.5 + 0.5 * covered / total), rel=1e-9), (
                h.entry_id
            )


def _frequent_index(docs: int) -> SearchIndex:
    """`docs` entries that all share twenty common words, one of them also a rare one."""
    common = [f"ord{i}" for i in range(20)]
    return SearchIndex(
        [
            Document(f"e{i}", "fact", {"text": [*common, *(["sjælden"] if i == 17 else [])]})
            for i in range(docs)
        ]
    )


def test_a_question_of_frequent_words_walks_a_bounded_number_of_postings():
    index = _frequent_index(3000)
    slots = [Slot((("sjælden", 1.0),), 9.0)] + [Slot(((f"ord{i}", 1.0),), 1.0) for i in range(20)]
    distinct = [s.alternatives for s in slots]
    full, within = _walk_plan(distinct, index.postings)
    charged = sum(len(index.postings[a[0][0]]) for a in full) + len(within) * sum(
        len(index.postings[a[0][0]]) for a in full
    )
    assert charged <= 2 * MAX_POSTINGS_WALKED
    assert full[0] == (("sjælden", 1.0),)  # the rarest word is always counted in full
    assert len(full) < len(distinct)  # the rest did not each walk 3,000 entries
    hits = index.search(slots, limit=3)
    assert hits[0].entry_id == "e17"


def test_the_plan_keeps_the_asked_order_of_full_walks():
    index = _frequent_index(10)
    distinct = [((f"ord{i}", 1.0),) for i in (3, 1, 2)]
    full, within = _walk_plan(distinct, index.postings)
    assert full == distinct and within == []
