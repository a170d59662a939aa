"""The data version (see api.models.version): read it, and advance it with every write.

A version is never issued twice, even after the database went back in time (a restore, a
downgrade and upgrade that re-created the row): each advance takes the database clock in
microseconds when that is ahead of the last version plus one. Response caches key on the exact
version, so a number they cached under can never come back with other data behind it.
"""

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    String,
    Update,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry, DataVersion

# The database's clock in microseconds since 1970, as each dialect spells it.
_CLOCK_MICROSECONDS = {
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)",
}


@functools.cache
def advance(dialect: str) -> Update:
    """The statement that advances the version: past the last one and up to the clock."""
    clock = literal_column(_CLOCK_MICROSECONDS[dialect], Integer)
    latest = func.max if dialect == "sqlite" else func.greatest  # SQLite's max() is scalar
    return (
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=latest(DataVersion.version + 1, clock))
    )


async def bump(
    session: AsyncSession,
    *,
    notify: tuple[str, str] | None = None,
    audit: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Count a write; takes effect when the caller's transaction commits.

    ``notify`` (PostgreSQL only): a channel and payload to ``NOTIFY`` in the same statement,
    so listeners hear of the write when, and only if, it commits. ``audit``: rows of
    ``audit_entry`` the write appends, inserted by the same statement on PostgreSQL (a
    data-modifying CTE) and by one multi-row INSERT before it on SQLite.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and (notify is not None or audit):
        params = {"audit_rows": _json_rows(audit)} if audit else {}
        if notify is not None:
            params["channel"], params["payload"] = notify
        await session.execute(_bump_statement(notify=notify is not None, audit=bool(audit)), params)
        return
    if audit:
        await session.execute(insert(AuditEntry), list(audit))
    await session.execute(advance(dialect))


@functools.cache
def _bump_statement(*, notify: bool, audit: bool) -> Select[Any]:
    """PostgreSQL's bump with its NOTIFY (parameters ``channel``, ``payload``) and audit rows
    (``audit_rows``), in one statement built once."""
    bumped = advance("postgresql").returning(DataVersion.version).cte("bumped")
    if notify:
        statement = select(func.pg_notify(bindparam("channel"), bindparam("payload")))
        statement = statement.select_from(bumped)
    else:
        statement = select(bumped.c.version)
    return statement.add_cte(_AUDIT_FROM_JSON.cte("audit")) if audit else statement


# The audit rows as one JSON parameter: one statement (compiled once) for any number of rows,
# where a multi-row VALUES is compiled anew for each request.
_AUDIT_COLUMNS = [c.key for c in AuditEntry.__table__.columns if c.key != "id"]
_AUDIT_RECORDS = func.json_populate_recordset(
    literal_column("NULL::audit_entry"), cast(bindparam("audit_rows", type_=String), JSON)
).table_valued(*_AUDIT_COLUMNS)
_AUDIT_FROM_JSON = insert(AuditEntry).from_select(
    _AUDIT_COLUMNS, select(*[_AUDIT_RECORDS.c[name] for name in _AUDIT_COLUMNS])
)


def _json_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(
        [{name: row.get(name) for name in _AUDIT_COLUMNS} for row in rows],
        default=lambda value: value.isoformat(),  # the entries' times
    )


def bump_sync(connection: Connection) -> None:
    """:func:`bump` on a synchronous connection (Alembic's, after a migration)."""
    connection.execute(advance(connection.dialect.name))


async def current(session: AsyncSession) -> int:
    """The version of the data as committed now."""
    return int(await session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)
