"""Text normalisation for matching: case, punctuation, Danish letters, stop words, stemming."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

# Folding maps every spelling of a Danish letter to one key: "æ"/"ae" -> "ae",
# "ø"/"oe"/"o" -> "o", "å"/"aa"/"a" -> "a". Applied identically to knowledge and
# questions, so "Træningsmiljø", "traeningsmiljoe" and "traeningsmiljo" meet.
_LETTERS = {"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "ü": "u"}
_TOKEN = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")

_DA = snowballstemmer.stemmer("danish")
_EN = snowballstemmer.stemmer("english")

# Snowball's Danish and English stop lists, plus chat filler that carries no topic.
# (The last lines: chatter around a question, "undskyld, min kollega nævnte …", "I'm unsure",
# a greeting in front of it, what a meeting "talked about", the stems of "wasn't", "didn't",
# sentence adverbs: "overhovedet", "sandsynligvis", "basically".)
STOP_WORDS_RAW = """
og i jeg det at en den til er som pa de med han af for ikke der var mig sig men et har om vi
min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her
alle vil blev kunne ind nar vaere dog noget ville jo deres efter ned skulle denne end dette
mit ogsa under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos
blive mange ad bliver hendes vaeret thi jer sadan hvornar hvem hvilke hvilken hvilket hvordan
hvorfor kan ma maa gor gore gjort laver lave sker ske findes fa far gerne lige lidt vide ved
hej tak venligst mon egentlig nogen noget nok bare fortael fortaelle kunne kan skal vel sa
gar kommer komme giver tager hedder siger horer hore indgar handler gaelder vedrorer
hvad's the a an is are was were be been being what when where who whom which why how do does
did doing can could would should will shall i you he she it we they my your our their me him
her us them this that these those there here of to in on at for with about from by and or not
no yes please thanks thank hello hi hey tell give know me any some anything something get got
has have had its it's what's who's when's whats whos whens exactly actually also just
gonna wanna gotta afterwards anyway btw pls plz while during before after again then once
both each such only own same than too very into through until because as if nor am having
bag behind spm supposed meant
undskyld igen naevnte naevner sagde horte
spurgte sporger sporgsmal sporgsmalet sporgsmalene tvivl usikker forvirret sorry
mentioned heard wondering unsure confused exist exists
praecis nojagtig nojagtigt konkret precis precisely specifically concretely
helt overordnet overordnede vores blevet bedt aner maske faet stil lignende ifolge oje
forberedt styr kom igennem regne
godmorgen goddag godaften hejsa hallo davs morn morning cheers thx
snakkede snakket snakke drofte droftede droftet diskuterede diskuteret naevnt gik
discussed wasn isn aren didn doesn don weren hasn haven hadn couldn wouldn shouldn
mellemtiden imens imellemtiden meanwhile meantime
pga ift herhjemme stadig ligesom quick
fall falls belong belongs
overhovedet selvfolgelig forhabentlig efterhanden nodvendigvis hovedsageligt hovedsagelig
simpelthen formentlig sandsynligvis tilsyneladende ojensynligt umiddelbart abenbart egentligt
fuldstaendig fuldstaendigt ligegyldigt alligevel imidlertid tydeligvis angiveligt virkelig
henne endnu so yet kind recently currently basically honestly probably definitely apparently
literally anyways
"""


# A question is folded by each of its parsers (type, frame, time window, tokens ...): the
# last texts are kept, so that costs one pass over it, not seven.
@lru_cache(maxsize=256)
def fold(text: str) -> str:
    """Lower-case, map Danish letters and digraphs to one spelling, drop other accents."""
    # Digraphs first, so "miljøet" (ø + e) keeps its "e" while "oe"/"aa" typed for ø/å fold.
    # (Two replaces are the substitution of r"aa|oe": the two never overlap or create another.)
    lowered = text.lower().replace("aa", "a").replace("oe", "o")
    if not lowered.isascii():  # a replace per letter: str.translate is slow on non-ASCII text
        for letter, spelling in _LETTERS.items():
            lowered = lowered.replace(letter, spelling)
    decomposed = unicodedata.normalize("NFKD", lowered)
    if decomposed.isascii():  # no accent left to drop: the common case, without a char loop
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(w) for w in STOP_WORDS_RAW.split())

# Question verbs and filler that say little about the topic ("sætte op", "finde", "get",
# "make sure"): they still count, but only a little, so a descriptive question is judged
# by its topic words, not dragged down by the way it is phrased.
LOW_INFO_RAW = """
saette saetter satte sat finde finder fandt hente henter ligge ligger tage tog fa far fik
hjemme ny nye nyt andre anden andet gerne rigtig rigtige hel hele bestemt mulig muligt
set sets setting up get gets getting got go goes going make makes making sure find finds
need needs want wants put puts take takes keep keeps new other others someone somebody
anyone allowed able right proper whole possible actually usually
bruge bruges brugt use using used
folge folger folges
day days daily hverdag hverdagen daglig dagligt dagligdag dagligdagen
lille small se ser look looks
"""
LOW_INFO = frozenset(fold(w) for w in LOW_INFO_RAW.split()) - STOP_WORDS


def raw_tokens(text: str) -> list[str]:
    """Folded word tokens; hyphen/slash compounds yield their parts and the joined word."""
    return list(_raw_tokens(text))


def _raw_tokens(text: str) -> Iterator[str]:
    for match in _TOKEN.finditer(fold(text)):
        word = match.group(0)
        if "-" in word or "/" in word:
            parts = [p for p in re.split(r"[-/]", word) if p]
            yield from parts
            yield "".join(parts)
        else:
            yield word


# Longer than any word in use (Danish compounds included). A longer token is not a word:
# it is left as it is, so it neither costs a stemmer run nor fills the caches with big keys.
MAX_WORD_CHARS = 64


def _is_stemmed(token: str) -> bool:
    return 3 < len(token) <= MAX_WORD_CHARS and not token.isdigit()


def stem(token: str) -> str:
    """Danish Snowball stem of a folded token (numbers, short and overlong words untouched)."""
    return _stem_da(token) if _is_stemmed(token) else token


def stem_en(token: str) -> str:
    """English Snowball stem, used as an alternative for English wording."""
    return _stem_en(token) if _is_stemmed(token) else token


@lru_cache(maxsize=65536)
def _stem_da(token: str) -> str:
    return _DA.stemWord(token)


@lru_cache(maxsize=65536)
def _stem_en(token: str) -> str:
    return _EN.stemWord(token)


# What the Danish Snowball stemmer can take off a word, in the order the pieces stand at its
# end: an undoubled consonant, a consonant-pair letter, "ig"/"lig"/"elig"/"els" (or the "t"
# of "løst"), the "st" of "igst", a consonant-pair letter, a main suffix, an apostrophe. It
# only ever deletes at the end, so `stem(w)` is always `w[:k]` with `w[k:]` matching this;
# tests/domain/knowledge/test_worst_case_cost.py checks that on every knowledge word.
# The compound splitter uses it to rule out split points without running the stemmer.
STEM_TAIL = re.compile(
    r"[bdfgklmnprst]?[dt]?(?:elig|lig|ig|els|t)?(?:st)?[dt]?"
    r"(?:erendes|erende|hedens|endes|erede|ethed|heden|heder|ernes|erens|erets|ered|ende"
    r"|erne|eren|erer|heds|enes|eres|hed|ene|ere|ens|ers|ets|eret|en|er|es|et|e|s)?'?"
)
MAX_STEM_TAIL = 1 + 1 + 4 + 2 + 1 + len("erendes") + 1  # the longest string STEM_TAIL matches


def content_tokens(text: str) -> list[str]:
    """Folded tokens without stop words, in order (not yet stemmed)."""
    return [t for t in raw_tokens(text) if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


def first_content_tokens(text: str, words: int, letters: int) -> list[str]:
    """content_tokens(text), up to the one that would make more than `words` tokens or
    `letters` letters in all; the rest of the text is not even split into tokens."""
    out: list[str] = []
    for token in _raw_tokens(text):
        if token in STOP_WORDS or not (len(token) > 1 or token.isdigit()):
            continue
        letters -= len(token)
        if len(out) == words or letters < 0:
            break
        out.append(token)
    return out


# A capitalised word inside a sentence ("Outlook", "Opus", "Odense") names a thing.
_NAMED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-ZÆØÅ][\w.-]*")


def named_tokens(text: str, *, capitals_only: bool = False) -> frozenset[str]:
    """Folded tokens of the words a question capitalises mid-sentence (proper names).

    `capitals_only`: of "KOMBIT-ting" only "kombit" (as a topic the whole word counts)."""
    # Folded and split together: folding and tokens never reach across the spaces between.
    # "I" is a pronoun in both languages ("I should", "skal I"), never a name.
    names = (m.group(0) for m in _NAMED.finditer(text.strip()))
    if not capitals_only:
        return frozenset(raw_tokens(" ".join(n for n in names if n != "I")))
    parts = (p for n in names if n != "I" for p in _capitalised_parts(n))
    return frozenset(raw_tokens(" ".join(parts)))


def _capitalised_parts(name: str) -> list[str]:
    if "-" not in name:
        return [name]
    parts = name.split("-")
    if all(p[:1].isupper() for p in parts if p):
        return [name]
    return [p for p in parts if p[:1].isupper()]


EN = "en:"  # English wording lives in its own term space, so "booke" never meets "books"


def terms(text: str, *, english: bool = False) -> list[str]:
    """Index terms for a text: Danish stems, or English stems marked with "en:"."""
    if english:
        return [EN + stem_en(token) for token in content_tokens(text)]
    return [stem(token) for token in content_tokens(text)]


def key(text: str) -> str:
    """A lookup key for names: folded tokens joined by single spaces (no stop-word removal)."""
    return " ".join(_TOKEN.findall(fold(text).replace("-", " ").replace("/", " ")))


# A sentence ends at ".", "!" or "?" before a space, or at a line break ("KY-webinaret." ends
# one; "kl. 13" and "1.3" do not, nor does "?" inside a word).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
# Below this many letters a message is read as one question, however it is punctuated.
CONTEXT_MIN_LETTERS = 120


def asking_and_context(text: str, letters: int = 2000) -> tuple[str, str]:
    """The sentences of a message that ask (those ending in "?", else the last one) and the
    ones that tell who is asking and why: before the question in a long message ("Jeg er ny
    … Min forgænger er stoppet."), after it in any ("… i januar? Jeg var ikke startet
    endnu"). ("", "") parts are empty; a short message without a remark after its question
    is all asking."""
    head = text[:letters]
    sentences = [part for part in _SENTENCE_END.split(head) if part.strip()]
    if len(sentences) < 2:
        return text, ""
    asking = [i for i, part in enumerate(sentences) if part.rstrip().endswith("?")]
    # A remark after the last question ("Et navn ville være rart", "need it asap") tells why.
    last = asking[-1] if asking else len(sentences) - 1
    after = sentences[last + 1 :]
    if len(head) < CONTEXT_MIN_LETTERS:
        if not after:
            return text, ""
        return " ".join(sentences[: last + 1]), " ".join(after)
    first = asking[0] if asking else last
    # Before the first question is context; between the questions belongs to them.
    return " ".join(sentences[first : last + 1]), " ".join(sentences[:first] + after)


# "KMD Aktiv", "FLIS Dashboard": an acronym beside a capitalised word names one thing.
_NAME_WORD = re.compile(r"[A-ZÆØÅ][A-Za-zÆØÅæøå0-9]*")
MAX_NAME_PAIRS = 8


def name_pairs(text: str, *, acronym: bool = True) -> list[tuple[str, str]]:
    """Folded pairs of adjacent capitalised words of which one is an acronym ("KMD Aktiv");
    with acronym=False any two inside a sentence ("… Kommunernes Sygedagpengesystem …")."""
    words = text[:2000].split()
    pairs: list[tuple[str, str]] = []
    for i, (first, second) in enumerate(itertools.pairwise(words)):
        a, b = first.strip("\"'()[],.!?:;"), second.strip("\"'()[],.!?:;")
        if first[-1:] in ",.!?:;" or not (_NAME_WORD.fullmatch(a) and _NAME_WORD.fullmatch(b)):
            continue
        if acronym and not any(len(w) >= 2 and w.isupper() for w in (a, b)):
            continue
        # A capital that only starts a sentence names nothing.
        if not acronym and (i == 0 or words[i - 1][-1:] in ".!?:"):
            continue
        pairs.append((fold(a), fold(b)))
        if len(pairs) == MAX_NAME_PAIRS:
            break
    return pairs
