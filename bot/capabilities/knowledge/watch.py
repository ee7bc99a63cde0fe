"""Reload the knowledge files when they change, so every replica follows without a restart."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.capabilities.knowledge.web import reload_knowledge
from bot.domain.knowledge import KnowledgeService

log = logging.getLogger(__name__)


def _signature(folder: Path) -> tuple:
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))
    )


class KnowledgeWatcher:
    """Polls file times (cheap, works on any volume); `check()` is callable from tests."""

    def __init__(self, knowledge: KnowledgeService, folder: Path, interval: float) -> None:
        self._knowledge = knowledge
        self._folder = folder
        self._interval = interval
        self._seen = _signature(folder)
        self._task: asyncio.Task | None = None

    async def check(self) -> dict | None:
        """Reload if the files changed since the last look; the outcome, or None."""
        current = _signature(self._folder)
        if current == self._seen:
            return None
        self._seen = current
        return await reload_knowledge(self._knowledge)

    def start(self) -> None:
        if self._interval > 0:
            self._task = asyncio.create_task(self._run(), name="knowledge-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.check()
            except Exception:  # a vanished folder or the like must not end the watching
                log.exception("knowledge watcher check failed")
