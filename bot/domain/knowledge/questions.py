"""Question-type detection ("hvornår" -> dates, "hvem" -> contacts, ...) and cue words."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.knowledge.text import fold, raw_tokens


class QuestionType(StrEnum):
    WHEN = "when"
    WHO = "who"
    ROLE = "role"
    LIST = "list"
    HOW = "how"
    WHAT = "what"
    GENERAL = "general"


# Checked in this order; the first that matches is the question's type. Patterns run on
# folded text (æ->ae, ø->o, å->a, aa->a, oe->o), so "hvornår"/"hvornaar" are both "hvornar".
_PATTERNS: tuple[tuple[QuestionType, re.Pattern[str]], ...] = tuple(
    (qtype, re.compile(fold(pattern)))  # patterns are written plainly and folded like text
    for qtype, pattern in (
        (
            QuestionType.WHEN,
            r"\bhvornar\b|\bhvor (holdes|afholdes|foregar)\b"  # and "where is ... held"
            r"|\bhvilken (dato|dag)\b|\bwhen\b|\bwhat (date|time)\b"
            r"|\bdato(en|er|erne)?\b|\bdates?\b|\bfrist(en)?\b|\bdeadlines?\b|\btidspunkt"
            r"|\b(i|in|during) (hvilken|which|what) periode?\b",
        ),
        (
            QuestionType.WHO,
            r"\bhvem\b|\bkontakt(e|er)?\b|\bskriv(e)? til\b|\bhenvend|\bsporg(e)?\b"
            r"|\bmail\b|\bwho\b|\bcontact\b|\bwrite to\b|\be-?mail\b|\breach\b"
            r"|\b(?:e-?)?mail ?adresse|\bmaile?\b|\bpostkasse|\bmailbox|\bemail address"
            r"|\bfolk(ene)? bag\b|\bpeople behind\b|\bteam(et)? bag\b|\bteam behind\b",
        ),
        (
            QuestionType.HOW,
            r"\bhvad (skal|kan|bor) (vi|jeg|kommunen|kommunerne|man) "
            r"(gore|stille op)\b"
            r"|\bwhat (should|must|can) (we|i) do\b"
            r"|\bhvad forventes der (egentlig )?af (os|kommunen|kommunerne)\b"
            r"|\b(procedure|fremgangsmade)(n|r)?\b",
        ),
        (
            QuestionType.ROLE,
            r"\bhvad (laver|gor)\b|\bhvad skal (en|et|man som)\b"
            r"|\bansvar|\bopgaver\b"
            r"|\bwhat does (a|an|the)\b|\bresponsib|\bduties\b|\brolle(n)?\b|\brole\b"
            r"|\b(supposed|meant|expected) to do\b|\bhvad forventes der (egentlig )?af mig\b",
        ),
        (QuestionType.LIST, r"\bhvilke\b|\bwhich\b|\bliste?\b|\boversigt|\bnavngiv|\bname the\b"),
        (QuestionType.HOW, r"\bhvorfor\b|\bhvordan\b|\bwhy\b|\bhow\b"),
        (QuestionType.WHAT, r"\bhvad\b|\bwhat\b|\bforklar|\bexplain\b|\bbetyder\b|\bmean"),
    )
)

# "What is X" / "what does X mean": the answer is the entry that defines X (a fact asked as
# "Hvad er ..."/"Hvad betyder ...", or a role), not an event or contact that mentions X.
_DEFINITION = re.compile(
    fold(
        r"\bhvad (er|var)\b|\bhvad (menes|forstas) med\b|\bfor noget\b"  # and "hvad går ... ud på"
        r"|\bwhat (is|are|was|were)\b|\bwhat's\b|\bforklar|\bexplain\b|\bdefin"
    )
)
_MEANING = re.compile(
    fold(
        r"\bbetyder\b|\bbetydning(en)?\b|\bhvad (indebaerer|daekker)\b|\bmean(s|ing)?\b"
        r"|\binvolve"
    )
)
DEFINITION = "definition"  # "Hvad er X?"
MEANING = "meaning"  # "Hvad betyder X (for Y)?"


# "Hvad er KOMBIT for en organisation?", "what kind of system is KP": the last word only
# names the category of the thing asked about; matching on it finds the wrong entries.
# (As r"\bhvad er .+ for (?:en|et) ([a-z]+)\W*$|\bwhat (?:kind|sort|type) of ([a-z]+)\b" would
# find them with finditer, but in one pass: see category_words.)
_HVAD_ER = re.compile(r"\bhvad er ")
_FOR_A_WHAT = re.compile(r".+ for (?:en|et) ([a-z]+)\W*$")
# "what kind of system is KP" names a category; "what kind of support do we get" the topic.
_KIND_OF = re.compile(
    r"\bwhat (?:kind|sort|type) of ([a-z]+)\b"
    r"(?! (?:do|does|did|will|can|should|would|could|we|they|you|i)\b)"
)

# r"A .* B" searched for directly starts again at every A and reads the rest of its line each
# time: quadratic in a long question full of A. `_on_one_line` finds the same in one pass.
_WHERE_IS, _HELD = re.compile(r"\bwhere is "), re.compile(r".* held\b")
_HVAD_GAR, _UD_PA = re.compile(r"\bhvad gar "), re.compile(r".* ud pa\b")


def _on_one_line(folded: str, head: re.Pattern[str], rest: re.Pattern[str]) -> bool:
    """Whether `rest` matches right after some match of `head` (r"head.*tail": `rest` begins
    with ".*"). Where it fails after a head, it fails after every later head on that line."""
    pos = 0
    while (m := head.search(folded, pos)) is not None:
        if rest.match(folded, m.end()):
            return True
        pos = folded.find("\n", m.end()) + 1
        if not pos:
            return False
    return False


# "Hvad med X?", "what about X?": asks nothing specific about X; only an entry that X names
# is a confident answer, otherwise the bot should offer suggestions.
_OPEN_ENDED = re.compile(r"^\W*(?:og )?(?:hvad med|hvad sa med|what about|how about)\b")


# "Kan du booke et mødelokale?", "could you cancel the meeting": a request to do something the
# knowledge cannot do. (Polls, reminders and the like are taken by their own commands first.)
_ACTION = re.compile(
    r"^\W*(?:(?:hej|hi|hey)\W+)?(?:kan|vil|gider|kunne) du (?:lige |godt |venligst )?"
    r"(?:booke|bestille|reservere|oprette|aflyse|flytte|ringe|invitere|betale|kobe|slette)\b"
    r"|^\W*(?:(?:hej|hi|hey)\W+)?(?:can|could|would|will) you (?:please |just )?"
    r"(?:book|order|reserve|create|cancel|move|call|phone|invite|schedule|pay|buy|delete)\b"
)


# "Hvad er forskellen på projektejer og projektleder?": two things, each maybe an entry.
_COMPARISON = re.compile(
    r"\bforskel(?:len|le)? (?:pa|mellem) (?P<a>[^?.!\n]+?) og (?P<b>[^?.!\n]+)"
    r"|\bdifference between (?P<c>[^?.!\n]+?) and (?P<d>[^?.!\n]+)"
    r"|\b(?P<e>[\w-]+) (?:vs\.?|versus|kontra) (?P<f>[\w-]+)"
)


# "vi som programledere", "we as programme leaders", "jeg som ny ØiR-koordinator": who is
# asking, not what about. Up to two words after "som"/"as" (an article skipped).
_ASKER = re.compile(
    r"\b(?:vi|jeg|os|mig|we|us|i|me)(?: (?:sidder|arbejder|fungerer|er ansat|work|serve))?"
    r" (?:som|as) (?:(?:en|et|a|an|the|ny|nyt|new) )?([a-z0-9-]+)(?: ([a-z0-9-]+))?"
    # "jeg er ny it-chef", "I'm a consultant", "I am the new ØiR coordinator"
    r"|\bjeg er (?:en |et )?(?:ny|nyansat|nyudnaevnt|nyvalgt) (?!i |pa |som |her\b)([a-z0-9-]+)"
    r"|\bi(?:'m| am) (?:a|an|the) (?:new )?([a-z0-9-]+)(?: ([a-z0-9-]+))?"
    # "Vores it-chef nævnte …", "my manager mentioned …": who passed it on, not the topic.
    r"|\b(?:vores|min|mit|our|my) ([a-z0-9-]+) (?:har )?(?:naevnte|sagde|fortalte|skrev|spurgte"
    r"|mentioned|said|told|wrote|asked)\b"
)


# "Jeg er lige startet i kommunen", "I'm new here": a newcomer says so before asking.
_NEWCOMER = re.compile(
    r"\bjeg er (?:lige |helt |netop |ret )?(?:ny(?: medarbejder| kollega)?|nyansat|nystartet"
    r"|startet|begyndt|ansat|kommet|(?:blevet )?(?:udpeget|udnaevnt|valgt))"
    r"(?: her| (?:i|pa|som) [a-z0-9-]+)?\b"
    r"|\bjeg (?:starter|begynder) (?:som|i|pa) [a-z0-9-]+\b"
    r"|\bi(?:'m| am|m) (?:new|(?:just |recently )?(?:started|joined))(?: (?:here|(?:in|to) "
    r"(?:the|this|my) (?:job|role|team|municipality|council)))?\b"
    r"|\bi (?:just|recently) (?:started|joined)(?: (?:here|the (?:team|municipality|council)))?\b"
)


def asker_words(text: str) -> frozenset[str]:
    """Folded words that say who is asking ("we as programme leaders", "jeg er lige startet i
    kommunen"), to leave out of the topic: a question about the ØiR coordinator's tasks is
    not about programme leaders, nor is "what is the role gallery" about starting."""
    folded = fold(text)[:2000]
    words: set[str] = set()
    for m in _ASKER.finditer(folded):
        words.update(t for w in m.groups() if w for t in raw_tokens(w))
    for m in _NEWCOMER.finditer(folded):
        words.update(m.group(0).replace("'", " ").split())
    return frozenset(words)


COMPARISON_WORDS = frozenset(
    fold(w) for w in "forskel forskellen forskelle difference differences vs versus kontra".split()
)


def comparison(text: str) -> tuple[str, str] | None:
    """The two things a "what is the difference between A and B" question compares."""
    m = _COMPARISON.search(fold(text)[:400])
    if m is None:
        return None
    a, b = (g for g in m.groups() if g is not None)
    return a, b


def is_action_request(text: str) -> bool:
    return _ACTION.search(fold(text)) is not None


def is_open_ended(text: str) -> bool:
    return _OPEN_ENDED.search(fold(text)) is not None


def category_words(text: str) -> frozenset[str]:
    folded = fold(text)
    words: set[str] = set()
    hvad, kind = _HVAD_ER.search(folded), _KIND_OF.search(folded)
    while True:  # the matches in the order finditer would meet them
        if hvad is not None and (kind is None or hvad.start() < kind.start()):
            if found := _FOR_A_WHAT.match(folded, hvad.end()):
                words.add(found.group(1))  # it reaches the end of the text: nothing follows
                break
            # ".+" stops at the line's end: every later "hvad er" on this line fails as well.
            line_end = folded.find("\n", hvad.end())
            hvad = _HVAD_ER.search(folded, line_end + 1) if line_end >= 0 else None
            continue
        if kind is None:
            break
        words.add(kind.group(1))
        end = kind.end()
        kind = _KIND_OF.search(folded, end)
        if hvad is not None and hvad.start() < end:  # inside that match: search on after it
            hvad = _HVAD_ER.search(folded, end)
    return frozenset(words)


def question_frame(text: str) -> str:
    """Whether a question asks what something is (or means); "" for other questions."""
    folded = fold(text)
    if _MEANING.search(folded):
        return MEANING
    if _DEFINITION.search(folded) or _on_one_line(folded, _HVAD_GAR, _UD_PA):
        return DEFINITION
    return ""


# For definition questions: facts that define something rank first, then roles (which
# describe themselves); dated entries and contacts only mention the topic.
DEFINITION_BOOSTS: dict[str, float] = {
    "fact": 1.2,
    "list": 1.1,
    "role": 1.15,
    "event": 0.75,
    "contact": 0.85,
    "web": 0.85,
    "supplier": 0.85,
}
# Per question frame: the boost for entries that answer the same frame, or the other one.
FRAME_BOOSTS: dict[str, dict[str, float]] = {
    DEFINITION: {DEFINITION: 1.25, MEANING: 1.1},
    MEANING: {MEANING: 1.25, DEFINITION: 1.1},
}

# Multipliers on the BM25 score per entry kind; they reorder candidates, never create them.
BOOSTS: dict[QuestionType, dict[str, float]] = {
    QuestionType.WHEN: {"event": 1.4, "contact": 0.7, "role": 0.7},
    QuestionType.WHO: {"contact": 1.35, "supplier": 1.15, "web": 1.15, "role": 1.2, "event": 0.8},
    QuestionType.ROLE: {"role": 1.4, "event": 0.8},
    QuestionType.LIST: {"list": 1.4},
    QuestionType.HOW: {"fact": 1.3, "list": 1.2},
    QuestionType.WHAT: {"fact": 1.2, "role": 1.1},
    QuestionType.GENERAL: {},
}

# Words that say what kind of answer is wanted, not what it is about; they must not
# drive matching ("rolle" occurs in every role).
CUE_WORDS = frozenset(
    fold(w)
    for w in """
    rolle rollen roller rollerne role roles kontakt kontakte kontakter contact contacts skrive
    skriv henvende henvender sporge sporg mail email e-mail write reach dato datoen datoer datoerne
    date dates
    tidspunkt tidspunktet kontaktoplysninger oplysninger details information info
    responsibilities responsible duties job ansvar liste list oversigt overview alle all
    navngiv name kl time beskriv describe explain forklar betyder mean means
    start starte starter begynde begynder starts begin begins
    mailadresse mailadressen e-mailadresse e-mailadressen emailadresse emailadressen
    mailadresser maile mailer postkasse postkassen postkasser mailbox mailboxes inbox address
    addresses folk folkene people team teamet
    daekker daekke omfatter omfatte indeholder indeholde covers cover include includes
    procedure proceduren procedurer fremgangsmade fremgangsmaden
    """.split()
)

# Words that, next to a time window, ask for "everything in that window".
EVENT_LIST_WORDS = frozenset(
    fold(w)
    for w in """
    sker happening happens happen going on events event arrangementer arrangement
    begivenheder begivenhed aktiviteter activities kalender calendar program planlagt planned
    scheduled foregar sket der noget kommer upcoming kommende deadlines frister dag dage
    uge uger days weeks moder moderne meetings deltage deltager deltagelse
    attend attending participate datoer aftaler nyt news skete ske foregik happened na naa
    nas naet nar due deadline frist fristen husk huske remember coming up
    kommune kommuner kommunerne municipality municipalities councils
    """.split()
)


# Words that ask what happens in a period, not about one thing in it ("hvad sker der i
# efteråret med KP Basis?"): when nothing is sure, such a question gets the period's events.
_LISTING_CUES = frozenset(
    fold(w)
    for w in """
    sker ske skete foregar foregik happening happens happened upcoming kommende kalender calendar
    overblik overview
    planlagt planlagte planned scheduled arrangementer begivenheder aktiviteter events activities
    deadlines frister na naa nas naet
    """.split()
)
_COMING_UP = re.compile(r"\b(?:coming up|going on|kommer der|er der noget)\b")


def asks_for_listing(text: str) -> bool:
    folded = fold(text)[:2000]
    return _COMING_UP.search(folded) is not None or not _LISTING_CUES.isdisjoint(
        re.findall(r"[a-z]+", folded)
    )


# ", og hvem står for hvad?", "and how long does it last?": a second question joined to the
# first. Only a comma and a conjunction followed by a question word start one, so "test og
# afprøvning" stays one clause. (On the text as written: a clause keeps its capitals.)
_CLAUSE = re.compile(
    r",\s*(?:og|samt|men|and|but|plus)\s+(?=(?:hvad|hvem|hvor|hvornår|hvornaar|hvornar|hvordan"
    r"|hvorfor|hvilke|hvilken|hvilket|kan|skal|er|bliver|har|får|kommer|vil|må|bør|mangler"
    r"|foregår|what|who|where|when|how|why|which|is|are|do|does|can|should|will|has|have|was"
    r"|were|did)\b)",
    re.IGNORECASE,
)
MAX_CLAUSES = 3


def question_clauses(text: str) -> list[str]:
    """The questions one sentence asks together (the text itself when it asks one)."""
    head = text[:2000]
    cuts = list(_CLAUSE.finditer(head))[: MAX_CLAUSES - 1]
    if not cuts:
        return [text]
    parts, start = [], 0
    for m in cuts:
        parts.append(head[start : m.start()])
        start = m.end()
    parts.append(head[start:])
    return [p.strip() for p in parts if p.strip()]


# For "what does role X do" questions these only restate the question.
_ROLE_CUE_WORDS = CUE_WORDS | frozenset(
    fold(w)
    for w in """
    opgave opgaver opgaven opgaverne ansvar ansvaret ansvarsomrade rollegalleri rollegalleriet
    task tasks gallery
    """.split()
)


# For "when does X start" questions these only restate the question.
_WHEN_CUE_WORDS = CUE_WORDS | frozenset(
    fold(w)
    for w in """
    starter start starte begynder begynde slutter slut ender starts start begin begins end ends
    holdes afholdes afholder held periode perioden period
    """.split()
)


def cue_words(qtype: QuestionType) -> frozenset[str]:
    if qtype is QuestionType.ROLE:
        return _ROLE_CUE_WORDS
    return _WHEN_CUE_WORDS if qtype is QuestionType.WHEN else CUE_WORDS


def detect(text: str) -> QuestionType:
    folded = fold(text)
    for qtype, pattern in _PATTERNS:
        if pattern.search(folded) or (
            qtype is QuestionType.WHEN and _on_one_line(folded, _WHERE_IS, _HELD)
        ):
            return qtype
    return QuestionType.GENERAL
