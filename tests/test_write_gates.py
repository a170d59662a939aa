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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
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
# token; rate limit; slug; people; topics; meeting; countries (participants', topics');
# participations; topics raised; audit entries with the data-version bump (one statement on
# PostgreSQL, two on SQLite).
EXPECTED = {"postgresql": 11, "sqlite": 12}


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
