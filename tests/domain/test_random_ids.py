"""Answer ids: unguessable, URL-safe, never repeated across blocks."""

from __future__ import annotations

import re

from bot.domain.random_ids import RandomIds


def test_ids_are_distinct_url_safe_and_128_bits():
    ids = RandomIds()
    made = [ids.new() for _ in range(1000)]  # crosses several 4 KiB blocks
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", value) for value in made)
