"""Reminder benchmark: 10,000 reminders due in the same minute across 100 conversations.

Run: `.venv/bin/python -m bench reminder_delivery` (defaults), or with flags
`.venv/bin/python -m bench.reminder_delivery [--reminders 10000] [--conversations 100]
[--databases sqlite,postgresql] [--app-dir DIR]`.

Per database: `python app.py` with its real storage and scheduler, and a recording connector in
this process. The reminders are set the way people set them, through `/api/messages`
("påmind os kl. 9.31 om punkt 17", group chats `19:bench-<n>@thread.v2`, 32 requests in
flight), all for one minute far enough ahead that every one is set before it is due. Then
the app delivers them on its own. The connector tells the two kinds of POST apart by their
path: a turn's reply answers an activity (`…/activities/{id}`), a proactive reminder does
not (`…/activities`).

Printed: how long setting took, the time from the due minute to the last delivery, p50/p99/max
lateness (arrival at the connector minus the due time), how many arrived, duplicates, and the
highest number of messages any one conversation received in 1, 2 and 30 seconds beside Teams'
per-conversation limits (7, 8 and 60).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from bench.app_throughput import postgres_database, real_app
from bench.edge_throughput import free_port
from bench.vote_throughput import _wait_for_app, query
from tests.support import activities

_ROOT = Path(__file__).resolve().parents[1]
ZONE = ZoneInfo("Europe/Copenhagen")
TEAMS_LIMITS = ((1.0, 7), (2.0, 8), (30.0, 60))
STORED_REMINDERS = "SELECT count(*) FROM scheduled_jobs WHERE kind = 'reminder'"
PROBE = 300  # reminders set first, for tomorrow, to measure how fast this machine sets them
# Setting is paced as well: every confirmation is a message in its conversation, and Teams
# allows 60 per 30 s in one. With 32 requests in flight about 0.4 per second per conversation
# get through (measured), so that bounds the rate as much as the machine does.
SETTING_RATE_PER_CONVERSATION = 0.4


class RecordingConnector:
    """Answers every call at once; keeps the arrival time of each proactive message."""

    def __init__(self) -> None:
        self.deliveries: dict[str, list[float]] = defaultdict(list)  # conversation -> times
        self.texts: Counter[str] = Counter()
        self.replies = 0
        self._ids = 0
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.all_in = asyncio.Event()
        self._expected = 0

    def expect(self, count: int) -> None:
        self._expected = count

    async def start(self) -> None:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations/{cid}/activities", self._proactive)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_post("/v3/conversations", self._created)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def _answer(self) -> web.Response:
        self._ids += 1
        return web.json_response({"id": f"a{self._ids}"})

    async def _proactive(self, request: web.Request) -> web.Response:
        arrived = time.time()
        body = await request.json()
        self.deliveries[request.match_info["cid"]].append(arrived)
        self.texts[_reminder_text(body)] += 1
        if self._expected and self.delivered >= self._expected:
            self.all_in.set()
        return self._answer()

    async def _reply(self, request: web.Request) -> web.Response:
        await request.read()
        self.replies += 1
        return self._answer()

    async def _created(self, request: web.Request) -> web.Response:
        await request.read()
        self._ids += 1
        return web.json_response({"id": f"a:created-{self._ids}"})

    @property
    def delivered(self) -> int:
        return sum(len(times) for times in self.deliveries.values())


def _reminder_text(body: dict) -> str:
    """Which reminder a delivery was (its `punkt <n> i <chat>` text), to count duplicates."""
    text = str(body.get("text") or "")
    for attachment in body.get("attachments") or []:
        text += " " + str(attachment.get("content"))
    start = text.find("punkt ")
    return text[start : text.find(" slut", start)] if start >= 0 else text[:80]


def due_minute(reminders: int, rate: float) -> datetime:
    """A whole minute that every reminder can be set before, at the measured rate and then
    some (setting gets slower as the due minute's jobs pile up)."""
    ahead = 1.5 * reminders / rate + 30
    at = datetime.now(ZONE) + timedelta(seconds=ahead)
    return at.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def set_reminders(
    base: str,
    sink: RecordingConnector,
    when: str,
    reminders: int,
    conversations: int,
    *,
    prefix: str = "bench",
) -> float:
    """Every reminder through /api/messages ("påmind os <when> om …"); returns the seconds."""
    started = time.monotonic()
    limit = asyncio.Semaphore(32)
    failures: Counter[int] = Counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as session:

        async def one(n: int) -> None:
            chat = f"{prefix}-{n % conversations}"
            text = f"påmind os {when} om punkt {n} i {chat} slut"
            # One person each: a person may have at most 200 coming reminders (MAX_PENDING).
            activity = activities.group_message(sink.url, text, sender=n + 1, chat=chat)
            activity["id"] = f"set-{prefix}-{n}"
            async with limit, session.post(base + "/api/messages", json=activity) as response:
                await response.read()
                if response.status != 200:
                    failures[response.status] += 1

        await asyncio.gather(*(one(n) for n in range(reminders)))
    if failures:
        print(f"  setting: non-200 answers {dict(failures)}", flush=True)
    return time.monotonic() - started


def peak(times: list[float], window: float) -> int:
    """The most messages inside any half-open window of `window` seconds."""
    times = sorted(times)
    best, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


async def measure(database: str, url: str, folder: Path, args) -> dict:
    sink = RecordingConnector()
    await sink.start()
    port = free_port()
    try:
        with real_app(port, url, folder / f"data-{database}", args.app_dir) as child:
            await asyncio.to_thread(_wait_for_app, child, port)
            base = f"http://127.0.0.1:{port}"
            # The probe's reminders are for tomorrow, in chats of their own: they are set the
            # same way, but neither their pacing nor their delivery touches the measurement.
            probed = await set_reminders(
                base, sink, "i morgen kl. 9", PROBE, args.conversations, prefix="probe"
            )
            rate = min(PROBE / probed, SETTING_RATE_PER_CONVERSATION * args.conversations)
            due = due_minute(args.reminders, rate)
            sink.expect(args.reminders)
            when = f"kl. {due.hour}.{due.minute:02d}"
            took = await set_reminders(base, sink, when, args.reminders, args.conversations)
            ahead = (due - datetime.now(ZONE)).total_seconds()
            stored = await asyncio.to_thread(query, url, STORED_REMINDERS)
            if stored[0] - PROBE != args.reminders:
                print(f"  only {stored[0] - PROBE} reminders were stored", flush=True)
            print(
                f"{database}: {args.reminders} reminders set in {took:.1f} s "
                f"({args.reminders / took:.0f}/s; the probe {PROBE / probed:.0f}/s), "
                f"{sink.replies - PROBE} confirmations; due at "
                f"{due:%H.%M.%S}, {ahead:.0f} s ahead",
                flush=True,
            )
            if ahead < 0:
                print("  set too slowly: some were due before all were set", flush=True)
            wait = max(due.timestamp() + args.wait - time.time(), 0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sink.all_in.wait(), wait)
            await asyncio.sleep(2)  # duplicates would arrive just after
    finally:
        await sink.stop()
    start = due.timestamp()
    arrivals = [t for times in sink.deliveries.values() for t in times]
    lateness = [t - start for t in arrivals] or [float("nan")]
    figures = {
        "delivered": sink.delivered,
        "distinct": len(sink.texts),
        "duplicates": sum(n - 1 for n in sink.texts.values() if n > 1),
        "all_in": max(lateness) if arrivals else float("nan"),
        "p50": percentile(lateness, 0.5),
        "p99": percentile(lateness, 0.99),
        "early": sum(1 for x in lateness if x < 0),
        "peaks": {
            w: max((peak(ts, w) for ts in sink.deliveries.values()), default=0)
            for w, _ in TEAMS_LIMITS
        },
    }
    worst = max(sink.deliveries.values(), key=lambda ts: peak(ts, 2.0), default=[])
    if worst and peak(worst, 2.0) > 8:
        gaps = " ".join(f"{t - start:.2f}" for t in sorted(worst)[:16])
        print(f"  busiest conversation's first arrivals (s after due): {gaps}", flush=True)
    print(
        f"  delivered {figures['delivered']} ({figures['distinct']} distinct, duplicates "
        f"{figures['duplicates']}, before the due time {figures['early']}); all in "
        f"{figures['all_in']:.1f} s after the due minute; lateness p50 {figures['p50']:.1f} s "
        f"p99 {figures['p99']:.1f} s",
        flush=True,
    )
    return figures


def report(results: dict[str, dict], args) -> None:
    print()
    print(
        f"{args.reminders} reminders due in one minute across {args.conversations} "
        "conversations; one run on a shared machine"
    )
    header = "database    delivered  dupes  all in s  p50 s  p99 s  peak/1s  peak/2s  peak/30s"
    print(header)
    for name, f in results.items():
        peaks = f["peaks"]
        print(
            f"{name:10s} {f['delivered']:10d} {f['duplicates']:6d} {f['all_in']:9.1f} "
            f"{f['p50']:6.1f} {f['p99']:6.1f} {peaks[1.0]:8d} {peaks[2.0]:8d} {peaks[30.0]:9d}"
        )
    limits = ", ".join(f"{n} per {w:g} s" for w, n in TEAMS_LIMITS)
    print(f"Teams' limits per conversation: {limits}")
    within = all(f["peaks"][w] <= n for f in results.values() for w, n in TEAMS_LIMITS)
    print(f"every conversation within Teams' limits: {'yes' if within else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--wait", type=float, default=600, help="seconds after the due minute")
    parser.add_argument("--app-dir", type=Path, default=_ROOT)
    args = parser.parse_args()
    if args.app_dir.resolve() != _ROOT:
        sys.path.insert(0, str(args.app_dir.resolve()))
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for database in args.databases.split(","):
            if database == "sqlite":
                url = f"sqlite+aiosqlite:///{folder}/reminders.db"
                results[database] = asyncio.run(measure(database, url, folder, args))
            elif database == "postgresql":
                with postgres_database() as pg_url:
                    if pg_url is not None:
                        results[database] = asyncio.run(measure(database, pg_url, folder, args))
            else:
                raise SystemExit(f"unknown database {database!r}")
    report(results, args)


if __name__ == "__main__":
    main()
