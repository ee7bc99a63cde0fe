"""Posting a poll card, updating it in place at most once a second, and the results on close.

Card updates are coalesced through the database (SqlPollRepository.claim_card_update), so the
limit holds with several replicas: a vote marks the card dirty; whoever wins the claim sends
the update; a loser schedules a `poll.card` job for when a claim can succeed, keyed by that
second so a burst of votes schedules one job, not one per vote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.capabilities.polls.cards import deleted_card, poll_card, respondents, results_body
from bot.capabilities.polls.results_view import results_view
from bot.capabilities.polls.wording import say
from bot.channel.card_text import literal
from bot.channel.cards import adaptive_card, heading, paragraph
from bot.domain.clock import Clock
from bot.domain.polls import PollService
from bot.domain.polls.model import Poll
from bot.domain.polls.ports import PollRepository
from bot.domain.polls.tallies import Tally
from bot.domain.scheduling import Delivered, Job, new_job

log = logging.getLogger(__name__)

CARD_JOB, CLOSE_JOB = "poll.card", "poll.close"
MIN_INTERVAL = timedelta(seconds=1)


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class CardSender(Protocol):
    """Proactive sending to a stored conversation (the Bot Framework edge implements it)."""

    async def send(self, conversation_id: str, message: str | dict[str, Any]) -> str | None: ...

    async def update(
        self, conversation_id: str, activity_id: str, card: dict[str, Any]
    ) -> None: ...

    async def send_personal(
        self,
        user_id: str,
        tenant_id: str,
        service_url: str,
        message: str | dict[str, Any],
        *,
        bot_id: str | None = None,
    ) -> Any: ...


@dataclass(frozen=True)
class ReplyPath:
    """How the bot reaches a poll's creator privately: the connector's address and the bot's
    own id, as the creating (or closing) turn gave them. A job has no turn, so the auto-close
    job carries them in its payload."""

    service_url: str = ""
    bot_id: str | None = None

    @classmethod
    def of_payload(cls, payload: dict[str, Any]) -> ReplyPath:
        bot_id = payload.get("botId")
        return cls(str(payload.get("serviceUrl") or ""), str(bot_id) if bot_id else None)


class PollPublisher:
    def __init__(
        self,
        service: PollService,
        repository: PollRepository,
        timers: Timers,
        sender: CardSender,
        clock: Clock,
        *,
        zone: ZoneInfo,
    ) -> None:
        self._service = service
        self._polls = repository
        self._timers = timers
        self._sender = sender
        self._clock = clock
        self._zone = zone
        self._scheduled: dict[str, datetime] = {}  # poll id -> card job already scheduled

    async def card(self, poll: Poll, *, note: str | None = None) -> dict[str, Any]:
        """The poll's card as it stands (results counted from the rows)."""
        now = self._clock.now()
        tally = await self._service.tally(poll)
        threshold = self._service.anonymity_threshold
        view = results_view(poll, tally, threshold=threshold, final=not poll.is_open(now))
        return poll_card(poll, view, now=now, zone=self._zone, note=note)

    async def posted(
        self, poll: Poll, activity_id: str | None, reply: ReplyPath | None = None
    ) -> None:
        """The card is out: remember its id; schedule the auto-close and any early votes."""
        now = self._clock.now()
        if activity_id and await self._polls.set_card_activity(poll.id, activity_id, now):
            await self._schedule_card(poll, now + MIN_INTERVAL)
        if poll.closes_at is not None:
            payload: dict[str, Any] = {"pollId": poll.id}
            if reply is not None and poll.spec.settings.results == "creator":
                # The close job opens the creator's 1:1 chat, and a job has no turn to ask.
                payload.update(serviceUrl=reply.service_url, botId=reply.bot_id)
            job = new_job(
                CLOSE_JOB,
                poll.closes_at,
                poll.conversation_id,
                now=now,
                payload=payload,
                dedupe_key=poll.id,
            )
            await self._timers.schedule(job)

    async def voted(self, poll: Poll) -> None:
        """After a committed vote: update the shared card now, later, or not at all."""
        now = self._clock.now()
        planned = self._scheduled.get(poll.id)
        if planned is not None and planned > now:
            # The vote marked the card dirty in the database, and a card job of this process
            # is due within the second: it claims and shows this vote too. Under a burst this
            # skips a claim transaction per vote.
            return
        claim = await self._polls.claim_card_update(poll.id, now, MIN_INTERVAL)
        if claim.decision == "update_now":
            await self._update(poll.id)
        elif claim.decision == "later" and claim.retry_at is not None:
            await self._schedule_card(poll, claim.retry_at)

    async def closed(self, poll: Poll, reply: ReplyPath | None = None) -> None:
        """Closed exactly once: post the results message and show the closed card.

        A creator-only poll's results go to the creator's 1:1 chat (`reply` says how to
        reach it); the conversation is told only that it closed and how many answered."""
        fresh = await self._polls.get(poll.id) or poll
        if fresh.spec.settings.results == "creator":
            await self._results_to_creator(fresh, reply or ReplyPath())
        else:
            await self._sender.send(fresh.conversation_id, await self.results_card(fresh))
        await self.voted(fresh)  # closing marked the card dirty

    async def results_card(
        self, poll: Poll, tally: Tally | None = None, *, to_creator: bool = False
    ) -> dict[str, Any]:
        lang = poll.spec.lang
        if tally is None:
            tally = await self._service.tally(poll)
        threshold = self._service.anonymity_threshold
        trend = None
        if poll.shows_results(self._clock.now(), to_manager=to_creator):
            trend = await self._service.trend(poll, tally, to_manager=to_creator)
        view = results_view(
            poll, tally, threshold=threshold, final=True, trend=trend, to_creator=to_creator
        )
        title = say("closed.title", lang, question=literal(poll.spec.question))
        body = [heading(title), *results_body(view, lang)]
        if to_creator:
            body.append(paragraph(say("closed.private_note", lang), isSubtle=True))
        return adaptive_card(body, fallback_text=title)

    async def _results_to_creator(self, poll: Poll, reply: ReplyPath) -> None:
        lang = poll.spec.lang
        tally = await self._service.tally(poll)
        card = await self.results_card(poll, tally, to_creator=True)
        sent, delivered = False, None
        try:
            delivered = await self._sender.send_personal(
                poll.creator_id, poll.tenant_id, reply.service_url, card, bot_id=reply.bot_id
            )
            sent = True
        except Exception as error:  # DeliveryGone, RetryLater, connector trouble
            # Never the figures in the group instead: say so there, and log it.
            log.warning(
                "poll %s: could not send the creator-only results privately: %s", poll.id, error
            )
        if sent and getattr(delivered, "conversation_id", None) == poll.conversation_id:
            return  # the poll was in the creator's own 1:1 chat: the results are the message
        values = {
            "question": literal(_short(poll.spec.question)),
            "respondents": respondents(tally.respondents, lang),
            "creator": literal(poll.creator_name) or say("creator.someone", lang),
        }
        key = "closed.sent_to_creator" if sent else "closed.not_sent_to_creator"
        await self._sender.send(poll.conversation_id, say(key, lang, **values))

    async def deleted(self, poll: Poll) -> None:
        """The poll was deleted: its shared card says so (no question, no figures)."""
        self._scheduled.pop(poll.id, None)
        if poll.card_activity_id:
            card = deleted_card(poll.spec.lang)
            await self._sender.update(poll.conversation_id, poll.card_activity_id, card)

    async def send_privately(
        self, user_id: str, tenant_id: str, service_url: str, text: str, *, bot_id: str | None
    ) -> bool:
        """A message in the person's 1:1 chat with the bot (opened if needed); False when the
        connector would not take it, so the caller can say so instead."""
        try:
            await self._sender.send_personal(user_id, tenant_id, service_url, text, bot_id=bot_id)
        except Exception as error:  # DeliveryGone, RetryLater, connector trouble
            log.warning("could not send a private message: %s", error)
            return False
        return True

    # --- jobs -----------------------------------------------------------------------------

    async def run_card_job(self, job: Job) -> Delivered:
        poll_id = str(job.payload.get("pollId", ""))
        self._scheduled.pop(poll_id, None)
        poll = await self._polls.get(poll_id)
        if poll is None:
            # Deleted since (its card already says so): nothing left to do, nothing failed.
            log.info("card job %s: poll %s was deleted; nothing to update", job.id, poll_id)
            return Delivered()
        await self.voted(poll)
        return Delivered()

    async def run_close_job(self, job: Job) -> Delivered:
        poll_id = str(job.payload.get("pollId", ""))
        poll = await self._polls.get(poll_id)
        if poll is None:
            log.info("close job %s: poll %s was deleted; nothing to close", job.id, poll_id)
            return Delivered()
        outcome = await self._service.close_now(poll)
        if outcome.status == "closed":
            await self.closed(poll, ReplyPath.of_payload(job.payload))
        return Delivered()

    # --- internals ------------------------------------------------------------------------

    async def _update(self, poll_id: str) -> None:
        poll = await self._polls.get(poll_id)
        if poll is None or not poll.card_activity_id:
            return
        try:
            await self._sender.update(
                poll.conversation_id, poll.card_activity_id, await self.card(poll)
            )
        except Exception:
            # The next claim must find the card dirty again, or the last state is never shown.
            await self._polls.mark_card_dirty(poll.id)
            await self._schedule_card(poll, self._clock.now() + MIN_INTERVAL * 5)
            raise
        if await self._polls.get(poll_id) is None:
            # Deleted while this update was on its way: it may have landed after the
            # "deleted" card, so that card is sent again and stays the last word.
            await self.deleted(poll)

    async def _schedule_card(self, poll: Poll, due_at: datetime) -> None:
        second = due_at.replace(microsecond=0) + timedelta(seconds=1)
        if self._scheduled.get(poll.id) == second:
            return  # this process already asked for that second
        self._scheduled[poll.id] = second
        if len(self._scheduled) > 10_000:
            self._scheduled.clear()
        job = new_job(
            CARD_JOB,
            second,
            poll.conversation_id,
            now=self._clock.now(),
            payload={"pollId": poll.id},
            dedupe_key=f"{poll.id}@{second.isoformat()}",
        )
        await self._timers.schedule(job)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
