"""Bad input gets a clear, typed user error and changes nothing, the same on every database."""

from typing import Any

import httpx
import pytest

from tests.graphql import data
from tests.test_record_meeting import MEETING_COUNT, record

PERSON = "TWVldGluZzox"  # a Meeting's id, where a Person's is wanted

CASES: list[tuple[str, dict[str, Any], list[str], str]] = [
    ("empty title", {"title": "   "}, ["title"], "REQUIRED"),
    ("too long", {"title": "x" * 501}, ["title"], "TOO_LONG"),
    ("NUL", {"title": "Meeting\x00"}, ["title"], "CONTROL_CHARACTERS"),
    ("bell", {"title": "Meeting\x07"}, ["title"], "CONTROL_CHARACTERS"),
    ("lone surrogate", {"title": "Meeting \ud800"}, ["title"], "CONTROL_CHARACTERS"),
    ("newline in a title", {"title": "two\nlines"}, ["title"], "CONTROL_CHARACTERS"),
    ("no such day", {"title": "M", "start": "2023-02-29"}, ["start"], "INVALID_DATE"),
    ("not a date", {"title": "M", "start": "early 2024"}, ["start"], "INVALID_DATE"),
    ("fullwidth digits", {"title": "M", "start": "２０２４"}, ["start"], "INVALID_DATE"),
    ("Arabic-Indic digits", {"title": "M", "start": "٢٠٢٤-05"}, ["start"], "INVALID_DATE"),
    # "" is no date, in a mutation as in a filter; null (or no field) says "none"
    ("empty start", {"title": "M", "start": ""}, ["start"], "INVALID_DATE"),
    ("blank end", {"title": "M", "start": "2024", "end": " "}, ["end"], "INVALID_DATE"),
    (
        "end before start",
        {"title": "M", "start": "2024-05", "end": "2024-04-30"},
        ["end"],
        "INVALID_DATE",
    ),
    (
        "ftp source",
        {"title": "M", "sources": [{"url": "ftp://x.example/a"}]},
        ["sources", "0", "url"],
        "INVALID_URL",
    ),
    (
        "javascript source",
        {"title": "M", "sources": [{"url": "javascript:alert(1)"}]},
        ["sources", "0", "url"],
        "INVALID_URL",
    ),
    (
        "long URL",
        {"title": "M", "sources": [{"url": "https://x.example/" + "a" * 2040}]},
        ["sources", "0", "url"],
        "TOO_LONG",
    ),
    ("unknown mechanism", {"title": "M", "mechanismSlug": "nope"}, ["mechanismSlug"], "NOT_FOUND"),
    (
        "unknown person",
        {"title": "M", "participants": [{"personId": "UGVyc29uOjk5OTk5", "side": "US"}]},
        ["participants", "0", "personId"],
        "NOT_FOUND",
    ),
    (
        "wrong kind of id",
        {"title": "M", "participants": [{"personId": PERSON, "side": "US"}]},
        ["participants", "0", "personId"],
        "INVALID",
    ),
    ("unknown country", {"title": "M", "hostCountry": "XX"}, ["hostCountry"], "INVALID"),
    ("no one", {"title": "M", "participants": [{"side": "US"}]}, ["participants", "0"], "REQUIRED"),
    (
        "duplicate slug",
        {"title": "M", "slug": "2024-10-08-wang-wentao-raimondo-call"},
        ["slug"],
        "DUPLICATE",
    ),
    ("bad slug", {"title": "M", "slug": "Not A Slug"}, ["slug"], "INVALID"),
]


@pytest.mark.parametrize(("case", "fields", "field", "code"), CASES, ids=[c[0] for c in CASES])
async def test_bad_input_is_a_user_error_and_writes_nothing(
    client: httpx.AsyncClient,
    write_token: str,
    case: str,
    fields: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    before = await data(client, MEETING_COUNT)
    payload = await record(client, write_token, **fields)
    assert payload["meeting"] is None, case
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)], case
    assert all(e["message"] for e in payload["userErrors"])
    assert await data(client, MEETING_COUNT) == before


async def test_every_problem_is_reported_at_once(
    client: httpx.AsyncClient, write_token: str
) -> None:
    payload = await record(client, write_token, title="", start="2024-13", place="p\x00")
    assert sorted(e["code"] for e in payload["userErrors"]) == [
        "CONTROL_CHARACTERS",
        "INVALID_DATE",
        "REQUIRED",
    ]


async def test_text_is_normalized_and_trimmed(client: httpx.AsyncClient, write_token: str) -> None:
    payload = await record(
        client, write_token, title="  Cafe\u0301 talks \t", place="\u2003Beijing "
    )
    query = "query($s: String!) { meeting(slug: $s) { title place } }"
    found = await data(client, query, s=payload["meeting"]["slug"])
    assert found["meeting"] == {"title": "Caf\u00e9 talks", "place": "Beijing"}


UPDATE_START = """
mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) { userErrors { field code } meeting { start version } }
}
"""
FILTER = "query($f: MeetingFilterInput) { meetings(filter: $f) { totalCount } }"


@pytest.mark.parametrize("start", ["", "  ", "２０２４", "٢٠٢٤"])
async def test_a_partial_date_is_refused_alike_in_an_update_and_a_filter(
    client: httpx.AsyncClient, write_token: str, start: str
) -> None:
    recorded = (await record(client, write_token, title="A call", start="2024-05"))["meeting"]
    response = await client.post(
        "/graphql",
        json={
            "query": UPDATE_START,
            "variables": {
                "input": {
                    "id": recorded["id"],
                    "expectedVersion": recorded["version"],
                    "start": start,
                }
            },
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )
    payload = response.json()["data"]["updateMeeting"]
    assert payload == {
        "userErrors": [{"field": ["start"], "code": "INVALID_DATE"}],
        "meeting": None,
    }
    body = (
        await client.post(
            "/graphql", json={"query": FILTER, "variables": {"f": {"dateFrom": start}}}
        )
    ).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    # null still clears the date
    response = await client.post(
        "/graphql",
        json={
            "query": UPDATE_START,
            "variables": {
                "input": {
                    "id": recorded["id"],
                    "expectedVersion": recorded["version"],
                    "start": None,
                }
            },
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )
    assert response.json()["data"]["updateMeeting"] == {
        "userErrors": [],
        "meeting": {"start": None, "version": recorded["version"] + 1},
    }
