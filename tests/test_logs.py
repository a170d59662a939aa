"""Logs: one structured line per request, in JSON on demand, and never a bearer token."""

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.logs import JsonFormatter, TextFormatter, redact
from api.main import create_app
from api.settings import Settings
from tests.test_record_meeting import RECORD

NAMED_QUERY = "query TopicCount { topics { totalCount } }"
BAD_TOKEN = "parley_not-a-token-but-still-a-secret-0123456789"
CLIENT_SIDE = ("httpx", "httpcore")  # the test's own HTTP client logs the URLs it calls


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "parley.access"]


async def test_an_access_line_in_json_tells_the_whole_story(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    caplog.set_level(logging.INFO, logger="parley")
    # when
    response = await client.post("/graphql", json={"query": NAMED_QUERY})
    # then
    [record] = _access_lines(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["duration_ms"] > 0
    assert line["sql_statements"] >= 1
    assert {key: value for key, value in line.items() if key not in ("duration_ms", "time")} == {
        "level": "info",
        "logger": "parley.access",
        "message": f"POST /graphql 200 {line['duration_ms']:.1f}ms",
        "request_id": response.headers["x-request-id"],
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "operation_name": "TopicCount",
        "operation_type": "query",
        "sql_statements": line["sql_statements"],
        "cost": 21,
    }


async def test_an_access_line_in_text_carries_the_same_fields(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley")
    await client.post("/graphql", json={"query": "{ nope }"})
    [record] = _access_lines(caplog)
    text = TextFormatter().format(record)
    assert " INFO parley.access POST /graphql 200 " in text
    assert "status=200" in text
    assert "error_codes=['GRAPHQL_VALIDATION_FAILED']" in text


@pytest.fixture
async def quiet_client(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"access_log": False}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


@pytest.fixture
async def cached_client(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"response_cache_size": 64}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


async def test_a_cache_hit_is_logged_with_its_operation(
    cached_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given an answer the response cache keeps, then the same request again (POST and GET)
    caplog.set_level(logging.INFO, logger="parley")
    first = await cached_client.post("/graphql", json={"query": NAMED_QUERY})
    again = await cached_client.post("/graphql", json={"query": NAMED_QUERY})
    got = await cached_client.get("/graphql", params={"query": NAMED_QUERY})
    revalidated = await cached_client.get(
        "/graphql", params={"query": NAMED_QUERY}, headers={"If-None-Match": got.headers["etag"]}
    )

    assert [r.headers["x-parley-cache"] for r in (first, again)] == ["miss", "hit"]
    assert revalidated.status_code == 304
    # then every line names the operation and its cost, as the miss's did
    lines = [json.loads(JsonFormatter().format(record)) for record in _access_lines(caplog)]
    assert len(lines) == 4
    for line in lines:
        assert (line["operation_name"], line["operation_type"], line["cost"]) == (
            "TopicCount",
            "query",
            21,
        ), line


async def test_the_access_log_can_be_switched_off(
    quiet_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley")
    response = await quiet_client.post("/graphql", json={"query": NAMED_QUERY})
    assert response.status_code == 200
    assert response.headers["x-request-id"]  # the request id stays
    assert _access_lines(caplog) == []


async def test_bearer_tokens_never_reach_the_logs(
    client: httpx.AsyncClient, write_token: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given: everything Parley logs, at every level, in both formats
    caplog.set_level(logging.DEBUG)
    variables = {"input": {"title": "A meeting recorded with a real token"}}
    # when: a write with a real token, a bad token, a malformed header, and a refused read
    recorded = await client.post(
        "/graphql",
        json={"query": RECORD, "variables": variables},
        headers={"Authorization": f"Bearer {write_token}"},
    )
    refused = await client.post(
        "/graphql",
        json={"query": RECORD, "variables": variables},
        headers={"Authorization": f"Bearer {BAD_TOKEN}"},
    )
    await client.post(
        "/graphql",
        json={"query": NAMED_QUERY},
        headers={"Authorization": f"Token {BAD_TOKEN}"},
    )
    await client.get("/graphql", params={"query": NAMED_QUERY, "token": BAD_TOKEN})
    # then
    assert recorded.json()["data"]["recordMeeting"]["userErrors"] == []
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert len(_access_lines(caplog)) == 4
    for record in caplog.records:
        if record.name.startswith(CLIENT_SIDE):
            continue
        for rendered in _renderings(record):
            assert write_token not in rendered
            assert BAD_TOKEN not in rendered


def _renderings(record: logging.LogRecord) -> list[str]:
    fields: Any = getattr(record, "fields", None)
    return [
        JsonFormatter().format(record),
        TextFormatter().format(record),
        record.getMessage(),
        repr(fields),
    ]


def test_redact_hides_any_bearer_credential() -> None:
    text = f'headers={{"authorization": "Bearer {BAD_TOKEN}"}} then bearer\t{BAD_TOKEN};'
    assert BAD_TOKEN not in redact(text)
    assert redact(text).count("[redacted]") == 2
