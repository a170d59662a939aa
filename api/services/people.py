"""People and organizations: listing, and search by name in any language."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists

from api.models import Organization, Person, Position
from api.models.enums import OrganizationKind, Rank
from api.partial_date import PartialDate
from api.services import listing, positions
from api.services.listing import Listing
from api.services.pagination import SortKey

PERSON_ORDERS: dict[str, Sequence[SortKey]] = {
    "NAME_ASC": [SortKey(Person.name)],
    "NAME_DESC": [SortKey(Person.name, descending=True)],
}
ORGANIZATION_ORDERS: dict[str, Sequence[SortKey]] = {
    "NAME_ASC": [SortKey(Organization.name)],
    "NAME_DESC": [SortKey(Organization.name, descending=True)],
}


@dataclasses.dataclass(frozen=True)
class PersonFilter:
    """Every condition is optional; a list matches any of its values."""

    name: str | None = None
    country_codes: Sequence[str] | None = None
    organization_ids: Sequence[int] | None = None
    holding_position_on: PartialDate | None = None
    min_rank: Rank | None = None


@dataclasses.dataclass(frozen=True)
class OrganizationFilter:
    """Every condition is optional; a list matches any of its values."""

    name: str | None = None
    kinds: Sequence[OrganizationKind] | None = None
    country_codes: Sequence[str] | None = None
    parent_ids: Sequence[int] | None = None


def list_people(
    person_filter: PersonFilter | None = None, order: Sequence[str] = ("NAME_ASC",)
) -> Listing:
    """People matching the filter, in the given order."""
    f = person_filter or PersonFilter()
    c: list[ColumnElement[bool]] = []
    if f.name is not None:
        c.append(listing.named("person_id", Person.id, f.name))
    if f.country_codes is not None:
        c.append(listing.in_countries(Person.country_id, f.country_codes))
    if f.organization_ids is not None:
        c.append(
            exists().where(
                Position.person_id == Person.id,
                Position.organization_id.in_(f.organization_ids),
            )
        )
    if f.holding_position_on is not None or f.min_rank is not None:
        c.append(_holding(f.holding_position_on, f.min_rank))
    return listing.build(Person, c, order=order, orders=PERSON_ORDERS)


def _holding(day: PartialDate | None, minimum: Rank | None) -> ColumnElement[bool]:
    """Held a position (on ``day``, of ``minimum`` rank or higher, when given)."""
    held = exists().where(Position.person_id == Person.id)
    if day is not None:
        held = held.where(positions.held_during(day.earliest, day.latest))
    if minimum is not None:
        held = held.where(positions.ranked(minimum))
    return held


def list_organizations(
    organization_filter: OrganizationFilter | None = None, order: Sequence[str] = ("NAME_ASC",)
) -> Listing:
    """Organizations matching the filter, in the given order."""
    f = organization_filter or OrganizationFilter()
    c: list[ColumnElement[bool]] = []
    if f.name is not None:
        c.append(listing.named("organization_id", Organization.id, f.name))
    if f.kinds is not None:
        c.append(Organization.kind.in_(f.kinds))
    if f.country_codes is not None:
        c.append(listing.in_countries(Organization.country_id, f.country_codes))
    if f.parent_ids is not None:
        c.append(Organization.parent_id.in_(f.parent_ids))
    return listing.build(Organization, c, order=order, orders=ORGANIZATION_ORDERS)
