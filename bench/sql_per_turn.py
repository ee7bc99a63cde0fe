"""SQL statements and commits per turn, counted on the real app's engine, for each kind of turn.

Run: `.venv/bin/python -m bench sql_per_turn [--databases sqlite,postgresql]`. The app runs in
this process on a loopback port with a reply sink; every statement the engine sends is counted
(flushes of written-behind records included, attributed to the turn that caused them).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import event

from app import RUNTIME, create_app
from bench.app_throughput import postgres_database
from bench.connector_sink import sink_app
from bot.settings import Settings


def message(sink: str, conversation: str, user: str, text: str) -> dict:
    return {
        "type": "message",
        "id": f"m-{conversation}-{text[:5]}",
        "text": text,
        "channelId": "msteams",
        "serviceUrl": sink,
        "locale": "da-DK",
        "from": {"id": f"29:{user}", "name": "Bruger"},
        "recipient": {"id": "28:bot", "name": "Mødebot"},
        "conversation": {"id": f"a:{conversation}", "conversationType": "personal"},
        "channelData": {"tenant": {"id": "tenant-sql"}},
    }


class Counter:
    def __init__(self, runtime) -> None:
        self.statements = 0
        self.commits = 0
        for engine in {runtime.engine.sync_engine, *runtime.writer.engines}:
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "commit", self._commit)

    def _statement(self, *_args) -> None:
        self.statements += 1

    def _commit(self, *_args) -> None:
        self.commits += 1

    def take(self) -> tuple[int, int]:
        figures = (self.statements, self.commits)
        self.statements = self.commits = 0
        return figures


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def run(database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/sql.db"
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
        settle = getattr(runtime, "flush_written_behind", None)
        try:
            async with aiohttp.ClientSession() as session:

                async def turn(label: str, activity: dict) -> None:
                    counter.take()
                    async with session.post(base + "/api/messages", json=activity) as response:
                        assert response.status == 200, await response.text()
                    if settle is not None:
                        await settle()
                    statements, commits = counter.take()
                    print(f"{label:40s} {statements:3d} statements {commits:3d} commits")

                print(f"database: {url.split(':', 1)[0]}")
                await turn("help, new conversation", message(sink, "c1", "u1", "hjælp"))
                await turn("help, known conversation", message(sink, "c1", "u1", "hjælp"))
                question = "Hvornår er webinaret om KY?"
                await turn("knowledge, new conversation", message(sink, "c2", "u2", question))
                await turn("knowledge, known conversation", message(sink, "c2", "u2", question))
                await turn("language choice (writes state)", message(sink, "c3", "u3", "sprog"))
                await turn("language answer (dialog)", message(sink, "c3", "u3", "english"))
                await turn("unanswered question", message(sink, "c2", "u2", "Hvad blev vejret?"))
        finally:
            await runner.cleanup()
            await sink_runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    chosen = args.databases.split(",")
    if "sqlite" in chosen:
        asyncio.run(run(None))
    if "postgresql" in chosen:
        with postgres_database() as url:
            if url is not None:
                asyncio.run(run(url))


if __name__ == "__main__":
    main()
