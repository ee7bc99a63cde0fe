"""The polls repository port: what the domain needs stored, and the answers it gives back.

Card updates are coalesced through the database (`claim_card_update`), so the rule "at most
one card update per poll per `min_interval`, and the last state always shown" holds across
replicas:

1. `record_vote` marks the poll's card *dirty* in the vote's own transaction when the answer
   is new or changed.
2. After a vote is committed, the caller asks `claim_card_update(poll_id, now)`:
   - ``update_now``: this process won the claim (the card is marked clean and its update
     time set, atomically). Read the tally *after* the claim and update the card. If sending
     fails, call `mark_card_dirty` so the next claim retries.
   - ``later``: the card is dirty but was updated less than `min_interval` ago. Schedule a
     job at `retry_at` that calls `claim_card_update` again (any number of replicas may
     schedule it; only one claim wins, the others get ``nothing``).
   - ``nothing``: the card shows the last state already (or has not been posted yet).
   A vote committed after a winning claim marks the card dirty again, so its own caller's
   claim answers ``later`` and the last state is always shown eventually.
3. `set_card_activity` (after the card is posted) returns True when votes came in before
   the card's id was stored: the caller then schedules a claim at now + `min_interval`.
4. `close` marks the card dirty too, so the closed state is shown by the same path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.domain.polls.model import Answer, Poll, Voter

VoteStatus = Literal["new", "changed", "same", "closed"]
CardDecision = Literal["update_now", "later", "nothing"]
MIN_CARD_INTERVAL = timedelta(seconds=1)


@dataclass(frozen=True)
class VoteResult:
    status: VoteStatus  # "closed": the poll was closed or unknown; nothing was recorded
    previous: Answer | None = None  # the answer it replaced ("changed" and "same")


@dataclass(frozen=True)
class CardClaim:
    decision: CardDecision
    retry_at: datetime | None = None  # for "later": when a claim can succeed


@dataclass(frozen=True)
class StoredVote:
    """A vote as exported: no identity for anonymous polls."""

    voter_id: str | None
    voter_name: str | None
    answer: Answer
    voted_at: datetime
    updated_at: datetime


class PollRepository(Protocol):
    async def add(self, poll: Poll) -> None: ...

    async def get(self, poll_id: str) -> Poll | None: ...

    async def open_polls(self, conversation_id: str) -> list[Poll]: ...

    async def latest_poll(self, conversation_id: str) -> Poll | None:
        """The conversation's most recently created poll, open or closed."""
        ...

    async def polls_due_to_close(self, now: datetime, limit: int = 100) -> list[Poll]: ...

    async def record_vote(
        self, poll_id: str, voter: Voter, answer: Answer, now: datetime
    ) -> VoteResult: ...

    async def answers(self, poll_id: str) -> list[Answer]: ...

    async def votes(self, poll_id: str) -> list[StoredVote]: ...

    async def close(self, poll_id: str, now: datetime) -> bool: ...

    async def delete(self, poll_id: str) -> bool:
        """Remove the poll and its votes; False when there was none (deleted already)."""
        ...

    async def previous_evaluations(
        self, conversation_id: str, template_id: str, before: datetime, limit: int = 4
    ) -> list[Poll]: ...

    async def set_card_activity(self, poll_id: str, activity_id: str, now: datetime) -> bool: ...

    async def claim_card_update(
        self, poll_id: str, now: datetime, min_interval: timedelta = MIN_CARD_INTERVAL
    ) -> CardClaim: ...

    async def mark_card_dirty(self, poll_id: str) -> None: ...

    async def set_results_token(self, poll_id: str, token: str, expires_at: datetime) -> None: ...

    async def find_by_results_token(self, token: str, now: datetime) -> Poll | None: ...

    async def evaluation_after_meetings(self, conversation_id: str) -> bool: ...

    async def set_evaluation_after_meetings(
        self, conversation_id: str, tenant_id: str, enabled: bool, now: datetime
    ) -> None: ...
