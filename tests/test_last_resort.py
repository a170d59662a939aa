"""No request ever gets a 5xx without ``extensions.code``, nor a plain-text error.

The app's own layers answer in JSON; the last-resort guard (api/http/last_resort.py) covers
what slips past them. These tests make things slip on purpose.
"""

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Receive, Scope, Send

from api.http.last_resort import LastResortMiddleware
from api.main import create_app
from api.settings import Settings


@pytest.fixture
async def app(settings: Settings, session_factory: Callable[[], AsyncSession]) -> FastAPI:
    """Parley with a few routes that fail in the ways no layer of Parley answers."""
    app = create_app(settings, session_factory=session_factory)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/plain-503")
    async def plain() -> PlainTextResponse:
        return PlainTextResponse(
            "Service Unavailable", status_code=503, headers={"Retry-After": "3"}
        )

    @app.get("/uncoded-500")
    async def uncoded() -> JSONResponse:
        return JSONResponse({"detail": "oops"}, status_code=500)

    @app.get("/coded-503")
    async def coded() -> JSONResponse:
        body = {"errors": [{"message": "down", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
        return JSONResponse(body, status_code=503)

    return app


@pytest.fixture
async def guarded(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


async def test_an_unhandled_exception_is_a_coded_500_logged_once(
    guarded: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = await guarded.get("/boom", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "trace-me"
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error; quote the requestId when reporting it.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "trace-me"},
            }
        ]
    }
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "trace-me" in errors[0].getMessage()
    assert "a bug" not in response.text


async def test_a_plain_text_5xx_becomes_coded_json(guarded: httpx.AsyncClient) -> None:
    response = await guarded.get("/plain-503")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert response.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}


async def test_a_json_5xx_without_a_code_becomes_coded(guarded: httpx.AsyncClient) -> None:
    response = await guarded.get("/uncoded-500")
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "oops" not in response.text


async def test_a_coded_5xx_passes_untouched(guarded: httpx.AsyncClient) -> None:
    response = await guarded.get("/coded-503")
    assert response.status_code == 503
    assert response.json() == {
        "errors": [{"message": "down", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]
    }


async def test_a_plain_text_404_of_the_graphiql_assets_is_json(
    guarded: httpx.AsyncClient,
) -> None:
    response = await guarded.get("/graphiql-assets/no-such-asset.js")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


async def test_successes_and_json_4xx_pass_untouched(guarded: httpx.AsyncClient) -> None:
    ok = await guarded.post("/graphql", json={"query": "{ __typename }"})
    assert ok.json()["data"] == {"__typename": "Query"}
    bad = await guarded.post("/graphql", content=b"{", headers={"content-type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def _silent(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that returns without answering."""


async def _half(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that starts a 502 in plain text, then fails mid-body."""
    await send({"type": "http.response.start", "status": 502, "headers": []})
    await send({"type": "http.response.body", "body": b"Bad", "more_body": True})
    raise RuntimeError("mid-body")


@pytest.mark.parametrize(("inner", "status"), [(_silent, 500), (_half, 502)])
async def test_apps_that_do_not_answer_properly_are_answered(inner: Any, status: int) -> None:
    transport = httpx.ASGITransport(app=LastResortMiddleware(inner))
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        response = await client.get("/")
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
