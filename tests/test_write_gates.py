"""CI gate of the benchmark's write (deterministic, no timings): SQL statements per recordMeeting.

A recordMeeting costs the same number of statements whatever the number of participants and
topics it records (one multi-row INSERT per table, the checks one query per kind of record),
and none to read its answer: the payload is read from the records the write holds. Counted on
each database the suite runs on.
"""

import itertools
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import models
from api.db import create_session_factory, statement_log
from api.main import create_app
from api.models import Scope
from api.services import tokens
from api.settings import Settings
from bench import operations

SQL = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")

RECORD = """
mutation Record($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    meeting {
      title start
      participations { role titleAsReported person { name } side { code } }
      topicsRaised { stance raisedBy { code } topic { slug } }
    }
    userErrors { field code message }
  }
}
"""
STANCES = ("CONCERN", "REQUEST", "COOPERATION", "INFORMATION")
SIDES = ("US", "CN")
# The statements of one recordMeeting with participants and topics, whatever their number:
# token; rate limit; people; topics; meeting (its INSERT checks its slug); countries
# (participants', topics'); participations; topics raised; audit entries with the data-version
# bump (one statement on PostgreSQL, two on SQLite).
EXPECTED = {"postgresql": 10, "sqlite": 11}


async def _record(
    client: httpx.AsyncClient,
    token: str,
    statements: list[str],
    name: str,
    people: list[int],
    topics: list[int],
) -> list[str]:
    combinations = itertools.product(topics, SIDES, STANCES)
    variables: dict[str, Any] = {
        "input": {
            "slug": f"gate-{name}",
            "title": f"Gate meeting {name}",
            "start": "2025-06-01",
            "format": "IN_PERSON",
            "participants": [
                {
                    "personId": operations.parley_id("Person", person),
                    "side": SIDES[k % 2],
                    "role": "PARTICIPANT",
                    "title": f"Delegate {k}",
                }
                for k, person in enumerate(people)
            ],
            "topics": [
                {
                    "topicId": operations.parley_id("Topic", topic),
                    "raisedBy": side,
                    "stance": stance,
                }
                for topic, side, stance in itertools.islice(combinations, len(people))
            ],
        }
    }
    statements.clear()
    response = await client.post(
        "/graphql",
        json={"query": RECORD, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    recorded = body["data"]["recordMeeting"]
    assert recorded["userErrors"] == []
    meeting = recorded["meeting"]
    assert len(meeting["participations"]) == len(people)
    assert len(meeting["topicsRaised"]) == len(people)
    names = {p["person"]["name"] for p in meeting["participations"]}
    assert len(names) == len(people)  # every person read, from what the write loaded
    assert {p["side"]["code"] for p in meeting["participations"]} == set(SIDES[: len(people)])
    return [s for s in statements if s.lstrip().upper().startswith(SQL)]


@pytest.mark.parametrize("size", [1, 8])
async def test_record_meeting_costs_a_constant_number_of_statements(
    client: httpx.AsyncClient,
    write_token: str,
    session: AsyncSession,
    statements: list[str],
    database_url: str,
    size: int,
) -> None:
    # given people and topics that exist
    people = list(
        await session.scalars(select(models.Person.id).order_by(models.Person.id).limit(size))
    )
    topics = list(await session.scalars(select(models.Topic.id).order_by(models.Topic.id)))
    assert len(people) == size

    # when a meeting with `size` participants and `size` topics is recorded
    sent = await _record(client, write_token, statements, f"n{size}", people, topics)

    # then it costs the same statements at any size, and none after the write to answer
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert len(sent) == EXPECTED[dialect], "\n".join(s[:120] for s in sent)
    last_write = max(
        n for n, s in enumerate(sent) if s.lstrip().upper().startswith(("UPDATE", "WITH"))
    )
    assert last_write == len(sent) - 1, "the answer was read again after the write"
    participations = [s for s in sent if s.lstrip().upper().startswith("INSERT INTO PARTICIPATION")]
    assert len(participations) == 1


QUERY_BACK = """
query($slug: String!) {
  meeting(slug: $slug) { title participations { person { name } } }
  auditLog(first: 1) { nodes { operation recordType } }
}
"""


async def test_record_meeting_on_the_servers_own_connections(
    seeded_engine: AsyncEngine, database_url: str
) -> None:
    # given the app on its own engine (on PostgreSQL: one connection held per request, reads
    # outside a transaction, the rate limit's hit committed by itself)
    async with AsyncSession(seeded_engine) as session:
        token, _ = await tokens.create(session, name="gate-admin", scope=Scope.ADMIN)
        people = list(
            await session.scalars(select(models.Person.id).order_by(models.Person.id).limit(4))
        )
        topics = list(await session.scalars(select(models.Topic.id).order_by(models.Topic.id)))
        await session.commit()
    settings = Settings(database_url=database_url, response_cache_size=0)
    app = create_app(settings, session_factory=create_session_factory(seeded_engine))
    transport = httpx.ASGITransport(app=app)
    with statement_log(seeded_engine) as statements:
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
            # when a meeting is recorded, then one with a user error, then one more
            sent = await _record(client, token, statements, "own", people, topics)
            refused = await client.post(
                "/graphql",
                json={"query": RECORD, "variables": {"input": {"title": "", "format": "CALL"}}},
                headers={"Authorization": f"Bearer {token}"},
            )
            again = await _record(client, token, statements, "own-2", people, topics)
            back = await client.post(
                "/graphql",
                json={"query": QUERY_BACK, "variables": {"slug": "gate-own"}},
                headers={"Authorization": f"Bearer {token}"},
            )

    # then each write costs the gate's statements, the refused one wrote nothing, and the
    # records and their audit entries read back
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert len(sent) == len(again) == EXPECTED[dialect]
    assert refused.json()["data"]["recordMeeting"]["userErrors"][0]["code"] == "REQUIRED"
    found = back.json()["data"]
    assert found["meeting"]["title"] == "Gate meeting own"
    assert len(found["meeting"]["participations"]) == len(people)
    assert found["auditLog"]["nodes"] == [{"operation": "recordMeeting", "recordType": "meeting"}]
    async with seeded_engine.connect() as connection:
        meetings = await connection.scalar(
            select(func.count())
            .select_from(models.Meeting)
            .where(models.Meeting.slug.like("gate-%"))
        )
        entries = await connection.scalar(
            select(func.count())
            .select_from(models.AuditEntry)
            .where(models.AuditEntry.operation == "recordMeeting")
        )
    assert (meetings, entries) == (2, 2)
