"""JSON columns: orjson where it can, json where it refuses, the same values read back."""

import json

import pytest

from storage import json_codec


@pytest.mark.parametrize(
    "value",
    [
        {"type": "AdaptiveCard", "body": [{"text": "Hvornår? Æblegrød på Ærø – 12,5 %"}]},
        [1, 2.5, None, True, "x"],
        {"n": 2**70},  # beyond 64 bits: json writes it
        "😀 \u00e6\u00f8\u00e5",
    ],
)
def test_values_round_trip(value):
    text = json_codec.dumps(value)
    assert isinstance(text, str)
    assert json_codec.loads(text) == value == json.loads(text)


def test_keys_that_are_not_strings_become_strings_as_json_writes_them():
    assert json_codec.loads(json_codec.dumps({1: "a"})) == json.loads(json.dumps({1: "a"}))


def test_text_written_by_json_before_is_read():
    assert json_codec.loads(json.dumps({"x": float("nan")}))["x"] != 0  # NaN: json reads it
    assert json_codec.loads(json.dumps({"æ": "ø"})) == {"æ": "ø"}  # \u escapes
