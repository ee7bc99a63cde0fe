"""The `moedebot` command line: knowledge validation, reports and the reload of a running bot."""

from __future__ import annotations

import asyncio
import shutil

from bot.cli import main
from tests.fakes.connector import FakeConnector
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot


def test_kb_validate_ok_and_broken(tmp_path, capsys):
    folder = tmp_path / "knowledge"
    shutil.copytree("knowledge", folder)
    assert main(["kb", "validate", "--dir", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    (folder / "contacts.yaml").write_text(
        "contacts:\n  - id: broken\n    type: mailbox\n    email: not-an-address\n"
    )
    assert main(["kb", "validate", "--dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "contacts.yaml" in out and "'broken'" in out


def test_kb_eval_prints_every_set(capsys):
    assert main(["kb", "eval"]) == 0
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[3:7]]
    assert rows == ["tune", "dev", "fresh", "blind2"]


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage" in capsys.readouterr().out


async def test_kb_reload_reaches_the_running_bot_and_report_reads_the_database(
    tmp_path, monkeypatch, capsys
):
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    settings = make_settings(database, tmp_path)
    for name, value in {
        "DATABASE_URL": database,
        "MOEDEBOT_HASH_SECRET": "test-secret",
        "DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(name, value)
    connector = await FakeConnector().start()
    try:
        async with running_bot(settings) as bot:
            await bot.post(a.personal_message(connector.url, "Hvad bliver vejret i morgen?"))
            code = await asyncio.to_thread(main, ["kb", "reload", "--url", bot.url])
            assert code == 0
            assert "reloaded" in capsys.readouterr().out
            assert await asyncio.to_thread(main, ["kb", "report"]) == 0
            assert "Hvad bliver vejret i morgen?" in capsys.readouterr().out
    finally:
        await connector.stop()
