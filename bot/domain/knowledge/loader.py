"""Load knowledge/*.yaml into a KnowledgeBase; every problem names file, entry and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.domain.knowledge.fields import EntryReader
from bot.domain.knowledge.model import (
    Contact,
    Event,
    Fact,
    KnowledgeBase,
    ListSpec,
    Municipality,
    Role,
    Scope,
    Session,
    View,
    When,
)
from bot.domain.knowledge.small_talk import read_small_talk
from bot.domain.knowledge.text import key, terms

FILES = ("roles", "events", "contacts", "facts", "synonyms", "municipalities")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VIEWS: tuple[View, ...] = ("implementation", "operation")
SCOPES: tuple[Scope, ...] = ("system-specific", "cross-cutting")
CONTACT_TYPES = ("mailbox", "person", "web", "supplier", "organisation")


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: "2021-13-40" must reach our validation as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class KnowledgeError(Exception):
    """All problems found in the knowledge files, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def load(directory: str | Path) -> KnowledgeBase:
    """Read and validate the knowledge directory; raise KnowledgeError listing all problems."""
    root = Path(directory)
    problems: list[str] = []
    docs: dict[str, list[Any]] = {}
    for name in FILES:
        path = root / f"{name}.yaml"
        try:
            text = path.read_text(encoding="utf-8") if path.exists() else None
            data = yaml.load(text, Loader=_Loader) if text is not None else None
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(f"{path.name}: invalid YAML: {exc}".replace("\n", " "))
            data = None
        if data is None and not path.exists() and name != "synonyms":
            problems.append(f"{path.name}: file is missing")
        items = (data or {}).get(name, []) if isinstance(data, dict) else None
        if items is None or not isinstance(items, list):
            problems.append(f"{path.name}: expected a top-level '{name}:' list")
            items = []
        docs[name] = items
    roles = _entries("roles.yaml", docs["roles"], _role, problems)
    events = _entries("events.yaml", docs["events"], _event, problems)
    contacts = _entries("contacts.yaml", docs["contacts"], _contact, problems)
    facts = _entries("facts.yaml", docs["facts"], _fact, problems)
    synonyms = _synonyms(docs["synonyms"], problems)
    municipalities = _municipalities(docs["municipalities"], problems)
    small_talk, names = read_small_talk(_small_talk_data(root, problems), problems)
    kb = KnowledgeBase(roles, events, contacts, facts, synonyms, municipalities, small_talk, names)
    _cross_checks(kb, problems)
    if problems:
        raise KnowledgeError(problems)
    return kb


def _small_talk_data(root: Path, problems: list[str]) -> Any:
    """small_talk.yaml is optional: without it the bot has no small talk."""
    path = root / "small_talk.yaml"
    if not path.exists():
        return None
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, ValueError) as exc:
        problems.append(f"{path.name}: invalid YAML: {exc}".replace("\n", " "))
        return None


def _entries(file: str, items: list[Any], build: Callable, problems: list[str]) -> tuple:
    out = []
    for pos, item in enumerate(items, 1):
        reader = EntryReader(file, item, pos, problems)
        if not reader.ok:
            continue
        entry_id = reader.id
        if entry_id and not _ID.match(entry_id):
            reader.error("id", "use lower-case letters, digits and hyphens")
        entry = build(reader)
        reader.check_unknown()
        if entry is not None:  # kept even with problems, so cross-checks see it too
            out.append(entry)
    return tuple(out)


def _role(r: EntryReader) -> Role | None:
    views = r.choice_list("views", VIEWS, required=True)
    return Role(
        id=r.id,
        name=r.str("name", required=True),
        description=r.str("description", True),
        views=views,
        scope=r.choice("scope", SCOPES, required=True),
        name_en=r.str("name_en"),
        description_en=r.str("description_en"),
        aliases=r.strs("aliases"),
        column=r.str("column"),
        group=r.str("group"),
        version_note=r.str("version_note"),
        version_note_en=r.str("version_note_en"),
        questions=_questions(r, "questions"),
        questions_en=_questions(r, "questions_en", english=True),
        review=r.bool("review"),
        source=r.str("source"),
    )


def _when(r: EntryReader) -> When | None:
    keys = [k for k in ("date", "sessions", "month", "quarter") if k in r.item]
    if len(keys) != 1:
        r.error("date", "give exactly one of date, sessions, month or quarter")
        return None
    if keys[0] == "month":
        month, end = r.month("month"), r.month("end_month")
        if month and end and end < month:
            r.error("end_month", "is before month")
        return When("month", month=month, end_month=end) if month else None
    if keys[0] == "quarter":
        quarter = r.quarter("quarter")
        return When("quarter", quarter=quarter) if quarter else None
    specs = [r.item] if keys[0] == "date" else r.list("sessions")
    sessions = [s for s in (r.session(spec, i) for i, spec in enumerate(specs)) if s]
    if not sessions or len(sessions) != len(specs):
        return None
    return When("date", sessions=tuple(sorted(sessions, key=lambda s: s.start)))


def _event(r: EntryReader) -> Event | None:
    when = _when(r)
    r.mark_used("date", "end_date", "time", "end_month")
    event = Event(
        id=r.id,
        title=r.str("title", required=True),
        when=when or When("month", month=(1, 1)),
        type=r.str("type") or "event",
        title_en=r.str("title_en"),
        aliases=r.strs("aliases"),
        description=r.str("description"),
        description_en=r.str("description_en"),
        place=r.str("place"),
        audience=r.str("audience"),
        registration=r.str("registration"),
        contact=r.str("contact"),
        note=r.str("note"),
        note_en=r.str("note_en"),
        questions=_questions(r, "questions"),
        questions_en=_questions(r, "questions_en", english=True),
        review=r.bool("review"),
        source=r.str("source"),
    )
    return event if when else None


def _contact(r: EntryReader) -> Contact | None:
    contact = Contact(
        id=r.id,
        name=r.str("name", required=True),
        type=r.choice("type", CONTACT_TYPES, required=True),
        email=r.email("email"),
        url=r.url("url"),
        phone=r.str("phone"),
        title=r.str("title"),
        title_en=r.str("title_en"),
        organisation=r.str("organisation"),
        topics=r.strs("topics"),
        aliases=r.strs("aliases"),
        description=r.str("description"),
        description_en=r.str("description_en"),
        questions=_questions(r, "questions"),
        questions_en=_questions(r, "questions_en", english=True),
        review=r.bool("review"),
        source=r.str("source"),
    )
    if contact.type == "mailbox" and not contact.email:
        r.error("email", "a mailbox needs an email address")
    if contact.type == "web" and not contact.url:
        r.error("url", "a web page needs a url")
    return contact


def _fact(r: EntryReader) -> Fact | None:
    spec = r.mapping("list")
    list_spec = None
    if spec is not None:
        allowed = {"view", "scope", "group", "changed_in"}
        for k in set(spec) - allowed:
            r.error("list", f"unknown filter '{k}' (use {', '.join(sorted(allowed))})")
        list_spec = ListSpec(**{k: str(v) for k, v in spec.items() if k in allowed})
    return Fact(
        id=r.id,
        question=r.str("question", required=True),
        answer=r.str("answer", True),
        question_en=r.str("question_en"),
        answer_en=r.str("answer_en"),
        alternatives=r.strs("alternatives"),
        list=list_spec,
        related=r.strs("related"),
        links=tuple(r.url_list("links")),
        questions=_questions(r, "questions"),
        questions_en=_questions(r, "questions_en", english=True),
        review=r.bool("review"),
        source=r.str("source"),
    )


def _questions(r: EntryReader, name: str, *, english: bool = False) -> tuple[str, ...]:
    """Users' own questions for the entry: each must have a word to match on, none twice."""
    out = r.strs(name)
    seen: set[str] = set()
    for q in out:
        if not terms(q, english=english):
            r.error(name, f"'{q}' has no word to match on (only question and filler words)")
        norm = key(q)
        if norm in seen:
            r.error(name, f"'{q}' is listed twice")
        seen.add(norm)
    return out


def _synonyms(items: list[Any], problems: list[str]) -> tuple[tuple[str, ...], ...]:
    groups = []
    for pos, item in enumerate(items, 1):
        if (
            not isinstance(item, list)
            or len(item) < 2
            or not all(isinstance(x, str) and x.strip() for x in item)
        ):
            problems.append(f"synonyms.yaml: group #{pos}: give a list of two or more phrases")
            continue
        # Matching leaves out stop words: a phrase made only of them would match nothing.
        for phrase in item:
            if not terms(phrase):
                problems.append(
                    f"synonyms.yaml: group #{pos}: {phrase!r} has only words matching ignores"
                    " (like 'går', 'over', 'på'): add a word that says what it is about"
                )
        groups.append(tuple(x.strip() for x in item))
    return tuple(groups)


def _municipalities(items: list[Any], problems: list[str]) -> tuple[Municipality, ...]:
    out = []
    for pos, item in enumerate(items, 1):
        reader = EntryReader("municipalities.yaml", item, pos, problems, id_field="name")
        if not reader.ok:
            continue
        out.append(Municipality(reader.id, reader.strs("aliases")))
        reader.check_unknown()
    if out and len(out) != 98:
        problems.append(f"municipalities.yaml: expected 98 municipalities, found {len(out)}")
    return tuple(out)


def _cross_checks(kb: KnowledgeBase, problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for entry in kb.entries():
        if entry.id in seen:
            problems.append(
                f"{entry.kind}s.yaml: entry '{entry.id}': field 'id': "
                f"duplicate id (also in {seen[entry.id]}s.yaml)"
            )
        seen.setdefault(entry.id, entry.kind)
    for event in kb.events:
        if event.contact and seen.get(event.contact) != "contact":
            problems.append(
                f"events.yaml: entry '{event.id}': field 'contact': "
                f"'{event.contact}' is not a contact id"
            )
    for fact in kb.facts:
        for rel in fact.related:
            if rel not in seen:
                problems.append(
                    f"facts.yaml: entry '{fact.id}': field 'related': unknown id '{rel}'"
                )
    names = [m.name for m in kb.municipalities]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"municipalities.yaml: entry '{dup}': field 'name': duplicate")


__all__ = ["KnowledgeError", "Session", "load"]
