"""Bot state as plain JSON: objects only of the SDK types on a fixed list, never any class.

Dialog state holds SDK objects (the dialog stack, prompt options with their activities), which
the SDK itself stores with jsonpickle; decoding jsonpickle can build any class the stored text
names, so whoever can write one row could run code in the bot. Here an object is written as
`{"$t": "obj", "c": "<module.Class>", "v": {attributes}}` and read back only when the class is
on the list below; anything else is refused on write and on read.
"""

from __future__ import annotations

import enum
import inspect
import json
from datetime import datetime
from typing import Any

import botbuilder.dialogs as dialogs
import botbuilder.dialogs.choices as choices
import botbuilder.dialogs.prompts as prompts
import botbuilder.schema as schema
from msrest.serialization import Model

_TAG = "$t"


class StateCodecError(ValueError):
    """A stored document holds something that is not plain state."""


def _allowed_types() -> dict[str, type]:
    found: list[type] = [
        dialogs.DialogState,
        dialogs.DialogInstance,
        prompts.PromptOptions,
        prompts.PromptRecognizerResult,
        choices.Choice,
        choices.ChoiceFactoryOptions,
        choices.FindChoicesOptions,
        choices.FoundChoice,
        choices.ListStyle,
    ]
    # The Bot Framework schema: activities, attachments, card actions and their enums.
    for _, value in inspect.getmembers(schema, inspect.isclass):
        if (issubclass(value, Model) and value is not Model) or (
            issubclass(value, enum.Enum) and value.__module__.startswith("botbuilder.schema")
        ):
            found.append(value)
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in found}


ALLOWED = _allowed_types()
_NAMES = {cls: name for name, cls in ALLOWED.items()}


def dumps(value: Any) -> str:
    return dumps_plain(encode(value))


def dumps_plain(encoded: Any) -> str:
    """JSON text of a value `encode` has already made plain."""
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise StateCodecError("state is not JSON") from error
    return decode(document)


def encode(value: Any) -> Any:
    plain = isinstance(value, bool | int | float | str) and not isinstance(value, enum.Enum)
    if value is None or plain:
        return value
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise StateCodecError("state dictionaries need string keys")
        encoded = {key: encode(item) for key, item in value.items()}
        return {_TAG: "dict", "v": encoded} if _TAG in value else encoded
    if isinstance(value, datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    name = _NAMES.get(type(value))
    if name is None:
        raise StateCodecError(f"{type(value).__qualname__} is not storable state")
    if isinstance(value, enum.Enum):
        return {_TAG: "enum", "c": name, "v": value.value}
    return {_TAG: "obj", "c": name, "v": {k: encode(v) for k, v in vars(value).items()}}


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(_TAG)
    if tag is None:
        return {key: decode(item) for key, item in value.items()}
    if tag == "dict":
        return {key: decode(item) for key, item in _field(value, "v", dict).items()}
    if tag == "datetime":
        try:
            return datetime.fromisoformat(_field(value, "v", str))
        except ValueError as error:
            raise StateCodecError("bad datetime in state") from error
    cls = ALLOWED.get(value.get("c"))  # type: ignore[arg-type]
    if cls is None:
        raise StateCodecError(f"type {value.get('c')!r} is not allowed in state")
    if tag == "enum" and issubclass(cls, enum.Enum):
        try:
            return cls(value.get("v"))
        except ValueError as error:
            raise StateCodecError(f"bad {cls.__name__} value in state") from error
    if tag == "obj" and not issubclass(cls, enum.Enum):
        instance = cls.__new__(cls)
        for key, item in _field(value, "v", dict).items():
            if not isinstance(key, str) or key.startswith("__"):
                raise StateCodecError("bad attribute name in state")
            setattr(instance, key, decode(item))
        return instance
    raise StateCodecError(f"unknown state tag {tag!r}")


def _field(value: dict, name: str, kind: type) -> Any:
    found = value.get(name)
    if not isinstance(found, kind):
        raise StateCodecError(f"state field {name!r} should be {kind.__name__}")
    return found


def from_jsonpickle(text: str) -> str | None:
    """A document the SDK's jsonpickle wrote, rewritten in this format; None if it can't be.

    Used once by the migration that retires jsonpickle. It reads the JSON as data and maps
    only the markers for allowed types; anything else (a class not on the list, references,
    pickled reductions other than enums) makes the row unconvertible.
    """
    try:
        return json.dumps(_convert(json.loads(text)), ensure_ascii=False, separators=(",", ":"))
    except (ValueError, StateCodecError, RecursionError):
        return None


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "py/object" in node:
        name = node["py/object"]
        if name not in ALLOWED or issubclass(ALLOWED[name], enum.Enum):
            raise StateCodecError(f"{name} is not allowed")
        attributes = {k: _convert(v) for k, v in node.items() if k != "py/object"}
        if any(k.startswith("py/") for k in attributes):
            raise StateCodecError("unsupported jsonpickle marker")
        return {_TAG: "obj", "c": name, "v": attributes}
    if "py/reduce" in node:
        reduce = node["py/reduce"]
        if (
            isinstance(reduce, list)
            and len(reduce) == 2
            and isinstance(reduce[0], dict)
            and isinstance(reduce[1], dict)
            and isinstance(reduce[1].get("py/tuple"), list)
            and len(reduce[1]["py/tuple"]) == 1
        ):
            name = reduce[0].get("py/type")
            cls = ALLOWED.get(name) if isinstance(name, str) else None
            if cls is not None and issubclass(cls, enum.Enum):
                return {_TAG: "enum", "c": name, "v": reduce[1]["py/tuple"][0]}
        raise StateCodecError("unsupported jsonpickle reduction")
    if any(isinstance(k, str) and k.startswith("py/") for k in node):
        raise StateCodecError("unsupported jsonpickle marker")
    converted = {k: _convert(v) for k, v in node.items()}
    return {_TAG: "dict", "v": converted} if _TAG in node else converted
