"""SqlPollRepository on both databases: one row per voter, conditional votes, exact tallies."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.polls import (
    Answer,
    Option,
    Poll,
    PollKind,
    PollSettings,
    PollSpec,
    Statement,
    Voter,
    count_votes,
    voter_for,
)
from storage.engine import create_engine
from storage.polls import SqlPollRepository
from storage.tables import poll_votes
from tests.support.storage import migrated

T0 = datetime(2021, 3, 25, 9, 0, tzinfo=UTC)
SECRET = b"test-secret"
SECOND = timedelta(seconds=1)


def choice_poll(poll_id: str = "p1", *, anonymous: bool = True, **extra) -> Poll:
    spec = PollSpec(
        PollKind.SINGLE,
        "Har din kommune svaret KMD?",
        (Option("1", "Ja"), Option("2", "Nej"), Option("3", "Ved ikke")),
        settings=PollSettings(anonymous=anonymous),
    )
    return Poll(poll_id, spec, "conv-1", "tenant-1", "29:creator", T0, **extra)


def yes(choice: str = "1") -> Answer:
    return Answer(choices=(choice,))


@pytest.fixture
async def polls(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlPollRepository(engine, writer)


async def test_a_poll_round_trips(polls):
    statements = (Statement("relevant", "Dagens oplæg var relevante for mig"),)
    closes = T0 + timedelta(minutes=10)
    spec = PollSpec(
        PollKind.LIKERT,
        "Hvor enig/uenig er du i følgende udsagn?",
        statements=statements,
        settings=PollSettings(anonymous=False, results="hidden", closes_at=closes),
        lang="en",
        template_id="moedeevaluering",
    )
    poll = Poll("p9", spec, "conv-1", "tenant-1", "29:c", T0, creator_name="Anne")
    await polls.add(poll)
    assert await polls.get("p9") == poll
    assert await polls.get("nope") is None


async def test_the_same_delivery_twice_counts_once_and_a_change_replaces(polls):
    await polls.add(choice_poll())
    voter = Voter("k" * 64)
    assert (await polls.record_vote("p1", voter, yes("1"), T0)).status == "new"
    assert (await polls.record_vote("p1", voter, yes("1"), T0)).status == "same"
    changed = await polls.record_vote("p1", voter, yes("2"), T0 + SECOND)
    assert (changed.status, changed.previous) == ("changed", yes("1"))
    assert await polls.answers("p1") == [yes("2")]


async def test_a_vote_after_close_is_refused_and_nothing_is_recorded(polls):
    await polls.add(choice_poll())
    await polls.record_vote("p1", Voter("a" * 64), yes("1"), T0)
    assert await polls.close("p1", T0 + SECOND)
    late = await polls.record_vote("p1", Voter("b" * 64), yes("2"), T0 + 2 * SECOND)
    changed_late = await polls.record_vote("p1", Voter("a" * 64), yes("3"), T0 + 2 * SECOND)
    assert (late.status, changed_late.status) == ("closed", "closed")
    assert await polls.answers("p1") == [yes("1")]
    closed = await polls.get("p1")
    assert closed is not None and (closed.state, closed.closed_at) == ("closed", T0 + SECOND)


async def test_a_vote_past_the_closing_time_is_refused_before_the_close_job_ran(polls):
    spec = choice_poll().spec
    settings = PollSettings(closes_at=T0 + timedelta(minutes=10))
    poll = Poll(
        "p1",
        PollSpec(spec.kind, spec.question, spec.options, settings=settings),
        "conv-1",
        "tenant-1",
        "29:c",
        T0,
    )
    await polls.add(poll)
    assert (await polls.record_vote("p1", Voter("a" * 64), yes(), T0)).status == "new"
    late = T0 + timedelta(minutes=10)
    assert (await polls.record_vote("p1", Voter("b" * 64), yes(), late)).status == "closed"
    assert [p.id for p in await polls.polls_due_to_close(late)] == ["p1"]
    assert await polls.polls_due_to_close(late - SECOND) == []


async def test_a_vote_for_an_unknown_poll_records_nothing(polls):
    assert (await polls.record_vote("ghost", Voter("a" * 64), yes(), T0)).status == "closed"


async def test_anonymous_votes_store_no_identity_named_ones_do(polls, database_url):
    anonymous, named = choice_poll("p1"), choice_poll("p2", anonymous=False)
    await polls.add(anonymous)
    await polls.add(named)
    await polls.record_vote("p1", voter_for(anonymous, "29:anne", "Anne", SECRET), yes(), T0)
    await polls.record_vote("p2", voter_for(named, "29:anne", "Anne", SECRET), yes(), T0)
    [hidden] = await polls.votes("p1")
    [shown] = await polls.votes("p2")
    assert (hidden.voter_id, hidden.voter_name) == (None, None)
    assert (shown.voter_id, shown.voter_name, shown.answer) == ("29:anne", "Anne", yes())
    from sqlalchemy import select

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(poll_votes))).mappings().all()
    finally:
        await engine.dispose()
    stored = " ".join(str(dict(r)) for r in rows if r["poll_id"] == "p1")
    assert "29:anne" not in stored and "Anne" not in stored


async def test_close_happens_exactly_once_under_concurrent_closers(polls):
    await polls.add(choice_poll())
    results = await asyncio.gather(*(polls.close("p1", T0 + i * SECOND) for i in range(50)))
    assert results.count(True) == 1
    assert not await polls.close("p1", T0)


async def test_a_thousand_concurrent_voters_give_an_exact_tally(polls):
    poll = choice_poll()
    await polls.add(poll)
    gate = asyncio.Semaphore(100)

    async def vote(i: int) -> str:
        async with gate:
            voter = voter_for(poll, f"29:user-{i}", "", SECRET)
            result = await polls.record_vote("p1", voter, yes(str(i % 3 + 1)), T0)
            again = await polls.record_vote("p1", voter, yes(str(i % 3 + 1)), T0)  # redelivery
            return f"{result.status}/{again.status}"

    statuses = await asyncio.gather(*(vote(i) for i in range(1000)))
    assert set(statuses) == {"new/same"}
    tally = count_votes(poll, await polls.answers("p1"))
    assert tally.respondents == 1000
    assert [s.count for s in tally.shares] == [334, 333, 333]
    assert [s.percent for s in tally.shares] == [33, 33, 33]


async def test_open_polls_and_previous_evaluations_of_a_conversation(polls):
    def evaluation(poll_id: str, created: datetime, conversation: str = "conv-1") -> Poll:
        spec = PollSpec(
            PollKind.LIKERT, "Q", statements=(Statement("s", "S"),), template_id="moedeevaluering"
        )
        return Poll(poll_id, spec, conversation, "tenant-1", "29:c", created)

    for i in range(4):
        await polls.add(evaluation(f"e{i}", T0 + timedelta(days=30 * i)))
        if i < 3:
            await polls.close(f"e{i}", T0 + timedelta(days=30 * i, hours=1))
    await polls.add(evaluation("other", T0, conversation="conv-2"))
    await polls.close("other", T0 + timedelta(hours=1))
    await polls.add(choice_poll("c1"))
    assert {p.id for p in await polls.open_polls("conv-1")} == {"e3", "c1"}
    before = T0 + timedelta(days=90, hours=2)
    earlier = await polls.previous_evaluations("conv-1", "moedeevaluering", before, limit=2)
    assert [p.id for p in earlier] == ["e2", "e1"]


async def test_delete_takes_the_votes_with_it(polls):
    await polls.add(choice_poll())
    await polls.record_vote("p1", Voter("a" * 64), yes(), T0)
    assert await polls.delete("p1")
    assert (await polls.get("p1"), await polls.answers("p1")) == (None, [])
    assert not await polls.delete("p1")


async def test_results_token_finds_the_poll_until_it_expires(polls):
    await polls.add(choice_poll())
    await polls.set_results_token("p1", "tok-123", T0 + timedelta(hours=1))
    found = await polls.find_by_results_token("tok-123", T0)
    assert found is not None and found.id == "p1"
    assert await polls.find_by_results_token("tok-123", T0 + timedelta(hours=1)) is None
    assert await polls.find_by_results_token("other", T0) is None


async def test_evaluation_after_meetings_is_off_until_opted_in(polls):
    assert not await polls.evaluation_after_meetings("conv-1")
    await polls.set_evaluation_after_meetings("conv-1", "tenant-1", True, T0)
    assert await polls.evaluation_after_meetings("conv-1")
    await polls.set_evaluation_after_meetings("conv-1", "tenant-1", False, T0 + SECOND)
    assert not await polls.evaluation_after_meetings("conv-1")


async def test_card_claims_coalesce_and_the_last_state_is_shown(polls):
    await polls.add(choice_poll())
    voter = Voter("a" * 64)
    await polls.record_vote("p1", voter, yes("1"), T0)
    assert await polls.set_card_activity("p1", "activity-1", T0)  # a vote came before the id
    assert (await polls.claim_card_update("p1", T0)).decision == "later"
    claim = await polls.claim_card_update("p1", T0 + SECOND)
    assert claim.decision == "update_now"
    assert (await polls.claim_card_update("p1", T0 + 5 * SECOND)).decision == "nothing"
    await polls.record_vote("p1", voter, yes("2"), T0 + 1.5 * SECOND)
    later = await polls.claim_card_update("p1", T0 + 1.5 * SECOND)
    assert (later.decision, later.retry_at) == ("later", T0 + 2 * SECOND)
    assert (await polls.claim_card_update("p1", T0 + 2 * SECOND)).decision == "update_now"
    await polls.mark_card_dirty("p1")  # the update failed
    assert (await polls.claim_card_update("p1", T0 + 3 * SECOND)).decision == "update_now"
    assert await polls.close("p1", T0 + 4 * SECOND)
    assert (await polls.claim_card_update("p1", T0 + 5 * SECOND)).decision == "update_now"


async def test_a_card_not_yet_posted_is_not_claimed(polls):
    await polls.add(choice_poll())
    await polls.record_vote("p1", Voter("a" * 64), yes(), T0)
    assert (await polls.claim_card_update("p1", T0)).decision == "nothing"
    assert (await polls.claim_card_update("ghost", T0)).decision == "nothing"


@pytest.fixture
async def two_replicas(database_url):
    """Two repositories with their own engines and writers on one database."""
    from storage.batch_writer import BatchWriter

    async with migrated(database_url) as (engine, writer):
        other_engine = create_engine(database_url)
        other_writer = BatchWriter(other_engine)
        other_writer.start()
        try:
            yield SqlPollRepository(engine, writer), SqlPollRepository(other_engine, other_writer)
        finally:
            await other_writer.close()
            await other_engine.dispose()


async def test_card_updates_coalesce_across_two_replicas(two_replicas):
    first, second = two_replicas
    await first.add(choice_poll())
    await first.set_card_activity("p1", "activity-1", T0)
    updates: list[datetime] = []
    pending: list[datetime] = []
    gate = asyncio.Semaphore(50)

    async def vote_then_claim(replica: SqlPollRepository, i: int, at: datetime) -> None:
        async with gate:
            voter = voter_for(choice_poll(), f"29:u{i}", "", SECRET)
            await replica.record_vote("p1", voter, yes(str(i % 3 + 1)), at)
            claim = await replica.claim_card_update("p1", at)
            if claim.decision == "update_now":
                updates.append(at)
            elif claim.decision == "later":
                assert claim.retry_at is not None and claim.retry_at > at
                pending.append(claim.retry_at)

    # 400 votes over 4 simulated seconds, spread over both replicas, all at once.
    jobs = []
    for i in range(400):
        at = T0 + timedelta(milliseconds=10 * i)
        jobs.append(vote_then_claim((first, second)[i % 2], i, at))
    await asyncio.gather(*jobs)
    last_vote = T0 + timedelta(milliseconds=3990)
    # The scheduled retries run (any number of times, on either replica); only one may win.
    for retry_at in sorted(set(pending)):
        at = max(retry_at, last_vote)
        claims = await asyncio.gather(
            first.claim_card_update("p1", at), second.claim_card_update("p1", at)
        )
        updates += [at for c in claims if c.decision == "update_now"]
    updates.sort()
    assert all(b - a >= SECOND for a, b in itertools.pairwise(updates))
    assert len(updates) <= 4 + 2
    assert updates[-1] >= last_vote  # the last state is shown
    final = await first.claim_card_update("p1", updates[-1] + 10 * SECOND)
    assert final.decision == "nothing"


async def test_concurrent_claims_at_one_moment_have_one_winner(two_replicas):
    first, second = two_replicas
    await first.add(choice_poll())
    await first.record_vote("p1", Voter("a" * 64), yes(), T0)
    await first.set_card_activity("p1", "activity-1", T0 - 5 * SECOND)
    at = T0 + SECOND
    claims = await asyncio.gather(
        *(replica.claim_card_update("p1", at) for replica in (first, second) * 20)
    )
    assert [c.decision for c in claims].count("update_now") == 1


async def test_no_vote_is_recorded_once_a_close_from_another_replica_committed(two_replicas):
    voting, closing = two_replicas
    await voting.add(choice_poll())
    gate = asyncio.Semaphore(100)
    at_close: list[int] = []
    recorded: list[str] = []
    hundred_in = asyncio.Event()

    async def vote(i: int) -> str:
        async with gate:
            voter = voter_for(choice_poll(), f"29:u{i}", "", SECRET)
            status = (await voting.record_vote("p1", voter, yes(), T0)).status
            recorded.append(status)
            if len(recorded) == 100:
                hundred_in.set()
            return status

    async def close_midway() -> None:
        await hundred_in.wait()  # votes are still arriving on the other replica
        assert await closing.close("p1", T0)
        at_close.append(len(await closing.answers("p1")))

    *statuses, _ = await asyncio.gather(*(vote(i) for i in range(600)), close_midway())
    final = len(await voting.answers("p1"))
    assert final == at_close[0] == statuses.count("new")
    assert statuses.count("new") + statuses.count("closed") == 600


async def test_the_migration_creates_what_the_tables_describe_and_goes_back(database_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, inspect

    from storage.migrate import alembic_config
    from storage.tables import metadata

    ours = MetaData()
    for table in ("polls", "poll_votes", "poll_settings"):
        metadata.tables[table].to_metadata(ours)

    def differences(connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, ours)
        return [d for d in diff if d[0] != "remove_table" and not _foreign(d)]

    def downgrade(connection) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006_polls-1")
        return set(inspect(connection).get_table_names())

    async with migrated(database_url) as (engine, _):
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
        async with engine.begin() as connection:
            remaining = await connection.run_sync(downgrade)
    assert not {"polls", "poll_votes", "poll_settings"} & remaining


def _foreign(difference) -> bool:
    """Indexes and tables of the other capabilities, which `ours` does not describe."""
    item = difference[1] if len(difference) > 1 else None
    table = getattr(item, "table", None)
    name = getattr(table, "name", None) or getattr(item, "name", "")
    return name not in ("polls", "poll_votes", "poll_settings") and table is not None
