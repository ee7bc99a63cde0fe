"""An in-memory PollRepository for domain tests (the SQL one is tested in tests/storage)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.polls import (
    MIN_CARD_INTERVAL,
    Answer,
    CardClaim,
    Poll,
    StoredVote,
    Voter,
    VoteResult,
)


class InMemoryPollRepository:
    def __init__(self) -> None:
        self.polls: dict[str, Poll] = {}
        self.votes_by_poll: dict[str, dict[str, tuple[Voter, Answer, datetime]]] = {}
        self.settings: dict[str, bool] = {}

    async def add(self, poll: Poll) -> None:
        self.polls[poll.id] = poll
        self.votes_by_poll[poll.id] = {}

    async def get(self, poll_id: str) -> Poll | None:
        return self.polls.get(poll_id)

    async def open_polls(self, conversation_id: str) -> list[Poll]:
        return [
            p
            for p in self.polls.values()
            if p.conversation_id == conversation_id and p.state == "open"
        ]

    async def polls_due_to_close(self, now: datetime, limit: int = 100) -> list[Poll]:
        return [
            p
            for p in self.polls.values()
            if p.state == "open" and p.closes_at and p.closes_at <= now
        ]

    async def record_vote(
        self, poll_id: str, voter: Voter, answer: Answer, now: datetime
    ) -> VoteResult:
        poll = self.polls.get(poll_id)
        previous = self.votes_by_poll.get(poll_id, {}).get(voter.key)
        before = previous[1] if previous else None
        if poll is None or not poll.is_open(now):
            return VoteResult("closed", before)
        self.votes_by_poll[poll_id][voter.key] = (voter, answer, now)
        if before is None:
            return VoteResult("new")
        return VoteResult("same" if before == answer else "changed", before)

    async def answers(self, poll_id: str) -> list[Answer]:
        return [a for _, a, _ in self.votes_by_poll.get(poll_id, {}).values()]

    async def votes(self, poll_id: str) -> list[StoredVote]:
        return [
            StoredVote(v.user_id, v.name, a, t, t)
            for v, a, t in self.votes_by_poll[poll_id].values()
        ]

    async def close(self, poll_id: str, now: datetime) -> bool:
        poll = self.polls.get(poll_id)
        if poll is None or poll.state != "open":
            return False
        self.polls[poll_id] = replace(poll, state="closed", closed_at=now)
        return True

    async def delete(self, poll_id: str) -> bool:
        self.votes_by_poll.pop(poll_id, None)
        return self.polls.pop(poll_id, None) is not None

    async def latest_poll(self, conversation_id: str) -> Poll | None:
        found = [p for p in self.polls.values() if p.conversation_id == conversation_id]
        return max(found, key=lambda p: p.created_at, default=None)

    async def previous_evaluations(
        self, conversation_id: str, template_id: str, before: datetime, limit: int = 4
    ) -> list[Poll]:
        found = [
            p
            for p in self.polls.values()
            if p.conversation_id == conversation_id
            and p.spec.template_id == template_id
            and p.closed_at is not None
            and p.closed_at < before
        ]
        return sorted(found, key=lambda p: p.closed_at or before, reverse=True)[:limit]

    async def set_card_activity(self, poll_id: str, activity_id: str, now: datetime) -> bool:
        return False

    async def claim_card_update(
        self, poll_id: str, now: datetime, min_interval: timedelta = MIN_CARD_INTERVAL
    ) -> CardClaim:
        return CardClaim("nothing")

    async def mark_card_dirty(self, poll_id: str) -> None:
        pass

    async def set_results_token(self, poll_id: str, token: str, expires_at: datetime) -> None:
        pass

    async def find_by_results_token(self, token: str, now: datetime) -> Poll | None:
        return None

    async def evaluation_after_meetings(self, conversation_id: str) -> bool:
        return self.settings.get(conversation_id, False)

    async def set_evaluation_after_meetings(
        self, conversation_id: str, tenant_id: str, enabled: bool, now: datetime
    ) -> None:
        self.settings[conversation_id] = enabled
