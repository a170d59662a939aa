"""The analysts' questions over time, each one GraphQL query, on both databases and both read
paths, with the SQL statements each costs."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api import clock
from api.db import statement_log
from schema.compiled import STATS
from tests.graphql import data, execute

SQL = ("SELECT", "WITH")

OVERDUE_OR_MISSED = """
query ($asOf: Date!) {
  commitments(filter: { compliance: [OVERDUE, MISSED], asOf: $asOf }) {
    nodes {
      slug
      compliance(asOf: $asOf) { verdict reason recordComplete periods { period verdict } }
    }
  }
}
"""

MINISTERS_PER_YEAR = """
{
  commitment(slug: "ministers-meet-in-person-annually") {
    assessment { verdict note }
    compliance(asOf: "2026-11-29") {
      verdict
      disagreesWithAssessment
      periods { period verdict recordComplete reason meetings { title start format } }
    }
  }
}
"""

OVERDUE_OR_DORMANT_TODAY = """
{
  mechanisms(filter: { activity: [OVERDUE, DORMANT] }) {
    nodes { slug activity { verdict lastMeeting { title start } nextMeetingDue } }
  }
}
"""

NEXT_EXPECTED = """
{
  mechanisms(first: 20) {
    nodes {
      slug
      cadence { text times period atLeast stated intervalMonths }
      activity(asOf: "2026-11-29") { verdict nextMeetingDue lastMeeting { start } }
    }
  }
}
"""


@pytest.fixture
def today_is_29_november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 11, 29))


async def _counted(engine: AsyncEngine, client: httpx.AsyncClient, query: str, **v: Any) -> Any:
    with statement_log(engine) as seen:
        result = await data(client, query, **v)
    return result, sum(1 for s in seen if s.lstrip().upper().startswith(SQL))


async def test_overdue_or_missed_commitments_as_of_a_date(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    result, statements = await _counted(engine, client, OVERDUE_OR_MISSED, asOf="2026-11-29")

    assert result["commitments"]["nodes"] == [
        {
            "slug": "ministers-meet-in-person-annually",
            "compliance": {
                "verdict": "MISSED",
                "reason": "Missed in 2024.",
                "recordComplete": False,
                "periods": [
                    {"period": "2023", "verdict": "KEPT"},
                    {"period": "2024", "verdict": "MISSED"},
                    {"period": "2025", "verdict": "UNKNOWN"},
                    {"period": "2026", "verdict": "PENDING"},
                ],
            },
        }
    ]
    # one statement: the filtered list with each compliance (the compiled read path)
    assert statements == 1


async def test_the_filter_on_compliance_is_one_statement(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    query = """query ($asOf: Date!) { commitments(filter: { compliance: [KEPT, KEPT_LATE],
      asOf: $asOf }) { nodes { slug } } }"""

    before, first = await _counted(engine, client, query, asOf="2023-08-27")
    after, second = await _counted(engine, client, query, asOf="2023-08-29")

    assert before["commitments"]["nodes"] == []
    assert {n["slug"] for n in after["commitments"]["nodes"]} == {
        "establish-communication-channels-2023-05",
        "export-control-exchange-first-meeting",
    }
    assert (first, second) == (1, 1)


async def test_the_ministers_annual_meeting_per_year_since_2023(
    client: httpx.AsyncClient,
) -> None:
    result = await data(client, MINISTERS_PER_YEAR)

    commitment = result["commitment"]
    assert commitment["assessment"]["verdict"] == "UNKNOWN"
    assert commitment["compliance"]["disagreesWithAssessment"] is True
    periods = commitment["compliance"]["periods"]
    assert [(p["period"], p["verdict"], p["recordComplete"]) for p in periods] == [
        ("2023", "KEPT", True),
        ("2024", "MISSED", True),
        ("2025", "UNKNOWN", False),
        ("2026", "PENDING", False),
    ]
    assert periods[0]["meetings"] == [
        {
            "title": "Raimondo and Wang Wentao meet at APEC in San Francisco",
            "start": "2023-11-16",
            "format": "IN_PERSON",
        }
    ]
    assert "complete only through 2024-12-31" in periods[2]["reason"]


@pytest.mark.usefixtures("today_is_29_november_2026")
async def test_mechanisms_overdue_or_dormant_today_with_their_last_meeting(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    result, statements = await _counted(engine, client, OVERDUE_OR_DORMANT_TODAY)

    found = {
        n["slug"]: (n["activity"]["verdict"], (n["activity"]["lastMeeting"] or {}).get("start"))
        for n in result["mechanisms"]["nodes"]
    }
    assert found == {
        "commerce-ministers-communication-channel": ("DORMANT", "2024-10-08"),
        "commercial-issues-working-group": ("DORMANT", "2024-09"),
        "comprehensive-economic-dialogue": ("DORMANT", "2017-07-19"),
        "export-control-enforcement-information-exchange": ("DORMANT", "2023-08-29"),
        "us-china-economic-working-group": ("DORMANT", "2024-02-05"),
        "us-china-tourism-leadership-summit": ("DORMANT", "2024-05-21"),
    }
    # one statement: the filtered list, each activity and last meeting (the compiled read path)
    assert statements == 1


async def test_the_next_expected_meeting_of_each_mechanism(client: httpx.AsyncClient) -> None:
    result = await data(client, NEXT_EXPECTED)

    by_slug = {n["slug"]: n for n in result["mechanisms"]["nodes"]}
    ciwg = by_slug["commercial-issues-working-group"]
    assert ciwg["cadence"] == {
        "text": "twice annually",
        "times": 2,
        "period": "YEAR",
        "atLeast": False,
        "stated": True,
        "intervalMonths": 6,
    }
    assert ciwg["activity"] == {
        "verdict": "DORMANT",
        "nextMeetingDue": "2025-03-07",
        "lastMeeting": {"start": "2024-09"},
    }
    ministers = by_slug["commerce-ministers-communication-channel"]
    assert (ministers["cadence"]["atLeast"], ministers["activity"]["nextMeetingDue"]) == (
        True,
        "2025-10-08",
    )
    exchange = by_slug["export-control-enforcement-information-exchange"]
    assert exchange["cadence"]["stated"] is False
    assert exchange["activity"]["nextMeetingDue"] is None
    # every mechanism of the seed has been checked for a cadence: stated, or "not stated"
    assert all(n["cadence"] is not None for n in by_slug.values())


async def test_a_bad_as_of_date_is_a_user_input_error(client: httpx.AsyncClient) -> None:
    body = await execute(
        client, '{ mechanisms { nodes { activity(asOf: "2024-02-30") { verdict } } } }'
    )

    assert body["errors"][0]["extensions"]["code"] in {
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    }


# --- the compiled read path answers alike, or falls back ------------------------------------


SHAPES = [
    (OVERDUE_OR_MISSED, {"asOf": "2026-11-29"}, True),
    (MINISTERS_PER_YEAR, {}, True),
    (NEXT_EXPECTED, {}, True),
    (
        '{ mechanisms(filter: { activity: [DORMANT], asOf: "2026-11-29" }) '
        "{ totalCount nodes { slug cadence { text times period } } } }",
        {},
        True,
    ),
    (
        '{ commitments(filter: { compliance: [KEPT], asOf: "2024-12-31" }) '
        "{ totalCount nodes { slug status recurrence { text } } } }",
        {},
        True,
    ),
    ("{ mechanisms(first: 20) { nodes { slug cadence { text times period } } } }", {}, True),
    (
        "{ mechanisms(first: 20) { nodes { slug"
        " cadence { text stated atLeast quote note source { url } }"
        " recordReviews { completeFrom completeThrough reviewedBy reviewedOn sourcesSearched"
        " note } } } }",
        {},
        True,
    ),
    (
        "{ commitments(first: 20) { nodes { slug recurrence { text starts }"
        " assessment { verdict asOf note source { url } }"
        " fulfillmentRule { formats kinds minRank bothSides note mechanism { slug }"
        " source { url } } fulfillments { counts note source { url } } } } }",
        {},
        True,
    ),
]


@pytest.mark.parametrize(("query", "variables", "compiled"), SHAPES)
async def test_both_read_paths_answer_alike(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    compiled: bool,
) -> None:
    handled = STATS.handled
    fast = (await client.post("/graphql", json={"query": query, "variables": variables})).text
    assert STATS.handled == handled + (1 if compiled else 0)
    slow = (await standard.post("/graphql", json={"query": query, "variables": variables})).text

    assert fast == slow
    assert '"errors"' not in fast
