"""CI gates of the benchmark (deterministic, no timings): SQL statements per operation.

For the benchmark's read shapes (node, tree, flat list, filtered search), ranked search without
snippets, counts per group, and verdicts computed as of a date with records' histories, a request
costs one SQL statement on the compiled read path, and at most 1 + the nesting depth of the query
on the standard executor (the verdicts: a constant number); the same on a small and a
ten-times-larger data set and for page sizes 5 and 50. The data are the benchmark generator's
(bench/generate.py), at two stand-in sizes small enough for a test.
"""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from api import models
from api.db import statement_log
from api.main import create_app
from api.settings import Settings
from bench import generate, operations
from bench.generate import Scale
from schema.compiled import STATS

# Stand-ins for scales S and L (L has ten times the mechanisms, meetings and participations).
SMALL = Scale("S", mechanisms=6, meetings_per_mechanism=12, participants_per_meeting=3, people=30)
LARGE = Scale("L", mechanisms=60, meetings_per_mechanism=12, participants_per_meeting=3, people=300)
PAGE_SIZES = (5, 50)

NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Meeting { title start status format place }
  }
}
"""

# Verdicts computed as of a date and records' histories (the generated mechanisms have no
# commitments: the seed's are listed beside them).
VERDICTS = """
query Verdicts($first: Int) {
  mechanisms(first: $first) {
    edges { node {
      slug
      activity(asOf: "2025-03-08") { verdict reason nextMeetingDue lastMeeting { title } }
      history(first: 2) { totalCount nodes { occurredAt changes } }
    } }
  }
  commitments(first: $first) {
    nodes {
      slug
      compliance(asOf: "2025-03-08") {
        verdict reason fulfilledBy { title } periods { period verdict meetings { title } }
      }
    }
  }
}
"""

COUNTS = """
query Counts {
  meetingCounts(groupBy: [MECHANISM, YEAR], orderBy: [COUNT_DESC]) {
    count year mechanismSlug mechanism { name }
  }
}
"""

SCORED_SEARCH = """
query Scored($text: String!, $first: Int!, $types: [SearchableType!]) {
  search(query: $text, first: $first, types: $types) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { score record { id ... on Meeting { title start } } } }
  }
}
"""

# Each shape: the query, its nesting depth, the statements the standard executor costs (the
# compiled path costs one).
SHAPES: dict[str, tuple[str, int, int]] = {
    "node": (NODES, 1, 1),  # the meetings by id
    "tree": (operations.PARLEY_TREE, 4, 4),  # mechanisms, meetings, participations, people
    "flat": (operations.PARLEY_FLAT, 1, 1),  # one page of meetings
    "search": (operations.PARLEY_SEARCH, 2, 3),  # a page, its total, the mechanisms
    # the ranked page, its total, the meetings found
    "ranked search": (operations.PARLEY_RANKED_SEARCH, 3, 3),
    # the same without snippets: the ranked page, its total, the meetings found
    "scored search": (SCORED_SEARCH, 3, 3),
    "counts": (COUNTS, 1, 2),  # the groups, their mechanisms
    # two root lists; activity, history and its count, the last meetings, compliance (verdicts,
    # periods, fulfilling meetings) and their meetings each a statement on the standard path
    "verdicts": (VERDICTS, 4, 10),
}
# Shapes whose standard cost is above 1 + depth (computed fields read their own statements).
COMPUTED = {"verdicts"}
# Shapes the compiled read path does not cover: Strawberry's executor answers them.
FALLS_BACK = {"ranked search"}

SQL = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")


async def _load(connection: AsyncConnection, scale: Scale, prefix: str) -> None:
    anchors = await generate.anchors(connection)
    await generate.insert_rows(connection, generate.generate(scale, anchors, prefix=prefix))


async def _variables(connection: AsyncConnection, shape: str, size: int) -> dict[str, Any]:
    if shape == "node":
        ids = await connection.scalars(
            select(models.Meeting.id)
            .where(models.Meeting.slug.like("gate%"))
            .order_by(models.Meeting.id)
            .limit(size)
        )
        return {"ids": [operations.parley_id("Meeting", row_id) for row_id in ids]}
    if shape == "flat":
        mechanism = await connection.scalar(
            select(models.Mechanism.id).where(
                models.Mechanism.slug == generate.mechanism_slug("gates", 1)
            )
        )
        assert mechanism is not None
        return {"mechanism": operations.parley_id("Mechanism", mechanism), "first": size}
    if shape == "search":
        return {"from": "2000-01", "to": "2030-12", "text": generate.SEARCH_WORD, "first": size}
    if shape in ("ranked search", "scored search"):
        return {"text": generate.SEARCH_WORD, "first": size, "types": ["MEETING"]}
    return {"first": size}


async def _statements(
    engine: AsyncEngine, client: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    with statement_log(engine) as seen:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return sum(1 for s in seen if s.lstrip().upper().startswith(SQL)), body["data"]


def _items(data: dict[str, Any]) -> int:
    root = next(iter(data.values()))
    return len(root) if isinstance(root, list) else len(root["edges"])


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "standard"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
async def test_statements_per_request_are_bounded_and_constant(
    shape: str,
    compiled: bool,
    engine: AsyncEngine,
    connection: AsyncConnection,
    settings: Settings,
    session_factory: Callable[[], AsyncSession],
) -> None:
    query, depth, standard = SHAPES[shape]
    expected = 1 if compiled and shape not in FALLS_BACK else standard
    counts: dict[tuple[str, int], int] = {}
    app = create_app(
        settings.model_copy(update={"compiled_reads": compiled}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://parley.test")
    handled = STATS.handled

    # given the small stand-in, then ten times more of the same on top
    for scale, prefix in ((SMALL, "gates"), (LARGE, "gatel")):
        await _load(connection, scale, prefix)
        # when the operation runs with pages (or id lists) of 5 and of 50
        for size in PAGE_SIZES:
            variables = await _variables(connection, shape, size)
            counts[scale.name, size], data = await _statements(engine, client, query, variables)
            assert _items(data) > 0

    await client.aclose()

    # then every request costs the same statements: one compiled, within 1 + depth standard
    assert set(counts.values()) == {expected}, counts
    assert standard <= 1 + depth or shape in COMPUTED
    # and the compiled read path answered every request itself (or none, when switched off)
    covered = compiled and shape not in FALLS_BACK
    assert STATS.handled - handled == (len(counts) if covered else 0)
