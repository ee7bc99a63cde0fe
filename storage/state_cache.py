"""ExactStateCache: bot state kept in memory, valid only while this process is the sole writer.

On SQLite one process serves the database (`storage.process_lock` makes sure of it), so every
state row that exists was written by this process or was there when it started: the cache
knows every key, answers "no such state" for a new user or conversation without a query,
and holds the latest documents. With PostgreSQL and replicas no such cache is used.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable


class ExactStateCache:
    def __init__(self, keys: Iterable[str] = (), *, max_documents: int = 20_000) -> None:
        self._known: set[str] = set(keys)
        self._documents: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._versions: dict[str, int] = {}
        self._max = max_documents

    def lookup(self, keys: Iterable[str]) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """(etag, document) for cached keys, and the keys that must be read from the table."""
        found: dict[str, tuple[str, str]] = {}
        unread: list[str] = []
        for key in keys:
            cached = self._documents.get(key)
            if cached is not None:
                self._documents.move_to_end(key)
                found[key] = cached
            elif key in self._known:
                unread.append(key)
        return found, unread

    def version(self, key: str) -> int:
        return self._versions.get(key, 0)

    def loaded(self, key: str, etag: str, document: str, *, version: int) -> None:
        """A row read from the table; ignored if a write of the key finished meanwhile."""
        if self.version(key) == version:
            self._put(key, etag, document)

    def stored(self, key: str, etag: str, document: str) -> None:
        self._versions[key] = self.version(key) + 1
        self._known.add(key)
        self._put(key, etag, document)

    def removed(self, key: str) -> None:
        self._versions[key] = self.version(key) + 1
        self._known.discard(key)
        self._documents.pop(key, None)

    def forget(self, key: str) -> None:
        """Not sure what the table holds now (a failed write): read it again next time."""
        self._versions[key] = self.version(key) + 1
        self._known.add(key)
        self._documents.pop(key, None)

    def _put(self, key: str, etag: str, document: str) -> None:
        self._documents[key] = (etag, document)
        self._documents.move_to_end(key)
        while len(self._documents) > self._max:
            self._documents.popitem(last=False)
