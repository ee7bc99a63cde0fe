"""Teams meeting start/end events: their `value` is a dict with PascalCase keys; read it safely."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MeetingEvent:
    kind: str  # "start" or "end"
    meeting_id: str | None
    title: str | None
    join_url: str | None
    meeting_type: str | None
    at: datetime | None


def parse_meeting_event(name: str | None, value: Any) -> MeetingEvent:
    data = value if isinstance(value, dict) else {}
    kind = "end" if (name or "").endswith("meetingEnd") else "start"
    stamp = data.get("EndTime") if kind == "end" else data.get("StartTime")
    return MeetingEvent(
        kind=kind,
        meeting_id=_text(data.get("Id")),
        title=_text(data.get("Title")),
        join_url=_text(data.get("JoinUrl")),
        meeting_type=_text(data.get("MeetingType")),
        at=_parse_time(stamp),
    )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
