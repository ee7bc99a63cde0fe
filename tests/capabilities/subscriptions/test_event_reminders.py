"""EventReminders and ReminderDelivery: plans kept in step with the knowledge, on real rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.capabilities.subscriptions.delivery import ReminderDelivery, reminder_text
from bot.capabilities.subscriptions.planner import REMINDER_JOB, EventReminders
from bot.capabilities.subscriptions.wording import offsets_text
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.knowledge.model import Event, KnowledgeBase, Session, When
from bot.domain.reminders.subscriptions import EventSubscription, ReminderPlan
from bot.domain.scheduling import DeliveryGone, JobState
from bot.scheduler import Scheduler
from storage.event_subscriptions import SqlEventSubscriptionRepository
from storage.scheduled_jobs import SqlJobRepository
from tests.support.storage import migrated

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)
CONVERSATION = "19:meeting@thread.v2"


def dated(event_id: str, day: date, at: time | None = None, **extra) -> Event:
    when = When("date", (Session(day, start_time=at),))
    return Event(event_id, f"Titel {event_id}", when, **extra)


class Knowledge:
    def __init__(self, *events: Event) -> None:
        self.kb = KnowledgeBase(events=events)

    def __call__(self) -> KnowledgeBase:
        return self.kb


class Sender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, conversation_id: str, message: str) -> str | None:
        self.sent.append((conversation_id, message))
        return f"activity-{len(self.sent)}"


@pytest.fixture
async def world(tmp_path):
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}") as (engine, writer):
        clock = FixedClock(NOW)
        jobs = SqlJobRepository(engine, writer)
        scheduler = Scheduler(jobs, clock)
        subscriptions = SqlEventSubscriptionRepository(engine, writer)
        knowledge = Knowledge(
            dated("jan", date(2027, 1, 20), time(10, 0), place="Halmtorvet 29"),
            dated("frist", date(2027, 1, 8)),
            dated("snart", date(2026, 12, 6), time(13, 0)),
            Event("vaar", "Foråret", When("month", month=(2027, 3))),
        )
        reminders = EventReminders(subscriptions, jobs, scheduler, knowledge, ReminderPlan(), clock)
        sender = Sender()
        delivery = ReminderDelivery(
            reminders, subscriptions, knowledge, sender, clock, zone=COPENHAGEN
        )
        scheduler.register(REMINDER_JOB, delivery.run)

        class World:
            pass

        w = World()
        w.__dict__.update(locals())
        yield w


async def subscribe(world, sub_id: str = "s1", lang: str = "da") -> EventSubscription:
    candidate = EventSubscription(sub_id, CONVERSATION, "tenant-1", lang, "29:user-1", NOW)
    stored, _ = await world.subscriptions.subscribe(candidate)
    await world.reminders.replan(stored)
    return stored


def due_times(jobs) -> dict[tuple[str, int], datetime]:
    return {(j.payload["eventId"], j.payload["offsetDays"]): j.due_at for j in jobs}


def local(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), COPENHAGEN).astimezone(UTC)


async def test_a_subscription_plans_one_job_per_future_reminder(world):
    await subscribe(world)
    planned = due_times(await world.reminders.pending(CONVERSATION))
    assert planned == {
        ("jan", 7): local(date(2027, 1, 13)),
        ("jan", 1): local(date(2027, 1, 19)),
        ("frist", 7): local(date(2027, 1, 1)),
        ("frist", 1): local(date(2027, 1, 7)),
        ("snart", 1): local(date(2026, 12, 5)),
    }


async def test_replanning_without_changes_changes_nothing(world):
    subscription = await subscribe(world)
    before = {j.id: j.due_at for j in await world.reminders.pending(CONVERSATION)}
    for _ in range(3):
        await world.reminders.replan(subscription)
    after = {j.id: j.due_at for j in await world.reminders.pending(CONVERSATION)}
    assert after == before


async def test_a_moved_event_moves_and_a_removed_event_cancels(world):
    subscription = await subscribe(world)
    world.knowledge.kb = KnowledgeBase(
        events=(
            dated("jan", date(2027, 1, 20), time(10, 0)),
            dated("frist", date(2027, 1, 15)),  # moved a week on
        )
    )
    for _ in range(3):
        await world.reminders.replan(subscription)
    planned = due_times(await world.reminders.pending(CONVERSATION))
    assert planned == {
        ("jan", 7): local(date(2027, 1, 13)),
        ("jan", 1): local(date(2027, 1, 19)),
        ("frist", 7): local(date(2027, 1, 8)),
        ("frist", 1): local(date(2027, 1, 14)),
    }


async def test_an_event_moved_away_and_back_is_reminded_again(world):
    subscription = await subscribe(world)
    original = world.knowledge.kb
    world.knowledge.kb = KnowledgeBase(events=(dated("frist", date(2027, 1, 15)),))
    await world.reminders.replan(subscription)
    world.knowledge.kb = original
    await world.reminders.replan(subscription)
    await world.reminders.replan(subscription)
    planned = due_times(await world.reminders.pending(CONVERSATION))
    assert planned[("frist", 7)] == local(date(2027, 1, 1))
    assert len(planned) == 5 == len(await world.reminders.pending(CONVERSATION))


async def test_cancel_and_a_new_subscription_plans_afresh(world):
    await subscribe(world)
    await world.subscriptions.unsubscribe(CONVERSATION, NOW)
    assert await world.reminders.cancel(CONVERSATION) == 5
    assert await world.reminders.pending(CONVERSATION) == []
    await subscribe(world, "s2")
    pending = await world.reminders.pending(CONVERSATION)
    assert len(pending) == 5 and {j.payload["subscriptionId"] for j in pending} == {"s2"}


async def test_replan_all_follows_every_active_subscription(world):
    await subscribe(world)
    other = EventSubscription("s9", "19:other@thread.v2", "tenant-1", "en", "29:user-2", NOW)
    await world.subscriptions.subscribe(other)
    await world.reminders.replan_all(KnowledgeBase(events=(dated("x", date(2027, 2, 1)),)))
    assert len(await world.reminders.pending(CONVERSATION)) == 2
    assert len(await world.reminders.pending("19:other@thread.v2")) == 2


async def test_the_reminder_is_sent_at_its_time_with_what_is_known(world):
    await subscribe(world)
    world.clock.set(datetime(2026, 12, 5, 8, 59, tzinfo=COPENHAGEN))
    assert await world.scheduler.tick() == 0
    world.clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    assert await world.scheduler.tick() == 1
    [(conversation, text)] = world.sender.sent
    assert conversation == CONVERSATION
    assert "Titel snart" in text and "i morgen" in text
    assert "6. december 2026 kl. 13.00" in text
    assert "Forsinket" not in text


async def test_a_late_reminder_says_it_is_late(world):
    await subscribe(world)
    world.clock.set(datetime(2026, 12, 5, 11, 30, tzinfo=COPENHAGEN))
    await world.scheduler.tick()
    [(_, text)] = world.sender.sent
    assert "Forsinket: skulle være sendt kl. 9.00" in text


async def test_a_reminder_late_by_days_says_when_it_was_due(world):
    await subscribe(world, lang="en")
    world.clock.set(datetime(2027, 1, 3, 12, 0, tzinfo=COPENHAGEN))
    await world.scheduler.tick()
    [(_, text)] = world.sender.sent
    assert "Deadline" not in text and "Titel frist" in text and "in 5 days" in text
    assert "Late: should have been sent on Friday 1 January 2027 at 09:00" in text


async def test_a_reminder_of_an_event_removed_unseen_is_not_sent_and_the_plan_follows(world):
    await subscribe(world)
    # The knowledge changed with no reload told (the bot restarted on new files).
    world.knowledge.kb = KnowledgeBase(events=(dated("frist", date(2027, 1, 15)),))
    world.clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    pending = await world.reminders.pending(CONVERSATION)
    [job] = [j for j in pending if j.due_at <= world.clock.now()]
    with pytest.raises(DeliveryGone):
        await world.delivery.run(job)
    assert world.sender.sent == []
    assert set(due_times(await world.reminders.pending(CONVERSATION))) >= {
        ("frist", 7),
        ("frist", 1),
    }


async def test_an_unsubscribed_conversation_gets_nothing(world):
    await subscribe(world)
    [job, *_] = await world.reminders.pending(CONVERSATION)
    await world.subscriptions.unsubscribe(CONVERSATION, NOW)
    with pytest.raises(DeliveryGone):
        await world.delivery.run(job)
    assert world.sender.sent == []


async def test_a_reminder_found_after_the_event_began_is_not_sent(world):
    await subscribe(world)
    world.clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=COPENHAGEN))
    await world.scheduler.tick()
    assert world.sender.sent == []
    rows = await world.jobs.pending_for_conversation(CONVERSATION, REMINDER_JOB)
    assert all(j.payload["eventId"] != "snart" for j in rows)


async def test_the_reminder_text_in_english_with_place_and_registration():
    event = dated(
        "jan",
        date(2027, 1, 20),
        time(10, 0),
        title_en="Network meeting",
        place="Halmtorvet 29",
        registration="https://example.org/tilmelding",
    )
    text = reminder_text(event, "en", date(2027, 1, 13), COPENHAGEN)
    assert text.startswith("🔔 Reminder: **Network meeting** – in 7 days.")
    assert "When: 20 January 2027, 10:00" in text
    assert "Where: Halmtorvet 29" in text
    assert "Registration: https://example.org/tilmelding" in text


@pytest.mark.parametrize(
    ("offsets", "lang", "expected"),
    [
        ((7, 1), "da", "7 dage og 1 dag før kl. 9.00"),
        ((1, 7), "en", "7 days and 1 day before, at 09:00"),
        ((14, 7, 1), "da", "14 dage, 7 dage og 1 dag før kl. 9.00"),
        ((0,), "da", "samme dag kl. 9.00"),
        ((2, 0), "en", "2 days before and on the day, at 09:00"),
    ],
)
def test_offsets_in_words(offsets, lang, expected):
    assert offsets_text(offsets, time(9, 0), lang) == expected


async def test_configured_offsets_and_time_are_used(world):
    world.reminders.plan = ReminderPlan((3,), time(8, 30), COPENHAGEN)
    await subscribe(world)
    planned = due_times(await world.reminders.pending(CONVERSATION))
    assert planned[("jan", 3)] == datetime(2027, 1, 17, 8, 30, tzinfo=COPENHAGEN)
    assert set(planned) == {("jan", 3), ("frist", 3), ("snart", 3)}


async def test_a_delivered_reminder_is_not_planned_again(world):
    subscription = await subscribe(world)
    world.clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    await world.scheduler.tick()
    world.clock.set(datetime(2026, 12, 5, 9, 0, 1, tzinfo=COPENHAGEN) - timedelta(hours=1))
    await world.reminders.replan(subscription)  # a clock behind the send must not re-add it
    world.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=COPENHAGEN))
    await world.scheduler.tick()
    assert len(world.sender.sent) == 1
    assert all(j.state is JobState.PENDING for j in await world.reminders.pending(CONVERSATION))
