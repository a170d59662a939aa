"""Relay pagination: cursors forward and back, totals, node lookups, and argument errors."""

import httpx

from tests.graphql import data, execute, nodes

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String) {
  meetings(first: $first, after: $after, last: $last, before: $before, orderBy: [TITLE_ASC]) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id slug } }
  }
}
"""


async def _all_slugs(client: httpx.AsyncClient) -> list[str]:
    result = await data(client, PAGE, first=100)
    assert not result["meetings"]["pageInfo"]["hasNextPage"]
    return [node["slug"] for node in nodes(result["meetings"])]


async def test_paging_forward_visits_every_item_once(client: httpx.AsyncClient) -> None:
    everything = await _all_slugs(client)
    seen: list[str] = []
    after = None
    while True:
        page = (await data(client, PAGE, first=7, after=after))["meetings"]
        seen += [node["slug"] for node in nodes(page)]
        assert page["totalCount"] == len(everything)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == everything


async def test_paging_backward_visits_every_item_once(client: httpx.AsyncClient) -> None:
    everything = await _all_slugs(client)
    seen: list[str] = []
    before = None
    while True:
        page = (await data(client, PAGE, last=5, before=before))["meetings"]
        seen = [node["slug"] for node in nodes(page)] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == everything


async def test_nodes_round_trip_through_global_ids(client: httpx.AsyncClient) -> None:
    page = (await data(client, PAGE, first=3))["meetings"]
    ids = [node["id"] for node in nodes(page)]
    query = """query($id: ID!, $ids: [ID!]!) {
      node(id: $id) { id ... on Meeting { slug } }
      nodes(ids: $ids) { id }
    }"""
    result = await data(client, query, id=ids[0], ids=[*ids, "TWVldGluZzo5OTk5OTk="])
    assert result["node"] == {"id": ids[0], "slug": nodes(page)[0]["slug"]}
    assert result["nodes"] == [{"id": i} for i in ids] + [None]


async def test_too_large_a_page_is_an_error_not_a_silent_cut(client: httpx.AsyncClient) -> None:
    body = await execute(client, PAGE, first=101)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 0 and 100" in error["message"]


async def test_bad_pagination_arguments_are_errors(client: httpx.AsyncClient) -> None:
    for variables in ({"first": -1}, {"first": 2, "last": 2}, {"first": 2, "after": "garbage!"}):
        body = await execute(client, PAGE, **variables)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", variables


async def test_a_cursor_of_another_ordering_is_refused(client: httpx.AsyncClient) -> None:
    other = await data(client, "{ mechanisms(first: 1) { pageInfo { endCursor } } }")
    cursor = other["mechanisms"]["pageInfo"]["endCursor"]
    body = await execute(client, PAGE, first=2, after=cursor)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_bad_partial_date_in_a_filter_is_an_error(client: httpx.AsyncClient) -> None:
    query = "query($f: MeetingFilterInput) { meetings(filter: $f) { totalCount } }"
    body = await execute(client, query, f={"dateFrom": "2023-02-29"})
    assert "2023-02-29" in body["errors"][0]["message"]
    body = await execute(client, query, f={"dateFrom": "2024-05", "dateTo": "2024-01"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
