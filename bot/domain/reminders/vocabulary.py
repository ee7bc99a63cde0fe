"""The words of time expressions in Danish and English, as regex fragments and lookup tables."""

from __future__ import annotations

import re

_LETTER_SPELLINGS = {"å": "(?:å|aa|a)", "ø": "(?:ø|oe|o)", "æ": "(?:æ|ae)"}


def da(word: str) -> str:
    """A Danish word as a pattern that also accepts it typed without æ/ø/å ("maaned", "mandag")."""
    return "".join(_LETTER_SPELLINGS.get(c, re.escape(c)) for c in word)


def alternatives(words: list[str]) -> str:
    # Longest first, so "minutter" is not cut short at "min"; each word is bounded, so the
    # alternation costs a fixed number of steps at a position.
    return "(?:" + "|".join(da(w) for w in sorted(words, key=len, reverse=True)) + ")"


def spelled(table: dict[str, int]) -> dict[str, int]:
    """`table` with every word also under each spelling `da` accepts, for lookups."""
    out: dict[str, int] = {}
    for word, value in table.items():
        forms = [""]
        for c in word:
            options = {"å": ("å", "aa", "a"), "ø": ("ø", "oe", "o"), "æ": ("æ", "ae")}.get(c, (c,))
            forms = [f + o for f in forms for o in options]
        out.update(dict.fromkeys(forms, value))
    return out


WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate("mandag tirsdag onsdag torsdag fredag lørdag søndag".split())},
    **{
        w: i
        for i, w in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
    },
}
_WEEKDAYS = spelled(WEEKDAY_WORDS)


def weekday_of(word: str) -> int:
    return _WEEKDAYS[word.lower()]


WEEKDAY = alternatives(list(WEEKDAY_WORDS))

_MONTH_NAMES = (
    "januar februar marts april maj juni juli august september oktober november december",
    "january february march april may june july august september october november december",
    "jan feb mar apr _ jun jul aug sep okt nov dec",
    "_ _ _ _ _ _ _ _ sept oct _ _",
)
MONTH_WORDS = {w: i for names in _MONTH_NAMES for i, w in enumerate(names.split(), 1) if w != "_"}
MONTH = alternatives(list(MONTH_WORDS))


def month_of(word: str) -> int:
    return MONTH_WORDS.get(word.lower().rstrip("."), 0)


NUMBER_WORDS = {
    **dict.fromkeys(("en", "et", "a", "an", "one"), 1),
    **{w: n for n, w in enumerate("_ _ to tre fire fem seks syv otte ni ti".split()) if n > 1},
    **{
        w: n
        for n, w in enumerate("_ _ two three four five six seven eight nine ten".split())
        if n > 1
    },
}
# Digits may touch their unit ("10min"); a word needs a space ("om at" is not "a t").
NUMBER_WORD = alternatives(list(NUMBER_WORDS))


def number_of(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


UNITS = ("minutes", "hours", "days", "weeks", "months")
UNIT_WORDS = {
    **dict.fromkeys("minutter minut min minutes minute mins m".split(), 0),
    **dict.fromkeys("timer time t hours hour hrs hr h".split(), 1),
    **dict.fromkeys("dage dag døgn days day".split(), 2),
    **dict.fromkeys("uger uge weeks week".split(), 3),
    **dict.fromkeys("måneder måned months month".split(), 4),
}
UNIT = alternatives(list(UNIT_WORDS))
_UNITS = spelled(UNIT_WORDS)


def unit_of(word: str) -> str:
    return UNITS[_UNITS[word.lower()]]


ORDINALS = {
    **{w: i for i, w in enumerate("første anden tredje fjerde femte".split(), 1)},
    **{w: i for i, w in enumerate("first second third fourth fifth".split(), 1)},
    **{f"{i}.": i for i in range(1, 6)},
    **{w: i for i, w in enumerate("1st 2nd 3rd 4th 5th".split(), 1)},
    "sidste": -1,
    "last": -1,
    "næstsidste": -2,
}
ORDINAL = alternatives(list(ORDINALS))


_ORDINALS = spelled(ORDINALS)


def ordinal_of(word: str) -> int:
    return _ORDINALS[word.lower()]


END = r"(?![\w/])"  # a word ends here (not inside "fredagen", "19/3x" or "10min2")
