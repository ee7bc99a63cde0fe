"""SqlRepository: what every repository holds — reads on the engine, writes through the writer."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.batch_writer import BatchWriter
from storage.engine import for_reading


class SqlRepository:
    def __init__(self, engine: AsyncEngine, writer: BatchWriter | None = None) -> None:
        self._engine = for_reading(engine)
        self._writer_or_none = writer  # None: a read-only repository (reports, tests)

    @property
    def _writer(self) -> BatchWriter:
        if self._writer_or_none is None:
            raise RuntimeError(f"{type(self).__name__} was made read-only")
        return self._writer_or_none
