"""Commitment compliance as of a fixed date: period edges, partial dates, the record's
completeness, due dates ("early 2024"), editors' links; and the SQL filter agreeing with the
per-commitment verdicts on the seed."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import ComplianceVerdict as V
from api.models.enums import MeetingFormat, MeetingKind, MeetingStatus, Period, Rank
from api.services import compliance
from tests.timeline import Timeline

D = dt.date.fromisoformat


async def _judge(session: AsyncSession, commitment: models.Commitment, as_of: str) -> Any:
    found = await compliance.evaluate(session, [commitment.id], D(as_of))
    return found[commitment.id]


def _periods(result: compliance.Compliance) -> list[tuple[str, V]]:
    return [(str(p.period), p.verdict) for p in result.periods]


@pytest.fixture
def world(session: AsyncSession) -> Timeline:
    return Timeline(session)


# --- recurring commitments: periods ---------------------------------------------------------


async def test_a_meeting_on_the_last_day_of_a_half_counts_for_that_half(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism(times=1, period=Period.HALF_YEAR)
    commitment = await world.commitment(
        mechanism, times=1, period=Period.HALF_YEAR, starts="2024-01"
    )
    await world.reviewed(mechanism, "2024-12-31")
    await world.meeting(mechanism, "2024-06-30")
    await world.meeting(mechanism, "2024-07-01")

    result = await _judge(session, commitment, "2025-01-01")

    assert _periods(result) == [("2024-H1", V.KEPT), ("2024-H2", V.KEPT), ("2025-H1", V.PENDING)]
    assert result.verdict is V.KEPT


async def test_a_period_is_pending_through_its_last_day(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(
        mechanism, times=1, period=Period.HALF_YEAR, starts="2024-H1"
    )
    await world.reviewed(mechanism, "2030-12-31")

    on_last_day = await _judge(session, commitment, "2024-06-30")
    day_after = await _judge(session, commitment, "2024-07-01")

    assert _periods(on_last_day) == [("2024-H1", V.PENDING)]
    assert on_last_day.verdict is V.PENDING
    assert _periods(day_after) == [("2024-H1", V.MISSED), ("2024-H2", V.PENDING)]
    assert day_after.verdict is V.MISSED


async def test_a_meeting_dated_by_its_year_is_kept_for_the_year_unknown_for_each_half(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    halves = await world.commitment(mechanism, times=1, period=Period.HALF_YEAR, starts="2024")
    years = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2024")
    await world.reviewed(mechanism, "2025-12-31")
    await world.meeting(mechanism, "2024")

    by_half = await _judge(session, halves, "2025-01-01")
    by_year = await _judge(session, years, "2025-01-01")

    assert _periods(by_half) == [
        ("2024-H1", V.UNKNOWN),
        ("2024-H2", V.UNKNOWN),
        ("2025-H1", V.PENDING),
    ]
    assert "may have been" in by_half.periods[0].reason
    assert _periods(by_year) == [("2024", V.KEPT), ("2025", V.PENDING)]


async def test_a_month_spanning_two_quarters_cannot_be_placed_but_its_half_can(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    quarters = await world.commitment(mechanism, times=1, period=Period.QUARTER, starts="2024-Q1")
    halves = await world.commitment(mechanism, times=1, period=Period.HALF_YEAR, starts="2024-H1")
    await world.reviewed(mechanism, "2024-12-31")
    await world.meeting(mechanism, "2024-H1")  # Q1 or Q2: the half is known, not the quarter

    by_quarter = await _judge(session, quarters, "2024-07-01")
    by_half = await _judge(session, halves, "2024-07-01")

    assert _periods(by_quarter) == [
        ("2024-Q1", V.UNKNOWN),
        ("2024-Q2", V.UNKNOWN),
        ("2024-Q3", V.PENDING),
    ]
    assert _periods(by_half)[0] == ("2024-H1", V.KEPT)


async def test_a_meeting_that_ended_earlier_than_its_start_month_is_placed_by_its_end(
    session: AsyncSession, world: Timeline
) -> None:
    # "concluded on 7 September": a start dated 2024-09, an end on the 7th
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.MONTH, starts="2024-09")
    await world.reviewed(mechanism, "2024-12-31")
    await world.meeting(mechanism, "2024-09", end="2024-09-07")

    result = await _judge(session, commitment, "2024-09-08")

    assert _periods(result) == [("2024-09", V.KEPT)]


async def test_absence_is_missed_only_where_the_record_is_complete(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=2, period=Period.YEAR, starts="2023")
    await world.reviewed(mechanism, "2023-12-31")  # nobody has looked at 2024
    await world.meeting(mechanism, "2023-03-01")
    await world.meeting(mechanism, "2024-03-01")

    result = await _judge(session, commitment, "2025-06-01")

    assert _periods(result) == [("2023", V.MISSED), ("2024", V.UNKNOWN), ("2025", V.PENDING)]
    assert [p.record_complete for p in result.periods] == [True, False, False]
    assert "complete only through 2023-12-31" in result.periods[1].reason
    assert result.verdict is V.MISSED
    assert result.record_complete is False


async def test_a_review_must_cover_the_whole_period(session: AsyncSession, world: Timeline) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2024")
    await world.reviewed(mechanism, "2024-12-30")

    result = await _judge(session, commitment, "2025-01-02")

    assert _periods(result) == [("2024", V.UNKNOWN), ("2025", V.PENDING)]


async def test_a_meeting_after_the_as_of_date_does_not_count_yet(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2024")
    await world.meeting(mechanism, "2024-10-01")

    before = await _judge(session, commitment, "2024-09-30")
    after = await _judge(session, commitment, "2024-10-01")

    assert (before.verdict, after.verdict) == (V.PENDING, V.KEPT)


async def test_leap_day_meetings_fall_in_february_and_the_first_quarter(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    months = await world.commitment(mechanism, times=1, period=Period.MONTH, starts="2024-02")
    await world.reviewed(mechanism, "2024-12-31")
    await world.meeting(mechanism, "2024-02-29")

    result = await _judge(session, months, "2024-03-01")

    assert _periods(result) == [("2024-02", V.KEPT), ("2024-03", V.PENDING)]


async def test_the_rule_decides_which_meetings_fulfil_and_editors_override_it(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(
        mechanism, times=1, period=Period.YEAR, starts="2024", formats="in_person,hybrid"
    )
    await world.reviewed(mechanism, "2026-12-31")
    await world.meeting(mechanism, "2024-05-01", fmt=MeetingFormat.CALL)  # wrong format
    await world.meeting(mechanism, "2025-05-01", sides=("US",))  # one side only
    in_person = await world.meeting(mechanism, "2026-05-01")
    session.add(
        models.CommitmentFulfillment(
            commitment_id=commitment.id, meeting_id=in_person.id, counts=False, note="prep"
        )
    )
    await session.flush()

    result = await _judge(session, commitment, "2027-01-01")

    assert _periods(result) == [
        ("2024", V.MISSED),
        ("2025", V.MISSED),
        ("2026", V.MISSED),
        ("2027", V.PENDING),
    ]


async def test_a_visit_or_a_preparatory_call_does_not_count_a_meeting_does(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=2, period=Period.YEAR, starts="2024")
    visit = await world.meeting(mechanism, "2024-05-01", end="2024-05-03", kind=MeetingKind.VISIT)
    await world.meeting(mechanism, "2024-05-01", kind=MeetingKind.PREPARATORY)
    await world.meeting(mechanism, "2024-05-02", parent=visit)

    result = await _judge(session, commitment, "2024-12-01")

    assert result.periods[0].held == 1


async def test_a_meeting_of_unknown_status_leaves_the_period_unknown(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2024")
    await world.reviewed(mechanism, "2024-12-31")
    await world.meeting(mechanism, "2024-01", status=MeetingStatus.UNKNOWN, sides=())
    await world.meeting(mechanism, "2024-02", status=MeetingStatus.CANCELLED)

    result = await _judge(session, commitment, "2025-01-01")

    assert _periods(result)[0] == ("2024", V.UNKNOWN)


async def test_without_a_rule_the_record_cannot_tell(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(
        mechanism, times=1, period=Period.YEAR, starts="2024", rule=False
    )
    await world.reviewed(mechanism, "2024-12-31")

    result = await _judge(session, commitment, "2025-01-01")

    assert _periods(result)[0] == ("2024", V.UNKNOWN)
    assert "No rule" in result.periods[0].reason


# --- one-off commitments: due dates ---------------------------------------------------------


async def test_due_early_2024_kept_on_4_april_is_kept_by_the_half_late_by_the_quarter(
    session: AsyncSession, world: Timeline
) -> None:
    # "early 2024" recorded as 2024-H1 (the span the words allow) or as MOFCOM's 2024-Q1
    mechanism = await world.mechanism()
    by_half = await world.commitment(mechanism, due="2024-H1")
    by_quarter = await world.commitment(mechanism, due="2024-Q1")
    await world.meeting(mechanism, "2024-04-04")

    half = await _judge(session, by_half, "2024-12-31")
    quarter = await _judge(session, by_quarter, "2024-12-31")

    assert (half.verdict, quarter.verdict) == (V.KEPT, V.KEPT_LATE)
    assert "2024-03-31" in quarter.reason


async def test_a_one_off_is_pending_through_the_last_day_of_its_due_date(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, due="2024-Q1")
    await world.reviewed(mechanism, "2024-12-31")

    verdicts = [
        (await _judge(session, commitment, day)).verdict
        for day in ("2024-03-31", "2024-04-01", "2025-01-01")
    ]

    # overdue once the date has passed where the record is complete; unknown beyond it
    assert verdicts == [V.PENDING, V.OVERDUE, V.UNKNOWN]


async def test_a_meeting_dated_across_the_due_date_is_kept_but_not_known_to_be_on_time(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, due="2024-03")
    await world.meeting(mechanism, "2024-H1")

    result = await _judge(session, commitment, "2024-12-31")

    assert result.verdict is V.UNKNOWN
    assert "cannot be placed" in result.reason


async def test_the_meeting_that_agreed_it_never_fulfils_it(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    earlier = await world.meeting(mechanism, "2024-01-10")
    agreed = await world.meeting(mechanism, "2024-02-01")
    commitment = await world.commitment(mechanism, due="2024-12", agreed_at=agreed)
    await world.reviewed(mechanism, "2025-06-30")

    result = await _judge(session, commitment, "2025-06-30")

    assert result.verdict is V.OVERDUE
    assert earlier.id not in result.meeting_ids


async def test_without_a_due_date_a_one_off_stays_pending(
    session: AsyncSession, world: Timeline
) -> None:
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism)
    await world.reviewed(mechanism, "2030-12-31")

    assert (await _judge(session, commitment, "2030-12-31")).verdict is V.PENDING


# --- the filter and the per-commitment verdicts agree ---------------------------------------


async def _filtered(session: AsyncSession, as_of: dt.date, wanted: Iterable[V]) -> set[str]:
    rows = await session.scalars(
        select(models.Commitment.slug).where(compliance.matching(as_of, list(wanted)))
    )
    return set(rows)


@pytest.mark.parametrize(
    "as_of", ["2023-08-29", "2024-03-31", "2024-07-01", "2025-01-01", "2026-11-29"]
)
async def test_the_filter_finds_exactly_the_commitments_with_those_verdicts(
    session: AsyncSession, as_of: str
) -> None:
    rows = (await session.execute(select(models.Commitment.id, models.Commitment.slug))).all()
    judged = await compliance.evaluate(session, [row.id for row in rows], D(as_of))
    slugs = {row.id: row.slug for row in rows}

    for verdict in V:
        expected = {slugs[key] for key, found in judged.items() if found.verdict is verdict}
        assert await _filtered(session, D(as_of), [verdict]) == expected, verdict


async def test_the_seed_as_of_29_november_2026(session: AsyncSession) -> None:
    rows = (await session.execute(select(models.Commitment.id, models.Commitment.slug))).all()
    judged = await compliance.evaluate(session, [row.id for row in rows], D("2026-11-29"))

    verdicts = {row.slug: judged[row.id].verdict for row in rows}

    assert verdicts == {
        "establish-communication-channels-2023-05": V.KEPT,
        "export-control-exchange-first-meeting": V.KEPT,
        "ciwg-meet-twice-annually": V.UNKNOWN,
        "ciwg-first-meeting-in-us-early-2024": V.KEPT,
        "trade-secrets-technical-discussions": V.UNKNOWN,
        "trade-secrets-talks-january-2024": V.UNKNOWN,
        "ministers-meet-in-person-annually": V.MISSED,
        "tourism-summit-14-in-china-2024-h1": V.KEPT,
        "ciwg-second-meeting-in-china-2024-h2": V.KEPT,
        "use-export-control-information-exchange": V.PENDING,
    }


async def test_a_minimum_rank_is_met_by_positions_held_on_the_meeting_day(
    session: AsyncSession, world: Timeline
) -> None:
    # given ministers on both sides in 2024, one of whom was a vice minister until 2023
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2023")
    rule = await session.scalar(
        select(models.FulfillmentRule).where(models.FulfillmentRule.commitment_id == commitment.id)
    )
    assert rule is not None
    rule.min_rank = Rank.MINISTER
    await world.reviewed(mechanism, "2024-12-31")
    us = await world.person("US", [("2020", None, Rank.MINISTER)])
    cn = await world.person(
        "CN", [("2019", "2023-06", Rank.VICE_MINISTER), ("2023-07", None, Rank.MINISTER)]
    )
    await world.meeting(mechanism, "2023-03-01", sides=(), people=[us, cn])
    await world.meeting(mechanism, "2024-03-01", sides=(), people=[us, cn])

    result = await _judge(session, commitment, "2025-01-01")

    # 2023: the Chinese side was led by a vice minister: both sides were present, not both at
    # the rank, so the meeting only may have fulfilled it (someone unrecorded may have been
    # there); 2024: both ministers
    assert _periods(result) == [("2023", V.UNKNOWN), ("2024", V.KEPT), ("2025", V.PENDING)]


async def test_an_undated_position_counts_where_no_dated_one_was_held(
    session: AsyncSession, world: Timeline
) -> None:
    # a minister's title recorded without dates, beside a vice minister's post of 2010-2011
    # (the seed holds meetings in 2010 and 2011, which must not count for a 2024 meeting)
    mechanism = await world.mechanism()
    commitment = await world.commitment(mechanism, times=1, period=Period.YEAR, starts="2024")
    rule = await session.scalar(
        select(models.FulfillmentRule).where(models.FulfillmentRule.commitment_id == commitment.id)
    )
    assert rule is not None
    rule.min_rank = Rank.MINISTER
    us = await world.person("US", [("2020", None, Rank.MINISTER)])
    cn = await world.person("CN", [("2010", "2011", Rank.VICE_MINISTER)])
    session.add(models.Position(person_id=cn[1].id, title="Minister", rank=Rank.MINISTER))
    await world.meeting(mechanism, "2024-03-01", sides=(), people=[us, cn])

    result = await _judge(session, commitment, "2024-12-01")

    assert _periods(result) == [("2024", V.KEPT)]
