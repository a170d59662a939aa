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
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.models import CalendarPeriod, Commitment, FulfillmentRule, Meeting, RecordReview
from api.models.columns import span
from api.models.enums import ComplianceVerdict as V
from api.partial_date import PartialDate
from api.services.fulfilment import as_of_day, has_rule, matches


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
    return select(*inner.c, verdict.label("verdict")).cte("period_verdict")


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


def verdicts(as_of: dt.date, commitment_ids: Sequence[int] | None = None) -> Select[Any]:
    """(commitment_id, verdict, one-off details ...) for every commitment, as of ``as_of``."""
    c, agreed = aliased(Commitment), aliased(Meeting)
    found = matches(commitment_ids)
    period_rows = periods(as_of, commitment_ids, found)
    one_off = _one_off(as_of, commitment_ids, found)

    def some_period(verdict: V) -> Any:
        return exists().where(
            period_rows.c.commitment_id == c.id, period_rows.c.verdict == verdict.value
        )

    overall = case(
        (c.recurrence_times.is_(None), one_off.c.verdict),
        (_start_day(c, agreed).is_(None), V.UNKNOWN.value),
        (some_period(V.MISSED), V.MISSED.value),
        (some_period(V.UNKNOWN), V.UNKNOWN.value),
        (some_period(V.KEPT), V.KEPT.value),
        else_=V.PENDING.value,
    )
    stmt = (
        select(c.id.label("commitment_id"), overall.label("verdict"), *_one_off_columns(one_off))
        .join(agreed, agreed.id == c.meeting_id, isouter=True)
        .join(one_off, one_off.c.commitment_id == c.id, isouter=True)
    )
    if commitment_ids is not None:
        stmt = stmt.where(c.id.in_(commitment_ids))
    return stmt


def _one_off_columns(one_off: Any) -> list[Any]:
    names = ("on_time", "straddles", "late", "may_have", "complete", "has_rule")
    return [
        *(one_off.c[name] for name in names),
        one_off.c.reviewed_through,
        one_off.c.due_latest,
    ]


def matching(as_of: dt.date, verdicts_wanted: Sequence[V]) -> ColumnElement[bool]:
    """A condition on ``Commitment``: its overall verdict as of ``as_of`` is one of these."""
    if not verdicts_wanted:
        return false()
    found = verdicts(as_of).subquery("compliance")
    return Commitment.id.in_(
        select(found.c.commitment_id).where(
            found.c.verdict.in_([verdict.value for verdict in verdicts_wanted])
        )
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


async def evaluate(
    session: AsyncSession, commitment_ids: Sequence[int], as_of: dt.date
) -> dict[int, Compliance]:
    """The compliance of each commitment as of ``as_of``, in three statements."""
    ids = list(commitment_ids)
    overall = {row.commitment_id: row for row in await session.execute(verdicts(as_of, ids))}
    period_rows: dict[int, list[Any]] = defaultdict(list)
    cte = periods(as_of, ids)
    for row in await session.execute(select(cte).order_by(cte.c.commitment_id, cte.c.period)):
        period_rows[row.commitment_id].append(row)
    found = matches(ids)
    fulfilling: dict[int, list[Any]] = defaultdict(list)
    stmt = select(found).where(found.c.certain == 1, found.c.last <= as_of_day(as_of))
    for row in await session.execute(stmt.order_by(found.c.first, found.c.meeting_id)):
        fulfilling[row.commitment_id].append(row)
    return {
        key: _compliance(as_of, overall[key], period_rows[key], fulfilling[key])
        for key in ids
        if key in overall
    }


def _compliance(as_of: dt.date, row: Any, period_rows: list[Any], found: list[Any]) -> Compliance:
    verdict = V(row.verdict)
    meeting_ids = tuple(f.meeting_id for f in found)
    if row.on_time is None:  # recurring
        parts = tuple(_period(as_of, p, found) for p in period_rows)
        return Compliance(
            as_of,
            verdict,
            _recurring_reason(verdict, parts),
            all(p.record_complete for p in parts if p.verdict is not V.PENDING),
            parts,
            meeting_ids,
        )
    return Compliance(
        as_of, verdict, _one_off_reason(verdict, row, as_of), bool(row.complete), (), meeting_ids
    )


def _period(as_of: dt.date, row: Any, found: list[Any]) -> PeriodCompliance:
    inside = tuple(
        f.meeting_id
        for f in found
        if _day(row.window_start) <= _day(f.first) and _day(f.last) <= _day(row.window_end)
    )
    verdict = V(row.verdict)
    return PeriodCompliance(
        PartialDate.parse(row.period),
        verdict,
        _period_reason(verdict, row, as_of),
        row.required,
        row.held,
        bool(row.complete),
        inside,
    )


def _day(value: Any) -> dt.date:
    """A date column's value (SQLite hands computed dates back as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _reviewed(row: Any) -> str:
    through = row.reviewed_through
    if through is None:
        return "the record of the mechanism has not been reviewed"
    return f"the record of the mechanism is complete only through {_day(through).isoformat()}"


def _period_reason(verdict: V, row: Any, as_of: dt.date) -> str:
    label, held, required = row.period, row.held, row.required
    if verdict is V.KEPT:
        return f"{held} fulfilling meeting(s) held in {label}; {required} required."
    if verdict is V.PENDING:
        return f"{label} is not over on {as_of}: {held} of {required} held so far."
    if verdict is V.MISSED:
        return (
            f"{held} of {required} fulfilling meeting(s) held in {label}, and the record of "
            f"the mechanism is complete for {label}."
        )
    if not row.has_rule:
        return (
            "No rule says what fulfils it and no meeting is linked to it: the record cannot tell."
        )
    if row.may_have >= required:
        return (
            f"{held} of {required} held for certain in {label}; {row.may_have - held} more "
            "may have been (a date that spans more than the period or passes the as-of date, "
            "an unknown status, or attendance not shown to meet the rule)."
        )
    return f"{held} of {required} found in {label}, but {_reviewed(row)}: a meeting may be missing."


def _recurring_reason(verdict: V, parts: tuple[PeriodCompliance, ...]) -> str:
    if not parts:
        if verdict is V.UNKNOWN:
            return "Its start is unknown: no first period and no meeting it was agreed at."
        return "Its first period has not begun."
    named = {
        v: ", ".join(str(p.period) for p in parts if p.verdict is v)
        for v in (V.MISSED, V.UNKNOWN, V.KEPT, V.PENDING)
    }
    if verdict is V.MISSED:
        return f"Missed in {named[V.MISSED]}."
    if verdict is V.UNKNOWN:
        return f"Cannot be told for {named[V.UNKNOWN]}."
    if verdict is V.KEPT:
        pending = f"; {named[V.PENDING]} still pending" if named[V.PENDING] else ""
        return f"Kept in {named[V.KEPT]}{pending}."
    return f"{named[V.PENDING]} is not over yet."


def _one_off_reason(verdict: V, row: Any, as_of: dt.date) -> str:
    due = _day(row.due_latest).isoformat() if row.due_latest is not None else None
    if verdict is V.UNKNOWN:
        return _unknown_one_off(row, due)
    return {
        V.KEPT: f"A fulfilling meeting was held by {due}."
        if due
        else "A fulfilling meeting was held.",
        V.KEPT_LATE: f"The first fulfilling meeting was held after it fell due ({due}).",
        V.PENDING: f"Due by {due}; no fulfilling meeting yet on {as_of}."
        if due
        else "No due date, and no fulfilling meeting yet: it cannot be overdue.",
        V.OVERDUE: f"Due by {due}; no fulfilling meeting through {as_of}, and the record is "
        "complete.",
    }[verdict]


def _unknown_one_off(row: Any, due: str | None) -> str:
    if row.straddles:
        return f"Kept, but the meeting's date cannot be placed before or after {due}."
    if row.may_have:
        return (
            "A meeting that may fulfil it is recorded, but its status, date or attendance is "
            "not known well enough."
        )
    if not row.has_rule:
        return (
            "No rule says what fulfils it and no meeting is linked to it: the record cannot tell."
        )
    return f"Due by {due}; no fulfilling meeting found, but {_reviewed(row)}."


__all__ = ["Compliance", "PeriodCompliance", "evaluate", "matching", "periods", "verdicts"]
