"""What the fuzz tests found, pinned down: each was a bug, each is a test on both databases."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from api.main import create_app
from api.settings import Settings
from tests.graphql import data, execute

HUGE = "9" * 30  # no key can hold it: SQLite raised OverflowError, asyncpg DataError
BEYOND_INT4 = str(2**31)  # fits SQLite's keys, not PostgreSQL's INTEGER
SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no

UNUSABLE_ROW_IDS = [HUGE, BEYOND_INT4, SUPERSCRIPT_TWO]

UPDATE_MEASURE = """
mutation($input: UpdatePolicyMeasureInput!) {
  updatePolicyMeasure(input: $input) {
    measure { topics { slug } }
    userErrors { field code message }
  }
}
"""


@pytest.mark.parametrize("row_id", UNUSABLE_ROW_IDS)
async def test_a_node_id_no_row_can_have_is_no_node(client: httpx.AsyncClient, row_id: str) -> None:
    # given
    node_id = relay.to_base64("Mechanism", row_id)
    # when
    body = await execute(
        client, "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }", id=node_id
    )
    # then
    assert body == {
        "data": {"node": None, "nodes": [None]},
        "extensions": {"cost": {"requested": 4, "limit": 50_000}},
    }


@pytest.mark.parametrize("row_id", UNUSABLE_ROW_IDS)
async def test_a_filter_id_no_row_can_have_is_bad_input(
    client: httpx.AsyncClient, row_id: str
) -> None:
    node_id = relay.to_base64("Mechanism", row_id)
    body = await execute(
        client,
        "query($ids: [ID!]) { meetings(filter: { mechanismIds: $ids }) { totalCount } }",
        ids=[node_id],
    )
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("global_id", ["", "not base64 at all", relay.to_base64("Topic", HUGE)])
async def test_an_unusable_id_in_a_mutation_is_a_user_error_on_its_field(
    client: httpx.AsyncClient, write_token: str, global_id: str
) -> None:
    # given: ids that strawberry used to refuse before the mutation ran, as a top-level error
    measure = await data(client, '{ measure(slug: "us-eo-14105-outbound-investment") { id } }')
    # when
    body = await execute_as(
        client,
        write_token,
        UPDATE_MEASURE,
        input={"id": measure["measure"]["id"], "expectedVersion": 1, "addTopicIds": [global_id]},
    )
    # then
    assert "errors" not in body, body
    payload = body["data"]["updatePolicyMeasure"]
    assert payload["measure"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["addTopicIds", "0"], "INVALID")
    ]


async def test_topics_can_be_added_to_a_measure(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: addTopicIds used to be refused whatever it held
    found = await data(
        client,
        """{ measure(slug: "us-eo-14105-outbound-investment") { id topics { slug } }
             topic(slug: "tourism") { id } }""",
    )
    before = [topic["slug"] for topic in found["measure"]["topics"]]
    assert "tourism" not in before
    # when
    body = await execute_as(
        client,
        write_token,
        UPDATE_MEASURE,
        input={
            "id": found["measure"]["id"],
            "expectedVersion": 1,
            "addTopicIds": [found["topic"]["id"]],
        },
    )
    # then
    payload = body["data"]["updatePolicyMeasure"]
    assert payload["userErrors"] == []
    assert sorted(topic["slug"] for topic in payload["measure"]["topics"]) == sorted(
        [*before, "tourism"]
    )


async def test_a_failing_field_leaves_its_siblings_connection_usable(
    seeded_engine: AsyncEngine,
) -> None:
    # given: an app with a real connection pool; `countries` fails at once (a bad cursor) while
    # `node` is reading, and graphql-core cancels the read half-way
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url))
    query = '{ node(id: "TWVjaGFuaXNtOjE=") { id } countries(first: 0, after: "") { totalCount } }'
    async with app.router.lifespan_context(app):
        pool = app.state.session_factory.kw["bind"].pool
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            # when
            answers = [(await c.post("/graphql", json={"query": query})) for _ in range(3)]
            then = await c.post("/graphql", json={"query": "{ topics { totalCount } }"})
            # then: the session closed cleanly (it used to raise "closed database" after the
            # response), and no connection was left checked out
            assert pool.checkedout() == 0
    assert [a.json()["errors"][0]["extensions"]["code"] for a in answers] == ["BAD_USER_INPUT"] * 3
    assert then.json()["data"]["topics"]["totalCount"] > 0


async def execute_as(
    client: httpx.AsyncClient, token: str, query: str, **variables: object
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    return body


async def test_nul_in_a_mechanism_slug_is_a_user_error(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # found by test_fuzz on PostgreSQL, which refuses NUL even in the lookup of a slug
    response = await client.post(
        "/graphql",
        json={
            "query": 'mutation { recordMeeting(input: {title: "", mechanismSlug: "\\u0000"}) '
            "{ userErrors { field code } } }"
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )
    errors = response.json()["data"]["recordMeeting"]["userErrors"]
    assert {"field": ["mechanismSlug"], "code": "CONTROL_CHARACTERS"} in errors
