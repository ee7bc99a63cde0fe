"""A BM25F index over entry fields (name, aliases, text) with per-slot alternatives."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# "asked": the users' own questions for an entry. Their words are how people ask for it, so
# they are good evidence, but a question holds more words than a name: weaker than aliases.
ASKED_WEIGHT = 1.5
ASKED_EVIDENCE = 0.8  # as body words: in full when the match is coherent
# "*_parts": the parts of a field's compound words ("implementeringsmateriale" ->
# "implementering", "materiale"), so "materialet til implementering" meets the compound;
# weaker than the word itself.
FIELD_WEIGHTS = {
    "name": 3.0,
    "aliases": 2.0,
    "asked": ASKED_WEIGHT,
    "text": 1.0,
    "name_parts": 2.0,
    "aliases_parts": 1.4,
    "text_parts": 0.7,
}
# A question word found only in an entry's body text is weaker evidence that the entry is
# what was asked about than the same word in its name or aliases; a part of a compound
# ("pension" in "pensionssystem") is weaker still.
BODY_EVIDENCE = 0.8
PART_EVIDENCE = 0.8  # times the field's own evidence
FIELD_EVIDENCE = {
    "name": 1.0,
    "aliases": 1.0,
    "asked": ASKED_EVIDENCE,
    "text": BODY_EVIDENCE,
    "name_parts": PART_EVIDENCE,
    "aliases_parts": PART_EVIDENCE,
    "text_parts": PART_EVIDENCE * BODY_EVIDENCE,
}
K1 = 1.2
B = 0.75
# A coherent match: when one entry explains at least this many of the question's words, a
# word found in its body text counts in full. A question that describes what a role does in
# its own words meets the role's description, not its name; one stray body word (an OOS
# question sharing "Odense" with some entry) does not qualify.
COHERENT_SLOTS = 3
# A question word whose weight is below this share of the question's is not looked up: a word
# found in (nearly) every entry changes no score or coverage noticeably, but walking its
# postings would cost a pass over the whole knowledge. It still counts in the total.
NEGLIGIBLE_SLOT = 0.01
# A long question that one entry explains in at least this many words: half the weight of its
# words no entry has is forgiven for that entry. People wrap a question in chatter ("jeg er lidt
# i tvivl om …, der var en slags figur"); an out-of-scope question shares a word or two.
LONG_COHERENT_SLOTS = 4
UNKNOWN_FORGIVEN = 0.5
# A question made of the most frequent words would walk the whole index once per word. Past
# this many postings (or candidate lookups) a word only adds to the entries that rarer words
# found, and past it again it is left out. The shipped knowledge never reaches it.
MAX_POSTINGS_WALKED = 2000


@dataclass(frozen=True, slots=True)
class Document:
    entry_id: str
    kind: str
    fields: dict[str, list[str]]  # field name -> index terms (stemmed, synonyms added)
    frame: str = ""  # what kind of question the entry answers, e.g. "definition"
    # The entry's names (name, each alias/alternative/topic): per word, the terms any of
    # which stands for it; used to tell whether a short question names the entry.
    # (terms naming the word, terms of its compound parts, which count half).
    titles: tuple[tuple[tuple[frozenset[str], frozenset[str]], ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    """One word of the question: its alternative terms with a weight factor each (1.0 exact)."""

    alternatives: tuple[tuple[str, float], ...]
    weight: float  # informativeness (idf); unknown words get a high weight
    # An unknown name: never forgiven as chatter around a long question.
    topic: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    doc: int
    entry_id: str
    kind: str
    score: float
    coverage: float  # idf-weighted share of question slots the entry matches (0..1)
    strength: float  # score relative to the best a perfect match could reach (0..1)


class SearchIndex:
    """Precomputes every term's BM25F contribution per document, so a query is a few sums."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = list(docs)
        n = max(len(self.docs), 1)
        avg = {
            f: (sum(len(d.fields.get(f, ())) for d in self.docs) / n) or 1.0 for f in FIELD_WEIGHTS
        }
        weighted: list[dict[str, float]] = []
        df: Counter[str] = Counter()
        for doc in self.docs:
            wtf: dict[str, float] = defaultdict(float)
            for field, weight in FIELD_WEIGHTS.items():
                words = doc.fields.get(field, ())
                norm = 1 - B + B * len(words) / avg[field]
                for term, tf in Counter(words).items():
                    wtf[term] += weight * tf / norm
            weighted.append(wtf)
            df.update(wtf.keys())
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: dict[str, dict[int, tuple[float, float]]] = defaultdict(dict)
        for i, wtf in enumerate(weighted):
            fields = self.docs[i].fields
            for term, w in wtf.items():
                evidence = max(
                    FIELD_EVIDENCE[f] for f in FIELD_WEIGHTS if term in fields.get(f, ())
                )
                self.postings[term][i] = (self.idf[term] * w * (K1 + 1) / (K1 + w), evidence)
        self.postings = dict(self.postings)
        self.kinds = [d.kind for d in self.docs]
        self.frames = [d.frame for d in self.docs]
        self.vocabulary = frozenset(self.postings)

    def __len__(self) -> int:
        return len(self.docs)

    def title_coverage(self, doc: int, terms: set[str]) -> float:
        """Best share of one of the entry's names that the question's terms cover (0..1)."""
        best = 0.0
        for title in self.docs[doc].titles:
            if title:
                share = sum(
                    1.0 if whole & terms else 0.5 if parts & terms else 0.0
                    for whole, parts in title
                ) / len(title)
                best = max(best, share)
        return best

    def named_share(self, doc: int, slots: Sequence[Slot]) -> float:
        """idf-weighted share of the question's words found in the entry's name or aliases."""
        total = sum(s.weight for s in slots) or 1.0
        named = sum(
            s.weight
            for s in slots
            if any(
                self.postings.get(t, {}).get(doc, (0.0, 0.0))[1] >= 1.0 for t, _ in s.alternatives
            )
        )
        return named / total

    def slot_weight(self, alternatives: Sequence[str]) -> float:
        known = [self.idf[t] for t in alternatives if t in self.idf]
        return max(known) if known else self.unknown_idf

    def search(
        self,
        slots: Sequence[Slot],
        boosts: dict[str, float] | None = None,
        limit: int = 10,
        frame_boosts: dict[str, float] | None = None,
    ) -> list[Hit]:
        """Rank documents; `boosts` multiplies scores per kind (question type), not coverage;
        `frame_boosts` per entry frame (a definition question prefers defining entries)."""
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        lifted: dict[int, float] = defaultdict(float)  # body words counted in full
        matched: dict[int, int] = defaultdict(int)  # slots the entry explains
        total_weight = sum(s.weight for s in slots) or 1.0
        best_possible = sum(s.weight * (K1 + 1) for s in slots) or 1.0
        postings = self.postings
        negligible = NEGLIGIBLE_SLOT * total_weight
        # A repeated word ("brugerne ... bruge") is one piece of evidence of coherence; its
        # postings are walked once and counted as often as it occurs.
        # (An occurrence's weight depends on where it stands, so the weights are summed.)
        repeats: dict[tuple[tuple[str, float], ...], tuple[int, float]] = {}
        for slot in slots:
            if slot.weight >= negligible:  # a word in nearly every entry moves no figure
                times, summed = repeats.get(slot.alternatives, (0, 0.0))
                repeats[slot.alternatives] = (times + 1, summed + slot.weight)
        full, within = _walk_plan(list(repeats), postings)

        def add(alternatives: tuple[tuple[str, float], ...], docs: Collection[int] | None) -> None:
            times, weight = repeats[alternatives]  # weight: of all its occurrences
            if len(alternatives) == 1:  # the common case: no need to merge alternatives
                term, factor = alternatives[0]
                found = postings.get(term, {})
                pairs = (
                    found.items() if docs is None else [(d, found[d]) for d in docs if d in found]
                )
                for doc, (contrib, evidence) in pairs:
                    scores[doc] += contrib * factor * times
                    covered[doc] += weight * factor * evidence
                    lifted[doc] += (
                        weight * factor * (1.0 if evidence == BODY_EVIDENCE else evidence)
                    )
                    matched[doc] += 1
                return
            merged: dict[int, tuple[float, float]] = {}
            for term, factor in alternatives:
                found = postings.get(term, {})
                pairs = (
                    found.items() if docs is None else [(d, found[d]) for d in docs if d in found]
                )
                for doc, (contrib, evidence) in pairs:
                    value = contrib * factor
                    if value > merged.get(doc, (0.0, 0.0))[0]:
                        merged[doc] = (value, factor * evidence)
            for doc, (value, credit) in merged.items():
                scores[doc] += value * times
                covered[doc] += weight * credit
                lifted[doc] += weight * min(1.0, credit / BODY_EVIDENCE)
                matched[doc] += 1

        for alternatives in full:
            add(alternatives, None)
        if within:  # words past the budget only add to the entries the rarer words found
            candidates = list(scores)
            for alternatives in within:
                add(alternatives, candidates)
        unknown = sum(s.weight for s in slots if not s.alternatives and not s.topic)
        for doc, n in matched.items():
            if n >= COHERENT_SLOTS:
                covered[doc] = max(covered[doc], lifted[doc])
            if n >= LONG_COHERENT_SLOTS and unknown:
                # An entry that explains many of a long question's words: the chatter around
                # them ("jeg er lidt i tvivl om …") is not a topic of its own.
                covered[doc] += unknown * UNKNOWN_FORGIVEN
        boosts = boosts or {}
        # Rank by score, damped by missing coverage: a long entry repeating one common word
        # must not beat an entry that explains every word of the question.
        kinds, frames = self.kinds, self.frames
        frame_boosts = frame_boosts or {}
        ranked = heapq.nlargest(
            limit,
            (
                (
                    s
                    # An entry that answers this kind of question ("what is ...") is not held
                    # back by its kind: an event can define "trin 0".
                    * (
                        max(1.0, boosts.get(kinds[d], 1.0))
                        if frames[d] in frame_boosts
                        else boosts.get(kinds[d], 1.0)
                    )
                    * frame_boosts.get(frames[d], 1.0)
                    * (0.5 + 0.5 * covered[d] / total_weight),
                    d,
                )
                for d, s in scores.items()
            ),
        )
        return [
            Hit(
                d,
                self.docs[d].entry_id,
                self.docs[d].kind,
                s,
                min(covered[d] / total_weight, 1.0),
                min(scores[d] / best_possible, 1.0),
            )
            for s, d in ranked
        ]


def _walk_plan(
    distinct: list[tuple[tuple[str, float], ...]],
    postings: dict[str, dict[int, tuple[float, float]]],
) -> tuple[list[tuple[tuple[str, float], ...]], list[tuple[tuple[str, float], ...]]]:
    """Which words' postings are walked in full, and which only over the found entries.

    Rarest words first, so the informative ones are always counted in full; the order of the
    full walks is kept as asked, so a question within budget is scored as before.
    """
    length = {a: sum(len(postings.get(t, ())) for t, _ in a) for a in distinct}
    walked, full, rest = 0, set(), []
    for alternatives in sorted(distinct, key=length.__getitem__):
        if walked + length[alternatives] <= MAX_POSTINGS_WALKED:
            walked += length[alternatives]
            full.add(alternatives)
        else:
            rest.append(alternatives)
    within = []
    for alternatives in rest:  # at most `walked` candidates: each lookup is charged
        cost = walked * len(alternatives)
        if walked + cost > 2 * MAX_POSTINGS_WALKED:
            break
        walked += cost
        within.append(alternatives)
    return [a for a in distinct if a in full], within
