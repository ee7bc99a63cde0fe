"""HTTP routes of polls: the results page and the exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.capabilities.polls.links import PollLinks
from bot.domain.clock import Clock
from bot.domain.polls import PollService


@dataclass(frozen=True)
class PollWebContext:
    service: PollService
    links: PollLinks
    clock: Clock
    zone: ZoneInfo


def add_poll_routes(app: web.Application, context: Callable[[], PollWebContext]) -> None:
    del app, context
