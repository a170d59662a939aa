"""The compiled read path answers computed, time-aware fields and records' histories exactly as
the standard executor does, on both databases: audit entries (timestamps with and without a
fraction, stored from another zone or by the database's own clock; changes as JSON), and their
pages by cursor."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import clock, models
from api.db import statement_log
from bench import operations
from schema.compiled import STATS

SQL = ("SELECT", "WITH")
HISTORIES: dict[str, tuple[str, Any]] = {
    "mechanism": ("Mechanism", models.Mechanism),
    "meeting": ("Meeting", models.Meeting),
    "commitment": ("Commitment", models.Commitment),
    "person": ("Person", models.Person),
    "organization": ("Organization", models.Organization),
    "position": ("Position", models.Position),
    "topic": ("Topic", models.Topic),
    "policy_measure": ("PolicyMeasure", models.PolicyMeasure),
    "source": ("Source", models.Source),
    "statement": ("Statement", models.Statement),
}


async def _alike(
    compiled: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    query: str,
    **variables: Any,
) -> dict[str, Any]:
    """The same bytes on both paths, the compiled one answering with one statement."""
    handled = STATS.handled
    with statement_log(engine) as seen:
        fast = await compiled.post("/graphql", json={"query": query, "variables": variables})
    assert STATS.handled == handled + 1, query
    assert sum(1 for s in seen if s.lstrip().upper().startswith(SQL)) == 1
    slow = await standard.post("/graphql", json={"query": query, "variables": variables})
    assert fast.content == slow.content
    body: dict[str, Any] = slow.json()
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


# --- histories --------------------------------------------------------------------------------

TOKYO = dt.timezone(dt.timedelta(hours=9))
STAMPS = [
    dt.datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 9, 30, 15, tzinfo=dt.UTC),  # no fraction
    dt.datetime(2026, 3, 1, 18, 30, 16, 1, tzinfo=TOKYO),  # another zone, one microsecond
    dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
]
CHANGES: list[dict[str, Any]] = [
    {"title": ["Old", "新しい"], "start": [None, "2024-05"]},
    {"participants": [None, [{"name": "王文涛", "role": "head"}, {"name": None}]]},
    {"counted": [True, False], "z": [1, 2], "a": ["x", 'with "quotes" \\ and\nnewline']},
    {},
]


@pytest.fixture
async def histories(session: AsyncSession) -> dict[str, int]:
    """Audit entries about the first record of each kind (ties on a timestamp included), and
    one stamped by the database's own clock."""
    first: dict[str, int] = {}
    for table, (_, model) in HISTORIES.items():
        record_id = await session.scalar(select(model.id).order_by(model.id).limit(1))
        assert record_id is not None
        first[table] = record_id
        for n, (stamp, changes) in enumerate(zip(STAMPS, CHANGES, strict=True)):
            session.add(
                models.AuditEntry(
                    occurred_at=stamp,
                    token_name="test-writer",
                    operation=f"update{table.title()}",
                    action="update" if n else "create",
                    record_type=table,
                    record_id=record_id,
                    changes=changes,
                )
            )
        session.add(  # the same instant as the first entry: ordered by id
            models.AuditEntry(
                occurred_at=STAMPS[0],
                token_name="test-admin",
                operation="tie",
                action="update",
                record_type=table,
                record_id=record_id,
                changes={"n": [1, 2]},
            )
        )
    await session.flush()
    await session.execute(
        text(
            "INSERT INTO audit_entry (token_name, operation, action, record_type, record_id, "
            "changes) VALUES ('script', 'raw', 'update', 'meeting', :id, '{\"k\": [1, 2.5]}')"
        ),
        {"id": first["meeting"]},
    )
    await session.commit()
    return first


HISTORY = """
query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) {
    id
    ... on %s {
      history(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id occurredAt tokenName operation action recordType recordId
                              changes __typename } }
        nodes { occurredAt changes }
      }
    }
  }
}
"""


@pytest.mark.parametrize("table", sorted(HISTORIES))
async def test_every_history_answers_alike_with_one_statement(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    histories: dict[str, int],
    table: str,
) -> None:
    type_name = HISTORIES[table][0]
    query = HISTORY % type_name
    node = operations.parley_id(type_name, histories[table])

    history = (await _alike(client, standard, engine, query, id=node, first=10))["node"]["history"]

    assert history["totalCount"] == len(STAMPS) + 1 + (table == "meeting")
    stamps = [edge["node"]["occurredAt"] for edge in history["edges"]]
    assert stamps == sorted(stamps, reverse=True)
    assert "2026-03-01T09:30:16.000001+00:00" in stamps  # Tokyo's 18:30, in UTC
    assert "2026-03-01T09:30:15+00:00" in stamps  # no fraction written
    assert "1999-12-31T23:59:59.999999+00:00" in stamps

    # and paging by the cursors each path wrote, both ways
    first = (await _alike(client, standard, engine, query, id=node, first=2))["node"]["history"]
    after = {"id": node, "first": 2, "after": first["pageInfo"]["endCursor"]}
    page = (await _alike(client, standard, engine, query, **after))["node"]["history"]
    assert page["pageInfo"]["hasPreviousPage"]
    before = {"id": node, "last": 1, "before": page["pageInfo"]["startCursor"]}
    back = (await _alike(client, standard, engine, query, **before))["node"]["history"]
    assert back["nodes"] == first["nodes"][1:]


async def test_histories_in_lists_answer_alike(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    histories: dict[str, int],
) -> None:
    query = """{ people(first: 3) { nodes { name history(first: 2) { totalCount
      edges { node { occurredAt changes } } } positions { title history { totalCount
      nodes { occurredAt tokenName changes } } } } }
      meetings(first: 3, orderBy: [TITLE_ASC]) { nodes { history(last: 2) { nodes { id } } } } }"""
    await _alike(client, standard, engine, query)


async def test_an_audit_entry_by_id_still_needs_the_admin_token(
    client: httpx.AsyncClient, histories: dict[str, int]
) -> None:
    meeting = operations.parley_id("Meeting", histories["meeting"])
    query = """query ($id: ID!) {
      node(id: $id) { ... on Meeting { history(first: 1) { nodes { id } } } } }"""
    body = (
        await client.post("/graphql", json={"query": query, "variables": {"id": meeting}})
    ).json()
    entry = body["data"]["node"]["history"]["nodes"][0]["id"]
    handled = STATS.handled
    refused = await client.post(
        "/graphql",
        json={"query": "query ($id: ID!) { node(id: $id) { id } }", "variables": {"id": entry}},
    )
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert STATS.handled == handled  # the standard executor checked the token


# --- computed as of a date --------------------------------------------------------------------

# Dates where the seed's verdicts differ: before and after meetings, reviews and due dates (the
# CIWG's next meeting was due by 2025-03-07), the calendar's first and last days.
AS_OF = [
    "1900-01-01",
    "2017-07-19",
    "2023-08-28",
    "2023-08-29",
    "2024-03-07",
    "2024-06-30",
    "2024-09-30",
    "2024-12-31",
    "2025-02-06",
    "2025-03-07",
    "2025-03-08",
    "2025-10-08",
    "2026-11-29",
    "2199-12-31",
]


@pytest.fixture
def today_is_29_november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 11, 29))


ACTIVITY = """
query ($asOf: Date) {
  mechanisms(first: 50, orderBy: [NAME_ASC]) {
    nodes {
      slug
      cadence { text times period intervalMonths }
      activity(asOf: $asOf) {
        asOf verdict reason nextMeetingDue recordComplete __typename
        lastMeeting { slug start end status mechanism { slug } }
      }
      today: activity { asOf verdict }
    }
  }
}
"""


@pytest.mark.usefixtures("today_is_29_november_2026")
@pytest.mark.parametrize("as_of", AS_OF)
async def test_activity_answers_alike_as_of_each_date(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine, as_of: str
) -> None:
    found = await _alike(client, standard, engine, ACTIVITY, asOf=as_of)

    nodes = found["mechanisms"]["nodes"]
    assert {node["activity"]["asOf"] for node in nodes} == {as_of}
    assert {node["today"]["asOf"] for node in nodes} == {"2026-11-29"}


async def test_activity_verdicts_differ_between_the_dates(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    seen: dict[str, set[str]] = {}
    for as_of in AS_OF:
        found = await _alike(client, standard, engine, ACTIVITY, asOf=as_of)
        for node in found["mechanisms"]["nodes"]:
            seen.setdefault(node["slug"], set()).add(node["activity"]["verdict"])
    ciwg = seen["commercial-issues-working-group"]
    assert {"PROPOSED", "ACTIVE", "DUE", "OVERDUE", "DORMANT"} <= ciwg
    assert any("ENDED" in verdicts for verdicts in seen.values())


async def test_activity_by_slug_and_by_id_answers_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    query = """query ($id: ID!) {
      mechanism(slug: "commercial-issues-working-group") {
        early: activity(asOf: "2024-03-07") { verdict reason lastMeeting { title } }
        late: activity(asOf: "2025-03-08") { verdict reason nextMeetingDue }
        again: activity(asOf: "2024-03-07") { nextMeetingDue recordComplete }
      }
      node(id: $id) { ... on Mechanism { activity(asOf: "2025-03-07") { verdict reason } } }
    }"""
    ciwg = await _alike(
        client, standard, engine, '{ mechanism(slug: "commercial-issues-working-group") { id } }'
    )
    found = await _alike(client, standard, engine, query, id=ciwg["mechanism"]["id"])
    assert found["mechanism"]["late"]["verdict"] == "OVERDUE"
    assert found["node"]["activity"]["verdict"] == "DUE"


@pytest.mark.parametrize("as_of", ["1899-12-31", "2200-01-01"])
async def test_an_as_of_outside_the_calendar_is_the_same_error_on_both_paths(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, as_of: str
) -> None:
    query = """query ($asOf: Date) { mechanisms(first: 2) { nodes { activity(asOf: $asOf) {
      verdict } } } commitments(first: 2) { nodes { compliance(asOf: $asOf) { verdict } } } }"""
    fast = await client.post("/graphql", json={"query": query, "variables": {"asOf": as_of}})
    slow = await standard.post("/graphql", json={"query": query, "variables": {"asOf": as_of}})
    fast_body, slow_body = fast.json(), slow.json()
    for body in (fast_body, slow_body):
        for error in body["errors"]:
            error["extensions"].pop("requestId", None)
    assert fast_body == slow_body
    assert fast_body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


COMPLIANCE = """
query ($asOf: Date) {
  commitments(first: 50, orderBy: [TITLE_ASC]) {
    nodes {
      slug
      assessment { verdict }
      compliance(asOf: $asOf) {
        asOf verdict reason recordComplete disagreesWithAssessment __typename
        fulfilledBy { slug start mechanism { slug } }
        periods {
          period verdict reason required held recordComplete __typename
          meetings { slug title start format }
        }
      }
      today: compliance { asOf verdict periods { period verdict } }
    }
  }
}
"""


@pytest.mark.usefixtures("today_is_29_november_2026")
@pytest.mark.parametrize("as_of", AS_OF)
async def test_compliance_answers_alike_as_of_each_date(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine, as_of: str
) -> None:
    found = await _alike(client, standard, engine, COMPLIANCE, asOf=as_of)

    nodes = found["commitments"]["nodes"]
    assert {node["compliance"]["asOf"] for node in nodes} == {as_of}
    assert {node["today"]["asOf"] for node in nodes} == {"2026-11-29"}


async def test_compliance_verdicts_differ_between_the_dates(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    seen: dict[str, set[str]] = {}
    for as_of in AS_OF:
        found = await _alike(client, standard, engine, COMPLIANCE, asOf=as_of)
        for node in found["commitments"]["nodes"]:
            seen.setdefault(node["slug"], set()).add(node["compliance"]["verdict"])
            for period in node["compliance"]["periods"]:
                seen[node["slug"]].add(f"period {period['verdict']}")
    ministers = seen["ministers-meet-in-person-annually"]
    assert {"PENDING", "KEPT", "MISSED", "period KEPT", "period MISSED", "period UNKNOWN"} <= (
        ministers
    )


async def test_compliance_with_its_filter_and_twice_in_one_operation_answers_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    # the filter's SQL and the field's, for two dates, in one statement
    query = """{
      commitments(filter: { compliance: [OVERDUE, MISSED], asOf: "2026-11-29" }) {
        totalCount
        nodes {
          title
          compliance(asOf: "2026-11-29") { verdict reason periods { period verdict } }
          before: compliance(asOf: "2024-06-30") { verdict reason recordComplete
            periods { period reason meetings { title } } }
          again: compliance(asOf: "2026-11-29") { fulfilledBy { title } }
        }
      }
      commitment(slug: "ministers-meet-in-person-annually") {
        assessment { verdict note }
        compliance(asOf: "2026-11-29") { verdict disagreesWithAssessment
          periods { period verdict recordComplete reason meetings { title start format } } }
      }
    }"""
    found = await _alike(client, standard, engine, query)
    assert found["commitments"]["nodes"][0]["compliance"]["reason"] == "Missed in 2024."
    assert found["commitment"]["compliance"]["disagreesWithAssessment"] is True


async def test_compliance_and_activity_by_id_answer_alike(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    session: AsyncSession,
) -> None:
    ids = list(await session.scalars(select(models.Commitment.id).order_by(models.Commitment.id)))
    query = """query ($ids: [ID!]!) { nodes(ids: $ids) { id
      ... on Commitment { compliance(asOf: "2025-01-01") { verdict reason fulfilledBy { id } } }
      ... on Mechanism { activity(asOf: "2025-01-01") { verdict lastMeeting { id } } } } }"""
    global_ids = [operations.parley_id("Commitment", row_id) for row_id in ids]
    await _alike(client, standard, engine, query, ids=global_ids)
