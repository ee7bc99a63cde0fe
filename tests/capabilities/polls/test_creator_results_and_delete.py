"""Creator-only results (cards, the close, the auto-close job); a deleted poll's card and jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.capabilities.polls.cards import delete_confirmation_card, poll_card
from bot.capabilities.polls.publisher import CARD_JOB, CLOSE_JOB, PollPublisher, ReplyPath
from bot.capabilities.polls.results_view import results_view
from bot.domain.clock import FixedClock
from bot.domain.polls import CardClaim, PollService, PollSettings
from bot.domain.polls.model import Option, Poll, PollKind, PollSpec, ResultsVisibility
from bot.domain.scheduling import Delivered, DeliveryGone, Job, new_job
from dialogs.poll_dialog import draft_from_json, draft_to_json
from tests.domain.polls.fake_repository import InMemoryPollRepository

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Copenhagen")
WHERE = {"conversation_id": "conv-1", "tenant_id": "tenant-1"}


class ClaimingRepository(InMemoryPollRepository):
    """Every claim wins (the card is updated at once), as after a quiet second."""

    async def claim_card_update(self, poll_id, now, min_interval=timedelta(seconds=1)):
        return CardClaim("update_now" if poll_id in self.polls else "nothing")


class Timers:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    async def schedule(self, job: Job) -> Job:
        self.jobs.append(job)
        return job


@dataclass
class Delivery:
    conversation_id: str
    activity_id: str | None = "pm-1"


class Sender:
    def __init__(self, *, personal_fails: bool = False, personal_chat: str = "a:creator-1on1"):
        self.sent: list[tuple[str, Any]] = []
        self.updates: list[tuple[str, str, dict]] = []
        self.personal: list[tuple[str, str, str, Any, str | None]] = []
        self.personal_fails = personal_fails
        self.personal_chat = personal_chat

    async def send(self, conversation_id, message):
        self.sent.append((conversation_id, message))
        return "a1"

    async def update(self, conversation_id, activity_id, card):
        self.updates.append((conversation_id, activity_id, card))

    async def send_personal(self, user_id, tenant_id, service_url, message, *, bot_id=None):
        if self.personal_fails:
            raise DeliveryGone("create_conversation: forbidden")
        self.personal.append((user_id, tenant_id, service_url, message, bot_id))
        return Delivery(self.personal_chat)


def texts(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def repository():
    return ClaimingRepository()


@pytest.fixture
def service(repository, clock):
    return PollService(repository, clock, b"secret")


def publisher_for(service, repository, clock, sender, timers=None) -> PollPublisher:
    return PollPublisher(service, repository, timers or Timers(), sender, clock, zone=ZONE)


async def make_poll(
    service, results: ResultsVisibility = "creator", *, closes_at=None, conversation="conv-1"
) -> Poll:
    spec = PollSpec(
        PollKind.SINGLE,
        "Har din kommune svaret KMD?",
        (Option("1", "Ja"), Option("2", "Nej")),
        settings=PollSettings(anonymous=False, results=results, closes_at=closes_at),
    )
    poll = await service.create(
        spec,
        conversation_id=conversation,
        tenant_id="tenant-1",
        creator_id="29:creator",
        creator_name="Anne Hansen",
    )
    repository = service._repository
    repository.polls[poll.id] = replace(poll, card_activity_id="card-1")  # the card was posted
    return repository.polls[poll.id]


async def votes(service, poll: Poll, *choices: str, conversation="conv-1") -> None:
    for n, choice in enumerate(choices):
        outcome = await service.vote(
            poll.id,
            {"choice": choice},
            conversation_id=conversation,
            tenant_id="tenant-1",
            user_id=f"29:v{n}",
            user_name=f"V{n}",
        )
        assert outcome.status == "new"


# --- cards ----------------------------------------------------------------------------------


async def test_the_shared_card_of_a_creator_only_poll_has_no_figures_open_or_closed(
    service, repository, clock
):
    poll = await make_poll(service)
    await votes(service, poll, "1", "1", "2")
    tally = await service.tally(poll)
    for final in (False, True):
        view = results_view(poll, tally, threshold=3, final=final)
        assert view.for_creator and view.blocks == () and view.lines == ()
        shown = texts(poll_card(poll, view, now=clock.now()))
        assert "3 har svaret" in shown
        assert "Kun den, der oprettede afstemningen, ser resultatet" in shown
        assert "67" not in shown and "%" not in shown
    # For the creator (the private results message) the figures are there.
    private = results_view(poll, tally, threshold=3, final=True, to_creator=True)
    assert [(r.label, r.count, r.percent) for r in private.blocks[0].rows] == [
        ("Ja", 2, 67),
        ("Nej", 1, 33),
    ]


async def test_the_card_of_a_closed_creator_only_poll_still_hides_the_figures(
    service, repository, clock
):
    poll = await make_poll(service)
    await votes(service, poll, "2", "2", "2")
    await service.close(poll.id, "29:creator")
    publisher = publisher_for(service, repository, clock, Sender())
    card = texts(await publisher.card(await repository.get(poll.id)))
    assert "Afstemningen er lukket" in card and "100" not in card
    assert "ser resultatet" in card


def test_the_guided_dialog_keeps_a_creator_only_setting():
    from bot.domain.polls import PollDraft

    draft = PollDraft(PollKind.SINGLE, "Q?", settings=PollSettings(results="creator"))
    assert draft_from_json(draft_to_json(draft)).settings.results == "creator"
    old = draft_to_json(draft)
    del old["results"]  # a dialog saved before the setting existed
    assert draft_from_json(old).settings.results == "live"


# --- the close ------------------------------------------------------------------------------


async def test_the_results_go_to_the_creators_private_chat_and_the_group_gets_the_count(
    service, repository, clock
):
    poll = await make_poll(service)
    await votes(service, poll, "1", "1", "2")
    sender = Sender()
    publisher = publisher_for(service, repository, clock, sender)
    await service.close(poll.id, "29:creator")
    await publisher.closed(poll, ReplyPath("https://smba.example/emea/", "28:bot"))
    [(user, tenant, url, card, bot)] = sender.personal
    assert (user, tenant, url, bot) == (
        "29:creator",
        "tenant-1",
        "https://smba.example/emea/",
        "28:bot",
    )
    shown = texts(card)
    assert "Resultat: Har din kommune svaret KMD?" in shown
    assert "67\u00a0% (2)" in shown and "33\u00a0% (1)" in shown
    assert "kun sendt til dig" in shown
    [(conversation, note)] = sender.sent
    assert conversation == "conv-1" and isinstance(note, str)
    assert note == (
        "Afstemningen „Har din kommune svaret KMD?“ er lukket · 3 har svaret. "
        "Resultatet er sendt privat til Anne Hansen."
    )
    [(_, card_id, closed_card)] = sender.updates  # the shared card shows it closed
    assert card_id == "card-1" and "%" not in texts(closed_card)


async def test_when_the_private_send_fails_the_group_is_told_and_gets_no_figures(
    service, repository, clock, caplog
):
    poll = await make_poll(service)
    await votes(service, poll, "1", "2", "2")
    sender = Sender(personal_fails=True)
    publisher = publisher_for(service, repository, clock, sender)
    await service.close(poll.id, "29:creator")
    with caplog.at_level("WARNING"):
        await publisher.closed(poll, ReplyPath("https://smba.example/", "28:bot"))
    [(_, note)] = sender.sent
    assert "jeg kunne ikke skrive privat" in note and "3 har svaret" in note
    assert "%" not in note and "Resultatside" in note
    assert all("%" not in texts(card) for _, _, card in sender.updates)
    assert any("could not send the creator-only results" in r.message for r in caplog.records)


async def test_a_poll_in_the_creators_own_chat_gets_only_the_results(service, repository, clock):
    poll = await make_poll(service, conversation="a:creator-1on1")
    await votes(service, poll, "1", conversation="a:creator-1on1")
    sender = Sender(personal_chat="a:creator-1on1")
    publisher = publisher_for(service, repository, clock, sender)
    await service.close(poll.id, "29:creator")
    await publisher.closed(poll, ReplyPath("https://smba.example/", None))
    assert len(sender.personal) == 1 and sender.sent == []


async def test_the_auto_close_job_carries_how_to_reach_the_creator(service, repository, clock):
    closes = T0 + timedelta(minutes=10)
    poll = await make_poll(service, closes_at=closes)
    await votes(service, poll, "1", "1", "1")
    sender, timers = Sender(), Timers()
    publisher = publisher_for(service, repository, clock, sender, timers)
    await publisher.posted(poll, None, ReplyPath("https://smba.example/", "28:bot"))
    [job] = timers.jobs
    assert job.kind == CLOSE_JOB and job.payload == {
        "pollId": poll.id,
        "serviceUrl": "https://smba.example/",
        "botId": "28:bot",
    }
    clock.set(closes)
    await publisher.run_close_job(job)
    [(user, _, url, card, bot)] = sender.personal
    assert (user, url, bot) == ("29:creator", "https://smba.example/", "28:bot")
    assert "100\u00a0% (3)" in texts(card)
    assert all("100" not in texts(m) for _, m in sender.sent)


async def test_a_live_polls_close_job_carries_no_address(service, repository, clock):
    poll = await make_poll(service, "live", closes_at=T0 + timedelta(minutes=5))
    timers = Timers()
    publisher = publisher_for(service, repository, clock, Sender(), timers)
    await publisher.posted(poll, None, ReplyPath("https://smba.example/", "28:bot"))
    assert timers.jobs[0].payload == {"pollId": poll.id}


# --- deleting -------------------------------------------------------------------------------


async def test_a_deleted_polls_card_says_so_without_the_question(service, repository, clock):
    poll = await make_poll(service, "live")
    sender = Sender()
    publisher = publisher_for(service, repository, clock, sender)
    outcome = await service.delete(poll.id, "29:creator")
    assert outcome.poll is not None
    await publisher.deleted(outcome.poll)
    [(conversation, activity_id, card)] = sender.updates
    assert (conversation, activity_id) == ("conv-1", "card-1")
    assert "Afstemningen er slettet" in texts(card) and "KMD" not in texts(card)
    assert "actions" not in card


async def test_jobs_of_a_deleted_poll_do_nothing_and_fail_nothing(service, repository, clock):
    poll = await make_poll(service, closes_at=T0 + timedelta(minutes=10))
    sender = Sender()
    publisher = publisher_for(service, repository, clock, sender)
    await service.delete(poll.id, "29:creator")
    payload = {"pollId": poll.id}
    card_job = new_job(CARD_JOB, T0, "conv-1", now=T0, payload=payload)
    close_job = new_job(CLOSE_JOB, T0, "conv-1", now=T0, payload=payload)
    # Completed, not failed: a deleted poll's jobs are obsolete, not undeliverable.
    assert isinstance(await publisher.run_card_job(card_job), Delivered)
    assert isinstance(await publisher.run_close_job(close_job), Delivered)
    assert sender.sent == [] and sender.updates == [] and sender.personal == []


async def test_an_update_racing_a_delete_is_followed_by_the_deleted_card(
    service, repository, clock
):
    poll = await make_poll(service, "live")

    class DeletingSender(Sender):
        async def update(self, conversation_id, activity_id, card):
            await super().update(conversation_id, activity_id, card)
            if len(self.updates) == 1:  # the delete lands while this update is on its way
                await repository.delete(poll.id)

    sender = DeletingSender()
    publisher = publisher_for(service, repository, clock, sender)
    await publisher.voted(poll)
    assert len(sender.updates) == 2
    assert "KMD" in texts(sender.updates[0][2])
    assert "Afstemningen er slettet" in texts(sender.updates[-1][2])


def test_the_confirmation_card_names_the_poll_and_carries_when_it_was_asked():
    spec = PollSpec(PollKind.SCALE, "Temperatur?", lang="en")
    poll = Poll("p1", spec, "conv-1", "tenant-1", "29:creator", T0, state="closed")
    card = delete_confirmation_card(poll, 4, asked_by="Anne", asked_at=T0, now=T0)
    shown = texts(card)
    assert 'Delete the poll \\"Temperatur?\\"?' in shown and "4 answered" in shown
    assert "The results message already sent stays" in shown
    verbs = [(a["verb"], a["title"], a["data"]) for a in card["actions"]]
    assert verbs == [
        ("poll.delete.confirm", "Delete", {"pollId": "p1", "askedAt": T0.isoformat()}),
        ("poll.delete.cancel", "Cancel", {"pollId": "p1", "askedAt": T0.isoformat()}),
    ]
