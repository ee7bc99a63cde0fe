"""Request bytes to JSON: UTF-8 only, a bounded number of values, no lone surrogates."""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import orjson

# A Teams activity has a few hundred JSON values; json.loads spends ~0.3-0.5 us on each, so
# this bounds the parse of any accepted body to a few milliseconds of the event loop.
MAX_JSON_VALUES = 20_000
_REPLACEMENT = "\ufffd"
# After json.loads, surrogate pairs are one character; any surrogate left is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Only a \uD800-\uDFFF escape can put a surrogate into decoded text (strict UTF-8 cannot).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_NUMBER = re.compile(rb"\d{19}")


class BodyError(ValueError):
    """The body is not acceptable JSON; `reason` is fixed text, safe to show the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_json_body(raw: bytes) -> Any:
    """The JSON value of `raw`; every string (keys too) with lone surrogates replaced."""
    # Each value beyond the first is preceded by ',' or opens a container: counting them is
    # ~100 times cheaper than parsing, and refuses 500 KB of `[{},{},...]` before it costs.
    if raw.count(b",") + raw.count(b"{") + raw.count(b"[") > MAX_JSON_VALUES:
        raise BodyError("too many JSON values")
    # orjson reads valid UTF-8 JSON several times faster. What it refuses and json accepts
    # (a lone-surrogate escape, a byte-order mark, NaN) takes the json path below, which
    # decides exactly as before; so does a number of 19 digits or more, which orjson would
    # read as a float where json keeps the integer.
    if _LONG_NUMBER.search(raw) is None:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise BodyError("malformed JSON") from error
    if _SURROGATE_ESCAPE.search(text):
        # Lone surrogates cannot be encoded: a database insert or a reply would fail later.
        value = _without_surrogates(value)
    return value


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub(_REPLACEMENT, value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value
