"""Knowledge-base events planned into reminders, and reloads that change nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.model import Event, Session, When
from bot.domain.reminders import dedupe_key, diff_plan, plan_event_reminders

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)


def dated(event_id: str, day: date, at: time | None = None) -> Event:
    return Event(event_id, event_id, When("date", (Session(day, start_time=at),)))


EVENTS = (
    dated("webinar", date(2026, 12, 15), time(13, 0)),
    dated("near", date(2026, 12, 5)),  # a week before has passed, a day before has not
    dated("past", date(2026, 11, 1)),
    dated("early", date(2026, 12, 20), time(8, 0)),
    Event("spring", "spring", When("month", month=(2027, 3))),
    Event("q2", "q2", When("quarter", quarter=(2027, 2))),
    dated("dst", date(2027, 4, 4)),  # a week before is in winter time, a day before summer
)


def plan(events=EVENTS, now=NOW, **kw):
    return plan_event_reminders("conv-1", events, now, **kw)


def test_offsets_at_nine_local_and_skips():
    found = {(p.event_id, p.offset_days): p.due_at for p in plan()}
    assert found == {
        ("webinar", 7): datetime(2026, 12, 8, 8, 0, tzinfo=UTC),
        ("webinar", 1): datetime(2026, 12, 14, 8, 0, tzinfo=UTC),
        ("near", 1): datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
        ("early", 7): datetime(2026, 12, 13, 8, 0, tzinfo=UTC),
        ("early", 1): datetime(2026, 12, 19, 8, 0, tzinfo=UTC),
        ("dst", 7): datetime(2027, 3, 28, 7, 0, tzinfo=UTC),  # the DST day: 9.00 summer time
        ("dst", 1): datetime(2027, 4, 3, 7, 0, tzinfo=UTC),
    }


def test_sorted_by_due_time_and_keys_are_deterministic():
    first = plan()
    assert [p.due_at for p in first] == sorted(p.due_at for p in first)
    assert [p.dedupe_key for p in first] == [p.dedupe_key for p in plan()]
    assert len({p.dedupe_key for p in first}) == len(first)
    assert first[0].dedupe_key == dedupe_key("conv-1", first[0].event_id, first[0].offset_days)
    assert dedupe_key("conv-1", "a", 7) != dedupe_key("conv-2", "a", 7)


def test_a_same_day_offset_after_the_start_is_skipped():
    found = plan((dated("early", date(2026, 12, 20), time(8, 0)),), offsets_days=(0,))
    assert found == ()
    later = plan((dated("late", date(2026, 12, 20), time(13, 0)),), offsets_days=(0,))
    assert [p.offset_days for p in later] == [0]


def test_configured_offsets_and_time():
    found = plan((EVENTS[0],), offsets_days=(3,), remind_at=time(8, 15))
    assert [p.due_at for p in found] == [datetime(2026, 12, 12, 7, 15, tzinfo=UTC)]


def scheduled_after(diff, scheduled):
    state = dict(scheduled)
    for key in diff.remove:
        del state[key]
    for p in (*diff.add, *diff.update):
        state[p.dedupe_key] = p.due_at
    return state


def test_diff_is_idempotent_across_reloads():
    state = scheduled_after(diff_plan({}, plan(), NOW), {})
    assert len(state) == len(plan())
    again = diff_plan(state, plan(), NOW)
    assert (again.add, again.update, again.remove) == ((), (), ())


def test_a_moved_event_updates_and_a_removed_one_is_removed():
    state = scheduled_after(diff_plan({}, plan(), NOW), {})
    moved = (dated("webinar", date(2026, 12, 16), time(13, 0)), *EVENTS[1:4])
    diff = diff_plan(state, plan(moved), NOW)
    assert {p.event_id for p in diff.update} == {"webinar"}
    assert diff.add == ()
    assert len(diff.remove) == 2  # the "dst" event's two reminders
    state = scheduled_after(diff, state)
    assert diff_plan(state, plan(moved), NOW) == diff_plan(state, plan(moved), NOW)
    assert diff_plan(state, plan(moved), NOW).update == ()


def test_a_job_already_due_is_left_for_the_dispatcher():
    overdue = {"kb-event:old": datetime(2026, 12, 1, 8, 0, tzinfo=UTC)}
    assert diff_plan(overdue, (), NOW).remove == ()
    future = {"kb-event:gone": datetime(2026, 12, 9, 8, 0, tzinfo=UTC)}
    assert diff_plan(future, (), NOW).remove == ("kb-event:gone",)
