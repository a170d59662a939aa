"""Timestamps are UTC instants with an offset, rendered the same on SQLite and PostgreSQL."""

import datetime as dt

import httpx
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry, Topic

CREATE_TOPIC = 'mutation { createTopic(input: { name: "Rare earths" }) { userErrors { code } } }'
AUDIT_LOG = "{ auditLog(first: 5) { edges { node { operation occurredAt } } } }"


async def test_occurred_at_carries_the_utc_offset(
    client: httpx.AsyncClient, write_token: str, admin_token: str
) -> None:
    before = dt.datetime.now(dt.UTC)
    written = await client.post(
        "/graphql", json={"query": CREATE_TOPIC}, headers={"Authorization": f"Bearer {write_token}"}
    )
    assert written.json()["data"] == {"createTopic": {"userErrors": []}}
    body = (
        await client.post(
            "/graphql",
            json={"query": AUDIT_LOG},
            headers={"Authorization": f"Bearer {admin_token}"},
        )
    ).json()
    (edge,) = body["data"]["auditLog"]["edges"]
    occurred_at = edge["node"]["occurredAt"]
    assert occurred_at.endswith("+00:00"), occurred_at
    assert before - dt.timedelta(seconds=1) <= dt.datetime.fromisoformat(occurred_at)
    assert dt.datetime.fromisoformat(occurred_at) <= dt.datetime.now(dt.UTC)


async def test_database_defaults_read_back_as_utc(session: AsyncSession) -> None:
    """A server default (SQLite's CURRENT_TIMESTAMP has no offset) still reads back as UTC."""
    await session.execute(
        insert(AuditEntry).values(
            token_name="script",
            operation="raw",
            action="create",
            record_type="topic",
            record_id=1,
            changes={},
        )
    )
    stamp = (
        await session.scalars(select(AuditEntry.occurred_at).where(AuditEntry.operation == "raw"))
    ).one()
    created = (await session.scalars(select(Topic.created_at).limit(1))).one()
    for value in (stamp, created):
        assert value.utcoffset() == dt.timedelta(0), value
        assert abs(dt.datetime.now(dt.UTC) - value) < dt.timedelta(days=1)


async def test_an_aware_timestamp_in_another_zone_is_stored_as_the_same_instant(
    session: AsyncSession,
) -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    instant = dt.datetime(2026, 3, 1, 18, 30, 15, 250000, tzinfo=tokyo)
    session.add(
        AuditEntry(
            occurred_at=instant,
            token_name="script",
            operation="tokyo",
            action="create",
            record_type="topic",
            record_id=1,
            changes={},
        )
    )
    await session.flush()
    found = (
        await session.scalars(
            select(AuditEntry.occurred_at).where(
                AuditEntry.occurred_at == dt.datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=dt.UTC)
            )
        )
    ).one()
    assert found == instant
    assert found.tzinfo == dt.UTC


async def test_graphql_renders_timestamps_identically(
    client: httpx.AsyncClient, admin_token: str, session: AsyncSession
) -> None:
    session.add(
        AuditEntry(
            occurred_at=dt.datetime(2026, 3, 1, 9, 30, 15, tzinfo=dt.UTC),
            token_name="script",
            operation="fixed",
            action="create",
            record_type="topic",
            record_id=1,
            changes={},
        )
    )
    await session.commit()
    query = '{ auditLog(operations: ["fixed"]) { nodes { occurredAt } } }'
    body = (
        await client.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {admin_token}"}
        )
    ).json()
    assert body["data"] == {"auditLog": {"nodes": [{"occurredAt": "2026-03-01T09:30:15+00:00"}]}}
