"""Recovery without a restart: the database goes away and comes back; Parley follows it.

PostgreSQL: the app's connections are terminated, then the database refuses connections for a
while. SQLite: the database file cannot be opened, or another process holds its write lock.
Each time the answer is 503 SERVICE_UNAVAILABLE without detail, /readyz says so within its
timeout, and the requests after it are served again.
"""

import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.db import create_engine, is_sqlite
from api.failures import database_failure
from api.main import create_app
from api.models import Scope
from api.services import seed, tokens
from api.settings import Settings

QUERY = {"query": "{ topics { totalCount } }"}
UNAVAILABLE = {
    "message": "The database is unavailable; try again shortly.",
    "locations": [{"line": 1, "column": 3}],
    "path": ["topics"],
    "extensions": {"code": "SERVICE_UNAVAILABLE"},
}
RECORD = """
mutation($title: String!) {
  recordMeeting(input: { title: $title }) { meeting { title } userErrors { code } }
}
"""


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its own engine and pool, as `parley serve` runs it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            yield c


def codes(response: httpx.Response) -> list[str]:
    body: dict[str, Any] = response.json()
    return [error["extensions"]["code"] for error in body.get("errors") or []]


async def ready_within(client: httpx.AsyncClient, status: int, seconds: float = 2) -> float:
    """Seconds until /readyz answers ``status`` (fails past ``seconds``)."""
    started = time.monotonic()
    while (await client.get("/readyz")).status_code != status:
        assert time.monotonic() - started < seconds, f"/readyz not {status} within {seconds} s"
    return time.monotonic() - started


async def _autocommit(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(statement))


async def test_postgresql_connections_killed_and_refused_then_back(
    engine: AsyncEngine, seeded_engine: AsyncEngine
) -> None:
    if is_sqlite(str(engine.url)):
        pytest.skip("PostgreSQL only: server-side connection termination")
    # given: a serving app, and an admin connection to another database of the same server
    name = str(seeded_engine.url.database)
    url = seeded_engine.url.render_as_string(hide_password=False)
    await seeded_engine.dispose()
    terminate = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    try:
        async with serving(Settings(database_url=url)) as client:
            assert (await client.post("/graphql", json=QUERY)).status_code == 200
            # when: every connection of the app is killed between two requests
            await _autocommit(engine, terminate)
            # then: at worst one request fails, and only with SERVICE_UNAVAILABLE
            after = [await client.post("/graphql", json=QUERY) for _ in range(3)]
            assert sum(codes(r) == ["SERVICE_UNAVAILABLE"] for r in after) <= 1
            assert after[-1].status_code == 200
            # when: the database refuses connections for a while
            await _autocommit(engine, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await _autocommit(engine, terminate)
            down = await client.post("/graphql", json=QUERY)
            # then: 503 without detail, and /readyz says so at once
            assert down.status_code == 503
            assert down.json()["errors"] == [UNAVAILABLE]
            assert name not in down.text
            assert await ready_within(client, 503) < 2
            # when: it accepts connections again, without restarting Parley
            await _autocommit(engine, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            # then
            assert await ready_within(client, 200) < 2
            back = await client.post("/graphql", json=QUERY)
            assert back.status_code == 200
            assert back.json()["data"]["topics"]["totalCount"] > 0
    finally:
        await _autocommit(engine, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not is_sqlite(database_url):
        pytest.skip("SQLite only: a database file")


async def _migrate_and_seed(url: str) -> str:
    """Migrate and seed the database at ``url``; return a write token."""
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        async with AsyncSession(engine, expire_on_commit=False) as session:
            await seed.load(session)
            token, _ = await tokens.create(session, name="recovery", scope=Scope.WRITE)
            await session.commit()
    finally:
        await engine.dispose()
    return token


@pytest.mark.usefixtures("sqlite_only")
async def test_sqlite_file_that_cannot_be_opened_then_can(tmp_path: Path) -> None:
    # given: a database in a directory that does not exist (yet)
    path = tmp_path / "not-yet" / "parley.db"
    url = f"sqlite+aiosqlite:///{path}"
    async with serving(Settings(database_url=url)) as client:
        # when
        down = await client.post("/graphql", json=QUERY)
        # then
        assert down.status_code == 503
        assert down.json()["errors"] == [UNAVAILABLE]
        assert "not-yet" not in down.text
        assert await ready_within(client, 503) < 2
        # when: the file appears, migrated and seeded, without restarting Parley
        path.parent.mkdir()
        await _migrate_and_seed(url)
        # then
        assert await ready_within(client, 200) < 2
        assert (await client.post("/graphql", json=QUERY)).status_code == 200


@contextlib.contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process's view: it holds the database's write lock inside the block."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


@pytest.mark.usefixtures("sqlite_only")
async def test_sqlite_write_lock_held_elsewhere_then_released(tmp_path: Path) -> None:
    # given
    path = tmp_path / "parley.db"
    url = f"sqlite+aiosqlite:///{path}"
    token = await _migrate_and_seed(url)
    headers = {"Authorization": f"Bearer {token}"}
    settings = Settings(database_url=url, sqlite_busy_timeout=0.3)
    async with serving(settings) as client:
        with write_lock(path):
            # when: a write waits longer than the busy timeout
            locked = await client.post(
                "/graphql", json={"query": RECORD, "variables": {"title": "A"}}, headers=headers
            )
            # then: reads go on (WAL), the write is refused as an outage, without detail
            assert (await client.post("/graphql", json=QUERY)).status_code == 200
        assert locked.status_code == 503
        assert codes(locked) == ["SERVICE_UNAVAILABLE"]
        assert "locked" not in locked.text
        # when: the lock is gone
        again = await client.post(
            "/graphql", json={"query": RECORD, "variables": {"title": "B"}}, headers=headers
        )
        # then
        assert again.json()["data"]["recordMeeting"] == {
            "meeting": {"title": "B"},
            "userErrors": [],
        }


class _PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("from the server")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "failure"),
    [
        ("55000", None),  # object not in prerequisite state: a bug, not an outage
        ("23505", None),  # a unique key violated
        ("3D000", "SERVICE_UNAVAILABLE"),  # the database was dropped
        ("08006", "SERVICE_UNAVAILABLE"),  # connection failure
        ("57P01", "SERVICE_UNAVAILABLE"),  # administrator shutdown
        ("53300", "SERVICE_UNAVAILABLE"),  # too many connections
        ("28P01", "SERVICE_UNAVAILABLE"),  # password refused
    ],
)
def test_postgresql_error_classes_that_mean_unavailable(sqlstate: str, failure: str | None) -> None:
    assert database_failure(_PostgresError(sqlstate)) == failure
