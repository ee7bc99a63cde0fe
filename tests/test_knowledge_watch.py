"""The knowledge watcher reloads changed files and keeps the old knowledge on broken ones."""

from __future__ import annotations

import os
import shutil

from bot.capabilities.knowledge.watch import KnowledgeWatcher
from bot.domain.knowledge import KnowledgeService


def _touch_later(path, seconds: int = 5) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


async def test_changed_files_are_reloaded_once(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree("knowledge", folder)
    service = KnowledgeService(folder)
    watcher = KnowledgeWatcher(service, folder, interval=0)
    assert await watcher.check() is None  # nothing changed
    before = service.kb
    _touch_later(folder / "facts.yaml")
    outcome = await watcher.check()
    assert outcome["reloaded"] is True
    assert service.kb is not before
    assert await watcher.check() is None


async def test_broken_files_keep_the_old_knowledge(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree("knowledge", folder)
    service = KnowledgeService(folder)
    watcher = KnowledgeWatcher(service, folder, interval=0)
    before = service.kb
    (folder / "roles.yaml").write_text("roles: [ {id: Not Valid} ]\n")
    outcome = await watcher.check()
    assert outcome["reloaded"] is False
    assert any("roles.yaml" in problem for problem in outcome["problems"])
    assert service.kb is before
