"""The search index in the database: built by the migration from the rows already there,
removed by its downgrade, and kept by triggers whoever writes (here: plain SQL)."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api import migrations
from api.search import ddl
from api.search.documents import SEARCHABLES, Parent, Searchable

COUNTS = "SELECT record_type, count(*) FROM search_document GROUP BY record_type"


async def _documents(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {row[0]: row[1] for row in await connection.execute(text(COUNTS))}


async def _records(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            s.name: (await connection.execute(text(f"SELECT count(*) FROM {s.table}"))).scalar_one()
            for s in SEARCHABLES
        }


async def test_upgrade_indexes_the_rows_already_there(seeded_engine: AsyncEngine) -> None:
    # given a seeded database taken back to before the search index
    await migrations.downgrade(seeded_engine, "0010")
    async with seeded_engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync))
    assert not [name for name in tables if name.startswith("search_")]

    # when it is upgraded again
    await migrations.upgrade(seeded_engine)

    # then every record of every searchable kind has its document, and no drift is left
    assert await _documents(seeded_engine) == await _records(seeded_engine)
    await migrations.check(seeded_engine)


async def test_raw_sql_writes_are_indexed_too(connection: AsyncConnection) -> None:
    # a write outside Parley's code (a script, a bulk load) goes through the triggers
    await connection.execute(
        text("INSERT INTO topic (slug, name) VALUES ('rare-earths', 'Rare earths')")
    )
    await connection.execute(
        text(
            "INSERT INTO localized_name (text, normalized, language, topic_id) "
            "SELECT '稀土', '稀土', 'zh-Hans', id FROM topic WHERE slug = 'rare-earths'"
        )
    )
    found = await connection.execute(
        text("SELECT title, body FROM search_document WHERE title = 'Rare earths'")
    )
    assert [tuple(row) for row in found] == [("Rare earths", "稀土")]

    await connection.execute(text("DELETE FROM topic WHERE slug = 'rare-earths'"))
    found = await connection.execute(
        text("SELECT count(*) FROM search_document WHERE title = 'Rare earths'")
    )
    assert found.scalar_one() == 0


async def test_every_declared_kind_has_its_triggers(connection: AsyncConnection) -> None:
    # A declaration without a migration installing it, or a later migration that rebuilt a
    # table (SQLite's batch mode copies it, dropping its triggers), fails here: add a
    # migration calling api.search.ddl.install for the kinds concerned.
    installed = await connection.run_sync(ddl.installed_trigger_names)
    dialect = connection.dialect.name
    assert installed == ddl.trigger_names(SEARCHABLES, dialect)


async def test_a_declaration_with_a_parent_follows_the_parent(connection: AsyncConnection) -> None:
    # given positions made searchable with the name of the person holding them (a parent)
    positions = Searchable(
        "position_check",
        "position",
        title=("title",),
        parents=(Parent("person", "person_id", ("name",)),),
    )
    await connection.run_sync(lambda sync: ddl.install(sync, (positions,)))
    documents = text(
        "SELECT body FROM search_document d JOIN position p ON p.id = d.record_id "
        "WHERE d.record_type = 'position_check' AND p.title = 'Minister of Commerce'"
    )
    assert list((await connection.execute(documents)).scalars()) == ["Wang Wentao"]

    # when the person is renamed, the position's document follows
    await connection.execute(
        text("UPDATE person SET name = 'Wang Wentao (renamed)' WHERE slug = 'wang-wentao'")
    )
    assert list((await connection.execute(documents)).scalars()) == ["Wang Wentao (renamed)"]


async def test_sync_installs_new_kinds_repairs_and_removes(connection: AsyncConnection) -> None:
    # given a new declaration: positions, by title
    positions = Searchable("position_sync", "position", title=("title",))
    count = text("SELECT count(*) FROM search_document WHERE record_type = 'position_sync'")

    # when the declarations are synced (as `parley db upgrade` does at the latest revision)
    changed = await connection.run_sync(lambda sync: ddl.sync(sync, (*SEARCHABLES, positions)))

    # then the new kind has its triggers and a document per row, and nothing else changed
    assert changed == ["position_sync"]
    assert (await connection.execute(count)).scalar_one() > 0

    # and a trigger lost (as SQLite's batch mode loses them) is put back
    meeting = SEARCHABLES[0]
    dropped = sorted(ddl.definitions(meeting, connection.dialect.name))[0]
    statement = (
        f"DROP FUNCTION {dropped}() CASCADE"
        if connection.dialect.name == "postgresql"
        else f"DROP TRIGGER {dropped}"
    )
    await connection.execute(text(statement))
    changed = await connection.run_sync(lambda sync: ddl.sync(sync, (*SEARCHABLES, positions)))
    assert changed == [meeting.name]

    # and a kind no longer declared loses its triggers and documents
    changed = await connection.run_sync(lambda sync: ddl.sync(sync, SEARCHABLES))
    assert changed == ["position_sync"]
    assert (await connection.execute(count)).scalar_one() == 0
    installed = await connection.run_sync(ddl.installed_trigger_names)
    assert installed == ddl.trigger_names(SEARCHABLES, connection.dialect.name)
