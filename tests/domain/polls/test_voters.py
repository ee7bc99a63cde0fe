"""Voter keys: a keyed hash per poll; identity only in named polls; hostile ids are storable."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.polls import Poll, PollKind, PollSettings, PollSpec, voter_for
from bot.domain.pseudonyms import pseudonym

T0 = datetime(2021, 3, 24, 9, 0, tzinfo=UTC)


def poll(poll_id: str, anonymous: bool = True) -> Poll:
    spec = PollSpec(PollKind.SCALE, "Q?", settings=PollSettings(anonymous=anonymous))
    return Poll(poll_id, spec, "conv", "tenant", "29:c", T0)


def test_anonymous_voters_are_a_keyed_hash_per_poll_only():
    voter = voter_for(poll("p1"), "29:anne", "Anne", b"secret")
    assert (voter.user_id, voter.name) == (None, None)
    assert voter.key == pseudonym(b"secret", "poll-voter", "p1", "29:anne")
    assert len(voter.key) == 64 and "anne" not in voter.key
    assert voter_for(poll("p2"), "29:anne", "", b"secret").key != voter.key  # not linkable
    assert voter_for(poll("p1"), "29:anne", "", b"other").key != voter.key
    assert voter_for(poll("p1"), "29:anne", "Anne B.", b"secret").key == voter.key


def test_named_voters_keep_id_and_cleaned_name():
    voter = voter_for(
        poll("p1", anonymous=False), "29:anne\ud800", " Anne\x00  Jensen\udfff ", b"s"
    )
    assert (voter.user_id, voter.name) == ("29:anne", "Anne Jensen")
    assert voter.key == voter_for(poll("p1", anonymous=False), "29:anne", "", b"s").key
