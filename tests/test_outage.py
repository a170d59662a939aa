"""Database outage: 503 with SERVICE_UNAVAILABLE and no detail; /readyz answers fast."""

import time

import httpx

from api.main import create_app
from api.settings import Settings

DOWN = "postgresql+asyncpg://nobody@127.0.0.1:1/none"  # nothing listens on port 1


async def test_database_down_is_503_without_a_trace() -> None:
    app = create_app(Settings(database_url=DOWN))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            response = await c.post("/graphql", json={"query": "{ topics { totalCount } }"})
            alive = await c.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "The database is unavailable; try again shortly.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["topics"],
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ],
        "extensions": {"cost": {"requested": 21, "limit": 50_000}},  # 1 + 20 x totalCount
    }
    assert "127.0.0.1" not in response.text
    assert alive.json() == {"status": "ok"}


async def test_readiness_answers_within_its_timeout() -> None:
    app = create_app(Settings(database_url=DOWN, readiness_timeout=0.5))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            started = time.monotonic()
            response = await c.get("/readyz")
    assert response.status_code == 503
    assert time.monotonic() - started < 2
