"""Alembic environment: migrations run on the URL from Parley's settings, through its engine."""

import asyncio
from logging.config import fileConfig

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from alembic import context
from api import models  # noqa: F401  (registers every table)
from api.db import Base, create_engine
from api.migrations import in_one_transaction
from api.services import versions
from api.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return str(config.attributes.get("database_url") or get_settings().database_url)


def _configure(connection: Connection, applied: list[str]) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them (the connection says which database it is;
        # the settings' URL need not be the one a caller handed a connection to).
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        on_version_apply=lambda **kwargs: applied.append(str(kwargs["step"])),
    )


def _run_sync(connection: Connection) -> None:
    applied: list[str] = []
    _configure(connection, applied)
    with context.begin_transaction():
        context.run_migrations()
        if applied and inspect(connection).has_table("data_version"):
            # A migration may change what reads return without any write being counted, and
            # a downgrade and upgrade re-create the version row: servers' cached reads must
            # not outlive either.
            versions.bump_sync(connection)


async def _run_async() -> None:
    # Run by the alembic command itself: one transaction, SQLite's foreign keys off, as
    # api.migrations does for parley db.
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(lambda sync: in_one_transaction(sync, lambda: _run_sync(sync)))
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed in by a caller that already holds a connection
        _run_sync(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
