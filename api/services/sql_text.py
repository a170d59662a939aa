"""Text written by the database, the same on SQLite and PostgreSQL: the reasons of computed
verdicts are built in SQL, so the standard path and the compiled read path (which builds whole
responses in the database) read one definition of each."""

from typing import Any

from sqlalchemy import ColumnElement, String, cast, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from api.services.sql_dates import iso_day


def words(*parts: Any) -> ColumnElement[str]:
    """The parts as one text: Python strings as they are, SQL values as they are (use
    :func:`number` and :func:`date_text` for numbers and days)."""
    pieces = [literal(part, String) if isinstance(part, str) else part for part in parts]
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = joined.op("||")(piece)
    found: ColumnElement[str] = joined
    return found


def number(value: Any) -> ColumnElement[str]:
    """An integer's digits, as ``str()`` writes them."""
    return cast(value, String)


def date_text(value: Any) -> ColumnElement[str]:
    """A day as ``date.isoformat()`` writes it."""
    return iso_day(value)


class joined_text(FunctionElement[str]):  # noqa: N801  (reads as the SQL function it is)
    """``joined_text(value, order)``: the rows' values joined by ", " in ``order`` (null over
    no rows). SQLite has no ORDER BY inside an aggregate before 3.44: there the rows must come
    from a subquery already in that order (SQLite aggregates them in it)."""

    type = String()
    inherit_cache = True
    name = "joined_text"


@compiles(joined_text, "postgresql")
def _postgresql(element: joined_text, compiler: Any, **kw: Any) -> str:
    value, order = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"string_agg({value}, ', ' ORDER BY {order})"


@compiles(joined_text, "sqlite")
def _sqlite(element: joined_text, compiler: Any, **kw: Any) -> str:
    value, _order = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"group_concat({value}, ', ')"
