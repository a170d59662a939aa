"""Batch lookups behind the GraphQL loaders: records by key, children by parent, in one query."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import Base


async def by_ids(session: AsyncSession, entity: Any, ids: Sequence[int]) -> list[Any | None]:
    """The ``entity`` rows with these ids, aligned with ``ids`` (None where missing)."""
    rows = (await session.scalars(select(entity).where(entity.id.in_(ids)))).all()
    found = {row.id: row for row in rows}
    return [found.get(key) for key in ids]


async def by_column(
    session: AsyncSession,
    entity: Any,
    column: ColumnElement[Any],
    keys: Sequence[Hashable],
    *,
    order_by: Sequence[Any] = (),
) -> list[list[Any]]:
    """For each key, the ``entity`` rows whose ``column`` equals it, in ``order_by`` then id."""
    stmt = select(entity).where(column.in_(keys)).order_by(*order_by, entity.id)
    grouped: dict[Hashable, list[Any]] = defaultdict(list)
    for row in (await session.scalars(stmt)).all():
        grouped[getattr(row, str(column.key))].append(row)
    return [grouped.get(key, []) for key in keys]


async def by_unique(
    session: AsyncSession, entity: Any, column: ColumnElement[Any], keys: Sequence[Hashable]
) -> list[Any | None]:
    """The ``entity`` row whose unique ``column`` equals each key (None where missing)."""
    rows = (await session.scalars(select(entity).where(column.in_(keys)))).all()
    found = {getattr(row, str(column.key)): row for row in rows}
    return [found.get(key) for key in keys]


async def by_table(session: AsyncSession, table: str, record_id: int) -> Any | None:
    """The record with ``record_id`` in the table called ``table`` (None if gone)."""
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table:
            return await session.get(mapper.class_, record_id)
    return None
