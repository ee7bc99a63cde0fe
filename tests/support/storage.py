"""A migrated database with its batch writer running, for repository tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.batch_writer import BatchWriter
from storage.engine import create_engine
from storage.migrate import upgrade


@asynccontextmanager
async def migrated(database_url: str) -> AsyncIterator[tuple[AsyncEngine, BatchWriter]]:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        writer = BatchWriter(engine)
        writer.start()
        try:
            yield engine, writer
        finally:
            await writer.close()
    finally:
        await engine.dispose()
