"""PollPublisher's card updates: claimed through the repository, coalesced within a process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.capabilities.polls.publisher import CARD_JOB, PollPublisher
from bot.domain.clock import FixedClock
from bot.domain.polls import CardClaim, PollService
from bot.domain.polls.model import Option, Poll, PollKind, PollSpec
from bot.domain.scheduling import Job
from tests.domain.polls.fake_repository import InMemoryPollRepository

T0 = datetime(2026, 12, 2, 9, 0, 0, 300_000, tzinfo=UTC)


class ClaimingRepository(InMemoryPollRepository):
    """Answers claims as the database would after an update went out at T0."""

    def __init__(self) -> None:
        super().__init__()
        self.claims = 0

    async def claim_card_update(self, poll_id, now, min_interval=timedelta(seconds=1)):
        self.claims += 1
        return CardClaim("later", T0 + min_interval)


class Timers:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    async def schedule(self, job: Job) -> Job:
        self.jobs.append(job)
        return job


class Sender:
    async def send(self, conversation_id, message):
        return "a1"

    async def update(self, conversation_id, activity_id, card):
        raise AssertionError("no update was claimed")


def _poll() -> Poll:
    spec = PollSpec(
        kind=PollKind.SINGLE,
        question="Har din kommune svaret KMD?",
        options=(Option("1", "Ja"), Option("2", "Nej")),
    )
    return Poll("p1", spec, "conv-1", "tenant-1", "29:creator", T0, card_activity_id="a0")


async def test_votes_while_a_card_job_is_due_make_no_claim_and_the_job_claims_again():
    clock = FixedClock(T0)
    repository, timers = ClaimingRepository(), Timers()
    service = PollService(repository, clock, b"secret")
    publisher = PollPublisher(
        service, repository, timers, Sender(), clock, zone=ZoneInfo("Europe/Copenhagen")
    )
    poll = _poll()
    await repository.add(poll)
    await publisher.voted(poll)  # the claim says "later": one card job for that second
    assert repository.claims == 1 and [j.kind for j in timers.jobs] == [CARD_JOB]
    for _ in range(20):
        await publisher.voted(poll)
    assert repository.claims == 1 and len(timers.jobs) == 1
    # The job runs (at its second): it claims, and after it votes claim again.
    clock.set(timers.jobs[0].due_at)
    await publisher.run_card_job(timers.jobs[0])
    assert repository.claims == 2
