"""Details a question asks for beyond its topic: a price, a phone number, a registration deadline.

"Hvad koster KL's masterclass?" is about the masterclass, and the entry for it is the right
answer, but the entry holds no price. The answer then says what is known and that the price is
not ("Jeg kender datoen …, men ikke prisen") instead of presenting the entry as if it answered.
The words that ask for the detail ("koster", "tilmeldingsfristen") are not topic words: they are
left out of the search, so they neither find nor sink the entry. A question whose topic is not
in the knowledge at all still finds nothing ("hvad koster en ny pc?").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.domain.knowledge.model import Contact, Entry, Event, Fact, KnowledgeBase, Role
from bot.domain.knowledge.questions import QuestionType
from bot.domain.knowledge.text import fold, key, raw_tokens


@dataclass(frozen=True, slots=True)
class Asking:
    """What a detail's check may look at besides the entry."""

    kb: KnowledgeBase
    found: str  # the folded words that asked for the detail ("2027", "næste")
    today: date


def _text(entry: Entry) -> str:
    """The entry's own wording (Danish and English), folded, for "does it mention X"."""
    parts: tuple[str, ...]
    match entry:
        case Event():
            parts = (entry.title, entry.description, entry.description_en, entry.note)
            parts += (entry.note_en, entry.place, entry.audience)
        case Contact():
            parts = (entry.name, entry.description, entry.description_en, entry.phone)
        case Role():
            parts = (entry.name, entry.description, entry.description_en)
        case Fact():
            parts = (entry.question, entry.answer, entry.answer_en)
    return fold(" ".join(parts))


def _mentions(pattern: str) -> Callable[[Entry, Asking], bool]:
    compiled = re.compile(fold(pattern))
    return lambda entry, _at: compiled.search(_text(entry)) is not None


def _names_municipality(entry: Entry, at: Asking) -> bool:
    words = f" {key(_text(entry))} "
    return any(f" {key(m.name)} " in words for m in at.kb.municipalities)


def _phone(entry: Entry, _at: Asking) -> bool:
    return isinstance(entry, Contact) and bool(entry.phone)


def _place(entry: Entry, _at: Asking) -> bool:
    return isinstance(entry, Event) and bool(entry.place)


_ROOM = re.compile(r"\blokale|\bsal\b|\broom\b|\bauditori")


def _room(entry: Entry, _at: Asking) -> bool:
    """Only a place that names the room ("KL-Huset, lokale 3") holds it."""
    return isinstance(entry, Event) and _ROOM.search(fold(entry.place)) is not None


def _exact_date(entry: Entry, _at: Asking) -> bool:
    return not isinstance(entry, Event) or entry.when.precision == "date"


def _time_of_day(entry: Entry, _at: Asking) -> bool:
    if not isinstance(entry, Event):
        return True
    return any(s.start_time is not None for s in entry.when.sessions)


_LENGTH = re.compile(r"\b\d+ (?:dage|uger|maneder|ar|timer|days|weeks|months|years|hours)\b")


def _duration(entry: Entry, at: Asking) -> bool:
    """An event's own dates say how long it lasts: a span of months, days with an end, or
    times of day with an end. Otherwise only a stated length does ("i fire uger", "3 months").
    """
    if isinstance(entry, Event):
        when = entry.when
        if when.end_month is not None and when.end_month != when.month:
            return True
        if any(s.end is not None or s.end_time is not None for s in when.sessions):
            return True
    return _LENGTH.search(_text(entry)) is not None


@dataclass(frozen=True, slots=True)
class Detail:
    key: str
    pattern: re.Pattern[str]  # on folded text
    known: Callable[[Entry, Asking], bool]  # does the entry hold it?
    da: str  # as it reads after "men ikke"
    en: str  # after "but not"
    # The entries that could hold it: a price or a place belongs to something people attend,
    # a phone number to a contact. Asked of another entry ("prisen på KP Basis"), the question
    # is not answered by it at all, and the words asking for the detail count as usual.
    holder: Callable[[Entry], bool]
    kind: str  # what holds it: "occasion", "event", "contact" or "any"
    # Whether the words asking for it are left out of the search. A year ("… for 2027") is
    # also evidence: a topic the knowledge only has for 2021 should not be found for 2027.
    skip: bool = True


# Event types people attend (sign up for, go to, pay for); other events are dates: a
# deadline, a milestone, a period, a letter.
ATTENDED = re.compile(r"webinar|meeting|mode|masterclass|course|kursus|conference|workshop")


def _attended(entry: Entry) -> bool:
    return isinstance(entry, Event) and bool(
        entry.registration or entry.place or ATTENDED.search(fold(entry.type))
    )


_HOLDERS: dict[str, Callable[[Entry], bool]] = {
    "occasion": _attended,
    "event": lambda entry: isinstance(entry, Event),
    "contact": lambda entry: isinstance(entry, Contact),
    "any": lambda entry: isinstance(entry, Event | Fact),
}


def _detail(
    key: str,
    pattern: str,
    known: Callable[[Entry, Asking], bool],
    da: str,
    en: str,
    kind: str = "occasion",
    *,
    skip: bool = True,
) -> Detail:
    # Written plainly and folded like the text (fold lower-cases the named groups' "?P" too).
    compiled = re.compile(fold(pattern).replace("(?p<", "(?P<"))
    return Detail(key, compiled, known, da, en, _HOLDERS[kind], kind, skip)


_DEADLINE_TEXT = r"\bfrist|\bsenest\b|\bdeadline"
DETAILS: tuple[Detail, ...] = (
    _detail(
        "registration_deadline",
        r"\btilmeldingsfrist\w*|\bfrist(en)? for (at )?tilmeld\w*|\bsidste frist for tilmeld\w*"
        r"|\bregistration deadline|\bdeadline (for|to) (register\w*|sign\w* up)"
        r"|\bsenest tilmelde?",
        _mentions(_DEADLINE_TEXT),
        "en tilmeldingsfrist",
        "a registration deadline",
    ),
    _detail(
        "application_deadline",
        r"\bansogningsfrist\w*|\bfrist(en)? for (at )?(soge|ansog)\w*|\bapplication deadline"
        r"|\bdeadline (for|to) apply\w*",
        _mentions(_DEADLINE_TEXT),
        "en ansøgningsfrist",
        "an application deadline",
        "event",  # a recruitment or a call for applications is a period, not a meeting
    ),
    _detail(
        "price",
        r"\bkost(er|e|ede)\b|\bpris(en|er|erne)?\b|\bdeltagerpris\w*|\bdeltagergebyr\w*"
        r"|\bgebyr(et)?\b|\bcosts?\b|\bprices?\b|\bfees?\b|\bhow much (is|does|do|will|would)\b"
        r"|\bhvor meget (koster|kommer (det|den) til at koste)\b",
        _mentions(r"\bkr\b|\bkroner|\bdkk\b|\bpris|\bgratis|\bfree of charge|\bprice"),
        "prisen",
        "the price",
    ),
    _detail(
        "phone",
        r"\btelefon\w*|\btlf\b|\bmobilnummer\w*|\bphone\w*|\btelephone\b|\bcall (her|him|them)\b",
        _phone,
        "et telefonnummer",
        "a phone number",
        "contact",
    ),
    _detail(
        "email",
        r"\b(e-?)?mail ?adresse\w*|\bpostkasse\w*|\bmailbox(es)?\b|\be-?mail address\w*"
        r"|\bhvilken (e-?)?mail\b|\b(what|which) e-?mail\b|\bmaile (til|hen)\b"
        r"|\bsende (en )?(e-?)?mail\b|\bsend (an )?e-?mail\b|\bwho (should|do|can) i e-?mail\b",
        lambda entry, _at: isinstance(entry, Contact) and bool(entry.email),
        "en mailadresse",
        "an email address",
        "contact",
    ),
    _detail(
        "audience",
        r"\bmalgruppe\w*|\bhvem (?:hos os |i kommunen |her )?(far|modtager|fik) (en |et )?"
        r"invitation\w*"
        r"|\bhvem (er|bliver) inviteret\b"
        r"|\bhvem (er|var) (det|den|de) for\b|\bhvem kan deltage\b|\bhvem ma deltage\b"
        r"|\bhvem (er|var) (det|den|de) (?:(?:stilet|rettet|malrettet|beregnet) (?:til|mod)"
        r"|tiltaenkt|malrettet)\b"
        r"|\bwho (is|was|are) (it|that|this|they) (aimed at|meant for|intended for|targeted at"
        r"|for)\b"
        r"|\bwho (gets|got|receives|received) (the |an )?invit\w*|\bwho (is|was|are) invited\b"
        r"|\btarget (group|audience)\b|\bwho can (attend|join|take part)\b|\baudience\b",
        lambda entry, _at: isinstance(entry, Event) and bool(entry.audience),
        "målgruppen",
        "the audience",
    ),
    _detail(
        "upcoming",
        # "næste programledermøde": one still ahead ("næste uge" is a time window).
        r"\b(naeste|kommende|next|upcoming|forthcoming)\b"
        r"(?! (uge|maned|ar|week|month|year|gang|time|step|skridt)\b)",
        lambda entry, at: not isinstance(entry, Event) or entry.when.last_day >= at.today,
        "en kommende dato (den, jeg kender, er passeret)",
        "an upcoming date (the one I know of has passed)",
        "event",
        skip=False,  # "næste møde i byrådet" must not find a meeting by "møde" alone
    ),
    _detail(
        "year",
        r"\b20\d\d\b",
        lambda entry, at: (
            not isinstance(entry, Event)
            or entry.when.first_day.year <= int(at.found) <= entry.when.last_day.year
        ),
        "noget for {found}",
        "anything for {found}",
        "event",
        skip=False,
    ),
    _detail(
        "members",
        r"\bhvem sidder i\b|\bhvem er med i\b|\bmedlemmer(ne)?\b|\bwho (is|are|sits) (in|on)\b"
        r"|\bmembers\b|\bmembership\b",
        lambda _entry, _at: False,  # no entry lists the members of a group
        "hvem der er med",
        "who its members are",
        "any",
    ),
    _detail(
        "municipalities",
        r"\bhvilke (kommuner|pilotkommuner)\b|\bwhich (municipalities|pilot municipalities)\b"
        r"|\bhvem er pilotkommuner\w*|\bwho are the pilot\b|\bnavne(ne)? pa (pilot)?kommuner",
        _names_municipality,
        "hvilke kommuner det er",
        "which municipalities they are",
        "any",
    ),
    _detail(
        "place",
        r"\bhvor (bliver|blir)\b(?P<gap>[^?.!\n]{0,60}?)\b(holdt|afholdt)\b"
        r"|\bhvor (holdes|afholdes|foregar)\b|\bhvilket sted\b|\bhvor henne\b"
        r"|\bhvor (er|ligger|bliver|foregar) (?:\w+ ){1,3}henne\b"
        r"|\bi hvilken by\b|\bhvilken adresse\b|\badressen\b|\bvenue\b|\blocation\b"
        r"|\bwhere (is|will)\b(?P<gap2>[^?.!\n]{0,60}?)\b(be )?held\b"
        r"|\bwhere does\b(?P<gap3>[^?.!\n]{0,60}?)\btake place\b",
        _place,
        "stedet",
        "the place",
    ),
    _detail(
        "room",
        r"\bhvilket (lokale|rum)\b|\blokalet\b|\blokalenummer\w*|\bwhich room\b|\bwhat room\b"
        r"|\broom number\b",
        _room,
        "lokalet",
        "the room",
    ),
    _detail(
        "exact_date",
        r"\bhvilken (dato|dag)\b|\bpraecise? dato\b|\bpraecis hvornar\b|\bwhat date\b"
        r"|\bwhich day\b|\bexact date\b|\bexact day\b",
        _exact_date,
        "den præcise dato",
        "the exact date",
        "event",
    ),
    _detail(
        "time_of_day",
        r"\bhvad tid\b|\bhvilket tidspunkt\b|\bklokken hvad\b|\bhvad klokken\b|\bwhat time\b",
        _time_of_day,
        "tidspunktet på dagen",
        "the time of day",
        "event",
    ),
    _detail(
        "recording",
        # Whether there will be one; "hvor ligger optagelserne?" asks for the recordings.
        r"\b(kommer|bliver|er) der (en |nogen )?optagelse\w*|\boptages (det|den|de)\b"
        r"|\bbliver (det|den|de) optaget\b|\b(is|will) (it|they) (be )?recorded\b"
        r"|\bbe (a )?recording\b|\bis there (a )?recording\b|\bget (a )?recording\b",
        _mentions(r"\boptagel|\brecording"),
        "om der kommer en optagelse",
        "whether there is a recording",
    ),
    _detail(
        "time_spent",
        r"\b(hvor mange timer|hvor meget tid|timer)( (om|pr\.?|per|i) (ugen|maneden|uge|maned"
        r"|aret))\b|\bhvor mange timer\b|\bhvor meget tid\b|\btidsforbrug\w*"
        r"|\bhow (many hours|much time)( (a|per) (week|month|year))?\b|\btime commitment\b"
        r"|\bhours (a|per) (week|month|year)\b",
        _mentions(r"\btimer?\b|\bhours?\b"),
        "hvor meget tid det tager",
        "how much time it takes",
        "any",
    ),
    _detail(
        "duration",
        r"\bhvor (laenge|lang tid)( (varer|tager|korer|er|holder|lober))?\b|\bvarighed\w*"
        r"|\bhow long( (is|does|will|do|are|did|was|it|they))*\b|\bduration\b",
        _duration,
        "hvor længe det varer",
        "how long it lasts",
        "any",
    ),
    _detail(
        "seats",
        r"\bpladser\b|\bhvor mange (kan|ma) (deltage|komme med|vaere med)\b|\bseats?\b"
        r"|\bcapacity\b|\bhow many (people )?can (attend|join|take part)\b|\bantal deltagere\b",
        _mentions(r"\bpladser\b|\bseats?\b|\bdeltagere maks|\bmax\w* \d+ deltagere"),
        "antallet af pladser",
        "the number of seats",
    ),
)


@dataclass(frozen=True, slots=True)
class AskedDetail:
    detail: Detail
    words: frozenset[str]  # the folded words that asked for it (not topic words)
    found: str = ""  # the text of the first match


# All the details' patterns in one: most questions ask for none, and one search says so
# (the groups only matter once a detail is found).
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_ANY_DETAIL = re.compile(
    "|".join("(?:" + _NAMED_GROUP.sub("(?:", d.pattern.pattern) + ")" for d in DETAILS)
)


def asked_details(text: str) -> tuple[AskedDetail, ...]:
    """The details the question asks for, each with the words that ask for it."""
    folded = " ".join(fold(text).split())
    if _ANY_DETAIL.search(folded) is None:
        return ()
    out = []
    for detail in DETAILS:
        asking: list[str] = []
        first = ""
        for m in detail.pattern.finditer(folded):
            first = first or m.group(0)
            # The topic between the asking words ("hvor bliver <KY-webinaret> holdt") stays.
            end = m.start()
            for name, value in m.groupdict().items():
                if value is not None and name.startswith("gap"):
                    asking.append(folded[end : m.start(name)])
                    end = m.end(name)
            asking.append(folded[end : m.end()])
        if asking:
            out.append(AskedDetail(detail, frozenset(raw_tokens(" ".join(asking))), first))
    return tuple(out)


def detail_question_type(asked: tuple[AskedDetail, ...]) -> QuestionType | None:
    """The kind of question the details make it: an event's price or place is asked like its
    date, a phone number like a contact; None when they point to different kinds."""
    kinds = {"event" if a.detail.kind == "occasion" else a.detail.kind for a in asked}
    if kinds == {"event"}:
        return QuestionType.WHEN
    if kinds == {"contact"}:
        return QuestionType.WHO
    return None


def applies(asked: tuple[AskedDetail, ...], entry: Entry) -> bool:
    """Whether every asked-for detail is one this kind of entry could hold."""
    return all(a.detail.holder(entry) for a in asked)


def missing_details(
    asked: tuple[AskedDetail, ...], entry: Entry, kb: KnowledgeBase, today: date
) -> tuple[Detail, ...]:
    """The asked-for details the entry does not hold."""
    return tuple(a.detail for a in asked if not a.detail.known(entry, Asking(kb, a.found, today)))
