"""Polls: one-line and guided creation, votes from card actions, live cards, results, exports.

Where a vote is recorded: votes.py `PollCardActions.vote` → bot/domain/polls/service.py
`PollService.vote` → storage/polls.py `SqlPollRepository.record_vote`.
"""

from __future__ import annotations

from bot.capabilities.polls.publisher import CARD_JOB, CLOSE_JOB, PollPublisher
from bot.capabilities.polls.turns import (
    CLOSE_PHRASES,
    DELETE_PHRASES,
    LIST_PHRASES,
    MEETING_END,
    MEETINGS_PHRASES,
    PollCommands,
)
from bot.capabilities.polls.votes import Links, PollCardActions
from bot.capabilities.polls.wording import say
from bot.channel.router import TurnRouter
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.polls import PollService
from bot.domain.polls.ports import PollRepository
from bot.domain.polls.templates import PollTemplates
from dialogs.poll_dialog import PollDialog


class PollsCapability:
    def __init__(
        self,
        service: PollService,
        repository: PollRepository,
        publisher: PollPublisher,
        templates: PollTemplates,
        links: Links,
        clock: Clock,
    ) -> None:
        self.publisher = publisher
        self.commands = PollCommands(
            service, repository, publisher, templates, clock, dialog_id=PollDialog.__name__
        )
        self.actions = PollCardActions(service, repository, publisher, self.commands, links, clock)

    def register(self, router: TurnRouter) -> None:
        router.help(_help_lines)
        router.command(self.commands.keywords, self.commands.create)
        router.command(LIST_PHRASES, self.commands.list_open, exact=True)
        router.command(CLOSE_PHRASES, self.commands.close)
        router.command(DELETE_PHRASES, self.commands.delete)
        router.command(MEETINGS_PHRASES, self.commands.meetings)
        router.verb("poll.vote", self.actions.vote, stateless=True)
        router.verb("poll.close", self.actions.close)
        router.verb("poll.results", self.actions.results_link)
        router.verb("poll.export", self.actions.export_link)
        router.verb("poll.delete.confirm", self.actions.delete_confirm)
        router.verb("poll.delete.cancel", self.actions.delete_cancel)
        router.event(MEETING_END, self.commands.meeting_ended)
        router.dialog(PollDialog(self.commands.post))

    def job_handlers(self) -> dict:
        """The scheduler's job kinds this capability handles."""
        return {CARD_JOB: self.publisher.run_card_job, CLOSE_JOB: self.publisher.run_close_job}


def _help_lines(lang: Lang) -> list[str]:
    return [say("help.polls", lang)]


__all__ = ["PollPublisher", "PollsCapability"]
