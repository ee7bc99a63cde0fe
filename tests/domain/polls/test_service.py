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
from bot.domain.polls.ballots import RATING_PREFIX as RATING
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
    # Closed by another replica (straight in the repository): the vote is still refused (one
    # read tells closed from deleted), and the next one reads the poll again and sees it closed.
    await repository.close(poll.id, clock.now())
    late = await service.vote(poll.id, {"choice": "1"}, user_id="29:late", **WHERE)
    assert late.refusal is not None and late.refusal.reason is RefusalReason.POLL_CLOSED
    assert reads == 2
    again = await service.vote(poll.id, {"choice": "1"}, user_id="29:later", **WHERE)
    assert again.refusal is not None and again.refusal.reason is RefusalReason.POLL_CLOSED
    assert reads == 3
    assert len(repository.votes_by_poll[poll.id]) == 5


async def test_only_the_creator_or_an_admin_deletes_and_only_once(service, repository, clock):
    poll = await create(service, 'afstemning "KMD?" "Ja" "Nej"', clock)
    await service.vote(poll.id, {"choice": "1"}, user_id="29:anne", **WHERE)
    refused = await service.delete(poll.id, "29:anne")
    assert refused.status == "not_allowed" and poll.id in repository.polls
    deleted = await service.delete(poll.id, "29:creator")
    assert deleted.status == "deleted" and deleted.poll is not None
    assert deleted.poll.spec.question == "KMD?"
    assert poll.id not in repository.polls and poll.id not in repository.votes_by_poll
    assert (await service.delete(poll.id, "29:creator")).status == "unknown_poll"
    other = await create(service, 'skala "Q?"', clock)
    assert (await service.delete(other.id, None, "29:admin")).status == "deleted"


async def test_a_vote_after_deleting_is_an_unknown_poll_even_from_memory(
    service, repository, clock
):
    poll = await create(service, 'afstemning "KMD?" "Ja" "Nej"', clock)
    assert (await service.vote(poll.id, {"choice": "1"}, user_id="29:a", **WHERE)).status == "new"
    await service.delete(poll.id, "29:creator")
    recorded = repository.record_vote

    async def no_write(*args):
        raise AssertionError("a deleted poll is forgotten: its votes never reach the database")

    repository.record_vote = no_write
    after = await service.vote(poll.id, {"choice": "1"}, user_id="29:b", **WHERE)
    assert after.refusal is not None and after.refusal.reason is RefusalReason.UNKNOWN_POLL
    repository.record_vote = recorded
    # Deleted by another replica: this service still holds the poll in memory, the
    # repository refuses the vote, and it is told apart from a closed poll.
    again = await create(service, 'afstemning "KMD?" "Ja" "Nej"', clock)
    await service.vote(again.id, {"choice": "1"}, user_id="29:a", **WHERE)
    await repository.delete(again.id)
    late = await service.vote(again.id, {"choice": "2"}, user_id="29:c", **WHERE)
    assert late.refusal is not None and late.refusal.reason is RefusalReason.UNKNOWN_POLL
    assert again.id not in repository.votes_by_poll


def test_who_sees_the_results():
    from dataclasses import replace

    from bot.domain.polls import Poll, PollKind, PollSettings, PollSpec

    def poll(results, state="open"):
        spec = PollSpec(PollKind.SCALE, "Q?", settings=PollSettings(results=results))
        return Poll("p", spec, "c", "t", "29:creator", T0, state=state)

    for results, group_open, group_closed, manager_open, manager_closed in (
        ("live", True, True, True, True),
        ("hidden", False, True, False, True),
        ("creator", False, False, True, True),
    ):
        open_poll = poll(results)
        closed = replace(open_poll, state="closed")
        assert open_poll.shows_results(T0) is group_open, results
        assert closed.shows_results(T0) is group_closed, results
        assert open_poll.shows_results(T0, to_manager=True) is manager_open, results
        assert closed.shows_results(T0, to_manager=True) is manager_closed, results


def test_stored_visibilities_load_and_old_rows_are_live():
    from bot.domain.polls import PollKind, PollSettings, PollSpec, spec_from_json, spec_to_json

    spec = PollSpec(PollKind.SCALE, "Q?", settings=PollSettings(results="creator"))
    assert spec_from_json(spec_to_json(spec)) == spec
    old = spec_to_json(spec)
    del old["results"]
    assert spec_from_json(old).settings.results == "live"
    assert spec_from_json({**old, "results": "nonsense"}).settings.results == "live"
    assert spec_from_json({**old, "results": "hidden"}).settings.results == "hidden"


async def test_a_creator_only_evaluation_lends_its_means_to_no_public_trend(
    service, repository, clock
):
    async def evaluation(command: str, level: str, creator: str = "29:creator"):
        templates = load_templates(KNOWLEDGE / "poll_templates.yaml")
        draft = parse_poll_command(command, clock.now(), templates)
        assert isinstance(draft, PollDraft)
        poll = await service.create(draft.to_spec(), creator_id=creator, **WHERE)
        first = poll.spec.statements[0].id
        for voter in ("29:a", "29:b", "29:c"):
            vote = await service.vote(poll.id, {RATING + first: level}, user_id=voter, **WHERE)
            assert vote.status == "new"
        await service.close(poll.id, creator)
        clock.advance(days=30)
        return await repository.get(poll.id)

    await evaluation("evaluering", "2")
    await evaluation("evaluering privat", "4")
    await evaluation("evaluering privat", "1", creator="29:admin")
    latest = await evaluation("evaluering", "5")
    public = await service.trend(latest, await service.tally(latest))
    assert public is not None and public.rows[0].means == (2.0, 5.0)
    # To this poll's creator privately: their own creator-only evaluation too, not another's.
    private = await service.trend(latest, await service.tally(latest), to_manager=True)
    assert private is not None and private.rows[0].means == (2.0, 4.0, 5.0)
