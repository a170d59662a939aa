"""The response cache answers exactly as the uncached path would (issue 11, item 8).

With a valid request cached (and served from the cache once), each variant below goes to the
cached app and to an app without the cache: status, media type and body must be the same,
and a variant the uncached path refuses is never a cache hit.
"""

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.services import documents
from api.settings import Settings

QUERY = '{ mechanism(slug: "commercial-issues-working-group") { name } }'
APQ = {"persistedQuery": {"version": 1, "sha256Hash": documents.sha256(QUERY)}}
GRAPHQL_RESPONSE = "application/graphql-response+json"

Request = dict[str, Any]

POST = {"method": "POST", "json": {"query": QUERY}}
GET = {"method": "GET", "params": {"query": QUERY}}

VARIANTS: dict[str, tuple[Request, Request]] = {
    "extensions is a string": (
        POST,
        {"method": "POST", "json": {"query": QUERY, "extensions": "x"}},
    ),
    "extensions is a list": (POST, {"method": "POST", "json": {"query": QUERY, "extensions": []}}),
    "extensions is not JSON (GET)": (
        GET,
        {"method": "GET", "params": {"query": QUERY, "extensions": "{nope"}},
    ),
    "variables is a string": (POST, {"method": "POST", "json": {"query": QUERY, "variables": "x"}}),
    "a hash that is not the text's": (
        {"method": "POST", "json": {"query": QUERY, "extensions": APQ}},
        {
            "method": "POST",
            "json": {
                "query": QUERY,
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}},
            },
        },
    ),
    "a persisted-query version no one speaks": (
        {"method": "POST", "json": {"query": QUERY, "extensions": APQ}},
        {
            "method": "POST",
            "json": {
                "query": QUERY,
                "extensions": {"persistedQuery": {**APQ["persistedQuery"], "version": 9}},
            },
        },
    ),
    "graphql-response+json asked for": (
        POST,
        {"method": "POST", "json": {"query": QUERY}, "headers": {"Accept": GRAPHQL_RESPONSE}},
    ),
    "only a media type Parley does not send": (
        POST,
        {"method": "POST", "json": {"query": QUERY}, "headers": {"Accept": "text/html"}},
    ),
    "a body that is not JSON by its type": (
        POST,
        {
            "method": "POST",
            "content": json.dumps({"query": QUERY}),
            "headers": {"Content-Type": "text/plain"},
        },
    ),
    "a batch": (POST, {"method": "POST", "json": [{"query": QUERY}]}),
    "query is not a string": (POST, {"method": "POST", "json": {"query": 1}}),
    "the same query over GET with a mutation name": (
        GET,
        {"method": "GET", "params": {"query": QUERY, "operationName": "Nope"}},
    ),
    "a GET that also names a persisted document": (
        GET,
        {
            "method": "GET",
            "params": {"query": QUERY, "extensions": json.dumps({"persistedQuery": 1})},
        },
    ),
}


@pytest.fixture
def apps(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> Callable[[int], httpx.AsyncClient]:
    def client(cache_size: int) -> httpx.AsyncClient:
        app = create_app(
            settings.model_copy(update={"response_cache_size": cache_size}),
            session_factory=session_factory,
        )
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p.test")

    return client


async def _send(client: httpx.AsyncClient, request: Request) -> httpx.Response:
    options = {key: value for key, value in request.items() if key != "method"}
    return await client.request(request["method"], "/graphql", **options)


def _answer(response: httpx.Response) -> tuple[int, str, Any]:
    media = response.headers.get("content-type", "").split(";")[0]
    body = response.json() if "json" in media else response.text
    if isinstance(body, dict):
        for error in body.get("errors") or []:
            (error.get("extensions") or {}).pop("requestId", None)
    return response.status_code, media, body


@pytest.fixture
async def both(
    apps: Callable[[int], httpx.AsyncClient],
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with apps(64) as cached, apps(0) as uncached:
        yield cached, uncached


@pytest.mark.parametrize("name", list(VARIANTS))
async def test_the_cache_answers_as_the_uncached_path_would(
    name: str, both: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    cached, uncached = both
    warm, variant = VARIANTS[name]
    await _send(cached, warm)
    assert (await _send(cached, warm)).headers.get("X-Parley-Cache") == "hit"

    from_cache_side = await _send(cached, variant)
    again = await _send(cached, variant)
    reference = await _send(uncached, variant)

    assert _answer(from_cache_side) == _answer(reference), name
    assert _answer(again) == _answer(reference), name
    if reference.status_code != 200 or "errors" in (_answer(reference)[2] or {}):
        assert again.headers.get("X-Parley-Cache") != "hit", name
