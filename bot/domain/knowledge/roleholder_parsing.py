"""Parsing of role-holder sentences ("Jeg er ØiR-koordinator i Odense", "Hvem er … i …?")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeVar

from rapidfuzz import fuzz, process

from bot.domain.knowledge.model import KnowledgeBase, Municipality, Role
from bot.domain.knowledge.text import fold, key
from bot.domain.text_limits import for_parsing

_T = TypeVar("_T")
Action = Literal["register", "unregister", "who", "vacant", "clear"]


@dataclass(frozen=True, slots=True)
class RoleHolderIntent:
    action: Action
    role: Role | None
    municipality: Municipality | None
    role_text: str = ""
    municipality_text: str = ""


_IN = r"(?:i|for|in|at) (?:(?:the )?municipality of )?"
_VACANT_DA = r"(?:ubesatte|ubesat|ikke besat|ledige)"
_VACANT_EN = r"(?:vacant|unfilled|not filled|open)"
# (action, pattern, words one of which must end the sentence). Each pattern is linear: a lazy
# role up to the first "i"/"for"/"in"/"at", then a municipality that runs to the end. An
# ending word is cut off with str methods before matching: a second lazy group that must reach
# a fixed ending ("… i … mere") would rescan the rest of the text from every " i " (quadratic).
_SPECS: tuple[tuple[Action, str, tuple[str, ...]], ...] = (
    ("vacant", rf"^(?:hvilke|hvad er de) roller er {_VACANT_DA} {_IN}(?P<muni>.+)$", ()),
    ("vacant", rf"^(?:hvilke )?ubesatte roller {_IN}(?P<muni>.+)$", ()),
    ("vacant", rf"^(?:which|what) roles are {_VACANT_EN} {_IN}(?P<muni>.+)$", ()),
    ("vacant", rf"^vacant roles {_IN}(?P<muni>.+)$", ()),
    (
        "unregister",
        rf"^jeg er ikke (?:laengere|laenger|mere) (?P<role>.+?) {_IN}(?P<muni>.+)$",
        (),
    ),
    ("unregister", rf"^jeg er ikke (?P<role>.+?) {_IN}(?P<muni>.+)$", ("laengere", "mere")),
    ("unregister", rf"^(?:i am|i m|im) no longer (?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("clear", rf"^(?:fjern|nulstil) (?:alle )?(?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("clear", rf"^(?:remove|clear) (?:all )?(?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("who", rf"^hvem er (?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("who", rf"^hvem har rollen (?:som )?(?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("who", rf"^who(?: is| s)? (?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    ("register", rf"^jeg er (?:nu |blevet |ny )?(?P<role>.+?) {_IN}(?P<muni>.+)$", ()),
    (
        "register",
        rf"^(?:i am|i m|im) (?:now )?(?:the new )?(?P<role>.+?) {_IN}(?P<muni>.+)$",
        (),
    ),
)
_PATTERNS: tuple[tuple[Action, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (action, re.compile(p), endings) for action, p, endings in _SPECS
)
_ARTICLE = re.compile(r"^(?:en|et|den|the|a|an|kommunens|ny|new)\s+")
_MUNI_SUFFIXES = frozenset({"kommune", "municipality", "kommunes"})


def _clean(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s/-]", " ", fold(for_parsing(text))).split())


def _without_ending(text: str, endings: tuple[str, ...]) -> str | None:
    """`text` without its last word if that is one of `endings`; None if it ends otherwise."""
    rest, _, last = text.rpartition(" ")
    return rest if rest and last in endings else None


def _without_muni_suffix(text: str) -> str:
    """ "Odense Kommune" -> "Odense"; a lone "kommune" stays."""
    words = text.split()
    return " ".join(words[:-1] if len(words) > 1 and words[-1] in _MUNI_SUFFIXES else words)


class Resolver:
    """Looks up role and municipality names: exact folded match first, then small typos."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.roles: dict[str, Role] = {}
        for role in kb.roles:
            for name in (role.name, role.name_en, *role.aliases):
                if name:
                    self.roles.setdefault(key(name), role)
        self.munis: dict[str, Municipality] = {}
        for muni in kb.municipalities:
            for name in (muni.name, *muni.aliases):
                self.munis.setdefault(key(name), muni)

    @staticmethod
    def _lookup(text: str, table: dict[str, _T], cutoff: int | None) -> _T | None:
        if text in table:
            return table[text]
        if cutoff is None:
            return None
        match = process.extractOne(text, list(table), scorer=fuzz.ratio, score_cutoff=cutoff)
        return table[match[0]] if match else None

    def role(self, text: str) -> Role | None:
        return self._lookup(key(_ARTICLE.sub("", text)), self.roles, 85)

    def municipality(self, text: str) -> Municipality | None:
        exact = self._lookup(key(text), self.munis, None)  # "Bornholms Regionskommune"
        if exact is not None:
            return exact
        name = key(_without_muni_suffix(text))
        found = self._lookup(name, self.munis, None)
        if found is None and name.endswith("s"):  # genitive: "Københavns Kommune"
            found = self._lookup(name[:-1], self.munis, None)
        return found or self._lookup(name, self.munis, 88)


def parse_role_holder(
    text: str, kb: KnowledgeBase, resolver: Resolver | None = None
) -> RoleHolderIntent | None:
    """A RoleHolderIntent, or None when the sentence is not about role holders."""
    resolver = resolver or Resolver(kb)
    cleaned = _clean(text)
    for action, pattern, endings in _PATTERNS:
        sentence = _without_ending(cleaned, endings) if endings else cleaned
        m = pattern.match(sentence) if sentence is not None else None
        if not m:
            continue
        muni_text = m.group("muni")
        muni = resolver.municipality(muni_text)
        if action == "vacant":
            return RoleHolderIntent(action, None, muni, "", muni_text) if muni else None
        role_text = m.group("role")
        role = resolver.role(role_text)
        if role is None and muni is None:
            return None  # "Hvem er direktør i KOMBIT?" is a knowledge question, not ours
        return RoleHolderIntent(action, role, muni, role_text, muni_text)
    return None


def umbrella_roles(kb: KnowledgeBase) -> set[str]:
    """Roles that only name a group ("Infrastrukturadministratorer"); never 'vacant' themselves."""
    groups = {key(r.group) for r in kb.roles if r.group}
    return {r.id for r in kb.roles if any(key(r.name).startswith(g) for g in groups)}
