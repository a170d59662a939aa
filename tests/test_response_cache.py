"""Repeated reads come from the cache until any write commits; GET revalidates with ETags."""

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import statement_log
from api.main import create_app
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
