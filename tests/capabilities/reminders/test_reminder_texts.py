"""Confirmations, refusals and the delivered card, without the wire."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.capabilities.reminders.cards import reminder_card
from bot.capabilities.reminders.jobs import ReminderPayload
from bot.capabilities.reminders.replies import confirmation, error_text, moment
from bot.capabilities.reminders.wording import _TEXTS
from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import ReminderError, parse_reminder
from bot.domain.reminders.model import Reason

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)


def confirm(text: str, scope: str = "personal", lang: str = "da") -> str:
    request = parse_reminder(text, NOW)
    assert request is not None and not isinstance(request, ReminderError), request
    return confirmation(request, scope, lang, NOW, COPENHAGEN)  # type: ignore[arg-type]


def test_every_text_has_danish_and_english():
    for key, texts in _TEXTS.items():
        assert set(texts) == {"da", "en"}, key


def test_danish_writes_the_hour_without_a_leading_zero():
    assert moment(datetime(2027, 3, 19, 8, 5, tzinfo=UTC), "da", COPENHAGEN) == (
        "fredag den 19. marts 2027 kl. 9.05"
    )
    assert moment(datetime(2027, 3, 19, 11, 0, tzinfo=UTC), "en", COPENHAGEN) == (
        "Friday 19 March 2027 at 12:00"
    )


@pytest.mark.parametrize(
    "command, scope, expected",
    [
        (
            "påmind mig i morgen kl. 9 om at svare KMD",
            "personal",
            "Jeg minder dig om „at svare KMD“ torsdag den 3. december 2026 kl. 9.00.",
        ),
        (
            "påmind mig om 90 minutter om kaffe",
            "personal",
            "om 1 time og 30 minutter, onsdag den 2. december 2026 kl. 11.30",
        ),
        ("påmind mig om 1 minut om kaffe", "personal", "om 1 minut,"),
        (
            "påmind mig om 3 dage om kaffe",
            "personal",
            "„kaffe“ lørdag den 5. december 2026 kl. 10.00.",
        ),
        (
            "påmind kanalen 19/3 kl. 12 om frist",
            "channel",
            "Jeg minder kanalen om „frist“ fredag den 19. marts 2027 kl. 12.00.",
        ),
        ("påmind os i morgen kl. 12 om frist", "groupChat", "Jeg minder chatten om „frist“"),
        ("påmind mig i morgen kl. 9 om x", "channel", "Den kommer i din private chat med mig."),
        (
            "påmind os den første tirsdag i hver måned kl. 10 om programledermøde",
            "groupChat",
            "den første tirsdag i hver måned kl. 10.00. Første gang: tirsdag den 5. januar 2027 "
            "kl. 10.00.",
        ),
        (
            "påmind mig 1. juni om x",
            "personal",
            "Du skrev ikke noget klokkeslæt, så jeg har valgt kl. 9.00.",
        ),
        (
            "påmind mig 28/3-2027 kl. 2.30 om x",
            "personal",
            "uret stilles frem), så påmindelsen kommer kl. 3.30.",
        ),
    ],
)
def test_the_confirmation_says_what_was_understood(command, scope, expected):
    assert expected in confirm(command, scope)


def test_a_personal_reminder_set_in_a_one_to_one_chat_says_nothing_about_where():
    assert "private chat" not in confirm("påmind mig i morgen kl. 9 om x")


def test_the_english_confirmation():
    text = confirm("remind us every Monday at 9 to stand up", "channel", "en")
    assert text.startswith('I will remind this channel about "stand up" every Monday at 09:00.')
    assert "First time: Monday 7 December 2026 at 09:00." in text


def test_text_that_looks_like_markup_is_shown_literally():
    assert "„\\*\\*vigtigt\\*\\* \\[link\\]\\(x)“" in confirm(
        "påmind mig i morgen kl. 9 om **vigtigt** [link](x)"
    )


@pytest.mark.parametrize(
    "reason, error, expected",
    [
        (
            "in_the_past",
            ReminderError("in_the_past", day=date(2026, 12, 2)),
            "allerede passeret (2. december 2026)",
        ),
        ("in_the_past", ReminderError("in_the_past"), "allerede passeret. Vælg"),
        (
            "impossible_date",
            ReminderError("impossible_date", detail="31/4"),
            "Datoen „31/4“ findes ikke",
        ),
        (
            "impossible_time",
            ReminderError("impossible_time", detail="kl. 9.75"),
            "„kl. 9.75“ findes ikke",
        ),
        (
            "conflicting_times",
            ReminderError("conflicting_times", detail="fredag"),
            "mere end ét tidspunkt („fredag“)",
        ),
        ("conflicting_times", ReminderError("conflicting_times"), "mere end ét tidspunkt. Skriv"),
        (
            "weekday_mismatch",
            ReminderError("weekday_mismatch", day=date(2027, 3, 18)),
            "torsdag den 18. marts 2027",
        ),
        ("too_far", ReminderError("too_far"), "5 år frem"),
        ("invalid_recurrence", ReminderError("invalid_recurrence"), "forekommer aldrig"),
        ("unrecognised", ReminderError("unrecognised"), "Skriv fx `påmind mig i morgen kl. 9"),
    ],
)
def test_every_reason_has_its_own_answer(reason: Reason, error, expected):
    assert expected in error_text(error, "da")
    assert error_text(error, "en") != error_text(error, "da")


def payload(**changes) -> ReminderPayload:
    values = {"text": "at svare KMD", "lang": "da", "target": "me", "user_id": "29:u"}
    return ReminderPayload(**{**values, **changes})


def test_the_card_has_the_four_buttons_with_the_job_id():
    card = reminder_card("job-1", payload(), zone=COPENHAGEN)
    assert [a["title"] for a in card["actions"]] == [
        "Udsæt 10 min",
        "Udsæt 1 time",
        "I morgen kl. 9",
        "Færdig",
    ]
    assert [a["data"] for a in card["actions"]] == [
        {"jobId": "job-1", "snooze": 0},
        {"jobId": "job-1", "snooze": 1},
        {"jobId": "job-1", "snooze": 2},
        {"jobId": "job-1"},
    ]


def test_a_late_card_says_when_it_should_have_come():
    intended = datetime(2026, 12, 3, 9, 0, tzinfo=COPENHAGEN)
    same_day = reminder_card(
        "j", payload(), zone=COPENHAGEN, late_since=intended, sent_at=intended + timedelta(hours=2)
    )
    assert "Forsinket: skulle være sendt kl. 9.00" in json.dumps(same_day, ensure_ascii=False)
    next_day = reminder_card(
        "j", payload(), zone=COPENHAGEN, late_since=intended, sent_at=intended + timedelta(hours=16)
    )
    assert "Forsinket: skulle være sendt torsdag den 3. december 2026 kl. 9.00" in json.dumps(
        next_day, ensure_ascii=False
    )
    english = reminder_card(
        "j", payload(lang="en"), zone=COPENHAGEN, late_since=intended, sent_at=intended
    )
    assert "Late: should have been sent at 09:00" in json.dumps(english)


def test_an_answered_card_has_no_buttons_and_a_channel_card_says_who_set_it():
    card = reminder_card(
        "j",
        payload(target="conversation", user_name="Anne *B*"),
        zone=COPENHAGEN,
        outcome="Færdig ✓",
    )
    shown = json.dumps(card, ensure_ascii=False)
    assert "actions" not in card and "Færdig ✓" in shown
    assert "Sat af Anne \\\\*B\\\\*" in shown
