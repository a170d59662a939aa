"""CORS as browsers and client libraries expect it: the headers Apollo, tracing and error
reporting add are allowed for allowed origins, and scripts can read ETag, X-Request-ID and
X-Parley-Cache."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.settings import Settings

ORIGIN = "https://dashboard.example"
CLIENT_HEADERS = (
    "apollographql-client-name, apollographql-client-version, traceparent, tracestate, "
    "sentry-trace, baggage, x-request-id, content-type, authorization"
)
QUERY = '{ mechanism(slug: "commercial-issues-working-group") { name } }'


@pytest.fixture
def make_client(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> Callable[..., httpx.AsyncClient]:
    def make(**changes: Any) -> httpx.AsyncClient:
        app = create_app(
            settings.model_copy(update={"cors_origins": [ORIGIN], **changes}),
            session_factory=session_factory,
        )
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p.test")

    return make


@pytest.fixture
async def client(make_client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(response_cache_size=16) as client:
        yield client


def _preflight(origin: str, headers: str = CLIENT_HEADERS) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": headers,
    }


async def test_a_preflight_from_an_allowed_origin_allows_client_and_tracing_headers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options("/graphql", headers=_preflight(ORIGIN))
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    allowed = {h.strip() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {h.strip() for h in CLIENT_HEADERS.split(",")} <= allowed
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert "Origin" in response.headers["Vary"]


async def test_other_origins_get_no_cors_headers(client: httpx.AsyncClient) -> None:
    preflight = await client.options("/graphql", headers=_preflight("https://evil.example"))
    simple = await client.post(
        "/graphql", json={"query": QUERY}, headers={"Origin": "https://evil.example"}
    )
    assert preflight.status_code == 400
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in simple.headers


async def test_scripts_can_read_etag_request_id_and_cache_headers(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/graphql", params={"query": QUERY}, headers={"Origin": ORIGIN})
    hit = await client.get("/graphql", params={"query": QUERY}, headers={"Origin": ORIGIN})
    for response in (first, hit):
        exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
        assert {"ETag", "X-Request-ID", "X-Parley-Cache"} <= exposed
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert all(name in response.headers for name in ("ETag", "X-Request-ID", "X-Parley-Cache"))
    assert hit.headers["X-Parley-Cache"] == "hit"


async def test_a_fixed_header_list_refuses_the_rest(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client(cors_allow_headers=["Content-Type", "Authorization"]) as client:
        allowed = await client.options("/graphql", headers=_preflight(ORIGIN, "content-type"))
        refused = await client.options("/graphql", headers=_preflight(ORIGIN, "traceparent"))
    assert allowed.status_code == 200
    assert refused.status_code == 400
