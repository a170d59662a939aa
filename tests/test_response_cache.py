"""Repeated reads come from the cache until any write commits; GET revalidates with ETags."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory, statement_log
from api.http.cache import VersionReader
from api.main import create_app
from api.models import Scope
from api.services import tokens
from api.settings import Settings

QUERY = '{ mechanism(slug: "commercial-issues-working-group") { name version } }'
RENAME = """
mutation($id: ID!, $v: Int!) { updateMechanism(input: {id: $id, expectedVersion: $v,
  name: "US-China Commercial Issues Working Group (renamed)"}) { userErrors { code } } }
"""


@pytest.fixture
async def cached(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"response_cache_size": 16}), session_factory=session_factory
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://parley.test"
    ) as client:
        yield client


async def test_a_repeated_read_is_served_from_the_cache(
    cached: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = await cached.post("/graphql", json={"query": QUERY})
    with statement_log(engine) as statements:
        second = await cached.post("/graphql", json={"query": QUERY})
    assert first.headers["X-Parley-Cache"] == "miss"
    assert second.headers["X-Parley-Cache"] == "hit"
    assert second.content == first.content
    assert [s.split()[0].upper() for s in statements if "data_version" in s] == ["SELECT"]
    assert sum(1 for s in statements if s.lstrip().upper().startswith("SELECT")) == 1


async def test_any_committed_write_invalidates_it(
    cached: httpx.AsyncClient, write_token: str
) -> None:
    before = (await cached.post("/graphql", json={"query": QUERY})).json()
    ids = (
        await cached.post(
            "/graphql",
            json={"query": '{ mechanism(slug: "commercial-issues-working-group") { id } }'},
        )
    ).json()
    renamed = await cached.post(
        "/graphql",
        json={
            "query": RENAME,
            "variables": {
                "id": ids["data"]["mechanism"]["id"],
                "v": before["data"]["mechanism"]["version"],
            },
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )
    assert renamed.json()["data"]["updateMechanism"]["userErrors"] == []
    after = await cached.post("/graphql", json={"query": QUERY})
    assert after.headers["X-Parley-Cache"] == "miss"
    assert after.json()["data"]["mechanism"]["name"].endswith("(renamed)")


async def test_get_revalidates_with_an_etag(cached: httpx.AsyncClient, write_token: str) -> None:
    first = await cached.get("/graphql", params={"query": QUERY})
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    unchanged = await cached.get(
        "/graphql", params={"query": QUERY}, headers={"If-None-Match": tag}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    # a write elsewhere changes the version, so the old tag no longer matches
    await cached.post(
        "/graphql",
        json={"query": 'mutation { createTopic(input: {name: "Probe"}) { userErrors { code } } }'},
        headers={"Authorization": f"Bearer {write_token}"},
    )
    changed = await cached.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag


async def test_what_is_never_cached(cached: httpx.AsyncClient, write_token: str) -> None:
    # requests with a token, mutations and errors always run
    for _ in range(2):
        with_token = await cached.post(
            "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {write_token}"}
        )
        assert "X-Parley-Cache" not in with_token.headers
        failing = await cached.post(
            "/graphql", json={"query": "{ meetings(first: 500) { totalCount } }"}
        )
        assert failing.headers["X-Parley-Cache"] == "miss"


async def test_a_write_through_one_replica_invalidates_another(engine: AsyncEngine) -> None:
    """Two apps on one database, each with its own cache, reading the version on a bare
    connection of the engine (as served): a write committed through A is a miss on B."""
    slug = f"replica-probe-{secrets.token_hex(4)}"
    topic = {"query": "query($s: String!) { topic(slug: $s) { name } }", "variables": {"s": slug}}
    settings = Settings(database_url=str(engine.url), response_cache_size=16)
    factory = create_session_factory(engine)
    app_a, app_b = (
        create_app(settings, session_factory=factory),
        create_app(settings, session_factory=factory),
    )
    async with AsyncSession(engine) as session:
        token, record = await tokens.create(session, name=slug, scope=Scope.WRITE)
        token_id = record.id
        await session.commit()
    try:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app_a), base_url="http://a") as a,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app_b), base_url="http://b") as b,
        ):
            await b.post("/graphql", json=topic)
            cached = await b.post("/graphql", json=topic)
            assert cached.headers["X-Parley-Cache"] == "hit"
            assert cached.json()["data"]["topic"] is None
            created = await a.post(
                "/graphql",
                json={
                    "query": "mutation($s: String!) { createTopic(input: {slug: $s, name: $s}) "
                    "{ userErrors { code } } }",
                    "variables": {"s": slug},
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            assert created.json()["data"]["createTopic"]["userErrors"] == []
            after = await b.post("/graphql", json=topic)
            assert after.headers["X-Parley-Cache"] == "miss"
            assert after.json()["data"]["topic"] == {"name": slug}
            again = await b.post("/graphql", json=topic)
            assert again.headers["X-Parley-Cache"] == "hit"
            assert again.content == after.content
    finally:  # this test commits: leave the shared database as it found it
        async with engine.begin() as connection:
            await connection.execute(
                text("DELETE FROM audit_entry WHERE token_id = :id"), {"id": token_id}
            )
            await connection.execute(text("DELETE FROM topic WHERE slug = :s"), {"s": slug})
            await connection.execute(text("DELETE FROM api_token WHERE id = :id"), {"id": token_id})


async def test_concurrent_requests_share_version_reads_but_never_an_earlier_one() -> None:
    """A request never takes the answer of a read that began before it arrived."""
    committed = 1
    reads: list[asyncio.Event] = []

    async def read(_factory: object) -> int:
        seen = committed  # the snapshot a statement starting now would see
        gate = asyncio.Event()
        reads.append(gate)
        await gate.wait()
        return seen

    reader = VersionReader(object(), read)
    first = asyncio.create_task(reader.current())
    await _settle()
    assert len(reads) == 1
    committed = 2  # a write commits while the first read is in flight
    second = asyncio.create_task(reader.current())
    third = asyncio.create_task(reader.current())
    await _settle()
    assert len(reads) == 1  # the later requests wait for the next read
    reads[0].set()
    assert await first == 1
    await _settle()
    assert len(reads) == 2  # one read, started after they arrived, for both of them
    reads[1].set()
    assert (await second, await third) == (2, 2)
    fourth = asyncio.create_task(reader.current())  # nothing in flight: a read of its own
    await _settle()
    assert len(reads) == 3
    reads[2].set()
    assert await fourth == 2


async def _settle() -> None:
    for _ in range(10):  # let every ready task run
        await asyncio.sleep(0)
