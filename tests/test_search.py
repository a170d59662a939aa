"""Full-text search: the root `search` connection, on SQLite and PostgreSQL alike."""

from typing import Any

import httpx
import pytest

from tests.graphql import data, execute, nodes

SEARCH = """
query($text: String!, $types: [SearchableType!], $first: Int, $after: String) {
  search(query: $text, types: $types, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor
      node {
        score
        snippet
        record {
          __typename
          ... on Meeting { slug }
          ... on Mechanism { slug }
          ... on Person { slug }
          ... on Organization { slug }
          ... on Topic { slug }
          ... on PolicyMeasure { slug }
          ... on Commitment { slug }
          ... on Source { url }
          ... on Statement { slug }
        }
      }
    }
  }
}
"""


def _key(record: dict[str, Any]) -> str:
    return f"{record['__typename']}:{record.get('slug') or record.get('url')}"


async def _search(client: httpx.AsyncClient, query: str, **arguments: Any) -> dict[str, Any]:
    arguments.setdefault("first", 100)
    result: dict[str, Any] = (await data(client, SEARCH, text=query, **arguments))["search"]
    return result


async def _hits(client: httpx.AsyncClient, query: str, **arguments: Any) -> dict[str, str]:
    """Each record found, by type and slug, with its snippet."""
    found = await _search(client, query, **arguments)
    assert found["totalCount"] == len(found["edges"])
    return {_key(hit["record"]): hit["snippet"] for hit in nodes(found)}


async def test_chinese_matches_inside_longer_names(client: httpx.AsyncClient) -> None:
    # when searching for 出口管制 ("export control"), written without spaces
    hits = await _hits(client, "出口管制")

    # then the export-control exchange (出口管制信息交流机制), the topic and the gallium measure
    exchange = "Mechanism:export-control-enforcement-information-exchange"
    assert hits == {
        exchange: "<mark>出口管制</mark>信息交流机制",
        "Topic:export-controls": "<mark>出口管制</mark>",
        "PolicyMeasure:cn-gallium-germanium-export-controls": (
            "关于对镓、锗相关物项实施<mark>出口管制</mark>的公告"
        ),
    }


async def test_english_words_are_stemmed(client: httpx.AsyncClient) -> None:
    hits = await _hits(client, "end-use checks")

    assert hits["Topic:end-use-checks"] == "<mark>End-use checks</mark>"
    meeting = hits["Meeting:2023-08-29-export-control-information-exchange-beijing"]
    assert meeting.endswith("called it an open dialogue that covered <mark>end-use checks</mark>.")
    # "check" finds "checks": the stem, not the spelling, matches
    assert set(await _hits(client, "end-use check")) == set(hits)


async def test_national_security(client: httpx.AsyncClient) -> None:
    hits = await _hits(client, "national security")

    assert "Topic:national-security" in hits
    assert "Meeting:2024-10-08-wang-wentao-raimondo-call" in hits
    assert "Meeting:2024-04-04-ciwg-inaugural-vice-ministerial-meeting" in hits
    assert all("<mark>national security</mark>" in s.casefold() for s in hits.values())


async def test_wang_wentao_in_every_kind_of_record(client: httpx.AsyncClient) -> None:
    found = await _search(client, "Wang Wentao")
    hits = [_key(hit["record"]) for hit in nodes(found)]

    # the person ranks first: the name is his title
    assert hits[0] == "Person:wang-wentao"
    assert "Meeting:2023-08-28-raimondo-wang-wentao-beijing" in hits
    assert {key.split(":")[0] for key in hits} >= {"Person", "Meeting", "Source", "Mechanism"}
    scores = [hit["score"] for hit in nodes(found)]
    assert scores == sorted(scores, reverse=True)
    # and by his Chinese name too
    assert "Person:wang-wentao" in await _hits(client, "王文涛")


async def test_what_each_side_said_is_found(client: httpx.AsyncClient) -> None:
    # the words themselves, as a phrase
    hits = await _hits(client, '"reduce misunderstandings"', types=["STATEMENT"])
    # the report's quotation and the readout's own wording ("misunderstanding": stemmed)
    assert {
        "Statement:2023-08-28-us-platform-to-reduce-misunderstandings",
        "Statement:2023-08-28-commerce-readout-platform-to-reduce-misunderstanding",
    } <= set(hits)
    assert all("<mark>reduce misunderstanding" in snippet for snippet in hits.values())
    # stemmed, among every kind of record
    said = await _hits(client, "excessive generalization")
    assert any(key.startswith("Statement:") for key in said)
    assert all("<mark>" in snippet for snippet in said.values())
    # by who said it: the speaker's name reaches the statement's document
    by_wang = await _hits(client, "Wang Wentao", types=["STATEMENT"])
    assert by_wang
    # and a list filter finds the same ones
    listed = await data(
        client,
        "query($t: String!) { statements(filter: {search: $t}) { nodes { slug } } }",
        t="excessive generalization",
    )
    assert {f"Statement:{n['slug']}" for n in listed["statements"]["nodes"]} == {
        key for key in said if key.startswith("Statement:")
    }


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('"end-use checks', "not closed"),
        ('""', "empty phrase"),
        ("export OR", "OR needs a word or phrase after it"),
        ("OR export", "OR needs a word or phrase before it"),
        ("export OR OR drones", "OR needs a word or phrase after it"),
        ("-drones", "not only words to exclude"),
        ("export OR -drones", "not only words to exclude"),
        ("export -", "minus sign"),
        ("(export", "not closed"),
        ("export)", "no opening one"),
        ("()", "Empty parentheses"),
        ("   ", "empty"),
        ("x" * 1001, "at most 1000 characters"),
        (" ".join(["w"] * 33), "at most 32"),
    ],
)
async def test_malformed_search_is_bad_user_input(
    client: httpx.AsyncClient, text: str, why: str
) -> None:
    body = await execute(client, SEARCH, text=text, first=5)

    assert body["data"] == {"search": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert why in error["message"]
    assert error["path"] == ["search"]


async def test_phrases_or_and_exclusions(client: httpx.AsyncClient) -> None:
    both = set(await _hits(client, "national security"))
    phrase = set(await _hits(client, '"national security"'))
    assert phrase <= both
    assert phrase

    without = set(await _hits(client, '"national security" -tariffs'))
    tariffs = set(await _hits(client, '"national security" tariffs'))
    assert without == phrase - tariffs
    assert tariffs  # the CIWG meeting's summary names both

    gallium = set(await _hits(client, "gallium"))
    drones = set(await _hits(client, "drones"))
    assert set(await _hits(client, "gallium OR drones")) == gallium | drones
    assert set(await _hits(client, "(gallium OR drones) 出口管制")) <= gallium | drones


async def test_stop_words_alone_find_nothing(client: httpx.AsyncClient) -> None:
    found = await _search(client, "the of")
    assert found == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None},
        "edges": [],
    }


async def test_types_and_pages(client: httpx.AsyncClient) -> None:
    everything = await _search(client, "Wang Wentao")
    meetings = await _hits(client, "Wang Wentao", types=["MEETING"])
    assert meetings
    assert all(key.startswith("Meeting:") for key in meetings)

    # paging on with `after` walks the same ranking
    first = await _search(client, "Wang Wentao", first=3)
    second = await _search(client, "Wang Wentao", first=3, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"]
    assert second["pageInfo"]["hasPreviousPage"]
    assert [_key(h["record"]) for h in nodes(first) + nodes(second)] == [
        _key(h["record"]) for h in nodes(everything)[:6]
    ]
    assert first["totalCount"] == everything["totalCount"]

    body = await execute(client, SEARCH, text="Wang", after="bm90IGEgY3Vyc29y")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await execute(client, SEARCH, text="Wang", first=101)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_list_filters_search_the_same_index(client: httpx.AsyncClient) -> None:
    query = """query($text: String!) {
      meetings(filter: { search: $text }) { edges { node { slug } } }
      people(filter: { search: $text }) { edges { node { slug } } }
      topics(filter: { search: $text }) { edges { node { slug } } }
      mechanisms(filter: { search: $text }) { edges { node { slug } } }
      measures(filter: { search: $text }) { edges { node { slug } } }
      organizations(filter: { search: $text }) { edges { node { slug } } }
      commitments(filter: { search: $text }) { edges { node { slug } } }
      sources(filter: { search: $text }) { edges { node { url } } }
      statements(filter: { search: $text }) { edges { node { slug } } }
    }"""
    for text in ("end-use checks", "出口管制", "national security", "Wang Wentao"):
        lists = await data(client, query, text=text)
        from_lists = {
            f"{kind}:{node.get('slug') or node.get('url')}"
            for kind, connection in lists.items()
            for node in nodes(connection)
        }
        kinds = {
            "Meeting": "meetings",
            "Person": "people",
            "Topic": "topics",
            "Mechanism": "mechanisms",
            "PolicyMeasure": "measures",
            "Organization": "organizations",
            "Commitment": "commitments",
            "Source": "sources",
            "Statement": "statements",
        }
        from_search = {
            f"{kinds[key.split(':')[0]]}:{key.split(':', 1)[1]}"
            for key in await _hits(client, text)
        }
        assert from_lists == from_search, text

    body = await execute(client, '{ meetings(filter: { search: "export OR" }) { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


SQL = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")


@pytest.mark.parametrize("first", [3, 12])
async def test_one_statement_per_search_page(
    client: httpx.AsyncClient, statements: list[str], first: int
) -> None:
    # given a page of hits of several kinds ("Wang Wentao": a person, meetings, sources ...)
    query = """query($text: String!, $first: Int) { search(query: $text, first: $first) {
      edges { node { score snippet record { __typename id ... on Meeting { title } } } } } }"""
    statements.clear()

    found = await data(client, query, text="Wang Wentao", first=first)

    # then one statement finds, ranks and cuts the page; one more loads each kind of record
    assert len(nodes(found["search"])) == first
    kinds = len({hit["record"]["__typename"] for hit in nodes(found["search"])})
    assert kinds >= 2
    selects = [s for s in statements if s.lstrip().upper().startswith(SQL)]
    assert len(selects) == 1 + kinds, selects


WRITE = """mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { meeting { id version } userErrors { code } } }"""
UPDATE = """mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) { meeting { version } userErrors { code } } }"""
DELETE = """mutation($input: DeleteMeetingInput!) {
  deleteMeeting(input: $input) { deletedId userErrors { code } } }"""
CREATE_PERSON = """mutation($input: CreatePersonInput!) {
  createPerson(input: $input) { person { id version } userErrors { code } } }"""
UPDATE_PERSON = """mutation($input: UpdatePersonInput!) {
  updatePerson(input: $input) { person { version } userErrors { code } } }"""


async def _write(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert payload["userErrors"] == [], payload
    return payload


async def test_every_write_keeps_the_index_current(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # a meeting recorded with a summary is found by it at once, in both scripts
    recorded = await _write(
        client,
        write_token,
        WRITE,
        input={
            "title": "Quarterly tungsten consultation",
            "start": "2025-03-04",
            "summary": "Officials compared licensing of tungsten exports. 钨出口许可",
        },
    )
    meeting = recorded["meeting"]
    assert "Meeting:2025-03-04-quarterly-tungsten-consultation" in await _hits(
        client, "tungsten licenses"
    )
    assert "Meeting:2025-03-04-quarterly-tungsten-consultation" in await _hits(client, "钨出口")

    # an update replaces what is found
    await _write(
        client,
        write_token,
        UPDATE,
        input={"id": meeting["id"], "expectedVersion": meeting["version"], "summary": "Cobalt."},
    )
    assert await _hits(client, "tungsten licenses") == {}
    assert "Meeting:2025-03-04-quarterly-tungsten-consultation" in await _hits(client, "cobalt")
    # the title still finds it
    assert "Meeting:2025-03-04-quarterly-tungsten-consultation" in await _hits(client, "tungsten")

    # a delete removes it
    await _write(
        client,
        write_token,
        DELETE,
        input={"id": meeting["id"], "expectedVersion": meeting["version"] + 1},
    )
    assert await _hits(client, "cobalt") == {}


async def test_names_added_later_are_found(client: httpx.AsyncClient, write_token: str) -> None:
    created = await _write(
        client, write_token, CREATE_PERSON, input={"name": "Zhou Wenzhong", "country": "CN"}
    )
    person = created["person"]
    assert await _hits(client, "周文重") == {}

    await _write(
        client,
        write_token,
        UPDATE_PERSON,
        input={
            "id": person["id"],
            "expectedVersion": person["version"],
            "addNames": [{"text": "周文重", "language": "zh-Hans"}],
        },
    )

    assert await _hits(client, "周文重") == {"Person:zhou-wenzhong": "<mark>周文重</mark>"}


async def test_the_cost_of_a_search(client: httpx.AsyncClient) -> None:
    # 1 + 100 for the search (it ranks every match), then per hit: edges 1, node 1,
    # score 1, snippet 1 + 4 (cut and marked in Python)
    body = await execute(
        client, '{ search(query: "export", first: 10) { edges { node { score snippet } } } }'
    )
    assert body["extensions"]["cost"]["requested"] == 101 + 10 * 8
