"""Search latency on a synthetic 5,000-entry knowledge base: p50/p99/mean per question."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge import KnowledgeService
from bot.domain.knowledge.model import (
    Contact,
    Event,
    Fact,
    KnowledgeBase,
    Municipality,
    Role,
    Session,
    When,
)

ENTRIES = 5000
QUESTIONS = 400
SEED = 20210324

_SYLLABLES = "ko mu ne da ta fo re sy ste mi lj ad mi ni stra tor in fra struk tur ba sis".split()
_FILLER = "og med til for af på i om en et den det som der kan skal vil har".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5)))


def _vocabulary(rng: random.Random, size: int = 12000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add(_word(rng))
    return sorted(words)


def _text(rng: random.Random, vocab: list[str], n: int) -> str:
    # Zipf-like choice: a few words are everywhere, most are rare, as in real text.
    picks = [vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1)] for _ in range(n)]
    out = []
    for word in picks:
        out.append(word)
        if rng.random() < 0.3:
            out.append(rng.choice(_FILLER))
    return " ".join(out)


def synthetic_kb(entries: int = ENTRIES, seed: int = SEED) -> KnowledgeBase:
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    rng.shuffle(vocab)
    roles, events, contacts, facts = [], [], [], []
    for i in range(entries):
        name = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 3)))
        aliases = tuple(_text(rng, vocab, 2) for _ in range(rng.randint(0, 3)))
        body = _text(rng, vocab, rng.randint(15, 60))
        kind = i % 4
        if kind == 0:
            roles.append(
                Role(f"r{i}", name, body, ("implementation",), "cross-cutting", aliases=aliases)
            )
        elif kind == 1:
            when = When("date", sessions=(Session(date(2021, 1 + i % 12, 1 + i % 28)),))
            events.append(Event(f"e{i}", name, when, aliases=aliases, description=body))
        elif kind == 2:
            contacts.append(
                Contact(
                    f"c{i}",
                    name,
                    "mailbox",
                    email=f"x{i}@example.org",
                    topics=aliases,
                    description=body,
                )
            )
        else:
            facts.append(Fact(f"f{i}", f"Hvad er {name}?", body, alternatives=aliases))
    synonyms = tuple((rng.choice(vocab), rng.choice(vocab)) for _ in range(100))
    return KnowledgeBase(
        tuple(roles),
        tuple(events),
        tuple(contacts),
        tuple(facts),
        synonyms,
        (Municipality("Odense"),),
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def questions(kb: KnowledgeBase, n: int = QUESTIONS, seed: int = SEED) -> list[str]:
    rng = random.Random(seed + 1)
    entries = kb.entries()
    out = []
    for i in range(n):
        entry = rng.choice(entries)
        words = entry.name.split()
        if i % 4 == 1:  # a typo
            words = [_typo(rng, w) for w in words]
        prefix = rng.choice(
            [
                "Hvornår er",
                "Hvad laver en",
                "Hvem skal jeg kontakte om",
                "Hvad er",
                "When is",
                "Hvilke",
            ]
        )
        if i % 5 == 4:  # out of scope
            out.append(
                rng.choice(
                    [
                        "Hvad bliver vejret i morgen?",
                        "Who won the world cup?",
                        "Har du en opskrift på lasagne?",
                    ]
                )
            )
        else:
            out.append(f"{prefix} {' '.join(words)}?")
    return out


def main() -> None:
    kb = synthetic_kb()
    started = time.perf_counter()
    service = KnowledgeService(kb=kb)
    build_ms = (time.perf_counter() - started) * 1000
    now = datetime(2021, 3, 24, 10, 0, tzinfo=COPENHAGEN)
    qs = questions(kb)
    for q in qs[:20]:  # warm-up: first-call costs (regex compile, caches) are not per-question
        service.ask(q, now=now)
    timings = []
    for q in qs:
        t0 = time.perf_counter()
        service.ask(q, now=now)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p50 = timings[len(timings) // 2]
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"entries: {len(kb.entries())}, vocabulary: {len(service._engine.index.vocabulary)}")
    print(f"index build: {build_ms:.0f} ms")
    print(
        f"questions: {len(timings)}  p50: {p50:.3f} ms  p99: {p99:.3f} ms  "
        f"mean: {statistics.fmean(timings):.3f} ms  max: {timings[-1]:.3f} ms"
    )
    print("target p99 < 2 ms:", "met" if p99 < 2 else "NOT met")


if __name__ == "__main__":
    main()
