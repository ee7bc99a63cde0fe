"""Role holders per municipality: a repository Protocol, an in-memory store and the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.danish_format import format_date
from bot.domain.knowledge.answers import Answer, Suggestion
from bot.domain.knowledge.model import KnowledgeBase
from bot.domain.knowledge.roleholder_parsing import (
    Resolver,
    RoleHolderIntent,
    parse_role_holder,
    umbrella_roles,
)
from bot.domain.knowledge.text import key


@dataclass(frozen=True, slots=True)
class RoleHolder:
    role_id: str
    municipality: str  # canonical name from municipalities.yaml
    user_id: str
    user_name: str
    since: datetime
    tenant: str = ""  # the organisation's Teams tenant: one tenant never sees another's


class RoleHolderRepository(Protocol):
    async def add(self, holder: RoleHolder) -> None: ...
    async def remove(
        self, role_id: str, municipality: str, user_id: str, tenant: str = ""
    ) -> bool: ...
    async def remove_all(self, role_id: str, municipality: str, tenant: str = "") -> int: ...
    async def list_for(self, municipality: str, tenant: str = "") -> list[RoleHolder]: ...
    async def find(self, role_id: str, municipality: str, tenant: str = "") -> list[RoleHolder]: ...


class InMemoryRoleHolderRepository:
    """For tests and local runs; one entry per (tenant, role, municipality, user)."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str, str], RoleHolder] = {}

    async def add(self, holder: RoleHolder) -> None:
        item = (holder.tenant, holder.role_id, holder.municipality, holder.user_id)
        self._items[item] = holder

    async def remove(self, role_id: str, municipality: str, user_id: str, tenant: str = "") -> bool:
        return self._items.pop((tenant, role_id, municipality, user_id), None) is not None

    async def remove_all(self, role_id: str, municipality: str, tenant: str = "") -> int:
        doomed = [k for k in self._items if k[:3] == (tenant, role_id, municipality)]
        for item in doomed:
            del self._items[item]
        return len(doomed)

    async def list_for(self, municipality: str, tenant: str = "") -> list[RoleHolder]:
        return [h for (t, _, m, _), h in self._items.items() if t == tenant and m == municipality]

    async def find(self, role_id: str, municipality: str, tenant: str = "") -> list[RoleHolder]:
        return [
            h
            for (t, r, m, _), h in self._items.items()
            if t == tenant and r == role_id and m == municipality
        ]


_TEXT = {
    "da": {
        "registered": "Tak! Du er nu registreret som {role} i {muni}.",
        "removed": "Du er ikke længere registreret som {role} i {muni}.",
        "not_registered": "Du var ikke registreret som {role} i {muni}.",
        "holders": "{role} i {muni}",
        "since": "{name} (siden {date})",
        "nobody": "Ingen har registreret sig som {role} i {muni} endnu.",
        "claim": "Er det dig? Skriv „Jeg er {role} i {muni}“.",
        "vacant": "Ubesatte roller i {muni} ({n} af {total})",
        "none_vacant": "Alle roller i rollegalleriet er besat i {muni}.",
        "unknown_role": "Jeg kender ikke rollen „{text}“ i rollegalleriet.",
        "unknown_muni": "„{text}“ er ikke en af de 98 kommuner.",
        "title_unknown": "Det ved jeg desværre ikke",
        "ask_role": "Hvad laver en {role}?",
        "cleared": "{n} registrering(er) som {role} i {muni} er fjernet.",
        "admins_only": "Kun administratorer kan fjerne andres registreringer.",
    },
    "en": {
        "registered": "Thanks! You are now registered as {role} in {muni}.",
        "removed": "You are no longer registered as {role} in {muni}.",
        "not_registered": "You were not registered as {role} in {muni}.",
        "holders": "{role} in {muni}",
        "since": "{name} (since {date})",
        "nobody": "Nobody has registered as {role} in {muni} yet.",
        "claim": 'Is it you? Write "I am {role} in {muni}".',
        "vacant": "Vacant roles in {muni} ({n} of {total})",
        "none_vacant": "Every role in the role gallery is filled in {muni}.",
        "unknown_role": 'I don\'t know the role "{text}" in the role gallery.',
        "unknown_muni": '"{text}" is not one of the 98 Danish municipalities.',
        "title_unknown": "Sorry, I don't know",
        "ask_role": "What does a {role} do?",
        "cleared": "Removed {n} registration(s) as {role} in {muni}.",
        "admins_only": "Only administrators can remove other people's registrations.",
    },
}


def _t(lang: str, text_id: str, **kw: object) -> str:
    return _TEXT["en" if lang == "en" else "da"][text_id].format(**kw)


class RoleHolderService:
    """Handles role-holder sentences; returns None for anything else (ask the knowledge base)."""

    def __init__(
        self,
        repository: RoleHolderRepository,
        knowledge: Callable[[], KnowledgeBase],
        *,
        zone: ZoneInfo = COPENHAGEN,
    ) -> None:
        self.zone = zone  # "since" dates are shown as calendar days in this zone
        self._repo = repository
        self._knowledge = knowledge  # e.g. `lambda: service.kb`, so reloads are seen
        self._cache: tuple[KnowledgeBase, Resolver] | None = None

    def parse(self, text: str) -> RoleHolderIntent | None:
        kb = self._knowledge()
        if self._cache is None or self._cache[0] is not kb:
            self._cache = (kb, Resolver(kb))
        return parse_role_holder(text, kb, self._cache[1])

    async def handle(
        self,
        text: str,
        *,
        user_id: str,
        user_name: str,
        lang: str,
        now: datetime,
        tenant: str = "",
        is_admin: bool = False,
    ) -> Answer | None:
        """`tenant` scopes everything to one organisation; only admins may clear a role."""
        intent = self.parse(text)
        if intent is None:
            return None
        if intent.municipality is None:
            return Answer(
                "roleholder",
                lang,
                _t(lang, "title_unknown"),
                (_t(lang, "unknown_muni", text=intent.municipality_text),),
            )
        muni = intent.municipality.name
        if intent.action == "vacant":
            return await self._vacant(muni, lang, tenant)
        role = intent.role
        if role is None:
            return self._unknown_role(intent, lang)
        names = {"role": role.name, "muni": muni}
        if intent.action == "register":
            await self._repo.add(RoleHolder(role.id, muni, user_id, user_name, now, tenant))
            return Answer(
                "roleholder",
                lang,
                _t(lang, "holders", **names),
                (_t(lang, "registered", **names),),
                entry_id=role.id,
            )
        if intent.action == "unregister":
            removed = await self._repo.remove(role.id, muni, user_id, tenant)
            line = _t(lang, "removed" if removed else "not_registered", **names)
            return Answer(
                "roleholder", lang, _t(lang, "holders", **names), (line,), entry_id=role.id
            )
        if intent.action == "clear":
            if not is_admin:
                line = _t(lang, "admins_only")
            else:
                cleared = await self._repo.remove_all(role.id, muni, tenant)
                line = _t(lang, "cleared", n=cleared, **names)
            return Answer(
                "roleholder", lang, _t(lang, "holders", **names), (line,), entry_id=role.id
            )
        holders = sorted(await self._repo.find(role.id, muni, tenant), key=lambda h: h.since)
        items = tuple(
            _t(lang, "since", name=h.user_name, date=format_date(h.since, lang, zone=self.zone))  # type: ignore[arg-type]
            for h in holders
        )
        lines = () if holders else (_t(lang, "nobody", **names), _t(lang, "claim", **names))
        return Answer(
            "roleholder", lang, _t(lang, "holders", **names), lines, items=items, entry_id=role.id
        )

    async def _vacant(self, muni: str, lang: str, tenant: str) -> Answer:
        kb = self._knowledge()
        skip = umbrella_roles(kb)
        roles = [r for r in kb.roles if r.id not in skip]
        filled = {h.role_id for h in await self._repo.list_for(muni, tenant)}
        vacant = tuple(r.name for r in roles if r.id not in filled)
        title = _t(lang, "vacant", muni=muni, n=len(vacant), total=len(roles))
        lines = () if vacant else (_t(lang, "none_vacant", muni=muni),)
        return Answer("roleholder", lang, title, lines, items=vacant)

    def _unknown_role(self, intent: RoleHolderIntent, lang: str) -> Answer:
        from rapidfuzz import fuzz, process

        kb = self._knowledge()
        names = {key(r.name): r for r in kb.roles}
        near = process.extract(key(intent.role_text), list(names), scorer=fuzz.WRatio, limit=3)
        suggestions = tuple(
            Suggestion(names[n].name, _t(lang, "ask_role", role=names[n].name))
            for n, score, _ in near
            if score >= 60
        )
        return Answer(
            "roleholder",
            lang,
            _t(lang, "title_unknown"),
            (_t(lang, "unknown_role", text=intent.role_text),),
            suggestions=suggestions,
        )
