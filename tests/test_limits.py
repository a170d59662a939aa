"""Operation limits: each rejection is GRAPHQL_VALIDATION_FAILED with a subcode, runs no
resolver (no SQL), is fast, and leaves the server serving the next request."""

import re
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import statement_log
from api.settings import PROJECT_ROOT
from tests.graphql import execute

NEXT = '{ country(code: "CN") { code } }'


def nested_query(depth: int) -> str:
    """``mechanisms { nodes { meetings { nodes { mechanism { meetings ...`` ``depth`` deep."""
    parts = ["mechanisms { nodes {"]
    while sum(part.count("{") for part in parts) < depth - 1:
        parts.append("mechanism {" if parts[-1].startswith("meetings") else "meetings { nodes {")
    opened = sum(part.count("{") for part in parts)
    return "{ " + " ".join(parts) + " id " + "}" * opened + " }"


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    """The first error of a response without data, whose errors all say the same."""
    assert body.get("data") is None, body
    first: dict[str, Any] = body["errors"][0]
    assert all(e["extensions"] == first["extensions"] for e in body["errors"]), body
    return first


async def assert_rejected(
    client: httpx.AsyncClient, statements: list[str], query: str, subcode: str
) -> dict[str, Any]:
    """The operation is refused with ``subcode``, without SQL, and the next one is served."""
    before = len(statements)
    error = only_error(await execute(client, query))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", error
    assert error["extensions"]["subcode"] == subcode, error
    assert len(statements) == before, "a resolver ran"
    assert (await execute(client, NEXT))["data"] == {"country": {"code": "CN"}}
    return error


async def test_depth_bomb(client: httpx.AsyncClient, statements: list[str]) -> None:
    # given a query 21 fields deep
    query = nested_query(21)
    # then it is refused, naming the limit
    error = await assert_rejected(client, statements, query, "MAX_DEPTH_EXCEEDED")
    assert error["extensions"]["limit"] == 10
    assert error["message"] == "The operation nests fields deeper than the limit of 10."


async def test_depth_through_fragments_counts(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    query = """
    { mechanisms { nodes { ...M } } }
    fragment M on Mechanism { meetings { nodes { mechanism { ...N } } } }
    fragment N on Mechanism { meetings { nodes { mechanism { meetings { nodes { title } } } } } }
    """
    await assert_rejected(client, statements, query, "MAX_DEPTH_EXCEEDED")


async def test_alias_bomb(client: httpx.AsyncClient, statements: list[str]) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(101)) + " }"
    error = await assert_rejected(client, statements, query, "MAX_ALIASES_EXCEEDED")
    assert error["extensions"]["value"] == 101


async def test_aliases_spread_by_fragments_are_counted_expanded(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    # 4 aliases, spread 2 x 2 x 2 times = 32 aliases once expanded
    query = """
    { ...A ...A }
    fragment A on Query { ...B ...B }
    fragment B on Query { ...C ...C }
    fragment C on Query { a: __typename b: __typename c: __typename d: __typename }
    """
    error = await assert_rejected(client, statements, query, "MAX_ALIASES_EXCEEDED")
    assert error["extensions"]["value"] == 32


async def test_token_limit(client: httpx.AsyncClient, statements: list[str]) -> None:
    query = "{ " + "__typename " * 2500 + "}"
    error = await assert_rejected(client, statements, query, "MAX_TOKENS_EXCEEDED")
    assert error["extensions"]["limit"] == 2000


async def test_duplicated_fields_and_directives(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    repeated = "{ " + "topics { totalCount } " * 600 + "}"
    await assert_rejected(client, statements, repeated, "MAX_TOKENS_EXCEEDED")
    directives = "{ __typename " + "@include(if: true) " * 3 + "}"
    error = only_error(await execute(client, directives))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "can only be used once" in error["message"]


async def test_circular_fragments(client: httpx.AsyncClient, statements: list[str]) -> None:
    query = """
    { mechanisms { nodes { ...A } } }
    fragment A on Mechanism { name ...B }
    fragment B on Mechanism { slug ...A }
    """
    before = len(statements)
    body = await execute(client, query)
    codes = {(e["extensions"]["code"], e["extensions"].get("subcode")) for e in body["errors"]}
    assert codes == {("GRAPHQL_VALIDATION_FAILED", "FRAGMENT_CYCLE")}
    assert len(statements) == before


async def test_introspection_cycle(client: httpx.AsyncClient, statements: list[str]) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    await assert_rejected(client, statements, query, "INTROSPECTION_DEPTH_EXCEEDED")


async def test_graphiql_introspection_query_passes(client: httpx.AsyncClient) -> None:
    body = await execute(client, get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_cost_multiplies_page_sizes(client: httpx.AsyncClient, statements: list[str]) -> None:
    # 100 x 100 x 100 meetings' topics: well within depth, far over cost
    query = """{ mechanisms(first: 100) { nodes { meetings(first: 100) { nodes {
        mechanism { meetings(first: 100) { nodes { title } } } } } } } }"""
    error = await assert_rejected(client, statements, query, "MAX_COST_EXCEEDED")
    assert error["extensions"]["limit"] == 50_000
    assert error["extensions"]["value"] > 1_000_000


async def test_cost_reads_page_sizes_from_variables(client: httpx.AsyncClient) -> None:
    query = """query ($n: Int) { mechanisms(first: $n) { nodes {
        meetings(first: $n) { nodes { mechanism { meetings(first: $n) { nodes { title } } } } }
    } } }"""
    small = await execute(client, query, n=2)
    large = await execute(client, query, n=100)
    # meetings(first: 2) { nodes { title } } = 1 + 2 * (1 + 1) = 5, mechanism { ... } = 6,
    # nodes = 7, meetings(first: 2) = 1 + 2 * 7 = 15, nodes = 16, mechanisms = 1 + 2 * 16
    assert small["extensions"]["cost"] == {"requested": 33, "limit": 50_000}
    assert large["errors"][0]["extensions"]["subcode"] == "MAX_COST_EXCEEDED"


def readme_queries() -> list[str]:
    text = Path(PROJECT_ROOT / "README.md").read_text("utf-8")
    blocks = text.split("```graphql")[1:]
    queries: list[str] = []
    for block in blocks:
        for part in block.split("```")[0].split("\n# "):
            if re.search(r"^\s*(mutation|subscription)\b", part, re.MULTILINE):
                # The README's writes need a token, its subscriptions a WebSocket: their
                # tests are elsewhere (test_subscriptions checks the README's subscriptions).
                continue
            body = part[part.index("{") :] if "{" in part else ""
            if body.strip():
                queries.append(body)
    return queries


@pytest.mark.parametrize("query", readme_queries())
async def test_readme_queries_pass_every_limit(client: httpx.AsyncClient, query: str) -> None:
    body = await execute(client, query)
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cost"]["requested"] < 50_000


async def test_rejections_are_fast(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    bombs = [
        nested_query(40),
        "{ " + " ".join(f"a{i}: __typename" for i in range(500)) + " }",
        "{ " + "__typename " * 10_000 + "}",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    ]
    for bomb in bombs:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            with statement_log(engine) as seen:
                body = await execute(client, bomb)
            timings.append(time.perf_counter() - started)
            assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            # refused before any resolver: no SQL at all (deterministic)
            assert seen == [], (bomb[:40], seen)
        # and promptly: a bound loose enough for a loaded machine, tight enough for a blow-up
        # (the refusals take a few milliseconds on an idle one)
        assert statistics.median(timings) < 0.5, (bomb[:40], timings)


COSTLY = """query ($n: Int) { mechanisms(first: $n) { nodes {
    meetings(first: $n) { nodes { mechanism { meetings(first: $n) { nodes { title } } } } }
} } }"""


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (COSTLY, {"n": 100}),
        (COSTLY, {"n": 100.0}),  # an Int variable may arrive as a whole float: it is 100
        (COSTLY.replace("$n: Int)", "$n: Int = 100)"), {}),  # the default is what runs
        (COSTLY.replace("$n: Int)", "$n: Int = 2)"), {"n": 100}),
        (COSTLY.replace("(first: $n)", "(last: $n)"), {"n": 1e2}),
    ],
    ids=["int", "float", "default", "overridden default", "last as 1e2"],
)
async def test_cost_is_computed_from_the_coerced_variables(
    client: httpx.AsyncClient, statements: list[str], query: str, variables: dict[str, object]
) -> None:
    body = await execute(client, query, **variables)
    (error,) = body["errors"]
    assert error["extensions"]["subcode"] == "MAX_COST_EXCEEDED", body
    assert error["extensions"]["value"] == 2_030_201
    assert body["extensions"]["cost"] == {"requested": 2_030_201, "limit": 50_000}
    assert statements == []


async def test_a_variable_that_cannot_be_coerced_is_bad_input_not_a_cheap_query(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    body = await execute(client, COSTLY, n=100.5)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert statements == []
