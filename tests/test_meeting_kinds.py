"""Meeting kinds: a visit groups meetings, a preparatory call prepares one; only real ones count."""

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.models import Meeting, Participation
from api.models.enums import MeetingKind, MeetingStatus
from api.services import counting
from tests.graphql import data
from tests.test_record_meeting import record

# Every seed meeting that is not a plain meeting; all others are MEETING.
SEED_KINDS = {
    "2023-06-blinken-visit-to-beijing": "VISIT",
    "2023-07-yellen-visit-to-beijing": "VISIT",
    "2023-08-raimondo-visit-to-china": "VISIT",
    "2023-11-16-raimondo-wang-wentao-san-francisco": "SIDELINE",
    "2024-02-06-wang-shouwen-lago-video-call": "PREPARATORY",
}

MEETINGS = """
query($filter: MeetingFilterInput) {
  meetings(filter: $filter, first: 100, orderBy: [START_DATE_ASC]) {
    totalCount
    nodes { slug kind status counted parent { slug kind } }
  }
}
"""


async def _meetings(client: httpx.AsyncClient, **filter_: Any) -> list[dict[str, Any]]:
    result = await data(client, MEETINGS, filter=filter_)
    assert result["meetings"]["totalCount"] == len(result["meetings"]["nodes"])
    found: list[dict[str, Any]] = result["meetings"]["nodes"]
    return found


async def test_every_seed_meeting_has_its_kind(client: httpx.AsyncClient) -> None:
    meetings = await _meetings(client)

    kinds = {m["slug"]: m["kind"] for m in meetings}
    assert {slug: kind for slug, kind in kinds.items() if kind != "MEETING"} == SEED_KINDS
    # a meeting that is part of another is part of a visit
    assert {m["parent"]["kind"] for m in meetings if m["parent"]} == {"VISIT"}


async def test_the_raimondo_visit_groups_its_beijing_meetings(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        """{ meeting(slug: "2023-08-raimondo-visit-to-china") {
               kind counted parts { slug kind counted } } }""",
    )

    visit = result["meeting"]
    assert (visit["kind"], visit["counted"]) == ("VISIT", False)
    assert sorted(part["slug"] for part in visit["parts"]) == [
        "2023-08-28-raimondo-us-business-leaders-beijing",
        "2023-08-28-raimondo-wang-wentao-beijing",
        "2023-08-29-export-control-information-exchange-beijing",
        "2023-08-29-raimondo-he-lifeng",
        "2023-08-29-raimondo-hu-heping",
        "2023-08-29-raimondo-li-qiang",
    ]
    assert {(part["kind"], part["counted"]) for part in visit["parts"]} == {("MEETING", True)}


async def test_counted_filter_follows_the_rule(client: httpx.AsyncClient) -> None:
    meetings = await _meetings(client)
    counted = {m["slug"] for m in await _meetings(client, counted=True)}
    not_counted = {m["slug"] for m in await _meetings(client, counted=False)}

    assert counted | not_counted == {m["slug"] for m in meetings}
    assert counted == {m["slug"] for m in meetings if m["counted"]}
    assert not_counted == {
        "2023-06-blinken-visit-to-beijing",
        "2023-07-yellen-visit-to-beijing",
        "2023-08-raimondo-visit-to-china",
        "2024-02-06-wang-shouwen-lago-video-call",
        # announced for January 2024; no source says it took place
        "2024-01-trade-secrets-technical-discussions",
    }
    assert {m["status"] for m in meetings if m["slug"] in counted} == {"HELD"}


async def test_kinds_filter(client: httpx.AsyncClient) -> None:
    found = await _meetings(client, kinds=["PREPARATORY", "SIDELINE"])

    assert [m["slug"] for m in found] == [
        "2023-11-16-raimondo-wang-wentao-san-francisco",
        "2024-02-06-wang-shouwen-lago-video-call",
    ]


@pytest.mark.parametrize("kind", list(MeetingKind))
@pytest.mark.parametrize("status", list(MeetingStatus))
def test_the_rule_in_python_and_sql_agree(kind: MeetingKind, status: MeetingStatus) -> None:
    expected = kind in (MeetingKind.MEETING, MeetingKind.SIDELINE) and status is MeetingStatus.HELD
    assert counting.is_counted(kind, status) is expected
    assert counting.is_counted(kind.value, status.value) is expected


async def test_the_rule_in_sql(session: AsyncSession) -> None:
    rows = (await session.execute(select(Meeting.kind, Meeting.status, counting.counted()))).all()

    assert rows
    assert all(bool(sql) is counting.is_counted(kind, status) for kind, status, sql in rows)


async def test_record_meeting_defaults_to_meeting_and_takes_a_kind(
    client: httpx.AsyncClient, write_token: str
) -> None:
    plain = await record(client, write_token, title="A plain meeting", start="2025-03-01")
    call = await record(
        client,
        write_token,
        title="A preparatory call",
        start="2025-03-02",
        kind="PREPARATORY",
        format="CALL",
    )
    assert plain["userErrors"] == call["userErrors"] == []

    result = await data(
        client,
        """query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Meeting { kind counted } }
                                     b: node(id: $b) { ... on Meeting { kind counted } } }""",
        a=plain["meeting"]["id"],
        b=call["meeting"]["id"],
    )
    assert result == {
        "a": {"kind": "MEETING", "counted": True},
        "b": {"kind": "PREPARATORY", "counted": False},
    }


async def test_update_meeting_changes_the_kind(client: httpx.AsyncClient, write_token: str) -> None:
    created = (await record(client, write_token, title="Reclassified", start="2025-04-01"))[
        "meeting"
    ]
    response = await client.post(
        "/graphql",
        json={
            "query": """mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) {
                          meeting { kind counted } userErrors { code } } }""",
            "variables": {
                "input": {
                    "id": created["id"],
                    "expectedVersion": created["version"],
                    "kind": "SIDELINE",
                }
            },
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )

    assert response.json()["data"]["updateMeeting"] == {
        "meeting": {"kind": "SIDELINE", "counted": True},
        "userErrors": [],
    }


async def test_an_unknown_kind_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ meetings(filter: {kinds: [PLENARY]}) { totalCount } }"}
    )

    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def _kinds(engine: AsyncEngine) -> dict[str, str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT slug, kind FROM meeting"))
        return {str(row[0]): str(row[1]) for row in rows}


async def _count(engine: AsyncEngine, entity: Any) -> int:
    async with AsyncSession(engine) as session:
        return int(await session.scalar(select(func.count()).select_from(entity)) or 0)


async def test_the_migration_classifies_a_seeded_database(seeded_engine: AsyncEngine) -> None:
    # given a seeded database taken back to before kinds existed
    participations = await _count(seeded_engine, Participation)
    await migrations.downgrade(seeded_engine, "0003", force=True)  # drops meeting.kind

    # when it is upgraded
    await migrations.upgrade(seeded_engine)

    # then every row is still there, and the seed's meetings have the kinds the seed gives them
    kinds = await _kinds(seeded_engine)
    assert {slug: kind.upper() for slug, kind in kinds.items() if kind != "meeting"} == SEED_KINDS
    assert await _count(seeded_engine, Participation) == participations
    await migrations.check(seeded_engine)
    async with seeded_engine.begin() as connection:
        with pytest.raises(IntegrityError):
            await connection.execute(text("UPDATE meeting SET kind = 'plenary'"))
