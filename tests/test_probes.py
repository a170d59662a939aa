"""Probes a hostile client would send: each is refused cleanly, with a code, and runs nothing."""

from collections.abc import AsyncIterator

import httpx
import pytest

from api.settings import Settings
from tests.graphql import execute
from tests.toy import toy_app

NUL_NAME = "Wang\x00Wentao"


@pytest.fixture
async def toy() -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    calls: list[str] = []
    app = toy_app(Settings(mutation_rate_limit=3, mutation_rate_window=60), calls)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client, calls


async def test_mutations_are_rate_limited_per_token(
    toy: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, calls = toy
    alice = {"Authorization": "Bearer alice-secret"}
    answers = [
        await client.post("/graphql", json={"query": "mutation { bump }"}, headers=alice)
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert calls == ["bump", "bump", "bump"]
    # another token, and queries of the same token, are not held back
    bob = {"Authorization": "Bearer bob-secret"}
    other = await client.post("/graphql", json={"query": "mutation { bump }"}, headers=bob)
    assert other.status_code == 200
    query = await client.post("/graphql", json={"query": "{ hello }"}, headers=alice)
    assert query.json()["data"] == {"hello": "hi"}


async def test_too_many_mutation_root_fields(toy: tuple[httpx.AsyncClient, list[str]]) -> None:
    client, calls = toy
    query = "mutation { " + " ".join(f"b{i}: bump" for i in range(6)) + " }"
    body = (await client.post("/graphql", json={"query": query})).json()
    assert body["errors"][0]["extensions"] == {
        "code": "GRAPHQL_VALIDATION_FAILED",
        "subcode": "MAX_ROOT_FIELDS_EXCEEDED",
        "limit": 5,
        "value": 6,
    }
    assert calls == []


async def test_no_mutation_over_get(toy: tuple[httpx.AsyncClient, list[str]]) -> None:
    client, calls = toy
    response = await client.get("/graphql", params={"query": "mutation { bump }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert calls == []


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"query": "{ __typename }"}},  # application/x-www-form-urlencoded
        {"files": {"query": ("q.graphql", b"{ __typename }")}},  # multipart/form-data
        {"content": b"{ __typename }", "headers": {"Content-Type": "text/plain"}},
    ],
)
async def test_form_posts_are_refused(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    # a cross-site HTML form can send these without a CORS preflight (CSRF)
    response = await client.post("/graphql", **body)  # type: ignore[arg-type]
    assert response.status_code == 415
    assert response.json() == {
        "errors": [{"message": "Unsupported content type", "extensions": {"code": "BAD_REQUEST"}}]
    }


async def test_batching_is_off(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ __typename }"}] * 2)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {
        "code": "BAD_REQUEST",
        "subcode": "BATCHING_DISABLED",
    }


async def test_oversized_body_is_refused_before_parsing(client: httpx.AsyncClient) -> None:
    huge = "x" * (10 * 1024 * 1024)  # a 10 MB string
    response = await client.post(
        "/graphql",
        json={
            "query": "query ($s: String!) { people(filter: {name: $s}) { totalCount } }",
            "variables": {"s": huge},
        },
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["subcode"] == "BODY_TOO_LARGE"
    assert (await execute(client, "{ __typename }"))["data"] == {"__typename": "Query"}


async def test_oversized_chunked_body_is_refused(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(20):
            yield b"x" * 65_536
        yield b'"}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_a_body_under_the_limit_in_chunks_is_served(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename '
        yield b'}"}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.json()["data"] == {"__typename": "Query"}


async def test_nul_in_a_variable_is_bad_user_input(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    query = "query ($s: String!) { people(filter: {name: $s}) { totalCount } }"
    before = len(statements)
    body = await execute(client, query, s=NUL_NAME)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "subcode": "INVALID_CHARACTER",
    }
    assert body["errors"][0]["message"] == "Variable $s contains a NUL character (U+0000)."
    assert len(statements) == before


async def test_nul_in_a_literal_is_bad_user_input(client: httpx.AsyncClient) -> None:
    body = await execute(client, '{ people(filter: {name: "Wang\\u0000"}) { totalCount } }')
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "subcode": "INVALID_CHARACTER",
    }


async def test_other_control_characters_are_plain_text(client: httpx.AsyncClient) -> None:
    query = "query ($s: String!) { people(filter: {name: $s}) { totalCount } }"
    body = await execute(client, query, s="\x01\x1f\t\u202e")
    assert body["data"] == {"people": {"totalCount": 0}}


async def test_a_long_search_is_refused_alike_on_both_databases(
    client: httpx.AsyncClient,
) -> None:
    # SQLite refuses LIKE patterns over 50,000 bytes, PostgreSQL does not: Parley caps searches
    query = "query ($s: String!) { people(filter: {name: $s}) { totalCount } }"
    body = await execute(client, query, s="王" * 200_000)
    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        "A search text has at most 1000 characters; got 200000."
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
