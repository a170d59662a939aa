"""The as-of date of a computed verdict: given, or today in UTC; within Parley's calendar."""

import datetime as dt

from api import clock
from api.models.calendar import FIRST_YEAR, LAST_YEAR
from schema.errors import bad_user_input

FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)


def as_of_or_today(value: dt.date | None) -> dt.date:
    """The date asked for, or today (UTC); BAD_USER_INPUT outside the calendar's years."""
    day = value if value is not None else clock.today()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise bad_user_input(
            f"asOf must lie between {FIRST_DAY} and {LAST_DAY}, the years Parley's calendar "
            f"of periods covers; got {day}."
        )
    return day
