"""The rate limit kept in the database: every replica on one database shares it.

A hit is one statement, an upsert that advances the key's arrival time only if the hit fits
and returns whether it did; the database's row lock makes concurrent hits on one key (from any
replica) take turns, so no two can take the last slot. It commits at once, apart from the
mutation (on the request's connection): a mutation that fails afterwards still counted, and the
row is not held while the mutation runs. On PostgreSQL the request's connection runs it outside
any transaction (schema.context.Database.writing), so it commits as the statement ends: the
row's lock lasts the statement, not a round trip to the client and back with the COMMIT, which
every other hit on the key (all of one token's mutations) would wait for.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Float, bindparam, case, delete, false, func, literal, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import RateLimitBucket
from api.rate_limit import Gcra

PURGE_EVERY = 512
"""Hits between two purges of keys whose arrival time has passed (they hold nothing)."""


@functools.cache
def hit_statement(dialect: str, gcra: Gcra) -> Any:
    """The upsert of one hit (parameters ``key`` and ``now``), returning the key's time and
    the verdict; built once per dialect and limit."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    at, interval = bindparam("now", type_=Float), literal(gcra.interval, Float)
    latest = func.greatest if dialect == "postgresql" else func.max  # SQLite's max() is scalar
    start = latest(RateLimitBucket.tat, at)
    fits = (start + interval - at) <= literal(gcra.window, Float)
    statement = (
        insert(RateLimitBucket)
        .values(key=bindparam("key"), tat=at + interval, allowed=True)
        .on_conflict_do_update(
            index_elements=[RateLimitBucket.key],
            set_={
                "allowed": case((fits, true()), else_=false()),
                "tat": case((fits, start + interval), else_=RateLimitBucket.tat),
            },
        )
        .returning(RateLimitBucket.tat, RateLimitBucket.allowed)
    )
    if dialect == "postgresql":
        # A count need not survive a crash: committing without waiting for the WAL flush
        # shortens how long the key's row stays locked, which every replica's hit on that
        # key waits for. Set by the hit itself (for its transaction), not a statement more.
        statement = statement.returning(func.set_config("synchronous_commit", "off", true()))
    return statement


class DatabaseRateLimiter:
    """Allow ``limit`` hits per ``window`` seconds per key, counted in the database."""

    def __init__(
        self,
        gcra: Gcra,
        session_factory: Callable[[], Any],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = gcra.limit
        self.window = gcra.window
        self._gcra = gcra
        self._session_factory = session_factory
        self._clock = clock
        self._hits = 0

    uses_database = True

    async def hit(self, key: str, *, session: AsyncSession | None = None) -> float | None:
        """Take one slot for ``key``: ``None`` if allowed, else seconds until one is free.

        In ``session`` when given (the caller commits), else in a session of its own.
        """
        if session is not None:
            return await self._hit(session, key)
        own: AsyncSession
        async with self._session_factory()() as own:
            wait = await self._hit(own, key)
            await own.commit()
        return wait

    async def _hit(self, session: AsyncSession, key: str) -> float | None:
        now = self._clock()
        statement = hit_statement(session.get_bind().dialect.name, self._gcra)
        tat, allowed = (await session.execute(statement, {"key": key, "now": now})).one()[:2]
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            await session.execute(delete(RateLimitBucket).where(RateLimitBucket.tat < now))
        if allowed:
            return None
        return max(float(tat) + self._gcra.interval - self.window - now, 0.001)
