"""Who a vote is stored under: a keyed hash per poll; the id and name only in named polls."""

from __future__ import annotations

from bot.domain.polls.model import Poll, Voter
from bot.domain.polls.text import clean, storable
from bot.domain.pseudonyms import pseudonym

MAX_NAME_CHARS = 200


def voter_for(poll: Poll, user_id: str, user_name: str, secret: bytes) -> Voter:
    """The voter as stored for `poll`.

    The key is HMAC-SHA256(secret, "poll-voter", poll id, Teams user id): one answer per
    person per poll, and the same person's keys in two polls cannot be linked without the
    secret. An anonymous poll stores nothing else; a named poll also stores id and name.
    """
    user_id = storable(user_id)
    key = pseudonym(secret, "poll-voter", poll.id, user_id)
    if poll.spec.settings.anonymous:
        return Voter(key)
    return Voter(key, user_id, clean(user_name)[:MAX_NAME_CHARS])
