"""Paging the audit log and a record's history by their timestamp cursors, both ways."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry, Meeting

AUDIT_LOG = """query($first: Int, $after: String, $last: Int, $before: String) {
  auditLog(first: $first, after: $after, last: $last, before: $before, recordTypes: ["meeting"]) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { recordId occurredAt changes } }
  }
}"""
HISTORY = """query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
  meeting(slug: $slug) {
    history(first: $first, after: $after, last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { recordId occurredAt changes } }
    }
  }
}"""
BASE = dt.datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=dt.UTC)


@pytest.fixture
async def meeting_slugs(session: AsyncSession) -> list[str]:
    """Two meetings with 23 and 4 audit entries, three to a timestamp (as one write makes)."""
    meetings = (await session.scalars(select(Meeting).order_by(Meeting.id).limit(2))).all()
    for meeting, count in zip(meetings, (23, 4), strict=True):
        for n in range(count):
            session.add(
                AuditEntry(
                    occurred_at=BASE + dt.timedelta(seconds=n // 3),
                    token_name="test-admin",
                    operation="updateMeeting",
                    action="update",
                    record_type="meeting",
                    record_id=meeting.id,
                    changes={"n": [n, n + 1]},
                )
            )
    await session.commit()
    return [meeting.slug for meeting in meetings]


async def _connection(
    client: httpx.AsyncClient, token: str, query: str, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    if "meeting" in result:
        result = result["meeting"]
    return result["history" if "history" in result else "auditLog"]  # type: ignore[no-any-return]


async def _walk(
    client: httpx.AsyncClient, token: str, query: str, *, forward: bool, **variables: Any
) -> list[Any]:
    seen: list[Any] = []
    cursor = None
    for _ in range(50):
        if forward:
            page = await _connection(client, token, query, first=4, after=cursor, **variables)
            seen += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return seen
            cursor = page["pageInfo"]["endCursor"]
        else:
            page = await _connection(client, token, query, last=4, before=cursor, **variables)
            seen = [edge["node"] for edge in page["edges"]] + seen
            if not page["pageInfo"]["hasPreviousPage"]:
                return seen
            cursor = page["pageInfo"]["startCursor"]
    raise AssertionError("paging never ended")


@pytest.mark.parametrize("forward", [True, False], ids=["after", "before"])
async def test_the_audit_log_pages_through_every_entry_once(
    client: httpx.AsyncClient, admin_token: str, meeting_slugs: list[str], forward: bool
) -> None:
    everything = (await _connection(client, admin_token, AUDIT_LOG, first=100))["edges"]
    assert len(everything) == 27
    assert not (await _connection(client, admin_token, AUDIT_LOG, first=100))["pageInfo"][
        "hasNextPage"
    ]
    stamps = [edge["node"]["occurredAt"] for edge in everything]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    walked = await _walk(client, admin_token, AUDIT_LOG, forward=forward)
    assert walked == [edge["node"] for edge in everything]


@pytest.mark.parametrize("forward", [True, False], ids=["after", "before"])
async def test_a_history_pages_through_every_entry_once(
    client: httpx.AsyncClient, admin_token: str, meeting_slugs: list[str], forward: bool
) -> None:
    slug = meeting_slugs[0]
    everything = (await _connection(client, admin_token, HISTORY, slug=slug, first=100))["edges"]
    assert len(everything) == 23
    walked = await _walk(client, admin_token, HISTORY, forward=forward, slug=slug)
    assert walked == [edge["node"] for edge in everything]
    changes = [node["changes"]["n"][0] for node in walked]
    assert changes == sorted(changes, reverse=True)  # newest first, ties by id
