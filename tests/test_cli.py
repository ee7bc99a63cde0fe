"""The `moedebot` command line: knowledge validation, reports and the reload of a running bot."""

from __future__ import annotations

import asyncio
import shutil
import socket
from pathlib import Path

import pytest

from bot.cli import main
from bot.domain.knowledge.evaluation import load_sets
from tests.fakes.connector import FakeConnector
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot

EVAL_DIR = Path(__file__).parent / "domain" / "knowledge"


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
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split()[0] for line in lines[3 : lines.index("", 3)]]
    # Every evaluation file, development sets first, then the blind ones (each file's
    # `blind:` says which; tests/domain/knowledge/test_evaluation.py names them).
    assert rows == [s.questions[0].split for s in load_sets(EVAL_DIR)]


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
            for question in ("Hvad bliver vejret i morgen?", "Bliver vejret godt til mødet?"):
                await bot.post(a.personal_message(connector.url, question))
            await bot.post(a.personal_message(connector.url, "tak!"))  # small talk: not kept
            code = await asyncio.to_thread(main, ["kb", "reload", "--url", bot.url])
            assert code == 0
            assert "reloaded" in capsys.readouterr().out
            assert await asyncio.to_thread(main, ["kb", "report"]) == 0
            out = capsys.readouterr().out
            assert "Hvad bliver vejret i morgen?" in out and "tak!" not in out
            # The word both questions share and no entry has is suggested, with an example.
            shared = out.split("Words unanswered questions share", 1)[1].splitlines()[1]
            assert shared.split()[:3] == ["vejret", "2", "questions"], shared
    finally:
        await connector.stop()


# Operator errors: one line on stderr, exit status 2, no traceback, nothing created.


def _one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("moedebot: error: ")
    return lines[0]


@pytest.fixture
def operator_env(monkeypatch, tmp_path):
    """A clean environment: no LOG_LEVEL from the caller, no .env from the checkout."""
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MOEDEBOT_HASH_SECRET", "test-secret")
    return monkeypatch


def test_kb_report_before_the_bot_ever_ran_does_not_create_the_database(
    operator_env, tmp_path, capsys
):
    database = tmp_path / "never" / "moedebot.db"
    operator_env.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    assert main(["kb", "report"]) == 2
    line = _one_error_line(capsys)
    assert str(database) in line and "moedebot db upgrade" in line
    assert not database.parent.exists()


async def test_kb_report_on_an_unmigrated_database_creates_no_tables(
    operator_env, database_url, capsys
):
    from sqlalchemy import inspect

    from storage.engine import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:  # the database exists, empty
            await connection.run_sync(lambda c: None)
        operator_env.setenv("DATABASE_URL", database_url)
        assert await asyncio.to_thread(main, ["kb", "report"]) == 2
        line = _one_error_line(capsys)
        assert "no tables yet" in line and "moedebot db upgrade" in line
        async with engine.connect() as connection:
            assert await connection.run_sync(lambda c: inspect(c).get_table_names()) == []
    finally:
        await engine.dispose()


def test_db_current_of_a_missing_database_answers_without_creating_it(
    operator_env, tmp_path, capsys
):
    database = tmp_path / "moedebot.db"
    operator_env.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    assert main(["db", "current"]) == 1
    assert capsys.readouterr().out.startswith("current: (empty)")
    assert not database.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["kb", "eval", "--questions", "missing.yaml"], "no evaluation questions at missing.yaml"),
        (["kb", "validate", "--dir", "no/such/folder"], "no knowledge folder at no/such/folder"),
        (["kb", "eval", "--dir", "no/such/folder"], "no knowledge folder at no/such/folder"),
    ],
)
def test_missing_files_are_one_line(operator_env, capsys, argv, expected):
    assert main(argv) == 2
    assert expected in _one_error_line(capsys)


def test_a_bad_setting_is_one_line_without_its_value(operator_env, capsys):
    operator_env.setenv("PORT", "abc")
    assert main(["kb", "report"]) == 2
    line = _one_error_line(capsys)
    assert "PORT" in line and "abc" not in line


def test_an_unreachable_database_is_one_line_without_the_password(operator_env, capsys):
    port = _closed_port()
    operator_env.setenv("DATABASE_URL", f"postgresql://user:pw-s3cret@127.0.0.1:{port}/x")
    assert main(["db", "upgrade"]) == 2
    line = _one_error_line(capsys)
    assert f"127.0.0.1:{port}" in line and "pw-s3cret" not in line


def test_kb_reload_of_a_bot_that_is_not_running_is_one_line(operator_env, capsys):
    url = f"http://127.0.0.1:{_closed_port()}"
    assert main(["kb", "reload", "--url", url]) == 2
    assert f"could not reach the bot at {url}" in _one_error_line(capsys)


def test_an_unexpected_error_is_its_first_line_only(operator_env, tmp_path, capsys):
    operator_env.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()

    async def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire\nSELECT … [parameters: ('a user question',)]")

    operator_env.setattr("storage.knowledge_feedback.SqlFeedbackRepository.unanswered", broken)
    assert main(["kb", "report"]) == 2
    line = _one_error_line(capsys)
    assert "disk on fire" in line and "a user question" not in line


def test_log_level_debug_shows_the_traceback(operator_env, tmp_path, capsys):
    operator_env.setenv("LOG_LEVEL", "DEBUG")
    operator_env.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    assert main(["kb", "report"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().endswith("start the bot first")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
