"""Real-app benchmark: `python app.py` with its real storage beside the plain-aiohttp floor.

Run: `.venv/bin/python -m bench app_throughput` (or `make bench`). Needs `wrk` (installed with
apt-get when missing and run as root) and, for the PostgreSQL half, the server on
127.0.0.1:5432 (`TEST_POSTGRES_DSN` as in the tests); a throw-away database is made per run.

Each scenario drives the real app through `/api/messages` with 32 connections:
- `help`: the `hjælp` command (help card), `knowledge`: a question answered from the knowledge
  base (answer card, answer record);
- `new`: every request from a new personal conversation and a new user;
  `known`: requests spread over conversations the app has served in the warm-up.
Every scenario run is bracketed by floor runs (floor, scenario, floor, scenario, …, floor) and
its ratio is taken to the mean of the two floors beside it: on a shared machine the floor alone
drifted from 3,000 to 4,200 req/s between runs minutes apart, and a ratio to a floor measured
far away would move with that drift rather than with the app.
Everything stays on 127.0.0.1 and every load is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from bench.edge_throughput import (
    ensure_wrk,
    free_port,
    process,
    run_wrk,
    supervised,
    wait_until_listening,
)

_ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = {"help": "hjælp", "knowledge": "Hvornår er webinaret om KY?"}
# Few enough that the 2 s warm-up serves each of them (a knowledge turn runs at ~1,000/s),
# many enough that no conversation reaches Teams' limit of 8 messages per 2 s, which the
# app's pacer keeps: with 500, a help turn at ~1,900/s sent each conversation 7.6 replies
# per 2 s, and in one run of three the pacer's waits made the p99 200-275 ms.
KNOWN_CONVERSATIONS = 1500
TARGETS = {"help": 0.3, "knowledge": 0.2}


def wrk_script(folder: Path, sink_url: str, text: str, *, run_tag: str, known: bool) -> Path:
    """Each request names its conversation and user; `known` cycles over a fixed set."""
    body = {
        "type": "message",
        "id": "bench-%d",
        "text": text,
        "channelId": "msteams",
        "serviceUrl": sink_url,
        "locale": "da-DK",
        "from": {"id": "29:user-" + run_tag + "-%d", "name": "Bruger", "aadObjectId": "aad"},
        "recipient": {"id": "28:bot", "name": "Mødebot"},
        "conversation": {
            "id": "a:conv-" + run_tag + "-%d",
            "conversationType": "personal",
            "tenantId": "tenant-bench",
        },
        "channelData": {"tenant": {"id": "tenant-bench"}},
    }
    modulo = f"counter % {KNOWN_CONVERSATIONS}" if known else "counter"
    script = folder / f"{run_tag}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local template = {json.dumps(json.dumps(body))}\n"
        "local counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        f"  local n = {modulo}\n"
        "  local body = string.format(template, counter, n, n)\n"
        "  return wrk.format(nil, nil, nil, body)\n"
        "end\n"
    )
    return script


@contextmanager
def real_app(port: int, database_url: str, data_dir: Path, app_dir: Path = _ROOT):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATA_DIR": str(data_dir),
        "MOEDEBOT_HASH_SECRET": "bench-secret",
        "LOG_LEVEL": "WARNING",
        "KNOWLEDGE_WATCH_SECONDS": "0",
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
    }
    with supervised([sys.executable, "app.py"], cwd=app_dir, env=env, stop_seconds=20) as child:
        yield child


@contextmanager
def postgres_database():
    """A fresh PostgreSQL database for this run, dropped afterwards; None when unreachable."""
    import asyncpg

    admin = os.environ.get("TEST_POSTGRES_DSN", "postgresql://root@127.0.0.1:5432/test")
    name = f"moedebot_bench_{uuid.uuid4().hex[:10]}"

    async def admin_do(statement: str) -> None:
        connection = await asyncpg.connect(admin, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    try:
        asyncio.run(admin_do(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        print(f"PostgreSQL not reachable ({error}); its half is skipped", flush=True)
        yield None
        return
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(admin_do(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sink_count(sink_port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{sink_port}/count", timeout=5) as response:
        return json.load(response)["received"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--turns", default="help,knowledge")
    parser.add_argument("--conversations", default="new,known")
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=_ROOT,
        help="run app.py from another checkout (e.g. an older commit) for a before/after",
    )
    args = parser.parse_args()
    turns = {kind: QUESTIONS[kind] for kind in args.turns.split(",")}
    knowns = [kind == "known" for kind in args.conversations.split(",")]
    ensure_wrk()
    databases = args.databases.split(",")
    sink_port = free_port()
    results: dict[str, list[dict]] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        process("bench.connector_sink", "--port", str(sink_port)),
        postgres_database() as pg_url,
    ):
        wait_until_listening(sink_port)
        sink = f"http://127.0.0.1:{sink_port}/"
        urls = {"sqlite": f"sqlite+aiosqlite:///{folder}/bench.db", "postgresql": pg_url}
        floor_script = wrk_script(Path(folder), sink, "hej", run_tag="floor", known=False)

        def floor() -> float:
            port = free_port()
            with process("bench.echo_servers", "floor", "--port", str(port)):
                wait_until_listening(port)
                run_wrk(port, floor_script, 2, args.connections)
                figures = run_wrk(port, floor_script, args.seconds, args.connections)
            _record(results, round_number, "floor", figures)
            return figures["rps"]

        for round_number in range(1, args.rounds + 1):
            floor_before = floor()
            for database in databases:
                if urls.get(database) is None:
                    continue
                for kind, text in turns.items():
                    for known in knowns:
                        name = f"{database}/{kind}/{'known' if known else 'new'}"
                        tag = f"r{round_number}-{database}-{kind}-{'k' if known else 'n'}"
                        script = wrk_script(Path(folder), sink, text, run_tag=tag, known=known)
                        port = free_port()
                        data = Path(folder) / f"data-{tag}"
                        with real_app(port, urls[database], data, args.app_dir) as child:
                            wait_until_listening(port, 60)
                            before = sink_count(sink_port)
                            run_wrk(port, script, 2, args.connections)  # warm-up
                            cpu = cpu_seconds(child.pid)
                            figures = run_wrk(port, script, args.seconds, args.connections)
                            served = figures["rps"] * args.seconds
                            figures["cpu_ms"] = (cpu_seconds(child.pid) - cpu) * 1000 / served
                            figures["replies"] = sink_count(sink_port) - before
                        floor_after = floor()
                        figures["ratio"] = figures["rps"] / ((floor_before + floor_after) / 2)
                        floor_before = floor_after
                        _record(results, round_number, name, figures)
    report(results, args)


def _record(results: dict[str, list[dict]], round_number: int, name: str, figures: dict) -> None:
    results.setdefault(name, []).append(figures)
    print(
        f"round {round_number} {name:28s} {figures['rps']:8.1f} req/s "
        f"p50 {figures['p50']:7.1f} ms  p99 {figures['p99']:7.1f} ms  "
        f"non-2xx {figures['non2xx']}"
        + (f"  replies {figures['replies']}" if "replies" in figures else "")
        + (f"  cpu {figures['cpu_ms']:.2f} ms/turn" if "cpu_ms" in figures else "")
        + (f"  /floor {figures['ratio']:.2f}" if "ratio" in figures else ""),
        flush=True,
    )


def report(results: dict[str, list[dict]], args) -> None:
    median = {
        name: {
            m: statistics.median(r.get(m, 0.0) for r in runs)
            for m in ("rps", "p50", "p99", "non2xx", "cpu_ms", "ratio")
        }
        for name, runs in results.items()
    }
    floor = median["floor"]["rps"]
    print(
        f"\nmedians of {args.rounds} rounds, {args.connections} connections, "
        f"{args.seconds} s each (after a 2 s warm-up); /floor: each run against the mean of "
        "the floor runs just before and after it"
    )
    print(
        f"{'scenario':28s}{'req/s':>9s}{'/floor':>8s}{'target':>8s}{'p50 ms':>9s}"
        f"{'p99 ms':>9s}{'CPU ms/turn':>13s}"
    )
    for name, m in median.items():
        kind = name.split("/")[1] if "/" in name else ""
        target = f"{TARGETS[kind]:.2f}" if kind in TARGETS else ""
        print(
            f"{name:28s}{m['rps']:9.1f}{m['ratio'] or m['rps'] / floor:8.2f}{target:>8s}"
            f"{m['p50']:9.1f}{m['p99']:9.1f}"
            + (f"{m['cpu_ms']:13.2f}" if m["cpu_ms"] else "")
            + (f"  non-2xx {m['non2xx']:.0f}" if m["non2xx"] else "")
        )
    for kind in QUESTIONS:
        for known in ("new", "known"):
            sqlite, pg = (
                median.get(f"sqlite/{kind}/{known}"),
                median.get(f"postgresql/{kind}/{known}"),
            )
            if sqlite and pg:
                print(f"postgresql / sqlite {kind}/{known}: {pg['rps'] / sqlite['rps']:.0%}")


if __name__ == "__main__":
    main()
