"""The mutation rate limit is shared by every replica: in the database, or in Redis.

Found by a hostile test (issue 8, "Limits across replicas"): the limiter counted per process,
so N replicas allowed N times the limit.
"""

import asyncio
import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.db import create_session_factory
from api.main import create_app
from api.models import Scope
from api.rate_limit import Gcra, RateLimiter, RateLimitStoreError
from api.rate_limit.database import DatabaseRateLimiter
from api.rate_limit.memory import MemoryRateLimiter
from api.rate_limit.redis_store import RedisRateLimiter
from api.services import tokens
from api.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"
INVALID = 'mutation { createTopic(input: { name: "" }) { userErrors { code } } }'


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def _verdicts(limiter: RateLimiter, key: str, hits: int) -> list[bool]:
    return [await limiter.hit(key) is None for _ in range(hits)]


# --- the arithmetic, on every store --------------------------------------------------------


@pytest.fixture
async def shared_engine(database_url: str, engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The test database, with committed rate-limit rows removed afterwards."""
    del database_url
    yield engine
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM rate_limit_bucket WHERE key LIKE 'test:%'"))


def _stores(kind: str, engine: AsyncEngine, clock: Clock, limit: int = 3) -> list[RateLimiter]:
    """Two limiters of one kind, as two replicas would hold them."""
    gcra = Gcra(limit, 60)
    if kind == "database":
        factory = create_session_factory(engine)
        return [DatabaseRateLimiter(gcra, lambda: factory, clock=clock) for _ in range(2)]
    prefix = f"parley-test-{secrets.token_hex(4)}:"
    return [RedisRateLimiter(gcra, REDIS_URL, prefix=prefix, clock=clock) for _ in range(2)]


STORES = ["database", pytest.param("redis", marks=needs_redis)]


@pytest.mark.parametrize("kind", STORES)
async def test_two_replicas_share_one_limit(kind: str, shared_engine: AsyncEngine) -> None:
    clock = Clock()
    a, b = _stores(kind, shared_engine, clock)
    key = f"test:{secrets.token_hex(4)}"
    # given a limit of 3 a minute: three hits through either replica, then none
    assert [await a.hit(key) is None, await b.hit(key) is None, await a.hit(key) is None] == [
        True
    ] * 3
    assert await b.hit(key) == pytest.approx(20)  # one slot frees every 60 / 3 s
    assert await a.hit(key) == pytest.approx(20)
    # a refused hit takes nothing; 20 s later one slot is free, on both
    clock.now += 20
    assert await _verdicts(b, key, 2) == [True, False]
    # other keys are not held back
    assert await a.hit(f"{key}-other") is None
    await _close(a, b)


@pytest.mark.parametrize("kind", STORES)
async def test_concurrent_hits_never_share_the_last_slot(
    kind: str, shared_engine: AsyncEngine
) -> None:
    clock = Clock()
    limiters = _stores(kind, shared_engine, clock, limit=5)
    key = f"test:{secrets.token_hex(4)}"
    verdicts = await asyncio.gather(*(limiters[i % 2].hit(key) for i in range(20)))
    assert sum(wait is None for wait in verdicts) == 5
    await _close(*limiters)


async def test_in_memory_the_arithmetic_is_the_same() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(3, 60, clock=clock)
    assert await _verdicts(limiter, "k", 4) == [True, True, True, False]
    clock.now += 20
    assert await _verdicts(limiter, "k", 2) == [True, False]


async def _close(*limiters: RateLimiter) -> None:
    for limiter in limiters:
        close = getattr(limiter, "close", None)
        if close is not None:
            await close()


# --- through the API: two app instances on one database, or one Redis -----------------------


@pytest.fixture
async def token(shared_engine: AsyncEngine) -> AsyncIterator[str]:
    """A committed write token (removed afterwards)."""
    name = f"rate-{secrets.token_hex(4)}"
    async with AsyncSession(shared_engine) as session:
        value, record = await tokens.create(session, name=name, scope=Scope.WRITE)
        token_id = record.id
        await session.commit()
    yield value
    async with shared_engine.begin() as connection:
        await connection.execute(text("DELETE FROM api_token WHERE id = :id"), {"id": token_id})
        await connection.execute(text("DELETE FROM rate_limit_bucket WHERE key LIKE 'token:%'"))


async def _replicas(settings: Settings, engine: AsyncEngine) -> list[Any]:
    return [create_app(settings, session_factory=create_session_factory(engine)) for _ in range(2)]


@pytest.mark.parametrize("redis", [False, pytest.param(True, marks=needs_redis)])
async def test_two_app_instances_share_the_mutation_limit(
    redis: bool, shared_engine: AsyncEngine, token: str
) -> None:
    settings = Settings(
        database_url=str(shared_engine.url),
        mutation_rate_limit=3,
        response_cache_size=0,
        redis_url=REDIS_URL if redis else None,
        redis_key_prefix=f"parley-test-{secrets.token_hex(4)}:",
    )
    apps = await _replicas(settings, shared_engine)
    headers = {"Authorization": f"Bearer {token}"}
    statuses = []
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[0]), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[1]), base_url="http://b") as b,
    ):
        for client in (a, b, a, b, a, b):
            response = await client.post("/graphql", json={"query": INVALID}, headers=headers)
            statuses.append(response.status_code)
        refused = response.json()
        query = await b.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert refused["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert query.json()["data"] == {"__typename": "Query"}  # reads are not limited


async def test_an_unreachable_redis_refuses_mutations_with_503(
    shared_engine: AsyncEngine, token: str
) -> None:
    settings = Settings(
        database_url=str(shared_engine.url),
        response_cache_size=0,
        redis_url="redis://127.0.0.1:1/0",  # nothing listens on port 1
    )
    app = create_app(settings, session_factory=create_session_factory(shared_engine))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://a") as c:
        response = await c.post("/graphql", json={"query": INVALID}, headers=headers)
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "127.0.0.1" not in response.text


async def test_redis_store_errors_are_their_own() -> None:
    limiter = RedisRateLimiter(Gcra(3, 60), "redis://127.0.0.1:1/0")
    with pytest.raises(RateLimitStoreError):
        await limiter.hit("k")
    await limiter.close()


async def test_the_migration_downgrades_and_upgrades_on_a_seeded_database(
    seeded_engine: AsyncEngine,
) -> None:
    # the later migrations first (they drop data of their own), so "-1" is this one
    await migrations.downgrade(seeded_engine, "0009", force=True)
    async with seeded_engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO rate_limit_bucket (key, tat, allowed) VALUES ('k', 1.5, true)")
        )
    with pytest.raises(migrations.DataLossError):  # counts are rows too: refused unforced
        await migrations.downgrade(seeded_engine, "-1")
    await migrations.downgrade(seeded_engine, "-1", force=True)
    await migrations.upgrade(seeded_engine)
    async with seeded_engine.connect() as connection:
        assert (
            await connection.execute(text("SELECT count(*) FROM rate_limit_bucket"))
        ).scalar() == 0
        assert (await connection.execute(text("SELECT count(*) FROM meeting"))).scalar()
