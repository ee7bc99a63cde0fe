"""Field-by-field reading of one YAML entry, collecting every problem instead of stopping."""

from __future__ import annotations

import builtins
import re
from datetime import date, time
from typing import Any, TypeVar, cast

from bot.domain.knowledge.model import Session

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*[-–]\s*(\d{1,2})[:.](\d{2}))?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")

_Choice = TypeVar("_Choice", bound=str)


class EntryReader:
    """Reads typed fields from one entry; every problem is appended as 'file: entry: field: msg'."""

    def __init__(
        self, file: str, item: Any, pos: int, problems: list[str], *, id_field: str = "id"
    ) -> None:
        self.file, self.item, self.problems = file, item, problems
        self.used: set[str] = {id_field}
        self.ok = isinstance(item, dict)
        raw = item.get(id_field) if self.ok else None
        self.id = str(raw).strip() if raw is not None else ""
        self.label = f"entry '{self.id}'" if self.id else f"entry #{pos}"
        if not self.ok:
            problems.append(f"{file}: {self.label}: expected a mapping of fields")
        elif not self.id:
            self.error(id_field, "is required")

    def error(self, field: str, message: str) -> None:
        self.problems.append(f"{self.file}: {self.label}: field '{field}': {message}")

    def mark_used(self, *names: str) -> None:
        self.used.update(names)

    def check_unknown(self) -> None:
        for name in sorted(set(self.item) - self.used):
            self.error(name, "unknown field (spelling?)")

    def _get(self, name: str, required: bool) -> Any:
        self.used.add(name)
        value = self.item.get(name)
        if required and (value is None or value == "" or value == []):
            self.error(name, "is required")
        return value

    def str(self, name: str, required: bool = False) -> str:
        value = self._get(name, required)
        if value is None:
            return ""
        if isinstance(value, bool | dict | list):
            self.error(name, "must be text")
            return ""
        return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()

    def strs(
        self,
        name: builtins.str,
        required: builtins.bool = False,
        choices: tuple[builtins.str, ...] = (),
    ) -> tuple[builtins.str, ...]:
        value = self._get(name, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.error(name, "must be a list of texts")
            return ()
        out = tuple(str(v).strip() for v in value)
        for v in out:
            if choices and v not in choices:
                self.error(name, f"'{v}' is not one of {', '.join(choices)}")
        return out

    def list(self, name: builtins.str) -> builtins.list[Any]:
        value = self._get(name, True)
        if value is not None and not isinstance(value, list):
            self.error(name, "must be a list")
            return []
        return value or []

    def mapping(self, name: builtins.str) -> dict | None:
        value = self._get(name, False)
        if value is not None and not isinstance(value, dict):
            self.error(name, "must be a mapping")
            return None
        return value

    def bool(self, name: builtins.str) -> builtins.bool:
        value = self._get(name, False)
        if value is not None and not isinstance(value, bool):
            self.error(name, "must be true or false")
            return False
        return bool(value)

    def choice(
        self, name: builtins.str, choices: tuple[_Choice, ...], required: builtins.bool = False
    ) -> _Choice:
        value = self.str(name, required)
        if value and value not in choices:
            self.error(name, f"'{value}' is not one of {', '.join(choices)}")
        # A value outside the choices is reported above and still returned, so the entry is
        # kept for the cross-checks; a load with problems never reaches the service.
        return cast(_Choice, value)

    def choice_list(
        self, name: builtins.str, choices: tuple[_Choice, ...], required: builtins.bool = False
    ) -> tuple[_Choice, ...]:
        """`strs` limited to `choices`; a value outside them is reported as by `choice`."""
        return cast(tuple[_Choice, ...], self.strs(name, required, choices))

    def email(self, name: builtins.str) -> builtins.str:
        value = self.str(name)
        if value and not _EMAIL.match(value):
            self.error(name, f"'{value}' is not an email address")
        return value

    def url(self, name: builtins.str) -> builtins.str:
        value = self.str(name)
        if value and not _URL.match(value.replace(" ", "%20")):
            self.error(name, f"'{value}' is not an http(s) address")
        return value

    def url_list(self, name: builtins.str) -> builtins.list[builtins.str]:
        values = self.strs(name)
        for v in values:
            if not _URL.match(v.replace(" ", "%20")):
                self.error(name, f"'{v}' is not an http(s) address")
        return list(values)

    def month(self, name: builtins.str) -> tuple[int, int] | None:
        value = self._get(name, False)
        if value is None:
            return None
        m = _MONTH.match(str(value).strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            self.error(name, f"'{value}' is not a month like 2022-02")
            return None
        return int(m.group(1)), int(m.group(2))

    def quarter(self, name: builtins.str) -> tuple[int, int] | None:
        value = self._get(name, False)
        m = _QUARTER.match(str(value).strip()) if value is not None else None
        if not m:
            self.error(name, f"'{value}' is not a quarter like 2021-Q2")
            return None
        return int(m.group(1)), int(m.group(2))

    def session(self, spec: Any, index: int) -> Session | None:
        where = "" if spec is self.item else f"sessions[{index}]."
        if not isinstance(spec, dict):
            self.error(f"{where.rstrip('.')}", "must be a mapping with date/end_date/time")
            return None
        if where:
            for k in set(spec) - {"date", "end_date", "time"}:
                self.error(f"{where}{k}", "unknown field (spelling?)")
        start = self._date(spec.get("date"), f"{where}date", required=True)
        end = self._date(spec.get("end_date"), f"{where}end_date", required=False)
        if start and end and end < start:
            self.error(f"{where}end_date", "is before date")
        times = self._time(spec.get("time"), f"{where}time")
        if start is None or times is None:
            return None
        return Session(start, end if end != start else None, *times)

    def _date(self, value: Any, field: builtins.str, required: builtins.bool) -> date | None:
        if value is None:
            if required:
                self.error(field, "is required")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(field, f"'{value}' is not a date like 2021-04-12")
            return None

    def _time(self, value: Any, field: builtins.str) -> tuple[time | None, time | None] | None:
        if value is None:
            return (None, None)
        if isinstance(value, int):  # YAML 1.1 reads an unquoted 13:00 as 780 (sexagesimal)
            value = f"{value // 60}:{value % 60:02d}"
        m = _TIME.match(str(value).strip())
        try:
            if not m:
                raise ValueError
            start = time(int(m.group(1)), int(m.group(2)))
            end = time(int(m.group(3)), int(m.group(4))) if m.group(3) else None
        except ValueError:
            self.error(field, f"'{value}' is not a time like 13:00 or 13:00-15:00")
            return None
        if end and end <= start:
            self.error(field, "end time is not after start time")
            return None
        return (start, end)
