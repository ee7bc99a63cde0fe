"""INSERT … ON CONFLICT for the two dialects we run on (merge() races under concurrency)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect_name: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """The dialect's insert construct, which offers on_conflict_do_update/do_nothing."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {dialect_name!r}")
