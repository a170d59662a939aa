"""Many rows of one table in one statement: ``INSERT … VALUES (…), (…) RETURNING *``."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import check_storable


async def insert_rows(
    session: AsyncSession, model: Any, rows: Sequence[Mapping[str, Any]]
) -> list[Any]:
    """Insert ``rows`` of ``model`` and return them as records of the session.

    One statement on both databases, where a flush of added records takes one per row on
    SQLite (it must match each returned id to its record; here the records are made from
    what the database returns). Every row gives the same columns; nulls are written as
    nulls (not left to a column default), so rows with different gaps share the statement.
    """
    if not rows:
        return []
    for row in rows:
        check_storable(model, row)
    statement = insert(model).returning(model).execution_options(render_nulls=True)
    return list(await session.scalars(statement, list(rows)))
