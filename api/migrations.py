"""Run Alembic migrations from Python (the CLI and the tests), on the app's own engine."""

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from alembic import command
from api.search import ddl
from api.search.documents import SEARCHABLES
from api.settings import PROJECT_ROOT

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


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


def _pending(connection: Connection) -> bool:
    """True when the database is not at the latest revision."""
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_heads()
    return set(current) != set(script.get_heads())


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` up to ``revision``.

    Migrations run without the search triggers: SQLite's batch mode rebuilds a table by
    dropping it and renaming a copy, which SQLite refuses while a trigger's body names the
    table, and data migrations need not index row by row. At the latest revision the triggers
    are then made to match the declarations in ``api.search.documents`` and the documents
    rebuilt, in the same transaction: declaring a searchable kind of record is all it takes to
    index it.
    """
    async with engine.begin() as connection:
        if await connection.run_sync(_pending):
            await connection.run_sync(ddl.suspend)
        await connection.run_sync(
            lambda sync: command.upgrade(alembic_config(connection=sync), revision)
        )
        if revision == "head":
            await connection.run_sync(lambda sync: ddl.sync(sync, SEARCHABLES))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    """Migrate the database behind ``engine`` down to ``revision`` (without the search
    triggers, as ``upgrade`` runs; the next upgrade to the latest revision restores them)."""
    async with engine.begin() as connection:
        await connection.run_sync(ddl.suspend)
        await connection.run_sync(
            lambda sync: command.downgrade(alembic_config(connection=sync), revision)
        )


async def check(engine: AsyncEngine) -> None:
    """Raise when the models and the migrated database differ (``alembic check``)."""
    async with engine.connect() as connection:
        await connection.run_sync(lambda sync: command.check(alembic_config(connection=sync)))
