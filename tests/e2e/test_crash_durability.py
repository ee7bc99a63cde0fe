"""A crash loses nothing that was acknowledged: the process is killed (SIGKILL) and restarted."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from storage.engine import create_engine
from storage.knowledge_feedback import SqlFeedbackRepository
from tests.support import activities as a
from tests.support.cards import actions_of

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    """`python app.py` as Teams would reach it; `kill()` is a crash, not a shutdown."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PORT": str(self.port),
            "DATA_DIR": str(tmp_path / "data"),
            "MOEDEBOT_HASH_SECRET": "crash-test-secret",
            "KNOWLEDGE_WATCH_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "MicrosoftAppId": "",
        }
        self._child: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._child = await asyncio.create_subprocess_exec(
            sys.executable,
            "app.py",
            cwd=ROOT,
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        async with aiohttp.ClientSession() as session:
            for _ in range(600):
                assert self._child.returncode is None, "the bot exited at start-up"
                try:
                    async with session.get(self.url + "/readyz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("the bot did not start within 60 s")

    async def post(self, activity: dict) -> tuple[int, dict | None]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url + "/api/messages", json=activity) as response,
        ):
            body = await response.json() if response.content_length else None
            return response.status, body

    async def kill(self) -> None:
        if self._child is not None and self._child.returncode is None:
            self._child.send_signal(signal.SIGKILL)
            await self._child.wait()


async def test_an_answer_and_its_rating_survive_crashes(database_url, tmp_path, connector):
    bot = BotProcess(database_url, tmp_path)
    try:
        await bot.start()
        status, _ = await bot.post(
            a.personal_message(connector.url, "Hvad laver en ØiR-koordinator?")
        )
        assert status == 200
        up, _ = actions_of(connector.sent()[-1].cards[0], "Action.Execute")
        await bot.kill()  # right after the answer was sent

        await bot.start()
        rating = a.card_invoke(
            connector.url, up["verb"], up["data"], conversation=a.personal_conversation()
        )
        status, body = await bot.post(rating)
        assert (status, body["statusCode"]) == (200, 200), body  # the answer was not lost
        await bot.kill()  # right after the rating was acknowledged
    finally:
        await bot.kill()

    engine = create_engine(database_url)
    try:
        [rating] = await SqlFeedbackRepository(engine).ratings()
        assert (rating.helpful, rating.unhelpful) == (1, 0)
    finally:
        await engine.dispose()
