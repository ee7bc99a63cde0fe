"""The reminder job's payload, the delivery handler and the dialog's composed commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.capabilities.reminders.delivery import ReminderDelivery
from bot.capabilities.reminders.jobs import KIND, ReminderPayload, Sender, following, reminder_job
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.reminders import ReminderRequest, parse_reminder
from bot.domain.scheduling import DeliveryGone, RetryLater, new_job
from dialogs.reminder_dialog import compose

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)


@dataclass
class Sent:
    conversation_id: str
    activity_id: str | None


@dataclass
class FakeSender:
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    personal: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    error: Exception | None = None

    async def send(self, conversation_id: str, message: dict[str, Any]) -> str | None:
        if self.error is not None:
            raise self.error
        self.sent.append((conversation_id, message))
        return f"activity-{len(self.sent)}"

    async def send_personal(self, user_id, tenant_id, service_url, message, *, bot_id=None):
        self.personal.append((user_id, tenant_id, service_url, bot_id))
        self.sent.append(("a:one-to-one", message))
        return Sent("a:one-to-one", "activity-personal")


def sender(scope: str = "personal", conversation: str = "a:personal-1") -> Sender:
    return Sender(
        user_id="29:anne",
        name="Anne",
        aad_object_id="aad-anne",
        conversation_id=conversation,
        scope=scope,  # type: ignore[arg-type]
        tenant_id="t1",
        service_url="https://smba.example/",
        bot_id="28:bot",
    )


def request(text: str, now: datetime = NOW) -> ReminderRequest:
    parsed = parse_reminder(text, now)
    assert isinstance(parsed, ReminderRequest), parsed
    return parsed


def test_a_job_keeps_who_where_and_what():
    job = reminder_job(
        request("påmind mig i morgen kl. 9 om x"), sender("channel", "19:c"), "da", NOW
    )
    assert job.kind == KIND and job.owner_key == "user:29:anne" and job.conversation_id == "19:c"
    payload = ReminderPayload.of(job)
    assert payload is not None
    assert (payload.target, payload.direct, payload.created_in) == ("me", False, "19:c")
    assert (payload.bot_id, payload.tenant_id) == ("28:bot", "t1")
    channel = reminder_job(
        request("påmind os i morgen kl. 9 om x"), sender("channel", "19:c"), "da", NOW
    )
    assert ReminderPayload.of(channel).direct is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"text": 5, "lang": "da", "target": "me", "user_id": "u"},
        {"text": "x", "lang": "fr", "target": "me", "user_id": "u"},
        {"text": "x", "lang": "da", "target": "them", "user_id": "u"},
        {"text": "x", "lang": "da", "target": "me", "user_id": ["u"]},
        {"text": "x", "lang": "da", "target": "me"},
        {"text": "x", "lang": "da", "target": "me", "user_id": "u", "direct": [1]},
    ],
)
def test_a_payload_that_is_not_a_reminders_is_not_read(payload):
    job = new_job(KIND, NOW, "c", now=NOW, payload=payload)
    assert ReminderPayload.of(job) is None


def test_another_kind_is_not_a_reminder():
    job = new_job(
        "poll.close", NOW, "c", now=NOW, payload={"text": "x", "lang": "da", "target": "me"}
    )
    assert ReminderPayload.of(job) is None


def test_a_recurring_job_follows_its_rule_in_local_time():
    job = reminder_job(request("påmind mig hver mandag kl. 9 om x"), sender(), "da", NOW)
    first = following(job, job.due_at)
    assert first == datetime(2026, 12, 14, 9, 0, tzinfo=COPENHAGEN)
    assert following(job, datetime(2027, 3, 25, tzinfo=COPENHAGEN)) == datetime(
        2027, 3, 29, 9, 0, tzinfo=COPENHAGEN
    )
    once = reminder_job(request("påmind mig i morgen kl. 9 om x"), sender(), "da", NOW)
    assert following(once, NOW) is None


async def test_delivery_in_the_chat_it_was_set_in():
    fake, clock = FakeSender(), FixedClock(NOW)
    job = reminder_job(request("påmind mig om 10 min om x"), sender(), "da", NOW)
    clock.advance(minutes=10)
    outcome = await ReminderDelivery(fake, clock, zone=COPENHAGEN).deliver(job)
    assert outcome.activity_id == "activity-1" and outcome.next_due is None
    [(conversation, card)] = fake.sent
    assert conversation == "a:personal-1" and "Forsinket" not in str(card)


async def test_delivery_of_a_personal_reminder_set_in_a_group_opens_the_one_to_one_chat():
    fake, clock = FakeSender(), FixedClock(NOW)
    job = reminder_job(request("påmind mig om 10 min om x"), sender("groupChat", "19:g"), "da", NOW)
    clock.advance(minutes=10)
    outcome = await ReminderDelivery(fake, clock, zone=COPENHAGEN).deliver(job)
    assert fake.personal == [("29:anne", "t1", "https://smba.example/", "28:bot")]
    assert outcome.activity_id == "activity-personal"


async def test_a_late_delivery_says_so_and_a_recurring_one_names_the_next():
    fake, clock = FakeSender(), FixedClock(NOW)
    job = reminder_job(
        request("påmind os hver dag kl. 11 om standup"), sender("groupChat", "19:g"), "da", NOW
    )
    clock.set(job.due_at + timedelta(minutes=1))
    on_time = await ReminderDelivery(fake, clock, zone=COPENHAGEN).deliver(job)
    assert "Forsinket" not in str(fake.sent[-1][1])  # a minute is not late
    assert on_time.next_due == datetime(2026, 12, 3, 11, 0, tzinfo=COPENHAGEN)
    clock.set(job.due_at + timedelta(hours=2))
    late = await ReminderDelivery(fake, clock, zone=COPENHAGEN).deliver(job)
    shown = str(fake.sent[-1][1])
    assert "Forsinket: skulle være sendt kl. 11.00" in shown
    assert "Næste gang: torsdag den 3. december 2026 kl. 11.00" in shown
    assert late.next_due == datetime(2026, 12, 3, 11, 0, tzinfo=COPENHAGEN)


async def test_connector_outcomes_pass_through_and_a_foreign_payload_is_gone():
    clock = FixedClock(NOW)
    job = reminder_job(request("påmind mig om 10 min om x"), sender(), "da", NOW)
    for error in (DeliveryGone("403"), RetryLater(5, "429")):
        with pytest.raises(type(error)):
            await ReminderDelivery(FakeSender(error=error), clock, zone=COPENHAGEN).deliver(job)
    forged = new_job(KIND, NOW, "c", now=NOW, payload={"text": 1})
    with pytest.raises(DeliveryGone):
        await ReminderDelivery(FakeSender(), clock, zone=COPENHAGEN).deliver(forged)


@pytest.mark.parametrize(
    "state, answers, expected",
    [
        (
            {"target": "me", "lang": "da", "text": "at ringe"},
            {"when": "i morgen kl. 9"},
            "påmind mig i morgen kl. 9 om at ringe",
        ),
        (
            {"target": "conversation", "lang": "en", "text": "stand up"},
            {"when": "at 11"},
            "remind us at 11 to stand up",
        ),
        (
            {"target": "me", "lang": "da", "text": "", "command": "påmind mig i morgen kl. 9"},
            {"text": "om at svare"},
            "påmind mig i morgen kl. 9 om at svare",
        ),
        (
            {"target": "me", "lang": "da", "text": "", "command": "påmind mig i morgen kl. 9 om"},
            {"text": "at svare"},
            "påmind mig i morgen kl. 9 om at svare",
        ),
        (
            {"target": "me", "lang": "en", "text": "", "command": "remind me tomorrow at 9"},
            {"text": "to call"},
            "remind me tomorrow at 9 to call",
        ),
    ],
)
def test_the_dialog_composes_the_command_its_answers_add_up_to(state, answers, expected):
    command = compose(state, **answers)
    assert command == expected
    assert isinstance(parse_reminder(command, NOW), ReminderRequest)
