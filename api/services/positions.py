"""Positions over time: which a person held on a day, and at which rank.

Held on a day (``held_during``, the people filter): the position's start is recorded and may
lie on or before the day, and its end is not recorded or may lie on or after it. Both ends are
inclusive: a minister counts on the day of taking office and on the last day in it. Partial
dates count by their span: a position that ended in "2025" may have been held on any day of
2025. A position with no recorded start has an unknown period and is never held on a day.

At a meeting (``at_meeting``, a participation's position and the participations filter): the
dated position held during the meeting's days; when none is, a position with neither start
nor end recorded (the seed records such a title from the meeting's own sources), since no date
contradicts it. Otherwise none, and the participation shows the title as reported.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from api.models import Meeting, Position
from api.models.columns import span
from api.models.enums import Rank, at_or_above
from api.partial_date import PartialDate

RULE = (
    "A position counts as held on a date when its start is recorded and may lie on or before "
    "that date, and its end is unrecorded or may lie on or after it (both days inclusive; a "
    "partial date counts by its span); a position with no recorded start never counts."
)
MEETING_RULE = (
    "The position held on the meeting's date is the dated one held on any of its days "
    "(start recorded and on or before, end unrecorded or on or after; of several, the one taken "
    "up last); when there is none, a position with neither start nor end recorded."
)


def held_during(
    earliest: ColumnElement[dt.date] | dt.date,
    latest: ColumnElement[dt.date] | dt.date,
    position: Any = Position,
) -> ColumnElement[bool]:
    """SQL: ``position`` may have been held on some day of ``[earliest, latest]``."""
    start, end = span(position, "start"), span(position, "end")
    return and_(
        start.earliest.is_not(None),
        start.earliest <= latest,
        or_(end.latest.is_(None), end.latest >= earliest),
    )


def undated(position: Any = Position) -> ColumnElement[bool]:
    """SQL: neither the start nor the end of ``position`` is recorded."""
    start, end = span(position, "start"), span(position, "end")
    return and_(start.earliest.is_(None), end.latest.is_(None))


def at_meeting(
    earliest: ColumnElement[dt.date], latest: ColumnElement[dt.date], position: Any = Position
) -> ColumnElement[bool]:
    """SQL: ``position`` is one the person held at a meeting of these days (module rule)."""
    dated = aliased(Position)
    # correlate_except: nested deep in another query (a fulfilment rule's), the meeting's
    # columns must stay the outer rows, not become FROM entries of their own.
    dated_held = (
        exists()
        .where(dated.person_id == position.person_id, held_during(earliest, latest, dated))
        .correlate_except(dated)
    )
    return or_(held_during(earliest, latest, position), and_(undated(position), ~dated_held))


def ranked(minimum: Rank, position: Any = Position) -> ColumnElement[bool]:
    """SQL: ``position`` has ``minimum`` rank or a higher one."""
    ranks: list[Rank] = list(at_or_above(minimum))
    condition: ColumnElement[bool] = position.rank.in_(ranks)
    return condition


def is_held_during(position: Any, earliest: dt.date, latest: dt.date) -> bool:
    """Python: the same rule as ``held_during``."""
    start: PartialDate | None = position.start
    end: PartialDate | None = position.end
    return (
        start is not None and start.earliest <= latest and (end is None or end.latest >= earliest)
    )


def held_at_meeting(positions: Sequence[Any], earliest: dt.date, latest: dt.date) -> Any:
    """Python: the position held at a meeting of these days (module rule), or None."""
    held = [p for p in positions if is_held_during(p, earliest, latest)]
    if held:
        return max(held, key=lambda p: (p.start.earliest, p.id))
    without_dates = [p for p in positions if p.start is None and p.end is None]
    return max(without_dates, key=lambda p: p.id) if without_dates else None


def held_at_meeting_sql(column: Any, person_id: Any, meeting_id: Any) -> Any:
    """SQL: ``column`` of the position the person held at the meeting (module rule), or NULL.

    The same choice as ``held_at_meeting``: of the dated positions held on any of the
    meeting's days the one taken up last (then the highest id); else the undated one with the
    highest id. Correlated on ``person_id`` and ``meeting_id`` (a participation's columns).
    """
    meeting = aliased(Meeting)
    start, days = span(Position, "start"), span(meeting, "start")
    last_day = func.coalesce(span(meeting, "end").latest, days.latest)
    return (
        select(column)
        .select_from(Position)
        .join(meeting, meeting.id == meeting_id)
        .where(
            Position.person_id == person_id,
            days.earliest.is_not(None),
            or_(held_during(days.earliest, last_day), undated()),
        )
        .order_by(start.earliest.is_(None), start.earliest.desc(), Position.id.desc())
        .limit(1)
        .correlate_except(Position, meeting)
        .scalar_subquery()
    )
