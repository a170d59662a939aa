"""Fixtures: every database test runs on SQLite and, when configured, on PostgreSQL.

The schema is migrated and seeded once per database; each test runs inside a transaction that
is rolled back, so tests see the seed and never each other's writes.
"""

import contextlib
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from api import migrations
from api.db import create_engine, is_sqlite, statement_log
from api.main import create_app
from api.models import Scope
from api.services import seed, tokens
from api.settings import Settings

POSTGRES_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")


def _database_params() -> list[object]:
    marks = [] if POSTGRES_URL else [pytest.mark.skip(reason="PARLEY_TEST_DATABASE_URL not set")]
    return ["sqlite", pytest.param("postgresql", marks=marks)]


@pytest.fixture(scope="session", params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "parley.db"
        return f"sqlite+aiosqlite:///{path}"
    assert POSTGRES_URL is not None
    return POSTGRES_URL


async def reset_database(engine: AsyncEngine) -> None:
    """Drop everything, so a run starts from an empty database whatever the last one left."""
    if is_sqlite(str(engine.url)):
        return  # a new file per run
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await reset_database(engine)
    await migrations.upgrade(engine)
    async with AsyncSession(engine) as session:
        await seed.load(session)
        await session.commit()
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


@pytest.fixture
def session_factory(connection: AsyncConnection) -> Callable[[], AsyncSession]:
    """Sessions that join the test's transaction; their commits become savepoints."""

    def factory() -> AsyncSession:
        return AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    return factory


@pytest.fixture
async def session(session_factory: Callable[[], AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement executed during the test."""
    with statement_log(engine) as seen:
        yield seen


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Without the response cache, whose version check would add a statement to every request
    # the SQL counting tests measure; tests/test_response_cache.py covers the cache.
    return Settings(database_url=database_url, response_cache_size=0)


@pytest.fixture
async def client(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, session_factory=session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


@pytest.fixture
async def standard(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose compiled read path (and so its hot path) is switched off."""
    app = create_app(
        settings.model_copy(update={"compiled_reads": False}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


@pytest.fixture
async def write_token(session: AsyncSession) -> str:
    """A token with the write scope, named test-writer."""
    token, _ = await tokens.create(session, name="test-writer", scope=Scope.WRITE)
    await session.commit()
    return token


@pytest.fixture
async def admin_token(session: AsyncSession) -> str:
    """A token with the admin scope, named test-admin."""
    token, _ = await tokens.create(session, name="test-admin", scope=Scope.ADMIN)
    await session.commit()
    return token


@pytest.fixture
async def empty_engine(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """An empty database of its own, for tests that commit or migrate (never the shared one)."""
    async with scratch_engine(database_url, tmp_path_factory) as engine:
        yield engine


@contextlib.asynccontextmanager
async def scratch_engine(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, *, suffix: str = "scratch"
) -> AsyncIterator[AsyncEngine]:
    """An empty database beside ``database_url``'s (a new file, or ``<name>_<suffix>``)."""
    if is_sqlite(database_url):
        path = tmp_path_factory.mktemp(suffix) / f"{suffix}.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        yield engine
        await engine.dispose()
        return
    url = make_url(database_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(database_url)
    await _recreate(admin, name)
    engine = create_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        await engine.dispose()
        await _recreate(admin, name, create=False)
        await admin.dispose()


async def _recreate(admin: AsyncEngine, name: str, *, create: bool = True) -> None:
    async with admin.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            await autocommit.execute(text(f'CREATE DATABASE "{name}"'))


@pytest.fixture
async def seeded_engine(empty_engine: AsyncEngine) -> AsyncEngine:
    """A migrated, seeded database of its own: writes there are committed for real."""
    await migrations.upgrade(empty_engine)
    async with AsyncSession(empty_engine) as session:
        await seed.load(session)
        await session.commit()
    return empty_engine
