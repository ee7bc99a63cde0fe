"""Run the real app on a loopback port and talk to it over HTTP, as the Bot Connector would."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from app import RUNTIME, create_app
from bot.domain.clock import Clock
from bot.settings import Settings


@dataclass
class BotClient:
    url: str
    app: web.Application
    session: aiohttp.ClientSession

    async def post(
        self, activity: dict[str, Any] | bytes | str, *, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        if isinstance(activity, dict):
            data = json.dumps(activity).encode()
        else:
            data = activity.encode() if isinstance(activity, str) else activity
        merged = {"Content-Type": "application/json", **(headers or {})}
        async with self.session.post(
            self.url + "/api/messages", data=data, headers=merged
        ) as response:
            raw = await response.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            return response.status, body

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.session.get(self.url + path) as response:
            return response.status, await response.text()

    @property
    def runtime(self):
        return self.app[RUNTIME]


def make_settings(database_url: str, tmp_path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": tmp_path / "data",
        "app_id": "",
        "app_password": "",
        "hash_secret": "test-secret",
        "port": 0,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    settings: Settings, *, clock: Clock | None = None
) -> AsyncIterator[BotClient]:
    app = create_app(settings, clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            yield BotClient(f"http://127.0.0.1:{port}", app, session)
    finally:
        await runner.cleanup()
