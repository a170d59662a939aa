"""Migrations are real: upgrade, downgrade and upgrade again, with no drift from the models."""

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrations


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names) - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_leaves_no_drift(empty_engine: AsyncEngine) -> None:
    await migrations.upgrade(empty_engine)
    assert "meeting" in await _tables(empty_engine)

    await migrations.downgrade(empty_engine, "base")
    assert await _tables(empty_engine) == set()

    await migrations.upgrade(empty_engine)
    await migrations.check(empty_engine)  # raises when models and database differ


async def test_upgrading_a_database_that_holds_data_keeps_it(empty_engine: AsyncEngine) -> None:
    # given a database at the first revision, with rows that reference one another
    await migrations.upgrade(empty_engine, "0001")
    async with empty_engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO country (id, code, name) VALUES (1, 'CN', 'China')")
        )
        await connection.execute(
            text(
                "INSERT INTO organization (id, slug, name, kind, country_id) "
                "VALUES (1, 'mofcom', 'Ministry of Commerce', 'ministry', 1)"
            )
        )

    # when it is upgraded to the latest revision
    await migrations.upgrade(empty_engine)

    # then the rows are there, at version 1
    async with empty_engine.connect() as connection:
        rows = (await connection.execute(text("SELECT slug, version FROM organization"))).all()
    assert [tuple(row) for row in rows] == [("mofcom", 1)]
