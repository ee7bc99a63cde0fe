"""Who may administer the bot: the ids in ADMIN_IDS (Teams user ids or AAD object ids)."""

from __future__ import annotations

from collections.abc import Iterable


class Admins:
    def __init__(self, ids: Iterable[str]) -> None:
        self._ids = frozenset(i.strip().lower() for i in ids if i and i.strip())

    def includes(self, *identities: str | None) -> bool:
        """True when any of the person's identities (Teams id, AAD object id) is listed."""
        return any(i is not None and i.strip().lower() in self._ids for i in identities)
