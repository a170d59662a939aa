"""The response cache stays exact when the data version goes back, and tells nothing it should
not (issue 8, items 8 and 13)."""

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.main import create_app
from api.services import versions
from api.settings import Settings

SLUG = "commercial-issues-working-group"
QUERY = f'{{ mechanism(slug: "{SLUG}") {{ name }} }}'
MUTATION = 'mutation { createTopic(input: { name: "Probe" }) { userErrors { code } } }'


@pytest.fixture
async def cached(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"response_cache_size": 16}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


async def _name(client: httpx.AsyncClient) -> tuple[str, str]:
    response = await client.post("/graphql", json={"query": QUERY})
    return response.json()["data"]["mechanism"]["name"], response.headers["X-Parley-Cache"]


async def test_a_version_gone_back_serves_no_stale_answer(
    cached: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given an answer cached under the current version
    assert (await _name(cached))[1] == "miss"
    name, source = await _name(cached)
    assert source == "hit"
    # when the database goes back in time (a restore of an older backup: an earlier version,
    # other data) and then takes as many writes as it had lost
    cached_under = await versions.current(session)
    await session.execute(text("UPDATE data_version SET version = version - 2"))
    await session.execute(
        text("UPDATE mechanism SET name = 'Restored' WHERE slug = :slug"), {"slug": SLUG}
    )
    await versions.bump(session)
    await versions.bump(session)
    await session.commit()
    # then the version is one never issued before, and the answer is read afresh
    assert await versions.current(session) > cached_under
    assert await _name(cached) == ("Restored", "miss")
    assert name != "Restored"


async def test_every_advance_is_past_the_clock_and_the_last_version(session: AsyncSession) -> None:
    await session.execute(text("UPDATE data_version SET version = 5"))
    await versions.bump(session)
    after_reset = await versions.current(session)
    assert after_reset > 1_700_000_000 * 1_000_000  # microseconds since 1970: after 2023
    await session.execute(text("UPDATE data_version SET version = :v"), {"v": 2**62})
    await versions.bump(session)
    assert await versions.current(session) == 2**62 + 1  # a clock behind never goes back


async def test_migrating_advances_the_version(empty_engine: AsyncEngine) -> None:
    # given a migrated database and its version
    await migrations.upgrade(empty_engine)
    before = await _version(empty_engine)
    assert before > 0
    # when migrated down past the version's table and up again (the row is made anew)
    await migrations.downgrade(empty_engine, "0002")
    await migrations.upgrade(empty_engine)
    # then the version is not the one the table starts with, nor any issued before
    after = await _version(empty_engine)
    assert after > before
    # and a migration that changes nothing leaves it
    await migrations.upgrade(empty_engine)
    assert await _version(empty_engine) == after


async def _version(engine: AsyncEngine) -> int:
    async with AsyncSession(engine) as session:
        return await versions.current(session)


async def test_anonymous_gets_get_no_etag_when_reads_need_a_token(
    database_url: str, session_factory: Callable[[], AsyncSession]
) -> None:
    settings = Settings(database_url=database_url, read_requires_token=True)
    app = create_app(settings, session_factory=session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        for headers in ({}, {"If-None-Match": "*"}):
            response = await client.get("/graphql", params={"query": QUERY}, headers=headers)
            assert response.status_code == 200
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert "ETag" not in response.headers
            assert "X-Parley-Cache" not in response.headers


async def test_if_none_match_star_never_answers_304(cached: httpx.AsyncClient) -> None:
    star = {"If-None-Match": "*"}
    await cached.get("/graphql", params={"query": QUERY})  # cached now
    read = await cached.get("/graphql", params={"query": QUERY}, headers=star)
    assert read.status_code == 200
    assert read.json()["data"]["mechanism"]["name"]
    mutation = await cached.get("/graphql", params={"query": MUTATION}, headers=star)
    assert mutation.status_code == 405
    assert mutation.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_what_cannot_be_cached_gets_no_etag(cached: httpx.AsyncClient) -> None:
    refused = "{ auditLog(first: 1) { totalCount } }"
    for query in (MUTATION, refused, "{ nope }"):
        for _ in range(2):
            response = await cached.get("/graphql", params={"query": query})
            assert "ETag" not in response.headers, query
            assert response.headers.get("X-Parley-Cache") != "hit", query
    # so an unauthenticated answer is never cached, whatever the request looked like
    again = await cached.post("/graphql", json={"query": refused})
    assert again.headers["X-Parley-Cache"] == "miss"
    assert again.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_etag_tells_nothing_of_the_version(
    cached: httpx.AsyncClient, session: AsyncSession
) -> None:
    tag = (await cached.get("/graphql", params={"query": QUERY})).headers["ETag"]
    version = str(await versions.current(session))
    assert version not in tag
    assert tag.startswith('W/"')
    # and it still revalidates
    again = await cached.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": tag})
    assert again.status_code == 304
