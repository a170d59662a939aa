"""Hostile requests get JSON errors with a code, never a plain-text 500 nor a logged traceback.

Found by a hostile test (issue 8, item 5): an integer variable beyond 64 bits, variables
nested about 950 deep and a body that is not UTF-8 each gave a plain-text HTTP 500 and a
2.9 KB traceback in the log.
"""

import json
import logging
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.http.payload import MAX_JSON_DEPTH
from api.main import create_app
from api.settings import Settings

JSON_TYPE = {"content-type": "application/json"}
TOPICS = "query($n: Int) { topics(first: $n) { totalCount } }"
DEEP = 950


def _body(query: str, variables: str) -> bytes:
    return (
        b'{"query": ' + json.dumps(query).encode() + b', "variables": ' + variables.encode() + b"}"
    )


POSTED = {
    "integer beyond 64 bits": _body(TOPICS, '{"n": 99999999999999999999}'),
    "integer beyond 64 bits, undeclared": _body("{ __typename }", '{"x": 99999999999999999999}'),
    "a huge negative integer": _body(TOPICS, '{"n": -' + "9" * 400 + "}"),
    "a list nested 950 deep": _body(TOPICS, '{"n": ' + "[" * DEEP + "]" * DEEP + "}"),
    "an object nested 950 deep": _body(TOPICS, '{"x": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}"),
    "a body nested 950 deep": b"[" * DEEP + b"]" * DEEP,
    "invalid UTF-8 in the query": b'{"query": "{ __typename \xff }"}',
    "invalid UTF-8 in a variable": _body(TOPICS, '{"n": "%s"}').replace(b"%s", b"\xc3\x28"),
    "a lone surrogate escape": _body(TOPICS, '{"n": "\\ud800"}'),
    "NaN": _body(TOPICS, '{"n": NaN}'),
}
GOT = {
    "variables nested 950 deep": {"query": TOPICS, "variables": "[" * DEEP + "]" * DEEP},
    "invalid UTF-8 percent-encoded": {"query": "{ __typename %FF }"},
    "a huge integer": {"query": TOPICS, "variables": '{"n": 1' + "0" * 30 + "}"},
}


@pytest.fixture(params=[0, 64], ids=["uncached", "cached"])
async def hostile_client(
    request: pytest.FixtureRequest, database_url: str, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with the response cache off, and on (it parses requests too)."""
    settings = Settings(database_url=database_url, response_cache_size=request.param)
    app = create_app(settings, session_factory=session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


def assert_coded_json(response: httpx.Response) -> None:
    """A JSON answer below 500 whose every error (if any) carries ``extensions.code``."""
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    for error in body.get("errors", []):
        assert error["extensions"]["code"], error


@pytest.mark.parametrize("body", POSTED.values(), ids=POSTED.keys())
async def test_hostile_posts_get_coded_json(
    hostile_client: httpx.AsyncClient, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = await hostile_client.post("/graphql", content=body, headers=JSON_TYPE)
    assert_coded_json(response)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.parametrize("params", GOT.values(), ids=GOT.keys())
async def test_hostile_gets_get_coded_json(
    hostile_client: httpx.AsyncClient, params: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    with caplog.at_level(logging.WARNING):
        response = await hostile_client.get(f"/graphql?{query}")
    assert_coded_json(response)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_nesting_up_to_the_limit_is_read(hostile_client: httpx.AsyncClient) -> None:
    # given bodies nested exactly as deep as allowed, and one level deeper (the body and its
    # variables are two of the levels)
    allowed = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    deeper = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    query = "{ __typename }"
    # when sent, then the first runs and the second is a 400 naming the limit
    ran = await hostile_client.post(
        "/graphql", content=_body(query, '{"x": ' + allowed + "}"), headers=JSON_TYPE
    )
    assert ran.json()["data"] == {"__typename": "Query"}
    refused = await hostile_client.post(
        "/graphql", content=_body(query, '{"x": ' + deeper + "}"), headers=JSON_TYPE
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": [
            {
                "message": f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.",
                "extensions": {"code": "BAD_REQUEST", "subcode": "JSON_TOO_DEEP"},
            }
        ]
    }


async def test_a_nul_in_a_mechanism_slug_is_a_user_error(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # found by the mutation fuzzer on PostgreSQL, which refuses NUL in a query parameter
    query = (
        'mutation { recordMeeting(input: { title: "T", mechanismSlug: "a\\u0000b" }) '
        "{ userErrors { field code } } }"
    )
    response = await client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {write_token}"}
    )
    assert response.json()["data"]["recordMeeting"]["userErrors"] == [
        {"field": ["mechanismSlug"], "code": "CONTROL_CHARACTERS"}
    ]
