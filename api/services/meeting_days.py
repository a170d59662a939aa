"""Which meetings count, and the days a meeting may have taken place on, as SQL.

Only the kinds ``api.services.counting`` counts (a meeting, a sideline encounter) count
towards a cadence or a commitment: never a visit grouping others nor a preparatory call. A
meeting's days are the span of its start date, cut short by its end date where that is
earlier (a meeting dated ``2024-09`` that ended on 7 September began by 7 September). An
undated meeting may have taken place on any day.
"""

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, func, literal

from api.services.counting import COUNTED_KINDS

NO_DAY_BEFORE = dt.date(1, 1, 1)
NO_DAY_AFTER = dt.date(9999, 12, 31)


def counted(meeting: Any) -> ColumnElement[bool]:
    """The meeting is of a kind that counts (whatever its status)."""
    found: ColumnElement[bool] = meeting.kind.in_(COUNTED_KINDS)
    return found


def first_day(meeting: Any) -> ColumnElement[dt.date]:
    """The earliest day the meeting may have begun."""
    return func.coalesce(meeting.start_earliest, literal(NO_DAY_BEFORE, Date))


def last_day(meeting: Any) -> ColumnElement[dt.date]:
    """The latest day the meeting may have begun."""
    return case(
        (
            and_(meeting.end_latest.is_not(None), meeting.end_latest < meeting.start_latest),
            meeting.end_latest,
        ),
        else_=func.coalesce(meeting.start_latest, literal(NO_DAY_AFTER, Date)),
    )
