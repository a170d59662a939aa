"""HTTP for frontends: GET queries, CORS, health and readiness."""

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.settings import Settings

ORIGIN = "https://dashboard.example"


async def test_queries_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": '{ country(code: "CN") { code } }'})
    assert response.status_code == 200
    assert response.json() == {
        "data": {"country": {"code": "CN"}},
        "extensions": {"cost": {"requested": 2, "limit": 50_000}},
    }


async def test_cors_allows_configured_origins_only(
    database_url: str, session_factory: Callable[[], AsyncSession]
) -> None:
    settings = Settings(database_url=database_url, cors_origins=[ORIGIN])
    app = create_app(settings, session_factory=session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        allowed = await client.options(
            "/graphql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,authorization",
            },
        )
        other = await client.options(
            "/graphql",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        actual = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in other.headers
    assert actual.headers["access-control-allow-origin"] == ORIGIN


def test_cors_origins_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_not_ready_without_a_database() -> None:
    settings = Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            response = await c.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "errors": [
            {
                "message": "The database is unavailable.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ],
    }
