"""Insert-if-missing by natural key, for the seed loader: one SELECT per table, few flushes."""

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import Base

Key = tuple[Any, ...]


class SeedError(ValueError):
    """The seed data is inconsistent: an unknown reference, a duplicate, a malformed record."""


@dataclasses.dataclass(frozen=True)
class Table:
    """A table, the columns that identify a row in it, and how they make a key."""

    model: type[Base]
    columns: tuple[str, ...]
    key_of: Callable[[Mapping[str, Any]], Key] | None = None
    # Columns read with the keys (``Store.read``), for a loader that must see more than keys.
    also_read: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The table's name."""
        return str(self.model.__tablename__)

    def key(self, values: Mapping[str, Any]) -> Key:
        """The natural key of a row given as column values."""
        if self.key_of is not None:
            return self.key_of(values)
        return tuple(values.get(column) for column in self.columns)


@dataclasses.dataclass
class Row:
    """Column values of a row to insert; ``refs`` maps columns to keys of rows in its own table."""

    values: dict[str, Any]
    refs: dict[str, Key] = dataclasses.field(default_factory=dict)


class Store:
    """Known keys per table (preloaded, then grown by inserts) and the count of rows created."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.created: dict[str, int] = dict.fromkeys(Base.metadata.tables, 0)
        self.new: dict[str, dict[Key, Base]] = {}
        self._ids: dict[str, dict[Key, int]] = {}
        self._read: dict[str, dict[Key, dict[str, Any]]] = {}

    async def known(self, table: Table) -> dict[Key, int]:
        """Every key of ``table`` with its row id, read from the database once."""
        if table.name not in self._ids:
            names = (*table.columns, *table.also_read)
            columns = [getattr(table.model, column) for column in names]
            result = await self.session.execute(select(table.model.id, *columns))  # type: ignore[attr-defined]
            ids, read = {}, {}
            for row in result:
                values = dict(zip(names, row[1:], strict=True))
                key = table.key(values)
                ids[key] = row[0]
                read[key] = {column: values[column] for column in table.also_read}
            self._ids[table.name], self._read[table.name] = ids, read
        return self._ids[table.name]

    def read(self, table: Table, key: Key) -> dict[str, Any]:
        """The ``also_read`` columns of a row that existed before this load (empty if new)."""
        return self._read.get(table.name, {}).get(key, {})

    def id(self, table: Table, *key: Any) -> int:
        """The id of a row already loaded or inserted; a SeedError when there is none."""
        try:
            return self._ids[table.name][key]
        except KeyError:
            raise SeedError(f"{table.name}: nothing known as {key!r}") from None

    async def put(
        self,
        table: Table,
        rows: Iterable[Row],
        build: Callable[[dict[str, Any]], Base] | None = None,
    ) -> None:
        """Insert the rows whose key is unknown, parents before children; never update."""
        known = await self.known(table)
        seen: set[Key] = set()
        pending: dict[Key, Row] = {}
        for row in rows:
            key = table.key(row.values)
            if key in seen:
                raise SeedError(f"{table.name}: {key!r} appears twice in the seed data")
            seen.add(key)
            if key not in known:
                pending[key] = row
        while pending:
            ready = [k for k, row in pending.items() if set(row.refs.values()) <= known.keys()]
            if not ready:
                raise SeedError(f"{table.name}: unresolvable references in {sorted(pending)!r}")
            inserted = [(key, self._build(table, pending.pop(key), known, build)) for key in ready]
            await self.session.flush()
            for key, record in inserted:
                known[key] = record.id  # type: ignore[attr-defined]
                self.new.setdefault(table.name, {})[key] = record
            self.created[table.name] += len(inserted)

    def _build(
        self,
        table: Table,
        row: Row,
        known: dict[Key, int],
        build: Callable[[dict[str, Any]], Base] | None,
    ) -> Base:
        values = row.values | {column: known[key] for column, key in row.refs.items()}
        record = build(values) if build is not None else table.model(**values)
        self.session.add(record)
        return record
