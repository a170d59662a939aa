"""Single-statement reads straight on the database driver's connection (PostgreSQL, asyncpg).

For a statement run again and again — a plan of the hot path (api/http/hot_path.py) —
SQLAlchemy spends more CPU around each execution (a cache key of the statement, an execution
context, a result) than asyncpg spends sending it and reading the answer. :class:`DriverReads`
lets SQLAlchemy run a statement the first time, keeps the SQL text and parameters it handed
the driver, and from then on hands those to asyncpg itself, on a connection from the engine's
pool. The engine is an autocommit one without a ping at checkout (``create_engine(...,
autocommit=True)``): one round trip per read. Each such statement is counted in the request's
state, as the engine's own listener counts the others.
"""

import collections
import contextvars
from typing import Any

from sqlalchemy import Dialect, event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable
from sqlalchemy.util.concurrency import greenlet_spawn

from api import request_state

MAX_STATEMENTS = 256

_capturing: contextvars.ContextVar[list[tuple[str, Any]] | None] = contextvars.ContextVar(
    "parley_driver_capture", default=None
)


def _capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
    found = _capturing.get()
    if found is not None:
        found.append((statement, parameters))


class DriverReads:
    """Runs one statement and returns its one value (as ``AsyncConnection.scalar`` does).

    ``direct`` counts the statements handed to the driver without SQLAlchemy.
    """

    def __init__(self, engine: AsyncEngine, size: int = MAX_STATEMENTS) -> None:
        self.engine = engine
        self.size = size
        self.direct = 0
        self._sent: collections.OrderedDict[int, tuple[Executable, str, tuple[Any, ...]]] = (
            collections.OrderedDict()
        )
        if not event.contains(engine.sync_engine, "before_cursor_execute", _capture):
            event.listen(engine.sync_engine, "before_cursor_execute", _capture)

    @property
    def dialect(self) -> Dialect:
        """The engine's dialect (the statement's SQL is built for it)."""
        return self.engine.dialect

    async def scalar(self, statement: Executable) -> Any:
        """The first column of the first row ``statement`` returns."""
        sent = self._sent.get(id(statement))
        if sent is None or sent[0] is not statement:
            return await self._first(statement)
        self._sent.move_to_end(id(statement))
        _, sql, parameters = sent
        fairy = await self.engine.raw_connection()
        try:
            driver = fairy.driver_connection
            assert driver is not None  # a checked-out connection has one
            request_state.count_statement()
            self.direct += 1
            return await driver.fetchval(sql, *parameters)
        except BaseException:
            await greenlet_spawn(fairy.invalidate)  # whatever failed, never reuse it
            raise
        finally:
            await greenlet_spawn(fairy.close)

    async def _first(self, statement: Executable) -> Any:
        """Run ``statement`` through SQLAlchemy, keeping what it sent the driver."""
        seen: list[tuple[str, Any]] = []
        token = _capturing.set(seen)
        try:
            async with self.engine.connect() as connection:
                try:
                    value = await connection.scalar(statement)
                except BaseException:  # cut short (a timeout), or failed: never reused
                    await connection.invalidate()
                    raise
        finally:
            _capturing.reset(token)
        if len(seen) == 1:
            sql, parameters = seen[0]
            self._sent[id(statement)] = (statement, sql, tuple(parameters or ()))
            while len(self._sent) > self.size:
                self._sent.popitem(last=False)
        return value
