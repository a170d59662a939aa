"""JSON built inside the database, the same text on PostgreSQL and on SQLite.

PostgreSQL has ``json_build_object``/``json_agg``; SQLite has ``json_object``/
``json_group_array`` but forgets that a subquery's result is JSON, so nested values are
wrapped in ``json(...)`` there. Base64 (global ids, cursors) is ``encode`` on PostgreSQL and
a function Parley registers on every SQLite connection (``api.db``).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, ColumnElement, Text, case, cast, func, literal_column, null
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, aggregate_order_by

MAX_PAIRS = 50
"""json_build_object takes at most 100 arguments (PostgreSQL's limit on any function)."""


class TooWide(Exception):  # noqa: N818  (a signal: the compiled path falls back)
    """More keys or items than one SQL function call can take."""


def text_literal(value: str) -> ColumnElement[Any]:
    """A string inlined in the statement (names and aliases: part of the plan, not data)."""
    return literal_column("'" + value.replace("'", "''") + "'", Text)


class JsonSql:
    """The JSON functions of one database."""

    def __init__(self, *, postgres: bool) -> None:
        self.postgres = postgres

    def nested(self, value: Any) -> Any:
        """A JSON value from a subquery, kept JSON when placed inside another."""
        return value if self.postgres else func.json(value)

    def object(self, pairs: Sequence[tuple[str, Any]]) -> ColumnElement[Any]:
        """``{"key": value, ...}`` in the order given."""
        if len(pairs) > MAX_PAIRS:
            raise TooWide
        arguments: list[Any] = []
        for key, value in pairs:
            arguments += [text_literal(key), value]
        if self.postgres:
            return func.json_build_object(*arguments)
        return func.json_object(*arguments)

    def array(self, values: Sequence[Any]) -> ColumnElement[Any]:
        """``[value, ...]`` of JSON values."""
        if len(values) > 2 * MAX_PAIRS:
            raise TooWide
        if self.postgres:
            return func.json_build_array(*values)
        return func.json_array(*(self.nested(value) for value in values))

    def agg(self, value: Any, *, order: Sequence[Any], where: Any = None) -> ColumnElement[Any]:
        """The aggregated rows' ``value``s (JSON built in the same SELECT, or text) as an array.

        SQLite before 3.44 has no ORDER BY inside an aggregate: its rows come from a derived
        table already in ``order`` (SQLite aggregates a subquery's rows in their order), and
        its ``json_group_array`` is ``[]`` over no rows.
        """
        if self.postgres:
            aggregated: Any = func.json_agg(aggregate_order_by(value, *order))
            if where is not None:
                aggregated = aggregated.filter(where)
            return func.coalesce(aggregated, literal_column("'[]'::json"))
        aggregated = func.json_group_array(value)
        return aggregated if where is None else aggregated.filter(where)

    def empty_array(self) -> ColumnElement[Any]:
        """``[]``."""
        return literal_column("'[]'::json") if self.postgres else func.json_array()

    def double(self, value: Any) -> ColumnElement[Any]:
        """A float, written with the digits that read back as the very double the driver
        gives (PostgreSQL's ``real`` widened exactly; SQLite's JSON keeps only 15 digits), and
        with a fraction, as Python writes a float (``0.0``, never ``0``); null stays null."""
        if self.postgres:
            digits = cast(cast(value, DOUBLE_PRECISION), Text)  # shortest exact (PostgreSQL 12+)
            whole = digits.op("~")(text_literal("^-?[0-9]+$"))
            written = case((whole, digits.op("||")(text_literal(".0"))), else_=digits)
            return cast(written, JSON)
        # "!": always a decimal point; 17 significant digits read back exactly
        printed = func.printf(text_literal("%!.17g"), value)
        return case((value.is_(None), null()), else_=func.json(printed))

    def boolean(self, condition: Any) -> ColumnElement[Any]:
        """``true``/``false`` (SQLite's comparisons are the integers 1 and 0)."""
        if self.postgres:
            return condition
        return case((condition, func.json("true")), else_=func.json("false"))

    def constant(self, value: bool) -> ColumnElement[Any]:  # noqa: FBT001
        """A JSON boolean known when the statement is built."""
        word = "true" if value else "false"
        return literal_column(word) if self.postgres else func.json(word)

    def first(self, array: Any) -> ColumnElement[Any]:
        """The first string of a JSON array of strings (null when empty)."""
        if self.postgres:
            return array.op("->>")(literal_column("0"))
        return func.json_extract(array, "$[0]")

    def last(self, array: Any) -> ColumnElement[Any]:
        """The last string of a JSON array of strings (null when empty)."""
        if self.postgres:
            return array.op("->>")(literal_column("-1"))
        return func.json_extract(array, "$[#-1]")

    def to_text(self, value: Any) -> ColumnElement[Any]:
        """The JSON as text, for the driver to hand over unparsed."""
        return cast(value, Text) if self.postgres else value

    def base64(self, value: Any) -> ColumnElement[Any]:
        """Standard base64 of the UTF-8 text, padded (global ids)."""
        if self.postgres:
            encoded = func.encode(func.convert_to(value, text_literal("UTF8")), "base64")
            return func.replace(encoded, literal_column("E'\\n'"), "")
        return func.parley_base64(value)

    def base64url(self, value: Any) -> ColumnElement[Any]:
        """URL-safe base64 of the UTF-8 text without padding (cursors)."""
        if self.postgres:
            standard = self.base64(value)
            return func.rtrim(func.translate(standard, "+/", "-_"), "=")
        return func.parley_base64url(value)

    def timestamp(self, value: Any) -> ColumnElement[Any]:
        """A UTC timestamp as ``datetime.isoformat()`` writes it (``api.db.UtcDateTime``):
        ``2026-03-01T09:30:15.250000+00:00``, without the fraction when it is zero."""
        if self.postgres:
            utc = func.timezone(text_literal("UTC"), value)
            whole = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
            fraction: Any = func.to_char(utc, "US")
        else:
            # SQLite holds the UTC wall-clock text: "2026-03-01 09:30:15[.250000]".
            whole = func.replace(func.substr(value, 1, 19), " ", "T")
            fraction = func.substr(func.substr(value, 21).op("||")(text_literal("000000")), 1, 6)
        dotted = case(
            (fraction == text_literal("000000"), text_literal("")),
            else_=text_literal(".").op("||")(fraction),
        )
        return whole.op("||")(dotted).op("||")(text_literal("+00:00"))

    def json_value(self, value: Any) -> ColumnElement[Any]:
        """A JSON column's value as JSON (SQLite keeps its text)."""
        return value if self.postgres else func.json(value)

    def json_scalar(self, value: Any, python_type: type) -> ColumnElement[Any]:
        """A sort value as Python's ``json.dumps(..., ensure_ascii=False)`` writes it."""
        return func.coalesce(self._json_scalar(value, python_type), text_literal("null"))

    def _json_scalar(self, value: Any, python_type: type) -> ColumnElement[Any]:
        if python_type is int:
            return cast(value, Text)
        if python_type is str:
            return cast(func.to_json(value), Text) if self.postgres else func.json_quote(value)
        if python_type is dt.datetime:
            quote = text_literal('"')
            return quote.op("||")(self.timestamp(value)).op("||")(quote)
        if python_type is dt.date:
            day = self._iso_day(value) if self.postgres else value
            return text_literal('"').op("||")(day).op("||")(text_literal('"'))
        raise TooWide

    @staticmethod
    def _iso_day(value: Any) -> ColumnElement[Any]:
        # asyncpg sends date.min/date.max (the sort keys' stand-ins for unknown dates) as
        # -infinity/infinity, which to_char() writes as null; Python reads them back as
        # 0001-01-01 and 9999-12-31, so clamp to those.
        bounded = func.greatest(
            func.least(value, literal_column("DATE '9999-12-31'")),
            literal_column("DATE '0001-01-01'"),
        )
        return func.to_char(bounded, "YYYY-MM-DD")
