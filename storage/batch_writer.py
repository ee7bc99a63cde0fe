"""BatchWriter: every write of the process goes through one writer that commits in groups.

Turns that write at the same moment share one transaction (group commit): each caller is
answered only after the commit that holds its write, so nothing acknowledged is lost, and
the database sees one commit per batch instead of one per turn. Rows for the same table are
sent as one multi-row statement. On SQLite the single writer also means that no two
connections of this process ever wait for the database's one write lock.

A write can also be *written behind* (`upsert_behind`): the caller does not wait, and the row
goes out with the next batch. That is only for data the next turn would rewrite anyway (a
conversation reference); `flush()` waits for everything submitted so far, and `close()`
flushes before the engine goes.

A batch is one hand-over, not one per statement: on SQLite it runs whole in the writer's own
thread on a synchronous connection; on PostgreSQL as one `run_sync` on the async engine. Under
load every hand-over waits a full turn of the event loop, so a batch of several statements
would otherwise take several loop turns to commit. Writes given as `work` are therefore
plain functions of a synchronous `Connection`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from storage.engine import JSON_CODEC, sqlite_pragmas
from storage.upsert import insert_for

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[Connection], Any]
MAX_BATCH = 500


@dataclass(frozen=True)
class _RowSpec:
    """What makes rows combinable into one statement: the table, the columns, the conflict."""

    table: Table
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()  # conflict target for an upsert; empty for a plain insert
    update: tuple[str, ...] = ()


@dataclass
class _Item:
    future: asyncio.Future
    behind: bool = False  # written behind: nobody waits, a failure is logged
    work: Work | None = None
    spec: _RowSpec | None = None
    row: dict[str, Any] = field(default_factory=dict)


class WriterClosed(RuntimeError):
    """The app is shutting down; no new writes are taken."""


class BatchWriter:
    def __init__(self, engine: AsyncEngine, *, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._pending: list[_Item] = []
        self._in_flight: list[_Item] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._closing = False
        self._statements: dict[_RowSpec, Any] = {}
        self.batches = 0  # for tests and metrics: how many transactions were committed
        self._sync_engine, self._thread = _sqlite_thread_writer(engine)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def engines(self) -> list[Engine]:
        """The synchronous engines the writes go through (for statement counting)."""
        return [self._sync_engine or self._engine.sync_engine]

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="moedebot-batch-writer"
            )

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in the next batch's transaction; returns its result once committed.

        `work` may run twice (a failed batch is retried item by item), so it must only write
        through the connection it is given and keep no other side effects. It runs off the
        event loop's own stack (in the writer thread on SQLite): no awaiting, no loop objects.
        """
        return await self._submit(_Item(self._future(), work=work))

    async def insert(self, table: Table, row: dict[str, Any]) -> None:
        await self._submit(_Item(self._future(), spec=_RowSpec(table, tuple(row)), row=row))

    async def upsert(
        self, table: Table, row: dict[str, Any], *, key: Sequence[str], update: Sequence[str]
    ) -> None:
        spec = _RowSpec(table, tuple(row), tuple(key), tuple(update))
        await self._submit(_Item(self._future(), spec=spec, row=row))

    def upsert_behind(
        self, table: Table, row: dict[str, Any], *, key: Sequence[str], update: Sequence[str]
    ) -> None:
        """Queue the upsert without waiting for it; a failure is logged, not raised."""
        if self._closing:
            raise WriterClosed("the writer is closed")
        if self._task is None:
            raise RuntimeError("BatchWriter.start() was not called")
        spec = _RowSpec(table, tuple(row), tuple(key), tuple(update))
        self._enqueue(_Item(self._future(), behind=True, spec=spec, row=row))

    async def flush(self) -> None:
        """Wait until everything submitted before this call is committed (or has failed)."""
        waiting = [item.future for item in (*self._in_flight, *self._pending)]
        if waiting:
            await asyncio.wait(waiting)

    async def close(self) -> None:
        if self._task is None:
            return
        await self.flush()
        self._closing = True
        self._wake.set()
        await self._task
        self._task = None
        if self._thread is not None and self._sync_engine is not None:
            self._sync_engine.dispose()
            self._thread.shutdown(wait=True)

    # --- the worker ------------------------------------------------------------------------

    def _future(self) -> asyncio.Future:
        return asyncio.get_running_loop().create_future()

    async def _submit(self, item: _Item) -> Any:
        if self._closing:
            raise WriterClosed("the writer is closed")
        if self._task is None:
            raise RuntimeError("BatchWriter.start() was not called")
        self._enqueue(item)
        return await item.future

    def _enqueue(self, item: _Item) -> None:
        self._pending.append(item)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                self._in_flight = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                await self._commit_or_isolate(self._in_flight)
                self._in_flight = []
            if self._closing and not self._pending:
                return

    async def _commit_or_isolate(self, batch: list[_Item]) -> None:
        try:
            results = await self._commit(batch)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if len(batch) == 1:
                _fail(batch[0], error)
                return
            # One bad write must not sink the others: retry each alone, in order.
            for item in batch:
                await self._commit_or_isolate([item])
            return
        self.batches += 1
        for item, result in zip(batch, results, strict=True):
            if not item.future.done():
                item.future.set_result(result)

    async def _commit(self, batch: list[_Item]) -> list[Any]:
        if self._thread is not None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._thread, self._commit_in_thread, batch)
        async with self._engine.begin() as connection:
            return await connection.run_sync(self._execute, batch)

    def _commit_in_thread(self, batch: list[_Item]) -> list[Any]:
        assert self._sync_engine is not None
        with self._sync_engine.begin() as connection:
            return self._execute(connection, batch)

    def _execute(self, connection: Connection, batch: list[_Item]) -> list[Any]:
        results: list[Any] = [None] * len(batch)
        index = 0
        while index < len(batch):
            item = batch[index]
            if item.work is not None:
                results[index] = item.work(connection)
                index += 1
                continue
            # Consecutive rows of the same shape go out as one statement.
            spec = item.spec
            assert spec is not None  # an item is either work or a row
            end = index
            while end < len(batch) and batch[end].spec == spec:
                end += 1
            connection.execute(self._statement(spec), _rows(spec, batch[index:end]))
            index = end
        return results

    def _statement(self, spec: _RowSpec) -> Any:
        statement = self._statements.get(spec)
        if statement is None:
            insert = insert_for(self.dialect, spec.table)
            if spec.key:
                statement = insert.on_conflict_do_update(
                    index_elements=list(spec.key),
                    set_={name: insert.excluded[name] for name in spec.update},
                )
            else:
                statement = insert
            self._statements[spec] = statement
        return statement


def _sqlite_thread_writer(
    engine: AsyncEngine,
) -> tuple[Engine | None, ThreadPoolExecutor | None]:
    """For a file-backed SQLite database: a synchronous engine used only by one thread."""
    url = engine.url
    if engine.dialect.name != "sqlite" or url.database in (None, "", ":memory:"):
        return None, None
    sync_engine = create_engine(
        url.set(drivername="sqlite"),
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool,  # one connection, only ever used from the writer thread
        **JSON_CODEC,
    )
    event.listen(sync_engine, "connect", sqlite_pragmas)
    return sync_engine, ThreadPoolExecutor(1, thread_name_prefix="moedebot-writer")


def _rows(spec: _RowSpec, items: list[_Item]) -> list[dict[str, Any]]:
    if not spec.key:
        return [item.row for item in items]
    # An upsert may not touch the same row twice in one statement: the latest value wins.
    latest: dict[tuple, dict[str, Any]] = {}
    for item in items:
        key = tuple(item.row[name] for name in spec.key)
        latest.pop(key, None)
        latest[key] = item.row
    return list(latest.values())


def _fail(item: _Item, error: Exception) -> None:
    if item.behind:
        table = item.spec.table.name if item.spec else "?"
        log.warning("a written-behind row for %s was not stored: %s", table, type(error).__name__)
        item.future.set_result(None)  # flush() waits for it; nobody else looks
    elif not item.future.done():
        item.future.set_exception(error)
