"""A database outage is 503 SERVICE_UNAVAILABLE with a token too, and `parley push` retries it.

The token is checked in the database before anything runs, so its lookup meets the outage
first; it must be told apart from a bad token (UNAUTHENTICATED) and from a bug (500).
"""

from pathlib import Path

import httpx
import pytest

from api.main import create_app
from api.push.client import GraphQLClient, PushError
from api.settings import Settings
from tests.servers import serve_in_thread

PG_DOWN = "postgresql+asyncpg://nobody@127.0.0.1:1/none"  # nothing listens on port 1
TOKEN = {"Authorization": "Bearer parley_some-token"}


def _down_url(engine: str, tmp_path: Path) -> str:
    if engine == "postgresql":
        return PG_DOWN
    return f"sqlite+aiosqlite:///{tmp_path / 'no-such-directory' / 'parley.db'}"


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize(
    "query", ["{ __typename }", "{ topics { totalCount } }", "mutation { __typename }"]
)
async def test_an_outage_with_a_token_is_503(engine: str, query: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=_down_url(engine, tmp_path), response_cache_size=0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            response = await c.post("/graphql", json={"query": query}, headers=TOKEN)
    assert response.status_code == 503
    body = response.json()
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert body["errors"][0]["message"] == "The database is unavailable; try again shortly."
    assert "127.0.0.1" not in response.text
    assert "no-such-directory" not in response.text


def test_push_retries_an_outage(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=_down_url("sqlite", tmp_path)))
    with serve_in_thread(app) as base:
        client = GraphQLClient(f"{base}/graphql", "parley_some-token", attempts=3, backoff=0.01)
        with client, pytest.raises(PushError, match="SERVICE_UNAVAILABLE"):
            client.execute("{ __typename }")
    assert client.round_trips == 3
