"""Writers at the same time, committed for real: retries never write twice, and two editors
never silently overwrite each other."""

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory
from api.main import create_app
from api.models import AuditEntry, Meeting, Person, Scope
from api.services import tokens
from api.settings import Settings

RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { replayed userErrors { code } meeting { id } }
}
"""
UPDATE = """
mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) { userErrors { field code } meeting { title version } }
}
"""


@pytest.fixture
async def writer(seeded_engine: AsyncEngine, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a write token, on an app over the seeded scratch database."""
    async with AsyncSession(seeded_engine) as session:
        token, _ = await tokens.create(session, name="load", scope=Scope.WRITE)
        await session.commit()
    settings = Settings(database_url=database_url, mutation_rate_limit=10_000)
    app = create_app(settings, session_factory=create_session_factory(seeded_engine))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://parley.test",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    ) as client:
        yield client


async def _count(engine: AsyncEngine, model: Any, *where: Any) -> int:
    async with AsyncSession(engine) as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_200_concurrent_recordings_with_20_retried_keys(
    seeded_engine: AsyncEngine, writer: httpx.AsyncClient
) -> None:
    # given 180 distinct meetings, 20 of which are sent twice with the same key
    async with AsyncSession(seeded_engine) as session:
        person_ids = list(await session.scalars(select(Person.id).limit(4)))
    before = await _count(seeded_engine, Meeting)

    def meeting(n: int) -> dict[str, Any]:
        return {
            "idempotencyKey": f"load-{n}",
            "title": f"Concurrent meeting {n}",
            "start": "2025-06-01",
            "participants": [
                {"personId": f"{_global('Person', pid)}", "side": "US" if i % 2 else "CN"}
                for i, pid in enumerate(person_ids)
            ],
        }

    inputs = [meeting(n) for n in range(180)] + [meeting(n) for n in range(20)]

    # when all 200 are sent at once
    responses = await asyncio.gather(
        *(
            writer.post("/graphql", json={"query": RECORD, "variables": {"input": i}})
            for i in inputs
        )
    )

    # then every call succeeds, 180 meetings and 180 audit entries exist, 20 were replays
    payloads = [r.json() for r in responses]
    assert [r.status_code for r in responses] == [200] * 200
    assert all(
        "errors" not in p and p["data"]["recordMeeting"]["userErrors"] == [] for p in payloads
    )
    assert sum(p["data"]["recordMeeting"]["replayed"] for p in payloads) == 20
    ids = {p["data"]["recordMeeting"]["meeting"]["id"] for p in payloads}
    assert len(ids) == 180
    assert await _count(seeded_engine, Meeting) == before + 180
    assert await _count(seeded_engine, AuditEntry, AuditEntry.operation == "recordMeeting") == 180


async def test_two_updates_of_the_same_version_one_wins_one_conflicts(
    writer: httpx.AsyncClient,
) -> None:
    created = (
        await writer.post(
            "/graphql", json={"query": RECORD, "variables": {"input": {"title": "Draft"}}}
        )
    ).json()
    meeting_id = created["data"]["recordMeeting"]["meeting"]["id"]

    def update(title: str) -> Any:
        variables = {"input": {"id": meeting_id, "expectedVersion": 1, "title": title}}
        return writer.post("/graphql", json={"query": UPDATE, "variables": variables})

    first, second = await asyncio.gather(update("Title A"), update("Title B"))

    payloads = [first.json()["data"]["updateMeeting"], second.json()["data"]["updateMeeting"]]
    winners = [p for p in payloads if not p["userErrors"]]
    losers = [p for p in payloads if p["userErrors"]]
    assert len(winners) == len(losers) == 1
    assert winners[0]["meeting"]["version"] == 2
    assert losers[0] == {
        "userErrors": [{"field": ["expectedVersion"], "code": "CONFLICT"}],
        "meeting": None,
    }


def _global(type_name: str, node_id: int) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()
