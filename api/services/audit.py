"""The audit trail: every write appends entries in its own transaction."""

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement

from api.models import AuditEntry
from api.partial_date import PartialDate
from api.services import listing
from api.services.listing import Listing
from api.services.pagination import SortKey
from api.services.tokens import Actor

ORDERS: dict[str, Sequence[SortKey]] = {
    # Ids break ties: entries written in one transaction share a timestamp.
    "NEWEST_FIRST": [
        SortKey(AuditEntry.occurred_at, descending=True),
        SortKey(AuditEntry.id, descending=True),
    ],
    "OLDEST_FIRST": [SortKey(AuditEntry.occurred_at)],
}

# Bookkeeping columns that change with every write and say nothing about the record.
_IGNORED = frozenset({"id", "created_at", "updated_at", "version"})


def jsonable(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def snapshot(record: Any) -> dict[str, Any]:
    """The record's columns as JSON-friendly values (partial dates as their text)."""
    values = {}
    for column in record.__table__.columns:
        if column.key in _IGNORED:
            continue
        values[column.key] = jsonable(getattr(record, column.key))
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: [before, after]}`` for every field that differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    session: Any,
    actor: Actor,
    *,
    operation: str,
    action: str,
    target: Any,
    changed: Mapping[str, Any],
) -> AuditEntry:
    """Append an entry for ``target`` (flushed with the write it describes)."""
    entry = AuditEntry(
        token_id=actor.token_id,
        token_name=actor.name,
        operation=operation,
        action=action,
        record_type=target.__tablename__,
        record_id=target.id,
        changes=dict(changed),
    )
    session.add(entry)
    return entry


@dataclasses.dataclass(frozen=True)
class AuditFilter:
    """Every condition is optional."""

    record_types: Sequence[str] | None = None
    token_names: Sequence[str] | None = None
    operations: Sequence[str] | None = None


def list_entries(
    audit_filter: AuditFilter | None = None, order: Sequence[str] = ("NEWEST_FIRST",)
) -> Listing:
    """Audit entries matching the filter."""
    f = audit_filter or AuditFilter()
    conditions: list[ColumnElement[bool]] = []
    for column, values in _filters(f):
        conditions.append(column.in_(values))
    return listing.build(AuditEntry, conditions, order=order, orders=ORDERS)


def _filters(f: AuditFilter) -> Iterable[tuple[Any, Sequence[str]]]:
    pairs = (
        (AuditEntry.record_type, f.record_types),
        (AuditEntry.token_name, f.token_names),
        (AuditEntry.operation, f.operations),
    )
    return [(column, values) for column, values in pairs if values is not None]


def list_history(record_type: str) -> Listing:
    """The entries about records of one type (paged per record by ``record_id``)."""
    return list_entries(AuditFilter(record_types=[record_type]))
