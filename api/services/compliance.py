"""Commitment compliance, computed as of a date, never stored.

A recurring commitment ("at least once a year") is judged period by period, from the period
holding its start (``recurrence_from``, else the day it was agreed) to the one holding the
as-of date. A period is

- KEPT when enough fulfilling meetings certainly took place within it (on or before the as-of
  date);
- PENDING while it is not over (it ends on or after the as-of date);
- UNKNOWN when meetings that may fulfil it cannot be placed in it for certain (a meeting dated
  ``2024`` against a half-year; one of unknown status), or no rule says what fulfils it;
- MISSED only when the record of the mechanism is complete for the period (a record review
  covers it); otherwise UNKNOWN: absence is not evidence until the record is complete.

Overall: MISSED if any period was missed, else UNKNOWN if any is unknown, else KEPT if any
period was kept (the current one may still be pending), else PENDING.

A one-off commitment is due by the last day its due date may denote ("early 2024" recorded as
``2024-H1`` is due by 30 June 2024). It is KEPT by a fulfilling meeting held by then,
KEPT_LATE by one held only after, PENDING until the due date has passed (or for ever without
one), OVERDUE once it has passed without a fulfilling meeting where the record is complete
from the day it was agreed through the as-of date, and UNKNOWN where the record cannot tell.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    not_,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.models import CalendarPeriod, Commitment, FulfillmentRule, Meeting, RecordReview
from api.models.columns import span
from api.models.enums import ComplianceVerdict as V
from api.models.enums import enum_column
from api.partial_date import PartialDate
from api.services.fulfilment import as_of_day, has_rule, matches
from api.services.sql_text import date_text, joined_text, number, words

VERDICT = enum_column(V)
"""The verdict columns' type: the enum, written by its GraphQL name on the compiled path."""


def _mechanism_of(commitment: Any) -> ColumnElement[int]:
    """The mechanism whose record decides: the rule's, else the commitment's."""
    rule_mechanism = (
        select(FulfillmentRule.mechanism_id)
        .where(FulfillmentRule.commitment_id == commitment.id)
        .correlate(commitment)  # also where it sits inside another subquery
        .scalar_subquery()
    )
    return func.coalesce(rule_mechanism, commitment.mechanism_id)


def _reviewed_through(mechanism_id: Any) -> Any:
    return (
        select(func.max(RecordReview.complete_through))
        .where(RecordReview.mechanism_id == mechanism_id)
        .scalar_subquery()
    )


def _complete(mechanism_id: Any, first: Any, last: Any) -> ColumnElement[bool]:
    """A record review of the mechanism covers every day from ``first`` through ``last``."""
    return exists().where(
        RecordReview.mechanism_id == mechanism_id,
        or_(
            RecordReview.complete_from.is_(None),
            and_(first.is_not(None), RecordReview.complete_from <= first),
        ),
        RecordReview.complete_through >= last,
    )


def _count(found: CTE, commitment: Any, *conditions: Any) -> Any:
    return (
        select(func.count())
        .select_from(found)
        .where(found.c.commitment_id == commitment.id, *conditions)
        .scalar_subquery()
    )


def _later(a: Any, b: Any) -> Any:
    return case((a < b, b), else_=a)


def _earlier(a: Any, b: Any) -> Any:
    return case((a > b, b), else_=a)


def _start_day(commitment: Any, agreed: Any) -> Any:
    return func.coalesce(
        span(commitment, "recurrence_from").earliest, span(agreed, "start").earliest
    )


def periods(
    as_of: dt.date, commitment_ids: Sequence[int] | None = None, found: CTE | None = None
) -> CTE:
    """Every period of every recurring commitment up to ``as_of``, with its verdict."""
    day = as_of_day(as_of)
    c, agreed, p = aliased(Commitment), aliased(Meeting), CalendarPeriod
    found = matches(commitment_ids) if found is None else found
    start = _start_day(c, agreed)
    window_start = _later(p.starts, start)
    window_end = _earlier(p.ends, day)
    mechanism = _mechanism_of(c)
    counted = (
        select(
            c.id.label("commitment_id"),
            p.label.label("period"),
            c.recurrence_times.label("required"),
            _count(
                found,
                c,
                found.c.certain == 1,
                found.c.first >= window_start,
                found.c.last <= window_end,
            ).label("held"),
            _count(found, c, found.c.last >= window_start, found.c.first <= window_end).label(
                "may_have"
            ),
            (p.ends < day).label("closed"),
            _complete(mechanism, window_start, p.ends).label("complete"),
            has_rule(c).label("has_rule"),
            _reviewed_through(mechanism).label("reviewed_through"),
            window_start.label("window_start"),
            window_end.label("window_end"),
            p.starts.label("period_start"),
            day.label("as_of"),
        )
        .join(agreed, agreed.id == c.meeting_id, isouter=True)
        .join(p, and_(p.period == c.recurrence_period, p.ends >= start, p.starts <= day))
        .where(c.recurrence_times.is_not(None))
    )
    if commitment_ids is not None:
        counted = counted.where(c.id.in_(commitment_ids))
    inner = counted.subquery("counted")
    verdict = case(
        (inner.c.held >= inner.c.required, V.KEPT.value),
        (not_(inner.c.closed), V.PENDING.value),
        (inner.c.may_have >= inner.c.required, V.UNKNOWN.value),
        (not_(inner.c.has_rule), V.UNKNOWN.value),
        (inner.c.complete, V.MISSED.value),
        else_=V.UNKNOWN.value,
    )
    judged = select(*inner.c, verdict.label("verdict")).subquery("judged_period")
    return select(
        *(column for column in judged.c if column.key != "verdict"),
        type_coerce(judged.c.verdict, VERDICT).label("verdict"),
        _period_reason(judged.c).label("reason"),
        judged.c.complete.label("record_complete"),
    ).cte()  # unnamed: a statement may hold several (a filter's, and a field's per asOf)


def _one_off(as_of: dt.date, commitment_ids: Sequence[int] | None, found: CTE) -> Any:
    """The verdict of every one-off commitment (and its parts) as of ``as_of``."""
    day = as_of_day(as_of)
    c, agreed = aliased(Commitment), aliased(Meeting)
    due = span(c, "due").latest
    held = and_(found.c.certain == 1, found.c.last <= day)
    start = func.coalesce(span(agreed, "start").earliest, span(c, "due").earliest)

    def any_of(*conditions: Any) -> Any:
        return exists().where(found.c.commitment_id == c.id, *conditions)

    stmt = (
        select(
            c.id.label("commitment_id"),
            any_of(held, or_(due.is_(None), found.c.last <= due)).label("on_time"),
            any_of(held, due.is_not(None), found.c.last > due, found.c.first <= due).label(
                "straddles"
            ),
            any_of(held, found.c.first > due).label("late"),
            any_of(found.c.first <= day, not_(held)).label("may_have"),
            _complete(_mechanism_of(c), start, day).label("complete"),
            has_rule(c).label("has_rule"),
            _reviewed_through(_mechanism_of(c)).label("reviewed_through"),
            due.label("due_latest"),
        )
        .join(agreed, agreed.id == c.meeting_id, isouter=True)
        .where(c.recurrence_times.is_(None))
    )
    if commitment_ids is not None:
        stmt = stmt.where(c.id.in_(commitment_ids))
    inner = stmt.subquery("one_off")
    passed = and_(inner.c.due_latest.is_not(None), inner.c.due_latest < day)
    verdict = case(
        (inner.c.on_time, V.KEPT.value),
        (inner.c.straddles, V.UNKNOWN.value),
        (inner.c.late, V.KEPT_LATE.value),
        (inner.c.due_latest.is_not(None) & not_(passed), V.PENDING.value),
        (inner.c.may_have, V.UNKNOWN.value),
        (not_(inner.c.has_rule), V.UNKNOWN.value),
        (inner.c.due_latest.is_(None), V.PENDING.value),
        (inner.c.complete, V.OVERDUE.value),
        else_=V.UNKNOWN.value,
    )
    return select(*inner.c, verdict.label("verdict")).subquery("one_off_verdict")


def verdicts(
    as_of: dt.date,
    commitment_ids: Sequence[int] | None = None,
    found: CTE | None = None,
    period_rows: CTE | None = None,
) -> Select[Any]:
    """One row per commitment as of ``as_of``: (commitment_id, as_of, verdict, reason,
    record_complete, disagrees_with_assessment)."""
    day = as_of_day(as_of)
    c, agreed = aliased(Commitment), aliased(Meeting)
    found = matches(commitment_ids) if found is None else found
    period_rows = periods(as_of, commitment_ids, found) if period_rows is None else period_rows
    one_off = _one_off(as_of, commitment_ids, found)
    mine = period_rows.c.commitment_id == c.id

    def some_period(verdict: V) -> Any:
        return exists().where(mine, period_rows.c.verdict == verdict)

    def named(verdict: V) -> Any:
        """The periods with this verdict, in order, as "2023, 2024" (null: none)."""
        rows = (
            select(period_rows.c.period, period_rows.c.period_start)
            .where(mine, period_rows.c.verdict == verdict)
            .order_by(period_rows.c.period_start)
            .correlate_except(period_rows)
            .subquery()
        )
        return select(joined_text(rows.c.period, rows.c.period_start)).scalar_subquery()

    overall = case(
        (c.recurrence_times.is_(None), one_off.c.verdict),
        (_start_day(c, agreed).is_(None), V.UNKNOWN.value),
        (some_period(V.MISSED), V.MISSED.value),
        (some_period(V.UNKNOWN), V.UNKNOWN.value),
        (some_period(V.KEPT), V.KEPT.value),
        else_=V.PENDING.value,
    )
    incomplete = exists().where(
        mine, period_rows.c.verdict != V.PENDING, not_(period_rows.c.record_complete)
    )
    stmt = (
        select(
            c.id.label("commitment_id"),
            c.recurrence_times.label("times"),
            c.assessed_verdict.label("assessed"),
            overall.label("verdict"),
            *_one_off_columns(one_off),
            exists().where(mine).label("any_period"),
            not_(incomplete).label("periods_complete"),
            *(named(verdict).label(verdict.value) for verdict in NAMED),
        )
        .join(agreed, agreed.id == c.meeting_id, isouter=True)
        .join(one_off, one_off.c.commitment_id == c.id, isouter=True)
    )
    if commitment_ids is not None:
        stmt = stmt.where(c.id.in_(commitment_ids))
    judged = stmt.subquery("judged")
    one_off_row = judged.c.times.is_(None)
    return select(
        judged.c.commitment_id,
        day.label("as_of"),
        type_coerce(judged.c.verdict, VERDICT).label("verdict"),
        case(
            (one_off_row, _one_off_reason(judged.c, day)),
            else_=_recurring_reason(judged.c),
        ).label("reason"),
        case((one_off_row, judged.c.complete), else_=judged.c.periods_complete).label(
            "record_complete"
        ),
        case(
            (judged.c.assessed.is_(None), null()),
            else_=judged.c.assessed != judged.c.verdict,
        ).label("disagrees_with_assessment"),
    )


def _one_off_columns(one_off: Any) -> list[Any]:
    names = ("on_time", "straddles", "late", "may_have", "complete", "has_rule")
    return [
        *(one_off.c[name] for name in names),
        one_off.c.reviewed_through,
        one_off.c.due_latest,
    ]


NAMED = (V.MISSED, V.UNKNOWN, V.KEPT, V.PENDING)
"""The verdicts whose periods a recurring commitment's reason names."""


@dataclasses.dataclass(frozen=True)
class Tables:
    """Everything compliance as of one date reads, as SQL both read paths share: ``overall``
    (see :func:`verdicts`), the recurring commitments' ``periods`` (see :func:`periods`) and
    the ``found`` fulfilling meetings (see :func:`matches`; pair them with :func:`fulfilled`
    and :func:`in_period`, order them :func:`by_date`)."""

    overall: CTE
    periods: CTE
    found: CTE


def tables(as_of: dt.date, commitment_ids: Sequence[int] | None = None) -> Tables:
    """Compliance as of ``as_of`` of these commitments (every one by default)."""
    found = matches(commitment_ids)
    period_rows = periods(as_of, commitment_ids, found)
    overall = verdicts(as_of, commitment_ids, found, period_rows).cte()
    return Tables(overall, period_rows, found)


def held(found: Any, as_of: Any) -> ColumnElement[bool]:
    """The fulfilling meeting certainly took place by the as-of date."""
    return and_(found.certain == 1, found.last <= as_of)


def fulfilled(found: Any, overall: Any) -> ColumnElement[bool]:
    """The meetings that fulfilled the commitment of an ``overall`` row, by its as-of date."""
    return and_(found.commitment_id == overall.commitment_id, held(found, overall.as_of))


def in_period(found: Any, period: Any) -> ColumnElement[bool]:
    """The fulfilling meetings certainly held within a period (by the as-of date)."""
    return and_(
        found.commitment_id == period.commitment_id,
        held(found, period.as_of),
        found.first >= period.window_start,
        found.last <= period.window_end,
    )


def by_date(found: Any) -> tuple[Any, ...]:
    """Fulfilling meetings earliest first."""
    return (found.first, found.meeting_id)


def in_order(period: Any) -> tuple[Any, ...]:
    """Periods earliest first."""
    return (period.period_start,)


def matching(as_of: dt.date, verdicts_wanted: Sequence[V]) -> ColumnElement[bool]:
    """A condition on ``Commitment``: its overall verdict as of ``as_of`` is one of these."""
    if not verdicts_wanted:
        return false()
    found = verdicts(as_of).subquery("compliance")
    return Commitment.id.in_(
        select(found.c.commitment_id).where(found.c.verdict.in_(list(verdicts_wanted)))
    )


@dataclasses.dataclass(frozen=True)
class PeriodCompliance:
    """One period of a recurring commitment."""

    period: PartialDate
    verdict: V
    reason: str
    required: int
    held: int
    record_complete: bool
    meeting_ids: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class Compliance:
    """Whether a commitment was kept, as of a date, and why."""

    as_of: dt.date
    verdict: V
    reason: str
    record_complete: bool
    periods: tuple[PeriodCompliance, ...]
    meeting_ids: tuple[int, ...]
    disagrees_with_assessment: bool | None


async def evaluate(
    session: AsyncSession, commitment_ids: Sequence[int], as_of: dt.date
) -> dict[int, Compliance]:
    """The compliance of each commitment as of ``as_of``, in three statements over
    :func:`tables` (which the compiled read path reads in its one statement)."""
    ids = list(commitment_ids)
    judged = tables(as_of, ids)
    overall = {row.commitment_id: row for row in await session.execute(select(judged.overall))}
    p, f = judged.periods, judged.found
    period_rows: dict[int, list[Any]] = defaultdict(list)
    for row in await session.execute(select(p).order_by(p.c.commitment_id, *in_order(p.c))):
        period_rows[row.commitment_id].append(row)
    # every fulfilling meeting held by the as-of date, with the period it lies in (if any)
    meetings = (
        select(f.c.commitment_id, f.c.meeting_id, p.c.period)
        .select_from(f.outerjoin(p, in_period(f.c, p.c)))
        .where(held(f.c, as_of_day(as_of)))
        .order_by(*by_date(f.c))
    )
    fulfilling: dict[int, list[Any]] = defaultdict(list)
    for row in await session.execute(meetings):
        fulfilling[row.commitment_id].append(row)
    return {
        key: _compliance(as_of, overall[key], period_rows[key], fulfilling[key])
        for key in ids
        if key in overall
    }


def _compliance(as_of: dt.date, row: Any, period_rows: list[Any], found: list[Any]) -> Compliance:
    disagrees = row.disagrees_with_assessment
    return Compliance(
        as_of,
        V(row.verdict),
        row.reason,
        bool(row.record_complete),
        tuple(_period(p, found) for p in period_rows),
        tuple(f.meeting_id for f in found),
        None if disagrees is None else bool(disagrees),
    )


def _period(row: Any, found: list[Any]) -> PeriodCompliance:
    return PeriodCompliance(
        PartialDate.parse(row.period),
        V(row.verdict),
        row.reason,
        row.required,
        row.held,
        bool(row.record_complete),
        tuple(f.meeting_id for f in found if f.period == row.period),
    )


# --- the reasons, in words, written by the database -------------------------------------------

NO_RULE = "No rule says what fulfils it and no meeting is linked to it: the record cannot tell."


def _reviewed(through: Any) -> Any:
    return case(
        (through.is_(None), "the record of the mechanism has not been reviewed"),
        else_=words("the record of the mechanism is complete only through ", date_text(through)),
    )


def _period_reason(row: Any) -> Any:
    label, held_, required = row.period, number(row.held), number(row.required)
    return case(
        (
            row.verdict == V.KEPT.value,
            words(held_, " fulfilling meeting(s) held in ", label, "; ", required, " required."),
        ),
        (
            row.verdict == V.PENDING.value,
            words(
                label,
                " is not over on ",
                date_text(row.as_of),
                ": ",
                held_,
                " of ",
                required,
                " held so far.",
            ),
        ),
        (
            row.verdict == V.MISSED.value,
            words(
                held_,
                " of ",
                required,
                " fulfilling meeting(s) held in ",
                label,
                ", and the record of the mechanism is complete for ",
                label,
                ".",
            ),
        ),
        (not_(row.has_rule), NO_RULE),
        (
            row.may_have >= row.required,
            words(
                held_,
                " of ",
                required,
                " held for certain in ",
                label,
                "; ",
                number(row.may_have - row.held),
                " more may have been (a date that spans more than the period or passes the "
                "as-of date, an unknown status, or attendance not shown to meet the rule).",
            ),
        ),
        else_=words(
            held_,
            " of ",
            required,
            " found in ",
            label,
            ", but ",
            _reviewed(row.reviewed_through),
            ": a meeting may be missing.",
        ),
    )


def _recurring_reason(row: Any) -> Any:
    pending = func.coalesce(words("; ", row.pending, " still pending"), "")
    return case(
        (
            not_(row.any_period),
            case(
                (
                    row.verdict == V.UNKNOWN.value,
                    "Its start is unknown: no first period and no meeting it was agreed at.",
                ),
                else_="Its first period has not begun.",
            ),
        ),
        (row.verdict == V.MISSED.value, words("Missed in ", row.missed, ".")),
        (row.verdict == V.UNKNOWN.value, words("Cannot be told for ", row.unknown, ".")),
        (row.verdict == V.KEPT.value, words("Kept in ", row.kept, pending, ".")),
        else_=words(row.pending, " is not over yet."),
    )


def _one_off_reason(row: Any, as_of: Any) -> Any:
    due, on = date_text(row.due_latest), date_text(as_of)
    has_due = row.due_latest.is_not(None)
    unknown = case(
        (
            row.straddles,
            words("Kept, but the meeting's date cannot be placed before or after ", due, "."),
        ),
        (
            row.may_have,
            "A meeting that may fulfil it is recorded, but its status, date or attendance is "
            "not known well enough.",
        ),
        (not_(row.has_rule), NO_RULE),
        else_=words(
            "Due by ",
            due,
            "; no fulfilling meeting found, but ",
            _reviewed(row.reviewed_through),
            ".",
        ),
    )
    return case(
        (row.verdict == V.UNKNOWN.value, unknown),
        (
            row.verdict == V.KEPT.value,
            case(
                (has_due, words("A fulfilling meeting was held by ", due, ".")),
                else_="A fulfilling meeting was held.",
            ),
        ),
        (
            row.verdict == V.KEPT_LATE.value,
            words("The first fulfilling meeting was held after it fell due (", due, ")."),
        ),
        (
            row.verdict == V.PENDING.value,
            case(
                (has_due, words("Due by ", due, "; no fulfilling meeting yet on ", on, ".")),
                else_="No due date, and no fulfilling meeting yet: it cannot be overdue.",
            ),
        ),
        else_=words(
            "Due by ",
            due,
            "; no fulfilling meeting through ",
            on,
            ", and the record is complete.",
        ),
    )


__all__ = [
    "Compliance",
    "PeriodCompliance",
    "Tables",
    "by_date",
    "evaluate",
    "fulfilled",
    "in_order",
    "in_period",
    "matching",
    "periods",
    "tables",
    "verdicts",
]
