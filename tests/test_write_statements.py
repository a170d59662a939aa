"""Recording what was said (statements in recordMeeting/updateMeeting); sources without address."""

import json
from typing import Any

import httpx

from tests.graphql import data

RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    replayed
    userErrors { field code message }
    meeting {
      id version
      statements {
        totalCount
        nodes {
          slug text language verbatim said speakerAsReported attributionDoubtful
          person { slug } side { code } mechanism { slug } meeting { title }
          source { address title publisher asCitedIn kind }
          translationOf { text } translations { text language verbatim source { title } }
        }
      }
    }
  }
}
"""

UPDATE = """
mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) {
    userErrors { field code message }
    meeting { version statements { totalCount } }
  }
}
"""

SOURCE_WRITE = """
mutation($create: CreateSourceInput!) {
  createSource(input: $create) {
    userErrors { field code message }
    source { id version url address title publisher asCitedIn published }
  }
}
"""

STATEMENTS_COUNT = "{ statements { totalCount } }"


async def _send(
    client: httpx.AsyncClient, token: str, query: str, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


def _meeting(**statement: Any) -> dict[str, Any]:
    return {
        "idempotencyKey": "statements-2025-03-04",
        "title": "Ministers' call with statements",
        "start": "2025-03-04",
        "format": "CALL",
        "statements": [statement],
    }


PRINTED = {
    "title": "Remarks to the press (printed transcript)",
    "publisher": "An example ministry",
    "published": "2025-03",
    "asCitedIn": "An example digest, p. 4",
}


async def test_statements_with_translations_are_recorded_with_the_meeting_once(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given a statement in Chinese, with its English translation, from a source without address
    statement = {
        "text": "双方应加强沟通。",
        "language": "zh-Hans",
        "verbatim": True,
        "name": "王文涛",  # a known person, found by a name in another language
        "side": "CN",
        "mechanismSlug": "commerce-ministers-communication-channel",
        "source": {**PRINTED, "kind": "PRESS_RELEASE"},
        "translations": [{"text": "Both sides should strengthen communication.", "language": "en"}],
    }
    before = (await data(client, STATEMENTS_COUNT))["statements"]["totalCount"]

    # when the meeting is recorded, twice with the same key
    first = await _send(client, write_token, RECORD, input=_meeting(**statement))
    again = await _send(client, write_token, RECORD, input=_meeting(**statement))

    # then both statements exist once, linked, attributed, with the bibliographic source
    assert first["userErrors"] == []
    assert again["replayed"] is True
    nodes = first["meeting"]["statements"]["nodes"]
    assert first["meeting"]["statements"]["totalCount"] == 2
    original = next(n for n in nodes if n["language"] == "zh-Hans")
    assert original["person"] == {"slug": "wang-wentao"}
    assert original["side"] == {"code": "CN"}
    assert original["said"] == "2025-03-04"  # the meeting's date when not given
    assert original["mechanism"] == {"slug": "commerce-ministers-communication-channel"}
    assert original["source"] == {
        "address": None,
        "title": PRINTED["title"],
        "publisher": PRINTED["publisher"],
        "asCitedIn": PRINTED["asCitedIn"],
        "kind": "PRESS_RELEASE",
    }
    assert original["translations"] == [
        {
            "text": "Both sides should strengthen communication.",
            "language": "en",
            "verbatim": False,
            "source": {"title": PRINTED["title"]},
        }
    ]
    after = (await data(client, STATEMENTS_COUNT))["statements"]["totalCount"]
    assert after == before + 2


async def test_statements_are_added_by_update_meeting(
    client: httpx.AsyncClient, write_token: str
) -> None:
    meeting = (
        await data(
            client, '{ meeting(slug: "2024-01-10-raimondo-wang-wentao-call") { id version } }'
        )
    )["meeting"]
    result = await _send(
        client,
        write_token,
        UPDATE,
        input={
            "id": meeting["id"],
            "expectedVersion": meeting["version"],
            "addStatements": [
                {
                    "text": "national security is not negotiable",
                    "language": "en",
                    "verbatim": False,
                    "speakerAsReported": "Secretary Raimondo (per the readout)",
                    "side": "US",
                    "source": {"url": "https://example.org/readouts/2024-01-11"},
                }
            ],
        },
    )
    assert result["userErrors"] == []
    assert result["meeting"]["statements"]["totalCount"] == 1
    assert result["meeting"]["version"] == meeting["version"] + 1


async def test_bad_statements_are_user_errors_and_nothing_is_written(
    client: httpx.AsyncClient, write_token: str
) -> None:
    bad = [
        # nobody said it
        {"text": "x", "language": "en", "verbatim": True, "source": PRINTED},
        # a bare site address, an address cut short
        {
            "text": "x",
            "language": "en",
            "verbatim": True,
            "side": "US",
            "source": {"url": "https://example.org/"},
        },
        {
            "text": "x",
            "language": "en",
            "verbatim": True,
            "side": "US",
            "source": {"url": "https://example.org/…/123"},
        },
        # no address and no publisher
        {"text": "x", "language": "en", "verbatim": True, "side": "US", "source": {"title": "T"}},
        # an unknown mechanism, an unknown country, a bad language
        {
            "text": "x",
            "language": "english!",
            "verbatim": True,
            "side": "XX",
            "mechanismSlug": "no-such-mechanism",
            "source": PRINTED,
        },
    ]
    before = (await data(client, STATEMENTS_COUNT))["statements"]["totalCount"]
    result = await _send(
        client,
        write_token,
        RECORD,
        input={"title": "Refused", "start": "2025-03-05", "statements": bad},
    )
    errors = {(tuple(e["field"]), e["code"]) for e in result["userErrors"]}
    assert result["meeting"] is None
    assert (("statements", "0"), "REQUIRED") in errors
    assert (("statements", "1", "source", "url"), "INVALID_URL") in errors
    assert (("statements", "2", "source", "url"), "INVALID_URL") in errors
    assert (("statements", "3", "source", "url"), "REQUIRED") in errors
    assert (("statements", "4", "language"), "INVALID") in errors
    assert (await data(client, STATEMENTS_COUNT))["statements"]["totalCount"] == before


async def test_sources_are_a_full_address_or_a_bibliographic_citation(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # a source without an address, cited by title and publisher
    created = await _send(
        client, write_token, SOURCE_WRITE, create={**PRINTED, "kind": "FACT_SHEET"}
    )
    assert created["userErrors"] == []
    assert created["source"]["address"] is None
    assert created["source"]["url"] == ""  # the deprecated field stays a string
    assert created["source"]["asCitedIn"] == PRINTED["asCitedIn"]

    refused = {
        "https://example.org": "INVALID_URL",
        "https://example.org/#2023-08-31": "INVALID_URL",
        "https://mondaq.com/…/1363856": "INVALID_URL",
        "https://example.org/readouts/...": "INVALID_URL",
    }
    for url, code in refused.items():
        result = await _send(client, write_token, SOURCE_WRITE, create={"url": url, "kind": "NEWS"})
        assert [(e["field"], e["code"]) for e in result["userErrors"]] == [(["url"], code)], url

    neither = await _send(
        client, write_token, SOURCE_WRITE, create={"title": "Only a title", "kind": "NEWS"}
    )
    assert [(e["field"], e["code"]) for e in neither["userErrors"]] == [(["url"], "REQUIRED")]


async def test_removing_the_address_of_a_source_without_title_is_refused(
    client: httpx.AsyncClient, write_token: str
) -> None:
    created = await _send(
        client,
        write_token,
        SOURCE_WRITE,
        create={"url": "https://example.org/notes/2025-03-06", "kind": "NEWS"},
    )
    source = created["source"]
    update = """mutation($input: UpdateSourceInput!) { updateSource(input: $input) {
                  userErrors { field code } source { address } } }"""
    refused = await _send(
        client,
        write_token,
        update,
        input={"id": source["id"], "expectedVersion": source["version"], "url": None},
    )
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["url"], "REQUIRED")]
    allowed = await _send(
        client,
        write_token,
        update,
        input={
            "id": source["id"],
            "expectedVersion": source["version"],
            "url": None,
            "title": "Notes of 6 March 2025",
            "publisher": "An example office",
        },
    )
    assert allowed["userErrors"] == []
    assert allowed["source"]["address"] is None


async def test_a_citation_says_whether_its_quote_is_verbatim(
    client: httpx.AsyncClient, write_token: str
) -> None:
    query = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
                 userErrors { field code }
                 meeting { citations { quote verbatim source { address } } } } }"""
    recorded = await _send(
        client,
        write_token,
        query,
        input={
            "title": "Verbatim check",
            "start": "2025-03-07",
            "sources": [
                {
                    "url": "https://example.org/readouts/2025-03-07",
                    "quote": "agreed to meet again",
                    "verbatim": True,
                },
                {**PRINTED, "quote": "They will meet again.", "verbatim": False},
            ],
        },
    )
    assert recorded["userErrors"] == []
    assert [c["verbatim"] for c in recorded["meeting"]["citations"]] == [True, False]

    refused = await _send(
        client,
        write_token,
        query,
        input={
            "title": "Verbatim without a quote",
            "sources": [{"url": "https://example.org/readouts/x", "verbatim": True}],
        },
    )
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["sources", "0", "verbatim"], "INVALID")
    ]
