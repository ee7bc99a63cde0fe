"""KnowledgeService: answer a free-text question from the knowledge base; reload atomically."""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.answers import Answer, suggestion_question
from bot.domain.knowledge.details import (
    applies,
    asked_details,
    detail_question_type,
    missing_details,
)
from bot.domain.knowledge.engine import SUGGESTION_FLOOR, Candidate, Engine
from bot.domain.knowledge.ics import event_to_ics
from bot.domain.knowledge.loader import load
from bot.domain.knowledge.model import Entry, Event, Fact, KnowledgeBase
from bot.domain.knowledge.questions import (
    COMPARISON_WORDS,
    EVENT_LIST_WORDS,
    QuestionType,
    asker_words,
    asks_for_listing,
    category_words,
    comparison,
    cue_words,
    detect,
    is_action_request,
    is_open_ended,
    question_clauses,
    question_frame,
)
from bot.domain.knowledge.render import (
    compared_answer,
    entry_answer,
    partial_answer,
    unknown_answer,
    window_answer,
)
from bot.domain.knowledge.small_talk import SmallTalkReply
from bot.domain.knowledge.text import (
    LOW_INFO,
    STOP_WORDS,
    asking_and_context,
    first_content_tokens,
    fold,
    name_pairs,
    named_tokens,
)
from bot.domain.knowledge.timewindow import TimeWindow, months_of, parse_window
from bot.domain.language import detect_language

# Chosen on the "tune" split of the evaluation set only (see evaluation.tune_threshold).
DEFAULT_THRESHOLD = 0.56
# The content words of a question that are searched for; the rest of it is not read. Each new
# word costs two pure-Python stemmer runs (20 to 200 µs, more the longer it is), and when it is
# unknown a typo search and a compound split: these bound the worst case at a few ms of CPU.
# A long question of 50 words has about 20 content words, with 150 letters; the longest of
# the evaluation sets (a consultant's three sentences before the question) has 23, with 155.
# The letters bound the worst case (long made-up words), the words rarely bind.
MAX_QUESTION_WORDS = 32
# The question types a detail re-types: "hvem er målgruppen for masterclassen?" asks about the
# masterclass (an event), "hvad er Janes telefonnummer?" about a contact.
_HINTED = (QuestionType.WHAT, QuestionType.GENERAL, QuestionType.HOW, QuestionType.WHO)
MAX_QUESTION_LETTERS = 240

# Told of the knowledge base in service, at start-up and after each reload (event reminders
# re-plan on it).
ReloadListener = Callable[[KnowledgeBase], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class KnowledgeResult:
    question: str
    lang: str
    question_type: QuestionType
    answer: Answer
    answered: bool  # False: the channel should record the question as unanswered
    entry_id: str | None
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    window: TimeWindow | None = None


# How far below the best a candidate may be and still be preferred for its month: in
# confidence, or in score (the confidence of events that differ only by their month is
# lowered by their tie with each other, which is just what the month resolves).
MONTH_TIE = 0.2
MONTH_TIE_SCORE = 0.8
# Searched with the month's name too, an event that has it ("Programledermøde marts 2021")
# and scores this close to the best is the one meant.
MONTH_NAMED_SCORE = 0.6
# Asked for an email or a phone number, a contact that holds it and scores this close to the
# best answer is the answer.
HOLDER_SCORE = 0.75


def _in_months(entry: Entry, window: TimeWindow, zone: ZoneInfo) -> bool:
    """Whether the entry is an event in one of the window's calendar months, any year."""
    return isinstance(entry, Event) and bool(window.months() & months_of(*entry.when.days_in(zone)))


def _same_months_first(
    sure: list[Candidate], window: TimeWindow, entries: dict[str, Entry], zone: ZoneInfo
) -> list[Candidate]:
    """ "programledermødet i januar", "FBS-bølgen i juni": the knowledge's meetings and waves
    are in other years than the one a bare month means today, but the month still tells
    near-equal events apart."""
    top = sure[0].confidence
    top_score = max(c.score for c in sure)
    fit = [
        c
        for c in sure
        if (c.confidence >= top - MONTH_TIE or c.score >= MONTH_TIE_SCORE * top_score)
        and _in_months(entries[c.entry_id], window, zone)
    ]
    return fit + [c for c in sure if c not in fit]


# "… på mødet" (not "på mødet i marts", "mødet om KY"): the meeting is where it was said.
_AT_THE_MEETING = re.compile(
    r"\b(?:pa|til|under|at|in|during) (?:the )?(?:modet|meeting)\b"
    r"(?! (?:i|in|om|on|about|den|the|med|with)\b)"
)
_MEETING_WORDS = frozenset({"modet", "meeting"})


def _latest_first(sure: list[Candidate], entries: dict[str, Entry]) -> list[Candidate]:
    """For "the next ..." when what is known has passed: the latest of the near-equal events."""
    top = sure[0].confidence
    close = [
        c for c in sure if c.confidence >= top - 0.15 and isinstance(entries[c.entry_id], Event)
    ]
    if len(close) < 2:
        return sure
    latest = max(close, key=lambda c: cast(Event, entries[c.entry_id]).when.last_day)
    return [latest] + [c for c in sure if c is not latest]


class KnowledgeService:
    """Synchronous and CPU-only; the index is built once per (re)load.

    `zone` is the users' time zone (the TIMEZONE setting): "today", "i morgen", "næste uge",
    "passed/in N days", the times shown and the .ics export are all taken in it. The times in
    the knowledge files themselves are Europe/Copenhagen wall-clock times.
    """

    def __init__(
        self,
        directory: str | Path | None = None,
        *,
        kb: KnowledgeBase | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        zone: ZoneInfo = COPENHAGEN,
    ) -> None:
        self.directory = Path(directory) if directory is not None else None
        if kb is None:
            if self.directory is None:
                raise ValueError("give a knowledge directory or a KnowledgeBase")
            kb = load(self.directory)
        self.threshold = threshold
        self.zone = zone
        self._lock = threading.Lock()
        self._engine = Engine(kb)
        self._listeners: list[ReloadListener] = []

    @property
    def kb(self) -> KnowledgeBase:
        return self._engine.kb

    def reload(self) -> KnowledgeBase:
        """Re-read the files; on KnowledgeError the old knowledge stays in service."""
        if self.directory is None:
            raise ValueError("this service was built from a KnowledgeBase, not a directory")
        with self._lock:
            engine = Engine(load(self.directory))
            self._engine = engine  # one reference assignment: readers see old or new
        return engine.kb

    def on_reload(self, listener: ReloadListener) -> None:
        """Have `listener` awaited with the new knowledge after every successful reload (and,
        by the app, once at start-up: see announce_knowledge)."""
        self._listeners.append(listener)

    @property
    def reload_listeners(self) -> tuple[ReloadListener, ...]:
        return tuple(self._listeners)

    def entry(self, entry_id: str) -> Entry | None:
        return self._engine.entries.get(entry_id)

    def ics(self, event_id: str, *, now: datetime, lang: str = "da") -> str | None:
        """The .ics text for an event, or None if unknown or only month/quarter is known."""
        event = self._engine.entries.get(event_id)
        if not isinstance(event, Event):
            return None
        return event_to_ics(event, now=now, lang=lang, zone=self.zone)

    def answer(self, entry_id: str, *, lang: str = "da", now: datetime) -> KnowledgeResult | None:
        """Answer one entry directly, e.g. when a suggestion button carrying its id is pressed."""
        engine = self._engine
        entry = engine.entries.get(entry_id)
        if entry is None:
            return None
        today = now.astimezone(self.zone).date()
        text = suggestion_question(entry, lang)
        answer = entry_answer(
            entry, engine.kb, lang, detect(text), today, engine.entries, self.zone
        )
        return KnowledgeResult(text, lang, detect(text), answer, True, entry_id, 1.0)

    @staticmethod
    def _compared(
        pair: tuple[str, str],
        search: Callable[[list[str]], tuple[list[Candidate], list[Candidate]]],
        skip: frozenset[str],
    ) -> tuple[Candidate, Candidate] | None:
        """Each side of "forskellen på A og B" as a question of its own: both must be sure."""
        found = []
        for side in pair:
            words = first_content_tokens(side, MAX_QUESTION_WORDS, MAX_QUESTION_LETTERS)
            tokens = [t for t in words if t not in skip]
            sure = search(tokens)[1] if tokens else []
            if not sure:
                return None
            found.append(sure[0])
        first, second = found
        return (first, second) if first.entry_id != second.entry_id else None

    def small_talk(self, text: str) -> SmallTalkReply | None:
        """A reply when the whole message is a greeting, thanks, goodbye or "who are you"."""
        return self._engine.small_talk.reply(text)

    def ask(self, text: str, *, lang: str | None = None, now: datetime) -> KnowledgeResult:
        return self._ask(text, lang, now, engine=self._engine, whole=True)

    def _ask(
        self, text: str, lang: str | None, now: datetime, *, engine: Engine, whole: bool
    ) -> KnowledgeResult:
        """`whole`: the message as sent; a clause of it is asked with whole=False."""
        lang = lang or detect_language(text)
        zone = self.zone
        today = now.astimezone(zone).date()
        # A long message may tell who asks and why before it asks: the asking sentences
        # decide the kind of question and come first in the words searched.
        asking, told = asking_and_context(text)
        qtype = detect(asking)
        window = parse_window(text, now, zone)
        skip = cue_words(qtype) | (window.words | EVENT_LIST_WORDS if window else frozenset())
        skip |= category_words(text) | asker_words(text)
        if _AT_THE_MEETING.search(fold(text)[:2000]):  # "hvem fortalte om KP på mødet": where
            skip |= _MEETING_WORDS
        pair = comparison(text)
        if pair is not None:  # "forskellen på A og B": A and B are the topic, not "forskel"
            skip |= COMPARISON_WORDS
        # "hvad koster ...", "tilmeldingsfristen": what is asked about the topic, not the topic.
        asked = asked_details(text)
        detail_words = frozenset(w for a in asked if a.detail.skip for w in a.words)
        words = first_content_tokens(asking, MAX_QUESTION_WORDS, MAX_QUESTION_LETTERS)
        context: frozenset[str] = frozenset()
        if told:
            room = MAX_QUESTION_LETTERS - sum(map(len, words))
            told_words = first_content_tokens(told, MAX_QUESTION_WORDS - len(words), room)
            context = frozenset(told_words) - frozenset(words)
            words = words + told_words
        # A cue word inside a known phrase ("role gallery") is part of the topic.
        phrase = engine.analyzer.phrase_positions(words)
        plain = [t for i, t in enumerate(words) if t not in skip or i in phrase]
        tokens = [t for t in plain if t not in detail_words]

        def result(
            answer: Answer,
            entry_id: str | None,
            conf: float,
            cands: Sequence[Candidate] = (),
        ) -> KnowledgeResult:
            return KnowledgeResult(
                text,
                lang,
                qtype,
                answer,
                answer.kind != "unknown",
                entry_id,
                conf,
                tuple(cands),
                window,
            )

        def listing(window: TimeWindow) -> KnowledgeResult:
            # A month-only item is not "tomorrow"; it belongs to windows of a month or more.
            wide = (window.end - window.start).days >= 27
            events = [
                e
                for e in engine.kb.events
                if window.overlaps(*e.when.days_in(zone)) and (wide or e.when.precision == "date")
            ]
            answer = window_answer(window, events, lang, today, zone, engine.kb.events)
            return result(answer, None, 1.0)

        # "Anything coming up in May that I should put in my calendar?": beside the window
        # only filler is left, so it asks for everything in it; so does "hvad skal vi nå med
        # KOMBIT inden sommerferien?", with a word nearly every entry has.
        if window is not None and (
            all(t in LOW_INFO for t in tokens)
            or (
                asks_for_listing(text) and all(t in LOW_INFO or engine.is_common(t) for t in tokens)
            )
        ):
            return listing(window)

        def search(
            tokens: list[str],
            qtype: QuestionType = qtype,
            frame: str = question_frame(asking),
            topics: frozenset[str] = frozenset(),
        ) -> tuple[list[Candidate], list[Candidate]]:
            candidates = engine.search(
                tokens,
                qtype,
                lang,
                frame=frame,
                vague_check=window is None,
                open_ended=is_open_ended(text),
                names=named_tokens(text) | topics,
                context=context,
            )
            return candidates, [c for c in candidates if c.confidence >= self.threshold]

        hint = detail_question_type(asked)
        if hint is not None and qtype in _HINTED:
            # "Hvad er prisen på masterclassen?" asks about the event, not what it is.
            candidates, sure = search(tokens, hint, "")
        else:
            candidates, sure = search(tokens)
        if asked:  # the price of the masterclass, not of its organiser
            fit = [c for c in sure if applies(asked, engine.entries[c.entry_id])]
            if sure and not fit and all(a.detail.kind == "contact" for a in asked):
                # "hvilken mailadresse bruger man til spørgsmål om ØiR?": the ØiR mailbox,
                # though a text about ØiR matches the question's other words a little better.
                fit = [
                    replace(c, confidence=sure[0].confidence)
                    for c in candidates
                    if c.score >= HOLDER_SCORE * sure[0].score
                    and applies(asked, engine.entries[c.entry_id])
                ][:1]
            fit_ids = {c.entry_id for c in fit}
            sure = fit + [c for c in sure if c.entry_id not in fit_ids]
        if asked and not (sure and applies(asked, engine.entries[sure[0].entry_id])):
            # Not a detail of something the knowledge holds ("prisen på KP Basis" asks for
            # what no system entry has): the question is judged with all its words.
            # The asked-for detail no entry could hold counts in full, like a name: it is what
            # the question is about.
            asked = ()
            if plain != tokens:
                candidates, sure = search(plain, topics=detail_words)
        if any(a.detail.key == "upcoming" for a in asked) and sure:
            sure = _latest_first(sure, engine.entries)
        if sure and engine.unknown_name_pairs(name_pairs(text)):
            sure = []  # "var der ikke noget om at KMD Aktiv skulle udfases?": not KMD Sag
        if sure and engine.half_known_names(name_pairs(text, acronym=False)):
            sure = []  # "Kommunernes Sygedagpengesystem" is not Kommunernes Pensionssystem
        if is_action_request(text):
            sure = []  # "kan du booke et lokale til KY-webinaret?": nothing here can do that
        if window is not None and sure:
            in_window: list[Candidate] = []
            window_events: list[Event] = []
            for c in sure:
                entry = engine.entries[c.entry_id]
                if isinstance(entry, Event) and window.overlaps(*entry.when.days_in(zone)):
                    in_window.append(c)
                    window_events.append(entry)
            if len(in_window) > 1 and qtype in (QuestionType.LIST, QuestionType.GENERAL):
                return result(
                    window_answer(window, window_events, lang, today, zone),
                    None,
                    in_window[0].confidence,
                    candidates,
                )
            if not in_window and window.named:
                # "programledermødet i marts": the month names the meeting (its title has it).
                by_month = search(tokens + sorted(window.words - STOP_WORDS))[0]
                best_score = by_month[0].score if by_month else 0.0
                named = [
                    c
                    for c in by_month
                    if c.score >= MONTH_NAMED_SCORE * best_score
                    and _in_months(engine.entries[c.entry_id], window, zone)
                ][:1]
                if named:  # as sure as the question's best answer without the month
                    month = replace(named[0], confidence=sure[0].confidence)
                    sure = [month] + [c for c in sure if c.entry_id != month.entry_id]
                sure = _same_months_first(sure, window, engine.entries, zone)
            sure = in_window or sure
        if whole and not sure and len(clauses := question_clauses(asking)) > 1:
            # "Hvad er forskellen på test og afprøvning, og hvem står for hvad?": asked
            # together the two lower each other's coverage; a clause that is sure on its own
            # is answered (the surest one).
            each = [self._ask(c, lang, now, engine=engine, whole=False) for c in clauses]
            answered = [r for r in each if r.answered and r.entry_id is not None]
            if answered:
                surest = max(answered, key=lambda r: r.confidence)
                return replace(surest, question=text)
        # "Hvad sker der til efteråret med KP Basis?" and nothing is sure: what the knowledge
        # has in (or nearest to) that period still helps; "I don't know" does not. Not when it
        # names what the knowledge lacks ("Hvad sker der i Tivoli i april?").
        if (
            window is not None
            and not sure
            and asks_for_listing(text)
            and not engine.unknown_names(named_tokens(text, capitals_only=True))
        ):
            return listing(window)
        top = engine.entries[sure[0].entry_id] if sure else None
        # A fact that answers the comparison itself ("forskellen på test og afprøvning") wins.
        if pair is not None and not (isinstance(top, Fact) and comparison(top.question)):
            compared = self._compared(pair, search, skip)
            if compared is not None:
                first, second = compared
                entry = engine.entries[first.entry_id]
                answer = entry_answer(entry, engine.kb, lang, qtype, today, engine.entries, zone)
                answer = compared_answer(answer, engine.entries[second.entry_id])
                conf = min(first.confidence, second.confidence)
                return result(answer, first.entry_id, conf, candidates)
        if sure:
            best = sure[0]
            entry = engine.entries[best.entry_id]
            answer = entry_answer(entry, engine.kb, lang, qtype, today, engine.entries, zone)
            missing = missing_details(asked, entry, engine.kb, today)
            found = {a.detail.key: a.found for a in asked}
            answer = partial_answer(answer, entry, missing, found)
            return result(answer, best.entry_id, best.confidence, candidates)
        near = []
        for c in candidates:
            if c.confidence >= SUGGESTION_FLOOR and c.entry_id not in near:
                near.append(c.entry_id)
        answer = unknown_answer(text, [engine.entries[i] for i in near[:3]], lang)
        conf = candidates[0].confidence if candidates else 0.0
        return result(answer, None, conf, candidates)
