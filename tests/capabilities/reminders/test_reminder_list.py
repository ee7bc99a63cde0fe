"""Which reminders a person is shown where, and what a number deletes (real SQLite storage)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.capabilities.reminders.jobs import Sender, reminder_job
from bot.capabilities.reminders.manage import ReminderList
from bot.domain.admins import Admins
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.reminders import ReminderRequest
from bot.domain.scheduling import JobState
from storage.scheduled_jobs import SqlJobRepository
from tests.support.storage import migrated

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)


class Listing:
    """A StatePropertyAccessor's get/set, without a turn (the state is one person's)."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None

    async def get(self, _context, default=None):
        return self.value if self.value is not None else (default() if default else None)

    async def set(self, _context, value) -> None:
        self.value = value


def person(user: str, conversation: str, scope: str = "personal") -> Sender:
    return Sender(user, user.title(), None, conversation, scope, "t", "https://s/", "28:bot")  # type: ignore[arg-type]


@pytest.fixture
async def jobs(tmp_path):
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}") as (engine, writer):
        yield SqlJobRepository(engine, writer)


async def add(jobs, who: Sender, text: str, hours: float, target: str = "me") -> str:
    request = ReminderRequest(target=target, due_at=NOW + timedelta(hours=hours), text=text)  # type: ignore[arg-type]
    return (await jobs.schedule(reminder_job(request, who, "da", NOW))).id


def reminders(jobs, listing=None, admins=()) -> ReminderList:
    return ReminderList(
        jobs, listing or Listing(), FixedClock(NOW), admins=Admins(admins), zone=COPENHAGEN
    )


async def test_who_sees_what_where(jobs):
    anne_dm, anne_group = person("anne", "a:dm"), person("anne", "19:g", "groupChat")
    bo_group = person("bo", "19:g", "groupChat")
    await add(jobs, anne_dm, "lægen", 3)
    await add(jobs, anne_group, "referatet", 2)
    await add(jobs, bo_group, "pausen", 1, target="conversation")
    await add(jobs, person("bo", "19:other", "groupChat"), "andetsteds", 1, target="conversation")
    shown, hidden = await reminders(jobs).listed(anne_group)
    assert [j.payload["text"] for j in shown] == ["pausen", "referatet"] and hidden == 1
    shown, hidden = await reminders(jobs).listed(anne_dm)
    assert [j.payload["text"] for j in shown] == ["referatet", "lægen"] and hidden == 0
    shown, _ = await reminders(jobs).listed(bo_group)
    assert [j.payload["text"] for j in shown] == ["pausen"]


async def test_a_number_means_the_list_that_was_shown(jobs):
    anne, listing = person("anne", "a:dm"), Listing()
    first = await add(jobs, anne, "a", 1)
    await add(jobs, anne, "b", 2)
    listed = reminders(jobs, listing)
    await listed._list(None, anne, "da")
    assert listing.value == {"conversation": "a:dm", "ids": [first, listing.value["ids"][1]]}
    await add(jobs, anne, "c", 0.5)  # new, and earliest: the shown numbers stay as they were
    assert "„a“" in await listed._delete(None, anne, 1, "da")
    assert (await jobs.get(first)).state is JobState.CANCELLED
    assert "allerede sendt eller slettet" in await listed._delete(None, anne, 1, "da")
    assert "ingen påmindelse nr. 3" in await listed._delete(None, anne, 3, "da")


async def test_a_channel_reminder_is_deleted_by_its_creator_or_an_admin_only(jobs):
    anne, bo = person("anne", "19:c", "channel"), person("bo", "19:c", "channel")
    admin = person("boss", "19:c", "channel")
    job = await add(jobs, anne, "frist", 1, target="conversation")
    listing = Listing()
    listing.value = {"conversation": "19:c", "ids": [job]}
    assert "Kun den, der satte" in await reminders(jobs, listing)._delete(None, bo, 1, "da")
    assert "Slettet" in await reminders(jobs, listing, admins=["boss"])._delete(
        None, admin, 1, "da"
    )


async def test_someone_elses_personal_reminder_is_never_deleted(jobs):
    anne, bo = person("anne", "19:g", "groupChat"), person("bo", "19:g", "groupChat")
    job = await add(jobs, anne, "lægen", 1)
    listing = Listing()
    listing.value = {"conversation": "19:g", "ids": [job]}  # forged or stale state
    reply = await reminders(jobs, listing, admins=["bo"])._delete(None, bo, 1, "da")
    assert "Kun den, der satte" in reply
    assert (await jobs.get(job)).state is JobState.PENDING


async def test_a_long_list_shows_the_first_fifty_and_counts_the_rest(jobs):
    anne, listing = person("anne", "a:dm"), Listing()
    for n in range(60):
        await add(jobs, anne, f"r{n}", 1 + n)
    text = await reminders(jobs, listing)._list(None, anne, "da")
    assert "50. " in text and "51. " not in text
    assert "… og 10 senere." in text
    assert len(listing.value["ids"]) == 50
    assert "ingen påmindelse nr. 51" in await reminders(jobs, listing)._delete(None, anne, 51, "da")
