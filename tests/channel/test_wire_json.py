"""Request bytes to JSON: the fast path and the careful one decide alike."""

import codecs

import pytest

from bot.channel.wire_json import MAX_JSON_VALUES, BodyError, parse_json_body


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b'{"text": "hej \\u00e6\\u00f8\\u00e5", "n": [1, 2.5, true, null]}', None),
        ('{"text": "spørgsmål 😀"}'.encode(), None),
        (codecs.BOM_UTF8 + b'{"a": 1}', {"a": 1}),  # a byte-order mark is skipped
        (b'{"a": NaN}', None),  # what json reads, orjson refuses: read as json reads it
        (b'{"big": 123456789012345678901234567890}', None),
    ],
)
def test_bodies_read_as_the_json_module_reads_them(raw, value):
    import json

    expected = value if value is not None else json.loads(raw)
    result = parse_json_body(raw)
    assert repr(result) == repr(expected)


def test_a_lone_surrogate_escape_is_replaced_and_a_pair_kept():
    body = parse_json_body(b'{"text": "a\\ud800b \\ud83d\\ude00", "\\udfff": 1}')
    assert body == {"text": "a\ufffdb 😀", "\ufffd": 1}


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"\xff\xfe{}",  # not UTF-8
        b'{"a": "\xc3"}',
        b"[" * 5000 + b"]" * 5000,  # deeper than either parser goes
    ],
)
def test_malformed_bodies_are_refused_with_a_fixed_reason(raw):
    with pytest.raises(BodyError) as refused:
        parse_json_body(raw)
    assert refused.value.reason == "malformed JSON"


def test_too_many_values_are_refused_before_parsing():
    with pytest.raises(BodyError, match="too many JSON values"):
        parse_json_body(b"[" + b"0," * MAX_JSON_VALUES + b"0]")
