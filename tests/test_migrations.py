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


async def test_sources_without_an_address_survive_a_downgrade(seeded_engine: AsyncEngine) -> None:
    # given a seeded database with a source that has no address, cited by a record
    async with seeded_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO source (title, publisher, kind) "
                "VALUES ('A printed fact sheet', 'A ministry', 'fact_sheet')"
            )
        )
        source_id = (
            await connection.execute(
                text("SELECT id FROM source WHERE title = 'A printed fact sheet'")
            )
        ).scalar_one()
        await connection.execute(
            text(
                "INSERT INTO citation (source_id, person_id, note) "
                "SELECT :source, id, 'cited' FROM person WHERE slug = 'wang-wentao'"
            ),
            {"source": source_id},
        )
        citations = (await connection.execute(text("SELECT count(*) FROM citation"))).scalar_one()

    # when the database goes back to before statements and URL-less sources, and up again
    await migrations.downgrade(seeded_engine, "0007")
    async with seeded_engine.connect() as connection:
        url = (
            await connection.execute(
                text("SELECT url FROM source WHERE id = :id"), {"id": source_id}
            )
        ).scalar_one()
        kept = (await connection.execute(text("SELECT count(*) FROM citation"))).scalar_one()
    await migrations.upgrade(seeded_engine)
    await migrations.check(seeded_engine)

    # then the source got a placeholder address and no citation was lost on the way
    assert url == f"urn:parley:source:{source_id}"
    assert kept == citations
    async with seeded_engine.connect() as connection:
        assert (
            await connection.execute(text("SELECT count(*) FROM citation"))
        ).scalar_one() == citations
