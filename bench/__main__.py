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


def main() -> None:
    chosen = sys.argv[1:] or BENCHMARKS
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        sys.argv = [name]
        module.main()


if __name__ == "__main__":
    main()
