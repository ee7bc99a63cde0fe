"""The turn path's use of the database, over the wire: what each turn reads and writes."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from storage.engine import create_engine
from storage.process_lock import DatabaseInUse
from storage.tables import bot_state, conversations
from tests.support import activities as a
from tests.support.cards import actions_of, card_text
from tests.support.running_bot import running_bot


class StatementCounter:
    """Every statement the app sends: its reads and its writer's writes."""

    def __init__(self, runtime) -> None:
        self.statements: list[str] = []
        for engine in {runtime.engine.sync_engine, *runtime.writer.engines}:
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(" ".join(statement.split())[:60])

    def take(self) -> list[str]:
        taken, self.statements = self.statements, []
        return taken


async def _rows(engine, table) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(select(func.count()).select_from(table))


async def _turn(bot, counter, activity) -> list[str]:
    counter.take()
    status, _ = await bot.post(activity)
    assert status == 200
    await bot.runtime.flush_written_behind()
    return counter.take()


def _count_state_reads(storage) -> list[list[str]]:
    """Every query of bot state the storage sends, whichever driver path it takes."""
    seen: list[list[str]] = []
    select = storage._select

    async def counting(keys):
        seen.append(list(keys))
        return await select(keys)

    storage._select = counting
    return seen


async def test_a_help_turn_reads_state_once_and_writes_only_the_reference(bot, connector):
    await bot.runtime.scheduler.stop()  # its own re-checks are not part of the turn
    engine = bot.runtime.engine
    counter = StatementCounter(bot.runtime)
    state_reads = _count_state_reads(bot.runtime.state)
    sqlite = engine.dialect.name == "sqlite"
    new = await _turn(bot, counter, a.personal_message(connector.url, "hjælp"))
    assert "Det kan jeg hjælpe med" in card_text(connector.sent()[-1].cards[0])
    # SQLite: this process is the only writer, so absent state needs no query at all.
    # PostgreSQL: one query for both scopes (user and dialog), straight to the driver.
    assert [len(keys) for keys in state_reads] == ([] if sqlite else [2])
    assert [s for s in new if s.startswith("INSERT INTO conversations")] == new, new
    state_reads.clear()
    known = await _turn(bot, counter, a.personal_message(connector.url, "hjælp"))
    assert known == [], "a known conversation writes nothing"
    assert len(state_reads) == (0 if sqlite else 1)
    # Nothing was said, so no state was stored (the SDK would store two empty documents).
    assert await _rows(engine, bot_state) == 0
    assert await _rows(engine, conversations) == 1


async def test_a_vote_reads_no_bot_state_and_exactly_the_vote_statements(bot, connector):
    await bot.runtime.scheduler.stop()
    status, _ = await bot.post(
        a.group_message(connector.url, 'afstemning "Klar til KY?" "Ja" "Nej"', sender=1)
    )
    assert status == 200
    [card] = connector.sent()[-1].cards
    poll_id = card["actions"][0]["data"]["pollId"]
    counter = StatementCounter(bot.runtime)
    state_reads = _count_state_reads(bot.runtime.state)

    async def vote(sender: int) -> list[str]:
        invoke = a.card_invoke(
            connector.url,
            "poll.vote",
            {"pollId": poll_id, "choice": "1"},
            conversation=a.group_conversation("meeting"),
            sender=sender,
        )
        return await _turn(bot, counter, invoke)

    await vote(2)  # the first vote reads the poll and claims the card update
    await bot.runtime.polls.actions.drain()
    second = await vote(3)
    await bot.runtime.polls.actions.drain()
    assert state_reads == [], "a vote needs no user or dialog state"
    # The poll is known from the first vote; the card job planned then coalesces this one.
    assert not any(s.startswith("SELECT polls") for s in second), second
    # SQLite: the replaced answer, the dirty mark, the upsert; PostgreSQL returns the replaced
    # answer from the upsert itself.
    sqlite = bot.runtime.engine.dialect.name == "sqlite"
    expected = (
        ["SELECT poll_votes.answer", "UPDATE polls SET card_dirty", "INSERT INTO poll_votes"]
        if sqlite
        else ["UPDATE polls SET card_dirty", "WITH before AS"]
    )
    assert len(second) == len(expected), second
    assert all(s.startswith(e) for s, e in zip(second, expected, strict=True)), second


async def test_a_chosen_language_is_stored_once_and_read_back(bot, connector):
    counter = StatementCounter(bot.runtime)
    await _turn(bot, counter, a.personal_message(connector.url, "sprog"))
    answer = await _turn(bot, counter, a.personal_message(connector.url, "english"))
    assert connector.sent()[-1].text == "Fine, I'll answer you in English."
    assert sum(s.startswith(("INSERT INTO bot_state", "UPDATE bot_state")) for s in answer) >= 1
    await _turn(bot, counter, a.personal_message(connector.url, "KP"))
    assert connector.sent()[-1].cards[0]["body"][0]["text"].startswith("What is")


async def test_a_second_process_on_the_same_sqlite_file_is_refused(settings, connector):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL serves several processes")
    async with running_bot(settings):
        with pytest.raises(DatabaseInUse, match="another Mødebot process"):
            async with running_bot(settings):
                pass
    async with running_bot(settings) as bot:  # the lock goes with the process that held it
        status, _ = await bot.post(a.personal_message(connector.url, "hjælp"))
        assert status == 200


async def test_two_processes_on_one_postgresql_never_serve_stale_dialog_state(settings, connector):
    if settings.database_url.startswith("sqlite"):
        pytest.skip("one process per SQLite database")
    async with running_bot(settings) as first, running_bot(settings) as second:
        await first.post(a.personal_message(connector.url, "sprog"))
        assert "Hvilket sprog" in card_text(connector.sent()[-1].cards[0])
        await second.post(a.personal_message(connector.url, "english"))
        assert connector.sent()[-1].text == "Fine, I'll answer you in English."
        # The first process sees the finished dialog and the stored choice at once.
        await first.post(a.personal_message(connector.url, "KP"))
        assert connector.sent()[-1].cards[0]["body"][0]["text"].startswith("What is")
        await second.post(a.personal_message(connector.url, "sprog"))
        await first.post(a.personal_message(connector.url, "cancel"))
        assert connector.sent()[-1].text == "Okay, cancelled."
        await second.post(a.personal_message(connector.url, "cancel"))
        assert connector.sent()[-1].text == "There is nothing to cancel."


async def test_a_rating_from_another_tenant_is_refused(bot, connector):
    await bot.post(a.personal_message(connector.url, "Hvad laver en ØiR-koordinator?"))
    up, _ = actions_of(connector.sent()[-1].cards[0], "Action.Execute")
    forged = a.card_invoke(
        connector.url, up["verb"], up["data"], conversation=a.personal_conversation()
    )
    forged["channelData"] = {"tenant": {"id": "another-tenant"}}
    forged["conversation"]["tenantId"] = "another-tenant"
    status, body = await bot.post(forged)
    assert status == 200
    assert body["statusCode"] == 400
    honest = a.card_invoke(
        connector.url, up["verb"], up["data"], conversation=a.personal_conversation()
    )
    status, body = await bot.post(honest)
    assert body["statusCode"] == 200


async def test_what_was_written_behind_is_stored_at_shutdown(settings, connector):
    async with running_bot(settings) as bot:
        engine_url = settings.database_url
        status, _ = await bot.post(a.personal_message(connector.url, "hjælp"))
        assert status == 200
    # The app is gone; its writer flushed the conversation reference before the engine closed.
    engine = create_engine(engine_url)
    try:
        assert await _rows(engine, conversations) == 1
    finally:
        await engine.dispose()
