"""The statements of the compiled path: plain column tuples, one statement per relation."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

Row = dict[str, Any]


def _rows(names: Sequence[str], result: Any) -> list[Row]:
    return [dict(zip(names, row, strict=True)) for row in result]


async def by_keys(
    connection: AsyncConnection,
    table: Table,
    names: Sequence[str],
    key: str,
    keys: Sequence[Hashable],
) -> list[Row]:
    """The rows of ``table`` whose column ``key`` is one of ``keys`` (any order)."""
    stmt = select(*(table.c[name] for name in names)).where(table.c[key].in_(keys))
    return _rows(names, await connection.execute(stmt))


async def children(
    connection: AsyncConnection,
    table: Table,
    names: Sequence[str],
    key: str,
    parent_ids: Sequence[Hashable],
    order: Sequence[Any],
) -> dict[Hashable, list[Row]]:
    """For each parent id, the rows whose column ``key`` points at it, in ``order`` then id."""
    stmt = (
        select(*(table.c[name] for name in names), table.c[key].label("parent_key"))
        .where(table.c[key].in_(parent_ids))
        .order_by(*order, table.c.id)
    )
    grouped: dict[Hashable, list[Row]] = defaultdict(list)
    width = len(names)
    for row in await connection.execute(stmt):
        grouped[row[width]].append(dict(zip(names, row[:width], strict=True)))
    return grouped
