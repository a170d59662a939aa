"""A list query: which rows (a filtered SELECT) in which order, ready to page or count."""

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Country, LocalizedName
from api.models.name import normalize_for_search
from api.services import pagination
from api.services.errors import InvalidArgumentError
from api.services.pagination import Ordering, Page, PageRequest, SortKey


@dataclasses.dataclass(frozen=True)
class Listing:
    """The rows of ``entity`` that ``stmt`` selects, in ``order``."""

    entity: Any
    stmt: Select[Any]
    order: Ordering


def build(
    entity: Any,
    conditions: Sequence[ColumnElement[bool]],
    *,
    order: Sequence[str],
    orders: Mapping[str, Sequence[SortKey]],
) -> Listing:
    """A listing of ``entity`` rows meeting every condition, ordered by the named orders."""
    keys: list[SortKey] = []
    for name in order:
        if name not in orders:
            raise InvalidArgumentError(f"Unknown order {name!r}.")
        keys.extend(orders[name])
    keys.append(SortKey(entity.id))
    ordering = Ordering(f"{entity.__tablename__}:{','.join(order)}", tuple(keys))
    return Listing(entity, select(entity).where(*conditions), ordering)


async def page(session: AsyncSession, listing: Listing, request: PageRequest) -> Page[Any]:
    """One page of the listing."""
    return await pagination.paginate(session, listing.stmt, order=listing.order, page=request)


async def total(session: AsyncSession, listing: Listing) -> int:
    """How many rows the listing has."""
    return await pagination.count(session, listing.stmt)


async def page_per_parent(
    session: AsyncSession,
    listing: Listing,
    *,
    parent: ColumnElement[Any],
    parent_ids: Sequence[Hashable],
    request: PageRequest,
) -> dict[Hashable, Page[Any]]:
    """The same page of the listing for each parent, in one statement."""
    return await pagination.paginate_per_parent(
        session,
        listing.entity,
        listing.stmt,
        parent=parent,
        parent_ids=parent_ids,
        order=listing.order,
        page=request,
    )


async def total_per_parent(
    session: AsyncSession,
    listing: Listing,
    *,
    parent: ColumnElement[Any],
    parent_ids: Sequence[Hashable],
) -> dict[Hashable, int]:
    """How many rows of the listing each parent has, in one statement."""
    return await pagination.count_per_parent(
        session, listing.stmt, parent=parent, parent_ids=parent_ids
    )


MAX_SEARCH_LENGTH = 1000
"""Longest search text; SQLite refuses LIKE patterns over 50,000 bytes, PostgreSQL does not."""


def contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, after search normalization."""
    if len(text) > MAX_SEARCH_LENGTH:
        raise InvalidArgumentError(
            f"A search text has at most {MAX_SEARCH_LENGTH} characters; got {len(text)}."
        )
    escaped = normalize_for_search(text).replace("\\", "\\\\").replace("%", r"\%")
    return "%" + escaped.replace("_", r"\_") + "%"


def named(owner: str, owner_id: Any, name: str) -> ColumnElement[bool]:
    """The record (``owner`` is its column on localized_name) has a name containing ``name``.

    Any language counts: "王文涛" and "wang wentao" find the same person.
    """
    return exists().where(
        getattr(LocalizedName, owner) == owner_id,
        LocalizedName.normalized.like(contains(name), escape="\\"),
    )


def in_countries(column: Any, codes: Sequence[str]) -> ColumnElement[bool]:
    """The country ``column`` points at has one of the ISO 3166 alpha-2 codes."""
    upper = [code.upper() for code in codes]
    return exists().where(Country.id == column, Country.code.in_(upper))
