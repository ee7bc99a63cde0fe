"""Local wall-clock times to UTC, deterministic on the nights the clocks change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_utc(local: datetime, zone: ZoneInfo) -> tuple[datetime, bool]:
    """The UTC moment of a naive local time, and whether that wall time does not exist.

    RFC 5545 (3.3.5) semantics, which `fold=0` gives with zoneinfo: a time in the spring-forward
    gap (2027-03-28 02.30 in Copenhagen) is read with the offset before the gap, i.e. moved on
    by the gap's length (03.30 summer time); a time that happens twice in the autumn
    (2026-10-25 02.30) is its first occurrence (summer time).
    """
    moment = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    shifted = moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None)
    return moment, shifted


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall-clock time of an aware moment."""
    return moment.astimezone(zone).replace(tzinfo=None)
