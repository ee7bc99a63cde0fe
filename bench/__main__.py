"""`python -m bench`: every benchmark, one after another, each printing its own figures."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "bench.app_throughput",
    "bench.sql_per_turn",
    "bench.edge_throughput",
    "bench.knowledge_search",
    "bench.auth_latency",
    "bench.vote_throughput",
    "bench.reminder_delivery",
)


def _plan(argv: list[str]) -> list[tuple[str, list[str]]]:
    """Benchmark names, each with the words after it (`app_throughput --rounds 2`)."""
    names = set(BENCHMARKS) | {name.removeprefix("bench.") for name in BENCHMARKS}
    plan: list[tuple[str, list[str]]] = []
    for word in argv:
        if word in names or word.startswith("bench."):
            plan.append((word, []))
        elif not plan:
            known = ", ".join(sorted(names))
            raise SystemExit(f"bench: {word!r} is not a benchmark; they are: {known}")
        else:
            plan[-1][1].append(word)
    return plan or [(name, []) for name in BENCHMARKS]


def main() -> None:
    for name, options in _plan(sys.argv[1:]):
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        sys.argv = [name, *options]
        module.main()


if __name__ == "__main__":
    main()
