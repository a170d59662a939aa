"""Run Alembic migrations from Python (the CLI and the tests), on the app's own engine.

Every run is one transaction (both databases have transactional DDL). On SQLite, foreign keys
are switched off for it, as Alembic's batch mode needs: rebuilding a table (SQLite's way to
drop or alter a column) drops the old copy, which with foreign keys on fails — or, worse,
cascades deletes into the rows that reference it. ``PRAGMA foreign_key_check`` then checks the
result before it commits.

A downgrade that would drop data (a table holding rows, a column holding values) is refused
unless forced: it is first run inside a savepoint to learn what it drops, which is then
counted, and only then run for real.
"""

import dataclasses
from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from alembic import command
from api.settings import PROJECT_ROOT

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
# Bookkeeping, not data: the migration state, and the write counter response caches compare
# (a counter a migration creates with its one row; the caches cope with it starting again).
# calendar_period: the calendar the migration that creates it fills; nothing of anyone's.
BOOKKEEPING = frozenset({"alembic_version", "data_version", "calendar_period"})


def alembic_config(*, connection: Connection | None = None, url: str | None = None) -> Config:
    """Parley's Alembic configuration, bound to a connection or a URL instead of the settings."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(Path(PROJECT_ROOT / "alembic")))
    config.attributes["configure_logging"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["database_url"] = url
    return config


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@dataclasses.dataclass(frozen=True)
class Loss:
    """Data a downgrade would drop: a table's rows, or a column's non-null values."""

    table: str
    column: str | None
    count: int

    def __str__(self) -> str:
        if self.column is None:
            return f"table {self.table} ({self.count} rows)"
        return f"column {self.table}.{self.column} ({self.count} values)"


class DataLossError(RuntimeError):
    """The downgrade would drop data and was not forced; nothing was changed."""

    def __init__(self, revision: str, losses: list[Loss]) -> None:
        self.losses = losses
        listed = "; ".join(str(loss) for loss in losses)
        super().__init__(
            f"Downgrading to {revision} would drop data: {listed}. Nothing was changed; "
            "back the database up, then force it (parley db downgrade --force) to drop it."
        )


def in_one_transaction(connection: Connection, run: Callable[[], None]) -> None:
    """Run ``run`` (migrations) in one transaction, foreign keys off on SQLite (see above)."""
    sqlite = connection.dialect.name == "sqlite"
    if connection.in_transaction():
        raise RuntimeError("migrations need a connection outside a transaction")
    if sqlite:
        _pragma(connection, "PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
    try:
        with connection.begin():
            run()
            if sqlite:
                _check_foreign_keys(connection)
    finally:
        if sqlite:
            _pragma(connection, "PRAGMA foreign_keys=ON")


def _pragma(connection: Connection, statement: str) -> None:
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows with dangling foreign keys: {broken[:5]}")


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` up to ``revision``."""
    async with engine.connect() as connection:
        await connection.run_sync(
            lambda sync: in_one_transaction(
                sync, lambda: command.upgrade(alembic_config(connection=sync), revision)
            )
        )


async def downgrade(engine: AsyncEngine, revision: str = "base", *, force: bool = False) -> None:
    """Migrate down to ``revision``; raise DataLossError if that drops data, unless forced."""
    async with engine.connect() as connection:
        await connection.run_sync(lambda sync: _downgrade(sync, revision, force=force))


def _downgrade(connection: Connection, revision: str, *, force: bool) -> None:
    def run() -> None:
        config = alembic_config(connection=connection)
        if not force:
            losses = _losses(connection, lambda: command.downgrade(config, revision))
            if losses:
                raise DataLossError(revision, losses)
        command.downgrade(config, revision)

    in_one_transaction(connection, run)


def _losses(connection: Connection, run: Callable[[], None]) -> list[Loss]:
    """What ``run`` would drop: run in a savepoint rolled back, then counted."""
    before = _columns(connection)
    savepoint = connection.begin_nested()
    try:
        run()
        after = _columns(connection)
    finally:
        savepoint.rollback()
    losses = []
    for name, columns in sorted(before.items()):
        if name not in after:
            rows = connection.scalar(select(func.count()).select_from(table(name)))
            losses += [Loss(name, None, rows)] if rows else []
            continue
        for dropped in sorted(columns - after[name]):
            values = connection.scalar(select(func.count(column(dropped))).select_from(table(name)))
            losses += [Loss(name, dropped, values)] if values else []
    return losses


def _columns(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        name: {c["name"] for c in inspector.get_columns(name)}
        for name in inspector.get_table_names()
        if name not in BOOKKEEPING
    }


async def check(engine: AsyncEngine) -> None:
    """Raise when the models and the migrated database differ (``alembic check``)."""
    async with engine.connect() as connection:
        await connection.run_sync(lambda sync: command.check(alembic_config(connection=sync)))
