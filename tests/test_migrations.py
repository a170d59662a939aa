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


async def test_the_time_aware_record_upgrades_and_downgrades_a_database_with_rows(
    empty_engine: AsyncEngine,
) -> None:
    # given a database just before revision 0008, with a commitment fulfilled by a meeting
    await migrations.upgrade(empty_engine, "0007")
    async with empty_engine.begin() as connection:
        for statement in (
            "INSERT INTO mechanism (id, slug, name, kind, status, cadence_text, cadence_times,"
            " cadence_period) VALUES (1, 'ciwg', 'CIWG', 'working_group', 'active',"
            " 'twice annually', 2, 'year')",
            "INSERT INTO meeting (id, slug, mechanism_id, title, format, status, kind,"
            " start_date, start_precision, start_earliest, start_latest) VALUES (1, 'm',"
            " 1, 'M', 'in_person', 'held', 'meeting', '2024-04-04', 'day', '2024-04-04',"
            " '2024-04-04')",
            "INSERT INTO commitment (id, slug, title, mechanism_id, status) VALUES"
            " (1, 'c', 'C', 1, 'fulfilled')",
            "INSERT INTO commitment_fulfillment (id, commitment_id, meeting_id) VALUES (1, 1, 1)",
        ):
            await connection.execute(text(statement))

    # when it is upgraded
    await migrations.upgrade(empty_engine)

    # then the rows are there, the link still counts, the calendar is filled
    async with empty_engine.connect() as connection:
        counts = await connection.scalar(text("SELECT counts FROM commitment_fulfillment"))
        cadence = (
            await connection.execute(
                text("SELECT cadence_times, cadence_stated, cadence_at_least FROM mechanism")
            )
        ).one()
        periods = await connection.scalar(text("SELECT count(*) FROM calendar_period"))
        leap = await connection.scalar(
            text("SELECT ends FROM calendar_period WHERE label = '2024-02'")
        )
    assert (bool(counts), tuple(cadence), periods) == (True, (2, None, None), 300 * 19)
    assert str(leap) == "2024-02-29"

    # and a downgrade keeps them too, and the upgrade after it leaves no drift
    await migrations.downgrade(empty_engine, "0007")
    async with empty_engine.connect() as connection:
        kept = await connection.scalar(text("SELECT count(*) FROM commitment_fulfillment"))
    assert kept == 1
    await migrations.upgrade(empty_engine)
    await migrations.check(empty_engine)
