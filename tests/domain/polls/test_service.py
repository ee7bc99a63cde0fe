"""PollService end to end on an in-memory repository: create, vote, close, count, trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.admins import Admins
from bot.domain.clock import FixedClock
from bot.domain.polls import (
    PollDraft,
    PollRepository,
    PollService,
    RefusalReason,
    load_templates,
    parse_poll_command,
)
from tests.domain.polls.fake_repository import InMemoryPollRepository

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"
T0 = datetime(2021, 3, 24, 13, 0, tzinfo=UTC)
WHERE = {"conversation_id": "conv-1", "tenant_id": "tenant-1"}


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def repository() -> InMemoryPollRepository:
    return InMemoryPollRepository()


@pytest.fixture
def service(repository, clock) -> PollService:
    _: PollRepository = repository  # the fake implements the port
    return PollService(repository, clock, b"secret", admins=Admins(["29:admin"]))


async def create(service: PollService, command: str, clock):
    templates = load_templates(KNOWLEDGE / "poll_templates.yaml")
    draft = parse_poll_command(command, clock.now(), templates)
    assert isinstance(draft, PollDraft)
    return await service.create(draft.to_spec(), creator_id="29:creator", **WHERE)


async def test_vote_change_duplicate_and_close(service, repository, clock):
    poll = await create(service, 'afstemning "Har din kommune svaret KMD?" "Ja" "Nej"', clock)
    assert len(poll.id) == 22  # unguessable
    vote = await service.vote(poll.id, {"choice": "1"}, user_id="29:anne", **WHERE)
    assert vote.status == "new"
    again = await service.vote(poll.id, {"choice": "1"}, user_id="29:anne", **WHERE)
    changed = await service.vote(poll.id, {"choice": "2"}, user_id="29:anne", **WHERE)
    assert (again.status, changed.status) == ("same", "changed")
    stored = next(iter(repository.votes_by_poll[poll.id].values()))[0]
    assert (stored.user_id, stored.name) == (None, None) and "anne" not in stored.key
    assert (await service.close(poll.id, "29:someone")).status == "not_allowed"
    assert (await service.close(poll.id, "29:creator")).status == "closed"
    assert (await service.close(poll.id, "29:admin")).status == "already_closed"
    late = await service.vote(poll.id, {"choice": "1"}, user_id="29:bo", **WHERE)
    assert late.refusal is not None and late.refusal.reason is RefusalReason.POLL_CLOSED


async def test_unknown_foreign_and_forged_submissions_are_refused(service, clock):
    poll = await create(service, 'ja/nej "Q?"', clock)
    unknown = await service.vote("nope", {"choice": "yes"}, user_id="29:a", **WHERE)
    foreign = await service.vote(
        poll.id, {"choice": "yes"}, user_id="29:a", conversation_id="conv-2", tenant_id="tenant-1"
    )
    other_tenant = await service.vote(
        poll.id, {"choice": "yes"}, user_id="29:a", conversation_id="conv-1", tenant_id="x"
    )
    forged = await service.vote(poll.id, {"choice": "maybe"}, user_id="29:a", **WHERE)
    reasons = [o.refusal.reason for o in (unknown, foreign, other_tenant, forged) if o.refusal]
    assert reasons == [
        RefusalReason.UNKNOWN_POLL,
        RefusalReason.FOREIGN_POLL,
        RefusalReason.FOREIGN_POLL,
        RefusalReason.UNKNOWN_OPTION,
    ]
    assert (await service.tally(poll)).respondents == 0


async def test_named_polls_keep_who_voted(service, repository, clock):
    poll = await create(service, 'skala "Q?" navngivet', clock)
    await service.vote(poll.id, {"value": "8"}, user_id="29:anne", user_name="Anne", **WHERE)
    [vote] = await repository.votes(poll.id)
    assert (vote.voter_id, vote.voter_name) == ("29:anne", "Anne")
    tally = await service.tally(poll)
    assert not tally.withheld and tally.scale is not None and tally.scale.mean == 8.0


async def test_the_anonymity_threshold_is_configurable(repository, clock):
    service = PollService(repository, clock, b"secret", anonymity_threshold=2)
    poll = await create(service, 'åbent "Hvordan bogfører I boligydelser?"', clock)
    await service.vote(poll.id, {"text": "Manuelt"}, user_id="29:a", **WHERE)
    assert (await service.tally(poll)).withheld
    await service.vote(poll.id, {"text": "I KMD"}, user_id="29:b", **WHERE)
    assert (await service.tally(poll)).answers == ("Manuelt", "I KMD")


async def test_an_evaluation_is_shown_beside_the_earlier_ones(service, clock):
    levels = [(5, 4, 4), (4, 4, 3), (5, 5, 5)]  # "relevante-oplaeg" at three meetings
    for meeting, votes in enumerate(levels):
        poll = await create(service, "evaluering", clock)
        for voter, level in enumerate(votes):
            data = {"rating.relevante-oplaeg": str(level), "rating.skabt-vaerdi": "3"}
            await service.vote(poll.id, data, user_id=f"29:u{voter}", **WHERE)
        if meeting < 2:
            await service.close(poll.id, "29:creator")
            clock.advance(days=30)
    current = poll
    trend = await service.trend(current, await service.tally(current))
    assert trend is not None and len(trend.held_at) == 3
    row = next(r for r in trend.rows if r.statement_id == "relevante-oplaeg")
    assert [round(m, 2) for m in row.means if m is not None] == [4.33, 3.67, 5.0]
    assert row.change is not None and round(row.change, 2) == 1.33
    assert trend.held_at[-1] == T0 + timedelta(days=60)


async def test_a_poll_without_template_has_no_trend(service, clock):
    poll = await create(service, 'skala "Q?"', clock)
    assert await service.trend(poll, await service.tally(poll)) is None


async def test_a_burst_of_votes_reads_the_poll_once_and_a_close_elsewhere_still_wins(
    service, repository, clock
):
    poll = await create(service, 'afstemning "Har din kommune svaret KMD?" "Ja" "Nej"', clock)
    reads = 0
    real_get = repository.get

    async def counted_get(poll_id):
        nonlocal reads
        reads += 1
        return await real_get(poll_id)

    repository.get = counted_get
    for n in range(5):
        vote = await service.vote(poll.id, {"choice": "1"}, user_id=f"29:u{n}", **WHERE)
        assert vote.status == "new"
    assert reads == 1
    # Closed by another replica (straight in the repository): the vote is still refused,
    # and the next one reads the poll again and sees it closed.
    await repository.close(poll.id, clock.now())
    late = await service.vote(poll.id, {"choice": "1"}, user_id="29:late", **WHERE)
    assert late.refusal is not None and late.refusal.reason is RefusalReason.POLL_CLOSED
    again = await service.vote(poll.id, {"choice": "1"}, user_id="29:later", **WHERE)
    assert again.refusal is not None and again.refusal.reason is RefusalReason.POLL_CLOSED
    assert reads == 2
    assert len(repository.votes_by_poll[poll.id]) == 5
