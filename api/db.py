"""Declarative base with Parley's conventions, and the async engine and session factory."""

import base64
import contextlib
import datetime as dt
import time
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool
from sqlalchemy.util.concurrency import await_

# Deterministic constraint names, so Alembic can name (and drop) them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC; a naive value is taken to be UTC already (as SQLite stores it)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and read back as an aware UTC datetime on every database.

    PostgreSQL's timestamptz keeps the instant; SQLite keeps the text of the wall-clock time
    without an offset, so values are written in UTC and read back with UTC attached. Both then
    render as ``2026-03-01T09:30:15+00:00`` and compare as instants.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """All models share one metadata with the naming convention and UTC timestamps."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {dt.datetime: UtcDateTime()}  # noqa: RUF012


class UnstorableValueError(ValueError):
    """Text no column may hold: longer than the column's declared length, or holding NUL.

    PostgreSQL refuses both and SQLite stores both; checking every ORM insert and update makes
    both databases refuse the same rows. Services report such input as user errors before it
    gets here; this catches every other write path (the seed loader, scripts, a forgotten
    check) the same way on both databases.
    """


def _check_storable(mapper: Any, _connection: Any, target: Any) -> None:
    _check_values(mapper, target.__dict__)  # what is set, without loading anything


def check_storable(model: Any, row: Mapping[str, Any]) -> None:
    """The check of every ORM write, for a row inserted without the ORM's flush."""
    _check_values(sa_inspect(model), row)


def _check_values(mapper: Any, values: Mapping[str, Any]) -> None:
    for prop in mapper.column_attrs:
        value = values.get(prop.key)
        if not isinstance(value, str):
            continue
        column = prop.columns[0]
        where = f"{mapper.local_table.name}.{column.name}"
        if "\x00" in value:
            raise UnstorableValueError(f"{where}: text with NUL cannot be stored")
        length = getattr(column.type, "length", None)
        if length is not None and len(value) > length:
            message = f"{where}: {len(value)} characters, longer than its {length}"
            raise UnstorableValueError(message)


event.listen(Base, "before_insert", _check_storable, propagate=True)
event.listen(Base, "before_update", _check_storable, propagate=True)


def is_sqlite(url: str) -> bool:
    """True for SQLite URLs, which need foreign keys switched on per connection."""
    return url.startswith("sqlite")


# An execution option a session sets before a write: on SQLite the transaction then takes the
# write lock at BEGIN, so concurrent writers queue instead of failing with "database is locked".
WRITE_OPTION = "parley_write"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling skips BEGIN before some statements, which breaks
    # savepoints; SQLAlchemy emits BEGIN itself instead (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers and a writer do not block each other
    cursor.close()
    # PostgreSQL's encode(); the compiled read path writes global ids and cursors in SQL.
    dbapi_connection.create_function("parley_base64", 1, _base64, deterministic=True)
    dbapi_connection.create_function("parley_base64url", 1, _base64url, deterministic=True)


def _base64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(text.encode()).decode()


def _base64url(text: str | None) -> str | None:
    if text is None:
        return None
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _on_sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _SQLiteStatementTimeout:
    """SQLite has no statement timeout: a progress handler interrupts statements past it.

    The handler runs in aiosqlite's thread every few thousand VM steps; an interrupted
    statement raises ``sqlite3.OperationalError: interrupted``.
    """

    STEPS = 10_000

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def on_connect(self, dbapi_connection: Any, record: Any) -> None:
        clock: dict[str, float | None] = {"started": None}
        record.info["statement_clock"] = clock

        def expired() -> int:
            started = clock["started"]
            return int(started is not None and time.monotonic() - started > self.seconds)

        driver_connection = dbapi_connection._connection  # aiosqlite's, over sqlite3's
        await_(
            driver_connection._execute(
                driver_connection._conn.set_progress_handler, expired, self.STEPS
            )
        )

    @staticmethod
    def _clock(connection: Any) -> dict[str, float | None] | None:
        found: dict[str, float | None] | None = connection.connection.info.get("statement_clock")
        return found

    def before(self, connection: Any, *_args: Any) -> None:
        clock = self._clock(connection)
        if clock is not None:
            clock["started"] = time.monotonic()

    def after(self, connection: Any, *_args: Any) -> None:
        clock = self._clock(connection)
        if clock is not None:
            clock["started"] = None


def _ping_asyncpg(dbapi_connection: Any) -> bool:
    """The pool's check of a connection it hands out, in one round trip.

    The driver's own ping opens a transaction around it (BEGIN, ``;``, ROLLBACK: three round
    trips on every checkout, for pgbouncer's sake); ``SELECT 1`` by the simple query protocol
    prepares nothing, so it is as safe behind pgbouncer in one.
    """
    try:
        await_(dbapi_connection._connection.execute("SELECT 1"))
    except Exception as error:  # the driver's translation: a lost connection is a disconnect
        dbapi_connection._handle_exception(error)
    return True


AUTOCOMMIT_POOL_SIZE = 16
"""Connections an autocommit engine keeps open between uses (see :func:`create_engine`)."""
POOL_SIZE = 10
"""Connections the main engine keeps open between uses, on PostgreSQL."""


def create_engine(
    url: str,
    *,
    echo: bool = False,
    statement_timeout: float | None = None,
    connect_timeout: float | None = None,
    busy_timeout: float = 30,
    autocommit: bool = False,
) -> AsyncEngine:
    """An async engine; on SQLite every connection enforces foreign keys.

    ``statement_timeout`` (seconds) cancels longer statements: PostgreSQL's own
    ``statement_timeout``, on SQLite a progress handler. ``connect_timeout`` bounds the wait
    for a new PostgreSQL connection, ``busy_timeout`` a SQLite writer's wait for the lock.
    ``autocommit`` (PostgreSQL): each statement on its own, in no transaction, and no ping
    when a connection leaves the pool — for single reads that fall back elsewhere when they
    fail (a stale connection fails its statement, and the pool then renews its connections).
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        if ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:"):
            kwargs["poolclass"] = StaticPool
        kwargs["connect_args"] = {"timeout": busy_timeout}
    else:
        kwargs["pool_pre_ping"] = not autocommit
        if autocommit:
            kwargs["isolation_level"] = "AUTOCOMMIT"
            # Every read of a busy worker checks one out: keep as many as it has reads in
            # flight rather than close the extra ones after each burst (SQLAlchemy's default
            # keeps 5), as opening a PostgreSQL connection costs milliseconds on both sides.
            kwargs["pool_size"] = AUTOCOMMIT_POOL_SIZE
            kwargs["max_overflow"] = 4
        else:
            # The same reason, for writes and reads the hot path does not take: keep 10 open
            # (SQLAlchemy keeps 5 and closes the other 10 it may open after each burst), with
            # the same ceiling of 15 per worker, well inside PostgreSQL's 100.
            kwargs["pool_size"] = POOL_SIZE
            kwargs["max_overflow"] = 5
        connect_args: dict[str, Any] = {}
        if statement_timeout is not None:
            milliseconds = str(int(statement_timeout * 1000))
            connect_args["server_settings"] = {"statement_timeout": milliseconds}
        if connect_timeout is not None:
            connect_args["timeout"] = connect_timeout
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.driver == "asyncpg":
        engine.dialect.do_ping = _ping_asyncpg  # type: ignore[method-assign]
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        if statement_timeout is not None:
            timeout = _SQLiteStatementTimeout(statement_timeout)
            event.listen(engine.sync_engine, "connect", timeout.on_connect)
            event.listen(engine.sync_engine, "before_cursor_execute", timeout.before)
            event.listen(engine.sync_engine, "after_cursor_execute", timeout.after)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@contextlib.contextmanager
def statement_log(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine executes inside the block (tests, logs)."""
    seen: list[str] = []

    def _record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", _record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _record)
