"""Date arithmetic both databases compute alike: months added with the day clamped to the
month's end (2024-08-31 plus 6 months is 2025-02-28; 2024-02-29 plus 12 months is 2025-02-28);
and days written as text the way Python writes them.

PostgreSQL's ``date + interval`` clamps; SQLite's ``date(d, '+6 months')`` overflows into the
next month instead, so SQLite gets the clamp spelled out.
"""

import calendar
import datetime as dt
from typing import Any

from sqlalchemy import Date, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class add_months(FunctionElement[dt.date]):  # noqa: N801  (reads as the SQL function it is)
    """``add_months(day, months)``: the same day ``months`` later, clamped to the month's end."""

    type = Date()
    inherit_cache = True
    name = "add_months"


@compiles(add_months, "postgresql")
def _postgresql(element: add_months, compiler: Any, **kw: Any) -> str:
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST({day} + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(add_months, "sqlite")
def _sqlite(element: add_months, compiler: Any, **kw: Any) -> str:
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    first = f"date({day}, 'start of month', printf('%+d months', {months}))"
    last = f"date({first}, '+1 month', '-1 day')"
    same_day = f"date({first}, printf('%+d days', CAST(strftime('%d', {day}) AS INTEGER) - 1))"
    return f"min({same_day}, {last})"


class iso_day(FunctionElement[str]):  # noqa: N801  (reads as the SQL function it is)
    """``iso_day(day)``: the day as ``date.isoformat()`` writes it (``2025-02-28``)."""

    type = String()
    inherit_cache = True
    name = "iso_day"


@compiles(iso_day, "postgresql")
def _postgresql_iso(element: iso_day, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"to_char({day}, 'YYYY-MM-DD')"


@compiles(iso_day, "sqlite")
def _sqlite_iso(element: iso_day, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(clause, **kw) for clause in element.clauses)
    text: str = day  # SQLite keeps days as that text already
    return text


def months_later(day: dt.date, months: int) -> dt.date:
    """What ``add_months`` computes, in Python."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


PERIOD_MONTHS: dict[str, int] = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}
"""How many months each period value spans."""

__all__ = ["PERIOD_MONTHS", "add_months", "iso_day", "months_later"]
