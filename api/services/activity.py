"""Mechanism activity, computed as of a date, never stored.

A mechanism's *interval* is its cadence's period divided by its count, in whole months
(twice a year: 6 months; at least once a year: 12). Its *last meeting* is the latest meeting
in its own right (not a visit grouping others) held on or before the as-of date, dated by the
latest day it may have begun; the *next meeting due* is the last meeting plus the interval
(days clamped to the month's end: 31 Aug plus 6 months is 28 Feb, 29 Feb plus 12 months is
28 Feb). As of a date D:

- ENDED: declared ended, with no end date or one whose span is over by D;
- PROPOSED: no meeting held by D;
- DORMANT: no meeting for more than twice its interval (D after last meeting + 2 × interval);
  without a stated cadence, Parley's convention: no meeting for more than 24 months;
- OVERDUE: D after the next meeting due (but not dormant);
- DUE: D within the month before the next meeting due, or on it;
- ACTIVE: otherwise (without a cadence: a meeting within the last 24 months).

The verdict describes the record as it stands; ``record_complete`` says whether a record
review covers the mechanism through D (else a later meeting may be missing from the record).
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, false, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.models import Mechanism, Meeting, RecordReview
from api.models.columns import span
from api.models.enums import ActivityVerdict as A
from api.models.enums import MechanismStatus, MeetingStatus, enum_column
from api.services.fulfilment import as_of_day
from api.services.meeting_days import counted, last_day
from api.services.sql_dates import PERIOD_MONTHS, add_months
from api.services.sql_text import date_text, number, words

NO_CADENCE_DORMANT_MONTHS = 24
"""Without a stated cadence, a mechanism that has not met for longer than this is dormant."""


def interval(period: Any, times: Any) -> ColumnElement[int]:
    """A cadence's interval in whole months: the period's months divided by the count, at
    least 1 (twice a year: 6); null without a cadence."""
    months = case(*((period == value, n) for value, n in PERIOD_MONTHS.items()), else_=None)
    by_count = cast(months / times, Integer)
    found: ColumnElement[int] = case((by_count < 1, 1), else_=by_count)
    return found


def _last_meeting(mechanism: Any, day: Any) -> tuple[Any, Any]:
    m = aliased(Meeting)
    held = and_(
        m.mechanism_id == mechanism.id,
        m.status == MeetingStatus.HELD,
        counted(m),
        last_day(m) <= day,
    )
    last = select(last_day(m)).where(held).order_by(last_day(m).desc()).limit(1)
    last_id = (
        select(m.id)
        .where(held)
        .order_by(last_day(m).desc(), span(m, "start").earliest.desc(), m.id.desc())
        .limit(1)
    )
    return last.scalar_subquery(), last_id.scalar_subquery()


def activity(as_of: dt.date, mechanism_ids: Sequence[int] | None = None) -> Any:
    """One row per mechanism: (mechanism_id, as_of, verdict, reason, last_meeting_id, last_day,
    next_meeting_due, record_complete, times, interval), as of ``as_of``.

    Both read paths read these rows: ``evaluate`` for the standard one, the compiled read path
    (``schema.types.timing``) inside its one statement.
    """
    day = as_of_day(as_of)
    mech = aliased(Mechanism)
    last, last_id = _last_meeting(mech, day)
    complete = (
        select(RecordReview.id)
        .where(
            RecordReview.mechanism_id == mech.id,
            RecordReview.complete_through >= day,
            or_(
                RecordReview.complete_from.is_(None),
                RecordReview.complete_from <= span(mech, "established").earliest,
            ),
        )
        .exists()
    )
    inner = select(
        mech.id.label("mechanism_id"),
        mech.status.label("status"),
        span(mech, "ended").latest.label("ended_latest"),
        mech.cadence_times.label("times"),
        interval(mech.cadence_period, mech.cadence_times).label("interval"),
        last.label("last_day"),
        last_id.label("last_meeting_id"),
        complete.label("record_complete"),
    )
    if mechanism_ids is not None:
        inner = inner.where(mech.id.in_(mechanism_ids))
    row = inner.subquery("last_met")
    next_due = case((row.c.times.is_not(None), add_months(row.c.last_day, row.c.interval)))
    verdict = case(
        (
            and_(
                row.c.status == MechanismStatus.ENDED.value,
                or_(row.c.ended_latest.is_(None), row.c.ended_latest <= day),
            ),
            A.ENDED.value,
        ),
        (row.c.last_day.is_(None), A.PROPOSED.value),
        (
            row.c.times.is_(None),
            case(
                (day > add_months(row.c.last_day, NO_CADENCE_DORMANT_MONTHS), A.DORMANT.value),
                else_=A.ACTIVE.value,
            ),
        ),
        (day > add_months(row.c.last_day, 2 * row.c.interval), A.DORMANT.value),
        (day > add_months(row.c.last_day, row.c.interval), A.OVERDUE.value),
        (day > add_months(add_months(row.c.last_day, row.c.interval), -1), A.DUE.value),
        else_=A.ACTIVE.value,
    )
    judged = select(
        row.c.mechanism_id,
        verdict.label("verdict"),
        row.c.last_meeting_id,
        row.c.last_day,
        next_due.label("next_meeting_due"),
        row.c.record_complete,
        row.c.times,
        row.c.interval,
    ).subquery("judged")
    return select(
        judged.c.mechanism_id,
        day.label("as_of"),
        type_coerce(judged.c.verdict, VERDICT).label("verdict"),
        _reason(judged).label("reason"),
        judged.c.last_meeting_id,
        judged.c.last_day,
        judged.c.next_meeting_due,
        judged.c.record_complete,
        judged.c.times,
        judged.c.interval,
    )


VERDICT = enum_column(A)
"""The verdict column's type: the enum, written by its GraphQL name on the compiled path."""


def _reason(row: Any) -> Any:
    """Why, in words, with the dates the verdict rests on."""
    verdict, last, next_due = row.c.verdict, row.c.last_day, row.c.next_meeting_due
    basis = case(
        (row.c.record_complete, "the record is complete through the as-of date"),
        else_="the record is not known to be complete: a later meeting may be missing",
    )
    timing = case(
        (
            verdict == A.DORMANT.value,
            words("more than twice its interval (", number(2 * row.c.interval), " months) since"),
        ),
        (
            verdict == A.OVERDUE.value,
            words(
                "its next meeting was due by ",
                date_text(next_due),
                ", and none has been held since",
            ),
        ),
        (
            verdict == A.DUE.value,
            words(
                "its next meeting falls due by ",
                date_text(next_due),
                ", within a month, counted from",
            ),
        ),
        else_=words("its next meeting is due by ", date_text(next_due), ", counted from"),
    )
    return case(
        (verdict == A.ENDED.value, "Declared ended."),
        (
            verdict == A.PROPOSED.value,
            words("No meeting held yet as far as the record shows; ", basis, "."),
        ),
        (
            row.c.times.is_(None),
            words(
                "No cadence is stated; last met by ",
                date_text(last),
                ", ",
                case((verdict == A.DORMANT.value, "more"), else_="no more"),
                f" than {NO_CADENCE_DORMANT_MONTHS} months before; ",
                basis,
                ".",
            ),
        ),
        else_=words(
            "Every ",
            number(row.c.interval),
            " months; ",
            timing,
            " its last meeting (",
            date_text(last),
            "); ",
            basis,
            ".",
        ),
    )


def matching(as_of: dt.date, verdicts: Sequence[A]) -> ColumnElement[bool]:
    """A condition on ``Mechanism``: its activity as of ``as_of`` is one of ``verdicts``."""
    if not verdicts:
        return false()
    found = activity(as_of).subquery("activity")
    return Mechanism.id.in_(
        select(found.c.mechanism_id).where(found.c.verdict.in_([v.value for v in verdicts]))
    )


@dataclasses.dataclass(frozen=True)
class Activity:
    """Whether a mechanism meets as its cadence says, as of a date, and why."""

    as_of: dt.date
    verdict: A
    reason: str
    last_meeting_id: int | None
    next_due: dt.date | None
    record_complete: bool


async def evaluate(
    session: AsyncSession, mechanism_ids: Sequence[int], as_of: dt.date
) -> dict[int, Activity]:
    """The activity of each mechanism as of ``as_of``, in one statement."""
    rows = await session.execute(activity(as_of, list(mechanism_ids)))
    return {row.mechanism_id: _activity(as_of, row) for row in rows}


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _activity(as_of: dt.date, row: Any) -> Activity:
    return Activity(
        as_of,
        A(row.verdict),
        row.reason,
        row.last_meeting_id,
        _day(row.next_meeting_due),
        bool(row.record_complete),
    )
