"""Mechanism activity as of a fixed date, and month arithmetic both databases share."""

import datetime as dt

import pytest
from sqlalchemy import Date, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import ActivityVerdict as A
from api.models.enums import MechanismStatus, MeetingKind, MeetingStatus, Period
from api.services import activity
from api.services.sql_dates import add_months, months_later
from tests.timeline import Timeline

D = dt.date.fromisoformat


@pytest.fixture
def world(session: AsyncSession) -> Timeline:
    return Timeline(session)


async def _activity(
    session: AsyncSession, mechanism: models.Mechanism, as_of: str
) -> activity.Activity:
    return (await activity.evaluate(session, [mechanism.id], D(as_of)))[mechanism.id]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-02-29", 12, "2025-02-28"),  # a leap day a year on
        ("2024-02-29", 48, "2028-02-29"),
        ("2023-12-31", 2, "2024-02-29"),  # into a leap February
        ("2024-08-31", 6, "2025-02-28"),  # SQLite alone would say 2025-03-03
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-05-15", 0, "2024-05-15"),
        ("2024-12-31", 24, "2026-12-31"),
    ],
)
async def test_months_are_added_alike_in_sql_and_python(
    session: AsyncSession, day: str, months: int, expected: str
) -> None:
    in_sql = await session.scalar(select(add_months(literal(D(day), Date), months)))

    assert (str(in_sql), months_later(D(day), months).isoformat()) == (expected, expected)


async def test_twice_a_year_goes_active_due_overdue_dormant(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=2, period=Period.YEAR)
    last = await world.meeting(mechanism, "2024-08-31")

    verdicts = {
        day: (await _activity(session, mechanism, day)).verdict
        for day in (
            "2024-08-30",  # before its first meeting
            "2024-08-31",
            "2025-01-28",
            "2025-01-29",  # within a month of 2025-02-28
            "2025-02-28",
            "2025-03-01",
            "2025-08-31",
            "2025-09-01",
        )
    }

    assert verdicts == {
        "2024-08-30": A.PROPOSED,
        "2024-08-31": A.ACTIVE,
        "2025-01-28": A.ACTIVE,
        "2025-01-29": A.DUE,
        "2025-02-28": A.DUE,
        "2025-03-01": A.OVERDUE,
        "2025-08-31": A.OVERDUE,
        "2025-09-01": A.DORMANT,
    }
    found = await _activity(session, mechanism, "2025-03-01")
    assert (found.last_meeting_id, found.next_due) == (last.id, D("2025-02-28"))


async def test_a_leap_day_meeting_is_due_again_on_28_february(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=1, period=Period.YEAR)
    await world.meeting(mechanism, "2024-02-29")

    on_the_day = await _activity(session, mechanism, "2025-02-28")
    day_after = await _activity(session, mechanism, "2025-03-01")

    assert (on_the_day.verdict, on_the_day.next_due) == (A.DUE, D("2025-02-28"))
    assert day_after.verdict is A.OVERDUE


async def test_without_a_cadence_dormant_after_24_months_and_never_due(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    await world.meeting(mechanism, "2023-08-29")

    active = await _activity(session, mechanism, "2025-08-29")
    dormant = await _activity(session, mechanism, "2025-08-30")

    assert (active.verdict, active.next_due) == (A.ACTIVE, None)
    assert (dormant.verdict, dormant.next_due) == (A.DORMANT, None)
    assert "No cadence is stated" in dormant.reason


async def test_a_meeting_dated_by_its_month_counts_from_its_last_possible_day(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=1, period=Period.QUARTER)
    await world.meeting(mechanism, "2024-05")

    inside = await _activity(session, mechanism, "2024-05-30")  # may not have met yet
    after = await _activity(session, mechanism, "2024-05-31")

    assert (inside.verdict, after.verdict, after.next_due) == (
        A.PROPOSED,
        A.ACTIVE,
        D("2024-08-31"),
    )


async def test_planned_meetings_and_visits_are_not_last_meetings(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=1, period=Period.YEAR)
    held = await world.meeting(mechanism, "2024-01-10")
    await world.meeting(mechanism, "2024-06-01", status=MeetingStatus.PLANNED)
    visit = await world.meeting(mechanism, "2024-03-01", end="2024-03-03", kind=MeetingKind.VISIT)
    await world.meeting(mechanism, "2024-03-02", status=MeetingStatus.CANCELLED, parent=visit)

    found = await _activity(session, mechanism, "2024-12-01")

    assert found.last_meeting_id == held.id


async def test_ended_by_its_end_date(session: AsyncSession, world: Timeline) -> None:
    mechanism = await world.mechanism(
        times=1, period=Period.YEAR, status=MechanismStatus.ENDED, ended="2016-11"
    )
    await world.meeting(mechanism, "2016-11-21")

    assert (await _activity(session, mechanism, "2016-11-29")).verdict is A.ACTIVE
    assert (await _activity(session, mechanism, "2016-12-01")).verdict is A.ENDED


async def test_the_record_review_says_whether_the_verdict_rests_on_a_complete_record(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=1, period=Period.YEAR)
    await world.meeting(mechanism, "2024-01-10")
    await world.reviewed(mechanism, "2025-06-30")

    covered = await _activity(session, mechanism, "2025-06-30")
    beyond = await _activity(session, mechanism, "2025-07-01")

    assert (covered.verdict, covered.record_complete) == (A.OVERDUE, True)
    assert (beyond.verdict, beyond.record_complete) == (A.OVERDUE, False)


@pytest.mark.parametrize("as_of", ["2016-11-01", "2024-03-31", "2024-12-31", "2026-11-29"])
async def test_the_filter_finds_exactly_the_mechanisms_with_those_verdicts(
    session: AsyncSession, as_of: str
) -> None:
    rows = (await session.execute(select(models.Mechanism.id, models.Mechanism.slug))).all()
    judged = await activity.evaluate(session, [row.id for row in rows], D(as_of))
    slugs = {row.id: row.slug for row in rows}

    for verdict in A:
        found = await session.scalars(
            select(models.Mechanism.slug).where(activity.matching(D(as_of), [verdict]))
        )
        expected = {slugs[key] for key, value in judged.items() if value.verdict is verdict}
        assert set(found) == expected, verdict


async def test_the_seed_as_of_29_november_2026(session: AsyncSession) -> None:
    rows = (await session.execute(select(models.Mechanism.id, models.Mechanism.slug))).all()
    judged = await activity.evaluate(session, [row.id for row in rows], D("2026-11-29"))

    verdicts = {row.slug: (judged[row.id].verdict, judged[row.id].next_due) for row in rows}

    assert verdicts == {
        "export-control-enforcement-information-exchange": (A.DORMANT, None),
        "commercial-issues-working-group": (A.DORMANT, D("2025-03-07")),
        "trade-secrets-technical-discussions": (A.PROPOSED, None),
        "commerce-ministers-communication-channel": (A.DORMANT, D("2025-10-08")),
        "us-china-tourism-leadership-summit": (A.DORMANT, None),
        "us-china-economic-working-group": (A.DORMANT, None),
        "us-china-financial-working-group": (A.PROPOSED, None),
        "jcct": (A.ENDED, D("2017-11-21")),
        "jcct-high-technology-and-strategic-trade-working-group": (A.ENDED, None),
        "us-china-senior-dialogue": (A.ENDED, None),
        "strategic-economic-dialogue": (A.ENDED, None),
        "strategic-and-economic-dialogue": (A.ENDED, None),
        "comprehensive-economic-dialogue": (A.DORMANT, None),
    }
