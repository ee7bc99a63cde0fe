"""What a poll is: its kinds, settings, options, statements, answers and voters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

Lang = Literal["da", "en"]
# live: everyone sees the running results; hidden: everyone, but only once the poll is closed;
# creator: only the poll's creator (and administrators) ever see the figures.
ResultsVisibility = Literal["live", "hidden", "creator"]
RESULTS_VISIBILITIES: tuple[ResultsVisibility, ...] = ("live", "hidden", "creator")
PollState = Literal["open", "closed"]


class PollKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    SCALE = "scale"  # 1-10, "temperaturmåling"
    LIKERT = "likert"
    OPEN = "open"

    @property
    def has_options(self) -> bool:
        """Answered by choosing options (yes/no's are fixed)."""
        return self in (PollKind.SINGLE, PollKind.MULTIPLE, PollKind.YES_NO)

    @property
    def takes_options(self) -> bool:
        """Its options are written by the poll's creator."""
        return self in (PollKind.SINGLE, PollKind.MULTIPLE)


@dataclass(frozen=True)
class Option:
    id: str  # what the card sends back: "1", "2", ... (or "yes"/"no")
    label: str


@dataclass(frozen=True)
class Statement:
    id: str  # stable across meetings for a template's statement, so trends can match them
    text: str


# Likert levels as the card sends them; the value is also the score used for means.
LIKERT_LEVELS: tuple[int, ...] = (5, 4, 3, 2, 1)
LIKERT_LABELS: dict[Lang, dict[int, str]] = {
    "da": {5: "Helt enig", 4: "Enig", 3: "Hverken enig eller uenig", 2: "Uenig", 1: "Helt uenig"},
    "en": {
        5: "Strongly agree",
        4: "Agree",
        3: "Neither agree nor disagree",
        2: "Disagree",
        1: "Strongly disagree",
    },
}
YES_NO_LABELS: dict[Lang, tuple[str, str]] = {"da": ("Ja", "Nej"), "en": ("Yes", "No")}


def yes_no_options(lang: Lang) -> tuple[Option, Option]:
    yes, no = YES_NO_LABELS[lang]
    return Option("yes", yes), Option("no", no)


@dataclass(frozen=True)
class PollSettings:
    anonymous: bool = True
    results: ResultsVisibility = "live"
    closes_at: datetime | None = None  # aware UTC


@dataclass(frozen=True)
class PollSpec:
    """What is asked, as created by a command, a template or the guided dialog."""

    kind: PollKind
    question: str
    options: tuple[Option, ...] = ()
    statements: tuple[Statement, ...] = ()
    settings: PollSettings = field(default_factory=PollSettings)
    lang: Lang = "da"
    template_id: str | None = None  # evaluations made from a template are compared over time


@dataclass(frozen=True)
class Poll:
    """A poll posted in a conversation."""

    id: str
    spec: PollSpec
    conversation_id: str
    tenant_id: str
    creator_id: str
    created_at: datetime
    creator_name: str = ""
    state: PollState = "open"
    closed_at: datetime | None = None
    card_activity_id: str | None = None

    @property
    def closes_at(self) -> datetime | None:
        return self.spec.settings.closes_at

    def is_open(self, now: datetime) -> bool:
        """Open and not past its closing time (the close job may not have run yet)."""
        return self.state == "open" and (self.closes_at is None or now < self.closes_at)

    def shows_results(self, now: datetime, *, to_manager: bool = False) -> bool:
        """Whether the results may be shown now to whoever is asking.

        `to_manager`: the figures go only to the poll's creator or an administrator (their
        private chat, the results page whose link only they receive); otherwise they are for
        everyone in the conversation (the shared card, the group's results message). Hidden
        results wait for the close whoever asks; a creator-only poll's never reach the group.
        """
        results = self.spec.settings.results
        if results == "creator":
            return to_manager
        return results == "live" or not self.is_open(now)


@dataclass(frozen=True)
class Answer:
    """One voter's validated answer; which field is used depends on the poll's kind."""

    choices: tuple[str, ...] = ()  # option ids: single, multiple, yes/no
    value: int | None = None  # scale
    ratings: tuple[tuple[str, int], ...] = ()  # (statement id, Likert level): Likert
    text: str = ""  # open text


@dataclass(frozen=True)
class Voter:
    """Who voted, as stored: a keyed hash always; id and name only in named polls."""

    key: str
    user_id: str | None = None
    name: str | None = None
