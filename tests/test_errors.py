"""Every top-level error carries ``extensions.code``; statuses follow GraphQL over HTTP."""

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.settings import Settings
from tests.toy import SECRET, toy_app

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def post(
    client: httpx.AsyncClient, query: str, accept: str | None = None, **variables: Any
) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


@pytest.fixture
async def toy() -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    calls: list[str] = []
    app = toy_app(Settings(mutation_rate_limit=2, request_timeout=0.3), calls)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client, calls


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ mechanisms {", {}, "GRAPHQL_PARSE_FAILED"),
        ("{ nosuchfield }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($n: Int) { topics(first: $n) { totalCount } }", {"n": "ten"}, "BAD_USER_INPUT"),
    ],
)
async def test_failures_before_execution(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], code: str
) -> None:
    # with application/json: 200, data null, the code
    legacy = await post(client, query, **variables)
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("application/json")
    assert legacy.json()["data"] is None
    assert [e["extensions"]["code"] for e in legacy.json()["errors"]] == [code]
    # with application/graphql-response+json: 400 and no data entry at all
    modern = await post(client, query, accept=GRAPHQL_RESPONSE, **variables)
    assert modern.status_code == 400
    assert modern.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in modern.json()
    assert [e["extensions"]["code"] for e in modern.json()["errors"]] == [code]


async def test_success_with_the_new_media_type(client: httpx.AsyncClient) -> None:
    response = await post(client, '{ country(code: "CN") { code } }', accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["data"] == {"country": {"code": "CN"}}


async def test_field_errors_keep_their_codes_and_status_200(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ topics(first: 1000) { totalCount } }", accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    malformed = await post(client, '{ node(id: "not-an-id") { id } }')
    assert malformed.json()["data"] == {"node": None}
    assert malformed.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_unexpected_errors_are_masked_with_a_request_id(
    toy: tuple[httpx.AsyncClient, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = toy
    with caplog.at_level(logging.ERROR, logger="parley.graphql"):
        response = await post(client, "{ boom }")
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert body["data"] == {"boom": None}
    assert body["errors"] == [
        {
            "message": "Internal server error; quote the requestId when reporting it.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["boom"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    ]
    assert SECRET not in response.text
    logged = [r for r in caplog.records if r.name == "parley.graphql"]
    assert request_id in logged[0].getMessage()
    assert logged[0].exc_info is not None  # the traceback is logged, never sent


async def test_a_client_request_id_is_kept(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    odd = await client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"


async def test_timeout_is_coded_and_the_next_request_served(
    toy: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, _ = toy
    slow = await post(client, "{ slow(seconds: 5) }")
    assert slow.status_code == 504
    assert slow.json()["errors"][0]["extensions"] == {"code": "TIMEOUT"}
    assert (await post(client, "{ hello }")).json()["data"] == {"hello": "hi"}


def production_app(
    database_url: str, session_factory: Callable[[], AsyncSession], **overrides: Any
) -> httpx.AsyncClient:
    settings = Settings(database_url=database_url, env="production", **overrides)
    app = create_app(settings, session_factory=session_factory)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://parley.test")


async def test_production_hides_field_suggestions(
    client: httpx.AsyncClient, database_url: str, session_factory: Callable[[], AsyncSession]
) -> None:
    query = "{ mechanismz { totalCount } }"
    development = (await post(client, query)).json()["errors"][0]["message"]
    assert "Did you mean" in development
    async with production_app(database_url, session_factory) as production:
        body = (await post(production, query)).json()
    assert body["errors"] == [
        {
            "message": "Cannot query field 'mechanismz' on type 'Query'.",
            "locations": [{"line": 1, "column": 3}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]


async def test_production_keeps_introspection_and_graphiql_unless_switched_off(
    database_url: str, session_factory: Callable[[], AsyncSession]
) -> None:
    async with production_app(database_url, session_factory) as default:
        assert (await post(default, "{ __schema { queryType { name } } }")).json()["data"]
        page = await default.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code in (200, 503)  # 503 only while GraphiQL's assets are missing
        assert "GraphiQL" in page.text
    async with production_app(
        database_url, session_factory, introspection=False, graphiql=False
    ) as locked:
        body = (await post(locked, "{ __schema { queryType { name } } }")).json()
        assert body["errors"][0]["extensions"] == {
            "code": "GRAPHQL_VALIDATION_FAILED",
            "subcode": "INTROSPECTION_DISABLED",
        }
        assert (await post(locked, "{ __typename }")).json()["data"] == {"__typename": "Query"}
        assert (await locked.get("/graphql", headers={"Accept": "text/html"})).status_code == 404


# Each names a field, argument, type or enum value wrongly; graphql-core would suggest the
# right one ("Did you mean 'name'?"), which tells a client without introspection the schema.
MISSPELT: list[tuple[str, dict[str, Any], str]] = [
    (  # an input object's field, in a variable (input coercion)
        "query($f: MechanismFilterInput) { mechanisms(filter: $f) { totalCount } }",
        {"f": {"nam": "x"}},
        "'name'",
    ),
    (  # an enum value, in a variable
        "query($s: [MeetingStatus!]) { meetings(filter: { statuses: $s }) { totalCount } }",
        {"s": ["HELD", "HLD"]},
        "'HELD'",
    ),
    (  # an input object's field, nested in a list in a variable
        "query($o: [MeetingOrder!]) { meetings(orderBy: $o) { totalCount } }",
        {"o": ["TITLE_AS"]},
        "'TITLE_ASC'",
    ),
    ('{ mechanisms(filter: { nam: "x" }) { totalCount } }', {}, "'name'"),  # literal field
    ("{ meetings(filter: { statuses: [HLD] }) { totalCount } }", {}, "'HELD'"),  # literal enum
    ("{ meetings(frist: 1) { totalCount } }", {}, "'first'"),  # argument
    ("{ meetings { totalCont } }", {}, "'totalCount'"),  # field
    ("query($f: MeetingFilterInpt) { meetings(filter: $f) { totalCount } }", {}, "Input'"),
    ('{ node(id: "x") { ... on Meetin { id } } }', {}, "'Meeting'"),  # type condition
]


@pytest.mark.parametrize(("query", "variables", "hint"), MISSPELT)
async def test_production_never_suggests_a_name(
    client: httpx.AsyncClient,
    database_url: str,
    session_factory: Callable[[], AsyncSession],
    query: str,
    variables: dict[str, Any],
    hint: str,
) -> None:
    development = (await post(client, query, **variables)).json()
    assert "Did you mean" in str(development["errors"]), development  # the test means something
    async with production_app(
        database_url, session_factory, introspection=False, graphiql=False
    ) as production:
        response = await post(production, query, **variables)
    body = response.json()
    assert body["errors"], body
    for error in body["errors"]:
        assert "Did you mean" not in error["message"], error
        assert hint not in error["message"], error
        assert error["extensions"]["code"] in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}
