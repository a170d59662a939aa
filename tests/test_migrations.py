"""Migrations are real: upgrade, downgrade and upgrade again, with no drift from the models."""

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.db import create_session_factory
from api.main import create_app
from api.models import Scope
from api.services import tokens
from api.settings import Settings


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
    await migrations.downgrade(seeded_engine, "0009", force=True)
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

    # and a downgrade, refused while it would drop values, keeps the rows once forced, and
    # the upgrade after it leaves no drift
    with pytest.raises(migrations.DataLossError, match=r"commitment_fulfillment\.counts"):
        await migrations.downgrade(empty_engine, "0007")
    await migrations.downgrade(empty_engine, "0007", force=True)
    async with empty_engine.connect() as connection:
        kept = await connection.scalar(text("SELECT count(*) FROM commitment_fulfillment"))
    assert kept == 1
    await migrations.upgrade(empty_engine)
    await migrations.check(empty_engine)


# --- downgrades on a database in use -----------------------------------------------------

RECORD = """mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { userErrors { code } meeting { id version } } }"""
UPDATE = """mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) { userErrors { code } meeting { version } } }"""


@pytest.fixture
async def lived_in(seeded_engine: AsyncEngine, database_url: str) -> AsyncEngine:
    """The seed, plus what use adds: a token, an idempotency key, audit entries, version 2."""
    async with AsyncSession(seeded_engine) as session:
        token, _ = await tokens.create(session, name="migrations", scope=Scope.WRITE)
        await session.commit()
    settings = Settings(database_url=database_url, response_cache_size=0)
    app = create_app(settings, session_factory=create_session_factory(seeded_engine))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://parley.test",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        meeting_input = {
            "title": "Downgrade drill",
            "start": "2026-03",
            "idempotencyKey": "drill-1",
        }
        recorded = (
            await client.post(
                "/graphql", json={"query": RECORD, "variables": {"input": meeting_input}}
            )
        ).json()["data"]["recordMeeting"]
        assert recorded["userErrors"] == []
        change = {"id": recorded["meeting"]["id"], "expectedVersion": 1, "place": "Geneva"}
        updated = (
            await client.post("/graphql", json={"query": UPDATE, "variables": {"input": change}})
        ).json()["data"]["updateMeeting"]
        assert updated == {"userErrors": [], "meeting": {"version": 2}}
    return seeded_engine


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        return {
            name: (await connection.execute(text(f'SELECT count(*) FROM "{name}"'))).scalar_one()
            for name in names
            if name != "alembic_version"
        }


async def _version(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        if "alembic_version" not in names:
            return None
        found = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
    return found[0][0] if found else None


REVISIONS = migrations.revisions()  # oldest first: a migration added later is covered here too


@pytest.mark.parametrize("revision", REVISIONS)
async def test_each_downgrade_works_on_a_database_in_use(
    lived_in: AsyncEngine, revision: str
) -> None:
    # given a database in use, brought down (forced) to ``revision``
    await migrations.downgrade(lived_in, revision, force=True)
    assert await _version(lived_in) == revision
    before = await _counts(lived_in)
    assert before["meeting"] > 0

    # when this revision's own downgrade runs (forced: it may drop what it added)
    below = REVISIONS[REVISIONS.index(revision) - 1] if REVISIONS.index(revision) else "base"
    await migrations.downgrade(lived_in, below, force=True)

    # then it is at the revision below, every table it kept has all its rows (no cascade ate
    # any), and upgrading again gives the models' schema with those rows still there
    assert await _version(lived_in) == (None if below == "base" else below)
    after = await _counts(lived_in)
    assert {name: before[name] for name in after} == after
    await migrations.upgrade(lived_in)
    await migrations.check(lived_in)
    again = await _counts(lived_in)
    assert {name: again[name] for name in after} == after


async def test_a_downgrade_that_would_drop_data_is_refused_unless_forced(
    lived_in: AsyncEngine,
) -> None:
    before = await _counts(lived_in)
    head = await _version(lived_in)

    # to base: every table with rows is listed, and nothing changes
    with pytest.raises(migrations.DataLossError) as refused:
        await migrations.downgrade(lived_in, "base")
    listed = {(loss.table, loss.column) for loss in refused.value.losses}
    kept = {name for name, rows in before.items() if rows and migrations.holds_data(name)}
    assert {(name, None) for name in kept} == listed
    assert await _version(lived_in) == head
    assert await _counts(lived_in) == before

    # to the first revision: the tokens, audit log and idempotency keys, and the versions
    with pytest.raises(migrations.DataLossError) as refused:
        await migrations.downgrade(lived_in, REVISIONS[0])
    losses = {(loss.table, loss.column): loss.count for loss in refused.value.losses}
    assert losses[("api_token", None)] == 1
    assert losses[("idempotency_key", None)] == 1
    assert losses[("audit_entry", None)] == before["audit_entry"]
    assert losses[("meeting", "version")] == before["meeting"]
    assert "--force" in str(refused.value)
    assert await _counts(lived_in) == before

    # forced, it goes
    await migrations.downgrade(lived_in, REVISIONS[0], force=True)
    assert await _version(lived_in) == REVISIONS[0]
    assert "api_token" not in await _counts(lived_in)


async def test_a_downgrade_that_drops_no_data_needs_no_force(empty_engine: AsyncEngine) -> None:
    await migrations.upgrade(empty_engine)
    await migrations.downgrade(empty_engine, "base")
    assert await _tables(empty_engine) == set()
