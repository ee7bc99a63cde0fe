"""Start-up logs at INFO: our one line when the schema changed, never Alembic's chatter."""

from __future__ import annotations

import logging

from storage.migrate import head_revision
from tests.support.running_bot import running_bot


def _alembic(records) -> list[logging.LogRecord]:
    return [r for r in records if r.name.split(".")[0] == "alembic"]


def _upgraded(records) -> list[str]:
    return [r.getMessage() for r in records if r.name == "storage.migrate"]


async def test_start_up_at_info_has_no_alembic_lines(settings, caplog):
    with caplog.at_level(logging.INFO):
        async with running_bot(settings):
            pass
    assert _alembic(caplog.records) == []
    assert _upgraded(caplog.records) == [
        f"database schema upgraded from empty to {head_revision()}"
    ]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        async with running_bot(settings):  # nothing to migrate: nothing to say
            pass
    assert _alembic(caplog.records) == [] and _upgraded(caplog.records) == []


async def test_alembic_lines_are_there_at_debug(settings, caplog):
    with caplog.at_level(logging.DEBUG):
        async with running_bot(settings):
            pass
    lines = _alembic(caplog.records)
    assert any("Running upgrade" in r.getMessage() for r in lines)
    assert {r.levelname for r in lines} == {"DEBUG"}
