"""Relations load in batches: the statement count of a deep query does not grow with the page."""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory, is_sqlite, statement_log
from api.main import create_app
from api.settings import Settings
from tests import factories

DEEP_QUERY = """
query Deep($first: Int!) {
  mechanisms(first: $first) {
    edges {
      node {
        name
        meetings(first: 10) {
          totalCount
          edges {
            node {
              title
              start
              participations {
                role
                side { code }
                person { name positions { title } }
              }
            }
          }
        }
      }
    }
  }
}
"""


async def _selects(engine: AsyncEngine, client: httpx.AsyncClient, first: int) -> int:
    with statement_log(engine) as statements:
        response = await client.post(
            "/graphql", json={"query": DEEP_QUERY, "variables": {"first": first}}
        )
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["mechanisms"]["edges"]) == first
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


@pytest.mark.parametrize("compiled", [False, True], ids=["loaders", "compiled"])
async def test_deep_query_statement_count_is_constant_in_page_size(
    compiled: bool,
    engine: AsyncEngine,
    session: AsyncSession,
    settings: Settings,
    session_factory: Callable[[], AsyncSession],
) -> None:
    # given enough mechanisms for a page of 50, each with meetings and participants
    await factories.mechanisms_with_meetings(session, mechanisms=50, meetings=12, participants=3)
    await session.commit()
    app = create_app(
        settings.model_copy(update={"compiled_reads": compiled}), session_factory=session_factory
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        # when the same deep query asks for 5 and for 50 mechanisms
        small = await _selects(engine, client, 5)
        large = await _selects(engine, client, 50)

    # then the loaders cost one statement per relation level: mechanisms, meetings (one
    # window per level), meeting totals, participations, sides, people, positions; the
    # compiled path one in all on PostgreSQL. SQLite's parser cannot take a statement nested
    # this deep: it refuses the statement (once per plan: each page size is one), then the
    # loaders answer.
    if not compiled:
        assert small == large == 7
    elif is_sqlite(str(engine.url)):
        assert small == large == 1 + 7
    else:
        assert small == large == 1


FAN_OUT_QUERY = """
{
  a: mechanisms(first: 20) { edges { node { slug parties { country { code } }
       meetings(first: 5) { edges { node { title participations { person { name } } } } } } } }
  b: meetings(first: 30) { totalCount edges { node { title mechanism { name }
       topicsRaised { topic { name } raisedBy { code } } citations { source { url } } } } }
  c: people(first: 30) { edges { node { name positions { title organization { name } } } } }
  d: organizations(first: 30) { edges { node { name country { code } parent { name } } } }
  e: measures(first: 30) { edges { node { name topics { name }
       discussions { meeting { title } } } } }
  f: commitments(first: 30) { edges { node { title fulfillments { meeting { title } } } } }
}
"""


async def test_sibling_fields_and_concurrent_requests_share_no_session(
    engine: AsyncEngine, settings: Settings
) -> None:
    # given the app on a real engine (a pool of connections), not the test's transaction
    app = create_app(settings, session_factory=create_session_factory(engine))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        # when one operation fans out over many root fields and nested lists, ten times at once
        responses: list[Any] = await asyncio.gather(
            *(client.post("/graphql", json={"query": FAN_OUT_QUERY}) for _ in range(10))
        )

    # then every response is whole, and all are the same
    bodies = [response.json() for response in responses]
    assert all("errors" not in body for body in bodies), bodies[0]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["data"]["a"]["edges"]
