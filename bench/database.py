"""The benchmark's PostgreSQL database: created fresh, migrated, seeded, then bulk-loaded."""

import dataclasses
import time
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from api import migrations
from api.db import create_engine
from api.services import seed
from bench import generate
from bench.generate import Scale

SERVER = "postgres@127.0.0.1:5432"


@dataclasses.dataclass(frozen=True)
class Database:
    """One benchmark database: its name and how each client spells its URL."""

    name: str

    @property
    def libpq_url(self) -> str:
        return f"postgresql://{SERVER}/{self.name}"

    @property
    def sqlalchemy_url(self) -> str:
        return f"postgresql+asyncpg://{SERVER}/{self.name}"


def for_scale(scale: Scale) -> Database:
    return Database(f"parley_bench_{scale.name.lower()}")


async def recreate(database: Database) -> None:
    """Drop (disconnecting its clients) and create the database."""
    admin = await asyncpg.connect(f"postgresql://{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{database.name}"')
    finally:
        await admin.close()


async def build(scale: Scale) -> dict[str, Any]:
    """A fresh database at ``scale``: Parley's migrations, the seed, the generated rows."""
    database = for_scale(scale)
    started = time.perf_counter()
    await recreate(database)
    engine = create_engine(database.sqlalchemy_url)
    try:
        await migrations.upgrade(engine)
        async with AsyncSession(engine) as session:
            await seed.load(session)
            await session.commit()
        async with engine.connect() as connection:
            anchors = await generate.anchors(connection)
    finally:
        await engine.dispose()
    rows = generate.generate(scale, anchors)
    connection = await asyncpg.connect(database.libpq_url)
    try:
        async with connection.transaction():
            await generate.copy_rows(connection, rows)
        await connection.execute("VACUUM ANALYZE")
        counts = {
            table: int(await connection.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("mechanism", "meeting", "participation", "person")
        }
    finally:
        await connection.close()
    return {
        "database": database.name,
        "scale": dataclasses.asdict(scale),
        "rows": counts,
        "seconds": round(time.perf_counter() - started, 1),
    }
