"""Vote benchmark: poll votes per second through the real app beside the plain-aiohttp floor.

Run: `.venv/bin/python -m bench vote_throughput` (defaults), or with flags
`.venv/bin/python -m bench.vote_throughput [--seconds 10] [--databases sqlite,postgresql]
[--app-dir DIR]` (`python -m bench` drops flags).
Needs `wrk` and, for the PostgreSQL half, the server of `TEST_POSTGRES_DSN` (as in
bench/app_throughput.py; a throw-away database is made and dropped).

Per database: the reply sink and `python app.py` with its real storage; one named poll is created
by a group-chat message, its id read from the database; then wrk (32 connections) sends
`adaptiveCard/action` `poll.vote` invokes, each from a new user in the same group chat. Afterwards
every acknowledged (2xx) vote must be a row in poll_votes ("lost" must be 0). The floor is the
plain aiohttp server of bench/echo_servers.py under the same requests, in the same run. SQL
statements per vote are counted in-process on the app's engine, as bench/sql_per_turn.py does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

from bench.app_throughput import cpu_seconds, postgres_database, real_app, sink_count
from bench.edge_throughput import ensure_wrk, free_port, process, run_wrk, wait_until_listening
from tests.support import activities

_ROOT = Path(__file__).resolve().parents[1]

POLL_TEXT = 'afstemning "Har din kommune svaret KMD?" "Ja" "Nej" "Ved ikke" navngivet'
LATEST_POLL = "SELECT id, card_activity_id FROM polls ORDER BY created_at DESC LIMIT 1"
VOTE_ROWS = "SELECT count(*) FROM poll_votes WHERE poll_id = "


def vote_script(folder: Path, sink_url: str, poll_id: str, reply_to: str, *, tag: str) -> Path:
    """Every request is one vote from a new user (`29:user-<counter>-<tag>`); `done` writes the
    exact count of responses and of non-2xx ones to `<tag>.json` beside the script."""
    body = activities.card_invoke(
        sink_url,
        "poll.vote",
        {"pollId": poll_id, "choice": "CHOICE"},
        reply_to_id=reply_to,
        conversation=activities.group_conversation("meeting"),
    )
    body["id"] = "f:vote-%d-" + tag
    body["from"] = {"id": "29:user-%d-" + tag, "name": "Bruger %d", "aadObjectId": "aad-%d-" + tag}
    template = json.dumps(body, ensure_ascii=False).replace('"CHOICE"', '"%d"')
    counts = folder / f"{tag}.json"
    script = folder / f"{tag}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local template = {json.dumps(template, ensure_ascii=False)}\n"
        "local counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local c = counter\n"
        "  local body = string.format(template, c, c, c, c, (c % 3) + 1)\n"
        "  return wrk.format(nil, nil, nil, body)\n"
        "end\n"
        "done = function(summary, latency, requests)\n"
        f'  local f = io.open("{counts}", "w")\n'
        '  f:write(string.format(\'{"responses": %d, "non2xx": %d}\', '
        "summary.requests, summary.errors.status))\n"
        "  f:close()\n"
        "end\n",
        encoding="utf-8",
    )
    return script


def acknowledged(script: Path) -> tuple[int, int]:
    """(responses, 2xx responses) of the wrk run that used `script`."""
    counts = json.loads(script.with_suffix(".json").read_text())
    return counts["responses"], counts["responses"] - counts["non2xx"]


def query(database_url: str, statement: str) -> tuple:
    """One row of a short query on the app's database (sqlite3 or asyncpg)."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split(":///", 1)[1], timeout=10) as connection:
            return connection.execute(statement).fetchone()

    async def fetch():
        import asyncpg

        connection = await asyncpg.connect(database_url.replace("+asyncpg", ""), timeout=5)
        try:
            return tuple(await connection.fetchrow(statement))
        finally:
            await connection.close()

    return asyncio.run(fetch())


def create_poll(port: int, sink: str, database_url: str) -> tuple[str, str]:
    """Post the poll command as a group-chat message; (poll id, card activity id) from the DB."""
    body = json.dumps(activities.group_message(sink, POLL_TEXT)).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/messages",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201), response.status
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row = query(database_url, LATEST_POLL)
        if row and row[1]:
            return row[0], row[1]
        time.sleep(0.1)
    raise RuntimeError(f"no poll with a posted card in the database (last row: {row})")


def vote_rows(database_url: str, poll_id: str) -> int:
    return query(database_url, f"{VOTE_ROWS}'{poll_id}'")[0]


def measure_app(database: str, url: str, folder: Path, sink: str, sink_port: int, args) -> dict:
    port = free_port()
    with real_app(port, url, folder / f"data-{database}", args.app_dir) as child:
        _wait_for_app(child, port)
        poll_id, card_id = create_poll(port, sink, url)
        warm = vote_script(folder, sink, poll_id, card_id, tag=f"{database}-warm")
        load = vote_script(folder, sink, poll_id, card_id, tag=f"{database}-load")
        run_wrk(port, warm, 2, args.connections)
        before = sink_count(sink_port)
        cpu = cpu_seconds(child.pid)
        figures = run_wrk(port, load, args.seconds, args.connections)
        time.sleep(0.5)  # votes in flight when wrk stopped may still commit (rows >= acks)
        figures["sink"] = sink_count(sink_port) - before
        responses, acks = (
            a + b for a, b in zip(acknowledged(warm), acknowledged(load), strict=True)
        )
        figures["cpu_ms"] = (cpu_seconds(child.pid) - cpu) * 1000 / max(acknowledged(load)[1], 1)
        figures["acks"], figures["responses"] = acks, responses
        figures["rows"] = vote_rows(url, poll_id)
    figures["lost"] = max(0, figures["acks"] - figures["rows"])
    print(
        f"{database:10s} {figures['rps']:8.1f} votes/s  p50 {figures['p50']:6.1f} ms  "
        f"p99 {figures['p99']:6.1f} ms  non-2xx {figures['non2xx']}  "
        f"cpu {figures['cpu_ms']:.2f} ms/vote  {figures['socket_errors']}",
        flush=True,
    )
    print(
        f"{'':10s} votes acknowledged (warm-up + load) {figures['acks']}, rows in poll_votes "
        f"{figures['rows']}, lost: {figures['lost']}; sink requests during load {figures['sink']} "
        "(card updates are PUTs: counted too)",
        flush=True,
    )
    return figures


def _wait_for_app(child, port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"app.py exited with {child.returncode} before listening")
        try:
            wait_until_listening(port, 0.5)
            return
        except RuntimeError:
            continue
    raise RuntimeError(f"app.py does not listen on port {port}")


def measure_floor(folder: Path, sink: str, args) -> dict:
    port = free_port()
    with process("bench.echo_servers", "floor", "--port", str(port)):
        wait_until_listening(port)
        script = vote_script(folder, sink, "floor-poll", "1", tag="floor-load")
        run_wrk(port, script, 2, args.connections)
        figures = run_wrk(port, script, args.seconds, args.connections)
    print(
        f"{'floor':10s} {figures['rps']:8.1f} req/s    p50 {figures['p50']:6.1f} ms  "
        f"p99 {figures['p99']:6.1f} ms  non-2xx {figures['non2xx']}",
        flush=True,
    )
    return figures


async def statements_per_vote(database_url: str | None) -> str:
    """Statements and commits of one vote turn (a second voter, settled), counted in-process."""
    from app import RUNTIME, create_app
    from bench.connector_sink import sink_app
    from bench.sql_per_turn import Counter, _serve
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/votes.db"
        settings = Settings.load(
            database_url=url,
            data_dir=Path(folder) / "data",
            hash_secret="bench",
            knowledge_watch_seconds=0,
            _env_file=None,
        )
        sink_runner, sink = await _serve(sink_app())
        app = create_app(settings)
        runner, base = await _serve(app)
        runtime = app[RUNTIME]
        counter = Counter(runtime)
        try:
            async with aiohttp.ClientSession() as session:

                async def post(activity: dict) -> None:
                    async with session.post(base + "/api/messages", json=activity) as response:
                        assert response.status in (200, 201), await response.text()
                    await runtime.polls.actions.drain()
                    await runtime.flush_written_behind()

                await post(activities.group_message(sink, POLL_TEXT))
                poll_id, card_id = await asyncio.to_thread(query, url, LATEST_POLL)
                figures = []
                for sender in (2, 3):
                    vote = activities.card_invoke(
                        sink, "poll.vote", {"pollId": poll_id, "choice": "1"}, reply_to_id=card_id
                    )
                    vote["from"] = activities.user(sender)
                    counter.take()
                    await post(vote)
                    figures.append(counter.take())
        finally:
            await runner.cleanup()
            await sink_runner.cleanup()
    (first_s, first_c), (second_s, second_c) = figures
    return (
        f"{second_s} statements / {second_c} commits "
        f"(first vote of the poll: {first_s} / {first_c}; card updates included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=_ROOT,
        help="run app.py from another checkout (e.g. `git archive HEAD` unpacked)",
    )
    args = parser.parse_args()
    if args.app_dir.resolve() != _ROOT:
        sys.path.insert(0, str(args.app_dir.resolve()))  # the in-process count uses it too
    ensure_wrk()
    databases = args.databases.split(",")
    results: dict[str, dict] = {}
    sql: dict[str, str] = {}
    sink_port = free_port()
    with (
        tempfile.TemporaryDirectory() as folder,
        process("bench.connector_sink", "--port", str(sink_port)),
        postgres_database() if "postgresql" in databases else _none() as pg_url,
    ):
        wait_until_listening(sink_port)
        sink = f"http://127.0.0.1:{sink_port}/"
        urls = {
            "sqlite": f"sqlite+aiosqlite:///{folder}/data-sqlite/moedebot.db",
            "postgresql": pg_url,
        }
        Path(folder, "data-sqlite").mkdir()
        results["floor"] = measure_floor(Path(folder), sink, args)
        for database in databases:
            if urls.get(database) is None:
                continue
            results[database] = measure_app(
                database, urls[database], Path(folder), sink, sink_port, args
            )
        for database in databases:
            if urls.get(database) is None:
                continue
            try:
                sql[database] = asyncio.run(
                    statements_per_vote(None if database == "sqlite" else urls[database])
                )
            except Exception as error:  # the throughput figures stand without it
                sql[database] = f"not counted ({type(error).__name__}: {error})"
    report(results, sql, args)


class _none:
    def __enter__(self):
        return None

    def __exit__(self, *_exc):
        return False


def report(results: dict[str, dict], sql: dict[str, str], args) -> None:
    floor = results["floor"]["rps"]
    print(
        f"\n{args.connections} connections, {args.seconds} s each after a 2 s warm-up; "
        "one run on a shared machine, so figures are noisy"
    )
    print(
        f"{'database':12s}{'votes/s':>9s}{'p50 ms':>9s}{'p99 ms':>9s}{'/floor':>8s}"
        f"{'CPU ms/vote':>13s}  rows == acknowledged"
    )
    print(f"{'floor':12s}{floor:9.1f}{results['floor']['p50']:9.1f}{results['floor']['p99']:9.1f}")
    for name, m in results.items():
        if name == "floor":
            continue
        same = "yes" if m["lost"] == 0 else f"NO, lost: {m['lost']}"
        print(
            f"{name:12s}{m['rps']:9.1f}{m['p50']:9.1f}{m['p99']:9.1f}{m['rps'] / floor:8.2f}"
            f"{m['cpu_ms']:13.2f}  {same} ({m['rows']} rows, {m['acks']} acknowledged)"
        )
    if "sqlite" in results and "postgresql" in results:
        ratio = results["postgresql"]["rps"] / results["sqlite"]["rps"]
        print(f"postgresql / sqlite votes/s: {ratio:.0%}")
    for name, text in sql.items():
        print(f"SQL per vote, {name}: {text}")


if __name__ == "__main__":
    main()
