"""One process per SQLite database: a lock file beside it, held for the process's lifetime.

SQLite is the embedded, single-server choice; replicas belong on PostgreSQL. Holding the lock
is what makes the in-memory state cache exact, so a second process on the same file is
refused at start-up instead of serving stale state.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.engine import is_sqlite, normalise_url


class DatabaseInUse(OSError):
    """Another process already serves this SQLite database."""


class ProcessLock:
    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None


def lock_sqlite_database(database_url: str) -> ProcessLock | None:
    """The lock for a file-backed SQLite database; None for PostgreSQL or in-memory SQLite."""
    url = normalise_url(database_url)
    database = make_url(url).database
    if not is_sqlite(url) or not database or database == ":memory:":
        return None
    path = Path(database).with_name(Path(database).name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise DatabaseInUse(
            f"another Mødebot process is using {database}; SQLite serves one process "
            "(use PostgreSQL for several replicas)"
        ) from None
    return ProcessLock(path, descriptor)
