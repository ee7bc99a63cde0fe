"""PollService: create a poll, record a vote, close, count; the one door the Teams layer uses.

Where a vote is recorded: `PollService.vote` validates (`ballots.validate_ballot`), keys the
voter (`voters.voter_for`) and stores it with `PollRepository.record_vote`
(`storage/polls.py: SqlPollRepository.record_vote`), committed before it returns.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

from bot.domain.admins import Admins
from bot.domain.clock import Clock
from bot.domain.polls.ballots import BallotRefusal, RefusalReason, validate_ballot
from bot.domain.polls.limits import DEFAULT_ANONYMITY_THRESHOLD
from bot.domain.polls.model import Answer, Poll, PollSpec
from bot.domain.polls.ports import PollRepository, VoteStatus
from bot.domain.polls.tallies import Tally, count_votes
from bot.domain.polls.trends import Trend, evaluation_means, evaluation_trend
from bot.domain.polls.voters import voter_for
from bot.domain.random_ids import RandomIds

CloseStatus = Literal["closed", "already_closed", "not_allowed", "unknown_poll"]
DeleteStatus = Literal["deleted", "not_allowed", "unknown_poll"]

RECENT_POLLS = 1024  # open polls whose votes skip the poll read (a few hundred bytes each)


@dataclass(frozen=True)
class VoteOutcome:
    poll: Poll | None
    status: VoteStatus | Literal["refused"]
    answer: Answer | None = None
    refusal: BallotRefusal | None = None


@dataclass(frozen=True)
class CloseOutcome:
    status: CloseStatus  # "closed" exactly once per poll, whoever and however many close it
    poll: Poll | None = None


@dataclass(frozen=True)
class DeleteOutcome:
    status: DeleteStatus  # "deleted" exactly once per poll, however many press at once
    poll: Poll | None = None  # the poll as it was (for the card saying it was deleted)


class PollService:
    def __init__(
        self,
        repository: PollRepository,
        clock: Clock,
        secret: bytes,
        *,
        admins: Admins | None = None,
        ids: RandomIds | None = None,
        anonymity_threshold: int = DEFAULT_ANONYMITY_THRESHOLD,
    ) -> None:
        self._repository = repository
        self._clock = clock
        self._secret = secret
        self._admins = admins or Admins(())
        self._ids = ids or RandomIds()
        self.anonymity_threshold = anonymity_threshold
        # What a vote checks (conversation, tenant, spec, closing time) never changes after
        # creation, so open polls are kept in memory and a burst of votes reads none. Whether
        # the poll is still open is decided by `record_vote` in the database, so a poll
        # closed by another replica is never voted on; its refusal drops the entry.
        self._recent: OrderedDict[str, Poll] = OrderedDict()

    async def create(
        self,
        spec: PollSpec,
        *,
        conversation_id: str,
        tenant_id: str,
        creator_id: str,
        creator_name: str = "",
    ) -> Poll:
        poll = Poll(
            id=self._ids.new(),
            spec=spec,
            conversation_id=conversation_id,
            tenant_id=tenant_id,
            creator_id=creator_id,
            creator_name=creator_name[:200],
            created_at=self._clock.now(),
        )
        await self._repository.add(poll)
        return poll

    async def vote(
        self,
        poll_id: str,
        data: Any,
        *,
        conversation_id: str,
        tenant_id: str,
        user_id: str,
        user_name: str = "",
    ) -> VoteOutcome:
        """Validate and record one submission; committed before this returns."""
        poll = await self._open_poll(poll_id) if isinstance(poll_id, str) else None
        if poll is None:
            return VoteOutcome(None, "refused", refusal=BallotRefusal(RefusalReason.UNKNOWN_POLL))
        if (poll.conversation_id, poll.tenant_id) != (conversation_id, tenant_id):
            return VoteOutcome(None, "refused", refusal=BallotRefusal(RefusalReason.FOREIGN_POLL))
        now = self._clock.now()
        answer = validate_ballot(poll, data, now)
        if isinstance(answer, BallotRefusal):
            return VoteOutcome(poll, "refused", refusal=answer)
        voter = voter_for(poll, user_id, user_name, self._secret)
        result = await self._repository.record_vote(poll.id, voter, answer, now)
        if result.status == "closed":
            self.forget(poll.id)
            if await self._repository.get(poll.id) is None:
                # Deleted (by another replica, whose memory this one does not share).
                refusal = BallotRefusal(RefusalReason.UNKNOWN_POLL)
                return VoteOutcome(None, "refused", refusal=refusal)
            refusal = BallotRefusal(RefusalReason.POLL_CLOSED)
            return VoteOutcome(poll, "refused", refusal=refusal)
        return VoteOutcome(poll, result.status, answer)

    async def _open_poll(self, poll_id: str) -> Poll | None:
        poll = self._recent.get(poll_id)
        if poll is not None:
            self._recent.move_to_end(poll_id)
            return poll
        poll = await self._repository.get(poll_id)
        if poll is not None and poll.state == "open":
            self._recent[poll_id] = poll
            if len(self._recent) > RECENT_POLLS:
                self._recent.popitem(last=False)
        return poll

    def forget(self, poll_id: str) -> None:
        """The poll was closed or deleted: the next vote reads it again."""
        self._recent.pop(poll_id, None)

    def may_manage(self, poll: Poll, *identities: str | None) -> bool:
        """Only the creator and the configured administrators close, export or delete."""
        return poll.creator_id in identities or self._admins.includes(*identities)

    async def close(self, poll_id: str, *identities: str | None) -> CloseOutcome:
        """Close by hand (by the creator or an administrator)."""
        poll = await self._repository.get(poll_id)
        if poll is None:
            return CloseOutcome("unknown_poll")
        if not self.may_manage(poll, *identities):
            return CloseOutcome("not_allowed", poll)
        return await self.close_now(poll)

    async def close_now(self, poll: Poll) -> CloseOutcome:
        """Close without a permission check (the auto-close job)."""
        closed = await self._repository.close(poll.id, self._clock.now())
        self.forget(poll.id)
        return CloseOutcome("closed" if closed else "already_closed", poll)

    async def delete(self, poll_id: str, *identities: str | None) -> DeleteOutcome:
        """Delete a poll and its votes (by the creator or an administrator); for good."""
        poll = await self._repository.get(poll_id)
        if poll is None:
            return DeleteOutcome("unknown_poll")
        if not self.may_manage(poll, *identities):
            return DeleteOutcome("not_allowed", poll)
        deleted = await self._repository.delete(poll_id)
        self.forget(poll_id)  # the next vote reads the poll again and finds none
        return DeleteOutcome("deleted" if deleted else "unknown_poll", poll)

    async def tally(self, poll: Poll) -> Tally:
        answers = await self._repository.answers(poll.id)
        return count_votes(poll, answers, self.anonymity_threshold)

    async def trend(self, poll: Poll, tally: Tally, *, to_manager: bool = False) -> Trend | None:
        """This evaluation beside the conversation's previous ones of the same template.

        `to_manager` as in `Poll.shows_results`. An earlier evaluation whose results were for
        its creator only lends its means only to a trend shown to that same creator's poll
        privately, never to one the conversation (or another poll's creator) sees."""
        if poll.spec.template_id is None:
            return None
        held_at = poll.closed_at or self._clock.now()
        earlier = await self._repository.previous_evaluations(
            poll.conversation_id, poll.spec.template_id, held_at
        )
        earlier = [
            old
            for old in earlier
            if old.spec.settings.results != "creator"
            or (to_manager and old.creator_id == poll.creator_id)
        ]
        previous = []
        for old in earlier:
            old_tally = await self.tally(old)
            previous.append(evaluation_means(old.id, old.closed_at or old.created_at, old_tally))
        texts = {s.id: s.text for s in poll.spec.statements} or {"scale": poll.spec.question}
        return evaluation_trend(evaluation_means(poll.id, held_at, tally), previous, texts)
