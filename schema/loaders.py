"""DataLoaders built per request: one batched query per relation per level of a query."""

import functools
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement
from strawberry.dataloader import DataLoader

from api.db import Base
from api.services import listing, records
from api.services.listing import Listing
from api.services.pagination import Page, PageRequest

if TYPE_CHECKING:
    from schema.context import Database


class Loaders:
    """Creates each loader on first use and keeps it for the rest of the request."""

    def __init__(self, db: "Database") -> None:
        self._db = db
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def _loader(
        self, key: Hashable, batch: Callable[[list[Any]], Awaitable[Sequence[Any]]]
    ) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=batch)
        return loader

    def by_id(self, entity: Any) -> DataLoader[int, Any | None]:
        """``entity`` rows by primary key."""

        async def batch(ids: list[int]) -> list[Any | None]:
            return await self._db.run(records.by_ids, entity, ids)

        return self._loader(("by_id", entity), batch)

    def by_unique(self, entity: Any, column: ColumnElement[Any]) -> DataLoader[Any, Any | None]:
        """``entity`` rows by a unique column (a slug, a code)."""

        async def batch(keys: list[Any]) -> list[Any | None]:
            return await self._db.run(records.by_unique, entity, column, keys)

        return self._loader(("by_unique", entity, column.key), batch)

    def children(
        self, entity: Any, column: ColumnElement[Any], *, order_by: Sequence[Any] = ()
    ) -> DataLoader[Any, list[Any]]:
        """For each parent key, the ``entity`` rows whose ``column`` points at it."""

        async def batch(keys: list[Any]) -> list[list[Any]]:
            return await self._db.run(records.by_column, entity, column, keys, order_by=order_by)

        # In id order (no order_by) the rows a write just made can be primed (`prime_written`).
        kind = "children" if not order_by else "ordered children"
        return self._loader((kind, entity, column.key), batch)

    def prime_written(
        self, written: Sequence[Any], created: Any = None, incomplete: frozenset[type] = frozenset()
    ) -> None:
        """Prime the loaders with what a committed write holds, so its answer needs no reads.

        ``written``: the records the write's transaction inserted or read, each as the write
        left it — by id. ``created``: the record it created; whatever points at a record that
        did not exist before was written in the same transaction, so ``written`` holds all of
        it — its children (in id order), an empty list where it has none of a kind — except
        for the kinds ``incomplete`` names (some of their records were not fully loaded).
        """
        for row in written:
            self.by_id(type(row)).prime(row.id, row)
        if created is None:
            return
        for entity, key in _pointing_at(created.__tablename__):
            if entity in incomplete:
                continue
            rows = sorted(
                (r for r in written if type(r) is entity and getattr(r, key) == created.id),
                key=lambda r: r.id,
            )
            self.children(entity, getattr(entity, key)).prime(created.id, rows)

    def pages(
        self, key: Hashable, rows: Listing, parent: ColumnElement[Any], request: PageRequest
    ) -> DataLoader[Any, Page[Any]]:
        """For each parent, the same page of a nested connection (``key`` names its arguments)."""

        async def batch(parent_ids: list[Any]) -> list[Page[Any]]:
            pages = await self._db.run(
                listing.page_per_parent, rows, parent=parent, parent_ids=parent_ids, request=request
            )
            return [pages[parent_id] for parent_id in parent_ids]

        return self._loader(("pages", key, request), batch)

    def computed(
        self,
        key: Hashable,
        compute: Callable[..., Awaitable[Mapping[Any, Any]]],
        *args: Any,
    ) -> DataLoader[Any, Any]:
        """For each key, what ``compute(session, keys, *args)`` maps it to (None when absent)."""

        async def batch(keys: list[Any]) -> list[Any]:
            found = await self._db.run(compute, keys, *args)
            return [found.get(k) for k in keys]

        return self._loader(("computed", key, *args), batch)

    def totals(
        self, key: Hashable, rows: Listing, parent: ColumnElement[Any]
    ) -> DataLoader[Any, int]:
        """For each parent, how many rows a nested connection has in all."""

        async def batch(parent_ids: list[Any]) -> list[int]:
            totals = await self._db.run(
                listing.total_per_parent, rows, parent=parent, parent_ids=parent_ids
            )
            return [totals[parent_id] for parent_id in parent_ids]

        return self._loader(("totals", key), batch)


@functools.cache
def _pointing_at(table: str) -> tuple[tuple[Any, str], ...]:
    """Each (model, attribute) whose column is a foreign key to ``table``."""
    return tuple(
        (mapper.class_, prop.key)
        for mapper in Base.registry.mappers
        for prop in mapper.column_attrs
        if any(fk.column.table.name == table for fk in prop.columns[0].foreign_keys)
    )
