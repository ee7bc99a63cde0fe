"""Fast JSON ⇄ botbuilder.schema models; msrest's generic (de)serializer costs ~1 ms a turn.

Compiled once per model class from its `_attribute_map`; the output matches msrest's own
(checked by tests/channel/test_schema_codec.py against msrest for real Teams payloads).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

import botbuilder.schema as schema
import botbuilder.schema.teams as teams_schema
import orjson
from msrest.serialization import Deserializer, Model, Serializer

M = TypeVar("M", bound=Model)
_R = TypeVar("_R")


def _per_model(compute: Callable[[type[Model]], _R]) -> Callable[[type[Model]], _R]:
    """`functools.cache`, keeping the signature; the cast because mypy does not see that a
    class is hashable when matching it against `Hashable` (python/mypy#11470)."""
    return cast(Callable[[type[Model]], _R], cache(compute))


_MODELS: dict[str, type[Model]] = {
    name: value
    for module in (schema, teams_schema)
    for name, value in vars(module).items()
    if inspect.isclass(value) and issubclass(value, Model)
}


@_per_model
def _fields(cls: type[Model]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (attribute, spec["key"], spec["type"] if isinstance(spec["type"], str) else "object")
        for attribute, spec in cls._attribute_map.items()
        if attribute != "additional_properties"
    )


@_per_model
def _by_key(cls: type[Model]) -> dict[str, tuple[tuple[str, str], ...]]:
    # A key may feed two attributes (TokenExchangeState's connection_name and bot_url).
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for attribute, key, kind in _fields(cls):
        out[key] = (*out.get(key, ()), (attribute, kind))
    return out


@_per_model
def _extras_written(cls: type[Model]) -> bool:
    # msrest writes unknown properties back only for models that declare them (e.g. Entity).
    return "additional_properties" in cls._attribute_map


def to_json(model: Model) -> dict[str, Any]:
    """The model as the JSON dict msrest's `serialize()` would produce."""
    out: dict[str, Any] = {}
    for attribute, key, kind in _fields(type(model)):
        value = getattr(model, attribute, None)
        if value is not None:
            out[key] = _dump(value, kind)
    extra = _extras_written(type(model)) and getattr(model, "additional_properties", None)
    if extra:
        for key, value in extra.items():
            out.setdefault(key, _plain(value))
    return out


def to_json_bytes(model: Model) -> bytes:
    """`to_json(model)` as compact UTF-8 JSON, without building the dict tree first.

    orjson walks plain dicts and lists in C; only models and datetimes come back to
    `_shallow` (datetimes in msrest's own format). An outgoing card is mostly plain JSON, so
    this costs a fraction of to_json. Text orjson refuses (a lone surrogate) is written by the
    json module with ASCII escapes instead, so any text still goes out as valid JSON.
    """
    try:
        return orjson.dumps(model, default=_shallow, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(model).encode()


def _shallow(value: Any) -> Any:
    if isinstance(value, Model):
        out: dict[str, Any] = {}
        for attribute, key, kind in _fields(type(value)):
            field = getattr(value, attribute, None)
            if field is None:
                continue
            if kind[0] == "[" and isinstance(field, list | tuple) and None in field:
                field = [item for item in field if item is not None]
            out[key] = field
        extra = _extras_written(type(value)) and getattr(value, "additional_properties", None)
        if extra:
            for key, field in extra.items():
                out.setdefault(key, field)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ASCII escapes: any text, even one with a stray surrogate, stays valid JSON on the wire.
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_shallow)
# Datetimes through `_shallow`, as msrest writes them; keys as json writes them (str()).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _dump(value: Any, kind: str) -> Any:
    if isinstance(value, Model):
        return to_json(value)
    if kind[0] == "[" and isinstance(value, list | tuple):
        inner = kind[1:-1]
        return [_dump(item, inner) for item in value if item is not None]
    if kind[0] == "{" and isinstance(value, dict):
        inner = kind[1:-1]
        return {k: _dump(v, inner) for k, v in value.items()}
    if kind == "iso-8601" and isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Model):
        return to_json(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    return value


class TooManyItems(ValueError):
    """The JSON has more list (or map) items than the caller allows."""


class _Budget:
    """List and map items still allowed in one `from_json` call."""

    __slots__ = ("left",)

    def __init__(self, items: int) -> None:
        self.left = items

    def spend(self, items: int) -> None:
        self.left -= items
        if self.left < 0:
            raise TooManyItems("too many list items")


def from_json(cls: type[M], data: Any, *, max_items: int | None = None) -> M:
    """Build `cls` from a JSON dict; ill-typed fields raise ValueError (the caller answers 400).

    `max_items` bounds the list and map items of the whole tree (TooManyItems beyond): each
    one becomes a model, ~6 us apiece, so 100,000 `entities` would hold the loop for 0.7 s.
    """
    return _from_json(cls, data, None if max_items is None else _Budget(max_items))


def _from_json(cls: type[M], data: Any, budget: _Budget | None) -> M:
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__} must be a JSON object")
    # Walk what was sent (a dozen keys), not every field the model declares (forty).
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    fields = _by_key(cls)
    for key, raw in data.items():
        specs = fields.get(key)
        if specs is None:
            extra[key] = raw
        elif raw is not None:
            for attribute, kind in specs:
                values[attribute] = _load(raw, kind, budget)
    instance = cls(**values)
    if extra and hasattr(instance, "additional_properties"):
        instance.additional_properties = extra
    return instance


def _load(raw: Any, kind: str, budget: _Budget | None) -> Any:
    if kind[0] == "[":
        if not isinstance(raw, list):
            raise ValueError(f"expected a list for {kind}")
        if budget is not None:
            budget.spend(len(raw))
        inner = kind[1:-1]
        return [_load(item, inner, budget) for item in raw if item is not None]
    if kind[0] == "{":
        if not isinstance(raw, dict):
            raise ValueError(f"expected an object for {kind}")
        if budget is not None:
            budget.spend(len(raw))
        inner = kind[1:-1]
        return {k: _load(v, inner, budget) for k, v in raw.items()}
    model = _MODELS.get(kind)
    if model is not None:
        return _from_json(model, raw, budget)
    return _SCALARS.get(kind, _as_is)(raw)


def _as_is(raw: Any) -> Any:
    return raw


def _as_str(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool | int | float):
        return str(raw)
    raise ValueError("expected a string")


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise ValueError("expected a boolean")


def _as_int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError("expected an integer")
    try:
        return int(raw)
    except OverflowError as error:  # int(1e400) and int(inf)
        raise ValueError("integer out of range") from error


def _as_float(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError("expected a number")
    return float(raw)


def _as_datetime(raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise ValueError("expected an ISO 8601 time")
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        try:  # msrest also takes 7-digit fractions and other variants Teams sends
            return Deserializer.deserialize_iso(raw)
        except Exception as error:
            raise ValueError(f"not an ISO 8601 time: {raw[:40]!r}") from error


_SCALARS = {
    "str": _as_str,
    "bool": _as_bool,
    "int": _as_int,
    "long": _as_int,
    "float": _as_float,
    "iso-8601": _as_datetime,
    "object": _as_is,
}
