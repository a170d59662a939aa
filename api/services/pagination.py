"""Keyset pagination over any SELECT, for a root list or per parent in one statement.

A page is asked for with ``first``/``after`` or ``last``/``before``; cursors carry the sort
values of the row they point at, so pages stay stable while rows are added or removed.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from api.services import cursors
from api.services.errors import InvalidArgumentError

T = TypeVar("T")

FAR_FUTURE = dt.date(9999, 12, 31)


@dataclasses.dataclass(frozen=True)
class SortKey:
    """One term of an ordering: a non-null SQL expression and its direction."""

    expression: Any  # a column or SQL expression that is never NULL
    descending: bool = False


def latest_first(column: Any) -> SortKey:
    """Newest dates first; unknown dates last."""
    return SortKey(func.coalesce(column, literal(dt.date(1, 1, 1))), descending=True)


def earliest_first(column: Any) -> SortKey:
    """Oldest dates first; unknown dates last."""
    return SortKey(func.coalesce(column, literal(FAR_FUTURE)))


@dataclasses.dataclass(frozen=True)
class Ordering:
    """Sort keys (unique together) and a name that ties cursors to this list and order."""

    name: str
    keys: tuple[SortKey, ...]
    decoders: tuple[cursors.Decoder, ...] = dataclasses.field(init=False, compare=False)
    """How to check each key's value in a cursor (made here, so a key of a type no cursor can
    carry fails when the list is defined, not when a client first pages it)."""

    def __post_init__(self) -> None:
        decoders = tuple(cursors.decoder_for(key.expression.type) for key in self.keys)
        object.__setattr__(self, "decoders", decoders)


@dataclasses.dataclass(frozen=True)
class PageRequest:
    """What the client asked for; validated by ``page_request``."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclasses.dataclass
class Page(Generic[T]):
    """One page of rows, each with its cursor, and whether more lie on either side."""

    items: list[tuple[T, str]]
    has_next_page: bool
    has_previous_page: bool


def page_request(
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    default_size: int,
    max_size: int,
) -> PageRequest:
    """Check pagination arguments; too large a page is an error, never silently clamped."""
    if first is not None and last is not None:
        raise InvalidArgumentError("Pass `first` or `last`, not both.")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= max_size:
            raise InvalidArgumentError(
                f"`{name}` must be between 0 and {max_size}; got {value}.",
            )
    if first is None and last is None:
        first = default_size
    return PageRequest(first=first, after=after, last=last, before=before)


def encode_cursor(values: Sequence[Any], order: Ordering) -> str:
    """An opaque cursor carrying a row's sort values and the ordering they belong to."""
    return cursors.encode(order.name, values)


def decode_cursor(cursor: str, order: Ordering) -> list[Any]:
    """The sort values inside a cursor, typed, checked against the list and ordering in force."""
    return cursors.decode(cursor, order.name, order.decoders)


def _beyond(keys: Sequence[SortKey], values: Sequence[Any], *, forward: bool) -> Any:
    """Rows strictly after (or before) the row with ``values`` in the given ordering."""
    alternatives = []
    for position, key in enumerate(keys):
        ascending = not key.descending if forward else key.descending
        step = key.expression > values[position] if ascending else key.expression < values[position]
        equal_prefix = [k.expression == v for k, v in zip(keys[:position], values, strict=False)]
        alternatives.append(and_(*equal_prefix, step))
    return or_(*alternatives)


def _ordered(keys: Sequence[SortKey], *, forward: bool) -> list[Any]:
    return [
        key.expression.desc() if key.descending == forward else key.expression.asc() for key in keys
    ]


def _labelled(keys: Sequence[SortKey]) -> list[Any]:
    return [key.expression.label(f"sort_key_{n}") for n, key in enumerate(keys)]


def _window(stmt: Select[Any], order: Ordering, page: PageRequest) -> tuple[Any, int, bool]:
    """Apply cursors and direction; return the statement, the page size and the direction."""
    forward = page.last is None
    if page.after is not None:
        after = decode_cursor(page.after, order)
        stmt = stmt.where(_beyond(order.keys, after, forward=True))
    if page.before is not None:
        before = decode_cursor(page.before, order)
        stmt = stmt.where(_beyond(order.keys, before, forward=False))
    size = page.first if forward else page.last
    assert size is not None
    return stmt, size, forward


def _page(
    rows: list[tuple[Any, ...]], size: int, order: Ordering, *, forward: bool, page: PageRequest
) -> Page[Any]:
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    items = [(row[0], encode_cursor(row[1:], order)) for row in rows]
    if forward:
        return Page(items, has_next_page=more, has_previous_page=page.after is not None)
    return Page(items, has_next_page=page.before is not None, has_previous_page=more)


async def paginate(
    session: AsyncSession, stmt: Select[Any], *, order: Ordering, page: PageRequest
) -> Page[Any]:
    """One page of the entities ``stmt`` selects, in the given order."""
    stmt, size, forward = _window(stmt, order, page)
    stmt = stmt.add_columns(*_labelled(order.keys))
    stmt = stmt.order_by(*_ordered(order.keys, forward=forward)).limit(size + 1)
    rows = [tuple(row) for row in (await session.execute(stmt)).all()]
    return _page(rows, size, order, forward=forward, page=page)


async def paginate_per_parent(
    session: AsyncSession,
    entity: Any,
    stmt: Select[Any],
    *,
    parent: ColumnElement[Any],
    parent_ids: Sequence[Hashable],
    order: Ordering,
    page: PageRequest,
) -> dict[Hashable, Page[Any]]:
    """The same page for every parent, in one statement (a window function per parent)."""
    stmt, size, forward = _window(stmt.where(parent.in_(parent_ids)), order, page)
    ranking = _ordered(order.keys, forward=forward)
    rank = func.row_number().over(partition_by=parent, order_by=ranking)
    ranked = stmt.add_columns(
        parent.label("parent_key"), rank.label("rank"), *_labelled(order.keys)
    ).subquery()
    row_entity = aliased(entity, ranked)
    sort_columns = list(ranked.c)[-len(order.keys) :]
    final = (
        select(row_entity, ranked.c.parent_key, *sort_columns)
        .where(ranked.c.rank <= size + 1)
        .order_by(ranked.c.parent_key, ranked.c.rank)
    )
    grouped: dict[Hashable, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (await session.execute(final)).all():
        grouped[row[1]].append((row[0], *row[2:]))
    return {
        key: _page(grouped.get(key, []), size, order, forward=forward, page=page)
        for key in parent_ids
    }


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    """How many rows ``stmt`` selects, ignoring pagination."""
    result = await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return int(result.scalar_one())


async def count_per_parent(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    parent: ColumnElement[Any],
    parent_ids: Sequence[Hashable],
) -> dict[Hashable, int]:
    """How many rows ``stmt`` selects for each parent, in one statement."""
    grouped = (
        stmt.where(parent.in_(parent_ids))
        .with_only_columns(parent, func.count())
        .group_by(parent)
        .order_by(None)
    )
    counts = {key: int(n) for key, n in (await session.execute(grouped)).all()}
    return {key: counts.get(key, 0) for key in parent_ids}


async def paginate_columns(
    connection: AsyncConnection,
    stmt: Select[Any],
    columns: Sequence[Any],
    *,
    order: Ordering,
    page: PageRequest,
) -> Page[tuple[Any, ...]]:
    """``paginate``, reading only ``columns`` as plain tuples (same rows, same cursors)."""
    stmt, size, forward = _window(stmt, order, page)
    stmt = stmt.with_only_columns(*columns, *_labelled(order.keys))
    stmt = stmt.order_by(*_ordered(order.keys, forward=forward)).limit(size + 1)
    width = len(columns)
    rows = [(tuple(row[:width]), *row[width:]) for row in await connection.execute(stmt)]
    return _page(rows, size, order, forward=forward, page=page)


async def paginate_columns_per_parent(
    connection: AsyncConnection,
    stmt: Select[Any],
    columns: Sequence[Any],
    *,
    parent: ColumnElement[Any],
    parent_ids: Sequence[Hashable],
    order: Ordering,
    page: PageRequest,
) -> dict[Hashable, Page[tuple[Any, ...]]]:
    """``paginate_per_parent``, reading only ``columns`` as plain tuples, in one statement."""
    stmt, size, forward = _window(stmt.where(parent.in_(parent_ids)), order, page)
    rank = func.row_number().over(
        partition_by=parent, order_by=_ordered(order.keys, forward=forward)
    )
    labelled = [column.label(f"column_{n}") for n, column in enumerate(columns)]
    ranked = stmt.with_only_columns(
        *labelled, parent.label("parent_key"), rank.label("rank"), *_labelled(order.keys)
    ).subquery()
    width = len(columns)
    sort_columns = list(ranked.c)[-len(order.keys) :]
    final = (
        select(*list(ranked.c)[:width], ranked.c.parent_key, *sort_columns)
        .where(ranked.c.rank <= size + 1)
        .order_by(ranked.c.parent_key, ranked.c.rank)
    )
    grouped: dict[Hashable, list[tuple[Any, ...]]] = defaultdict(list)
    for row in await connection.execute(final):
        grouped[row[width]].append((tuple(row[:width]), *row[width + 1 :]))
    return {
        key: _page(grouped.get(key, []), size, order, forward=forward, page=page)
        for key in parent_ids
    }


def window(stmt: Select[Any], order: Ordering, page: PageRequest) -> tuple[Any, int, bool]:
    """``stmt`` past the page's cursors; the page size; whether the page reads forward."""
    return _window(stmt, order, page)


def ordered(keys: Sequence[SortKey], *, forward: bool) -> list[Any]:
    """ORDER BY terms reading the keys forward (or backward, for ``last``)."""
    return _ordered(keys, forward=forward)


def sort_type(key: SortKey) -> type:
    """The Python type of a sort key's values (``object`` when SQLAlchemy cannot tell)."""
    try:
        python_type: type = key.expression.type.python_type
    except NotImplementedError:
        return object
    return python_type
