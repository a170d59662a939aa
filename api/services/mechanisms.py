"""Mechanisms: listing and filtering."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists

from api import clock
from api.models import Country, Mechanism, MechanismParty
from api.models.columns import span
from api.models.enums import ActivityVerdict, MechanismKind, MechanismLevel, MechanismStatus
from api.services import activity, listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first

ORDERS: dict[str, Sequence[SortKey]] = {
    "NAME_ASC": [SortKey(Mechanism.name)],
    "NAME_DESC": [SortKey(Mechanism.name, descending=True)],
    "ESTABLISHED_ASC": [earliest_first(span(Mechanism, "established").earliest)],
    "ESTABLISHED_DESC": [latest_first(span(Mechanism, "established").earliest)],
}
DEFAULT_ORDER = ("NAME_ASC",)


@dataclasses.dataclass(frozen=True)
class MechanismFilter:
    """Every condition is optional; a list matches any of its values."""

    kinds: Sequence[MechanismKind] | None = None
    statuses: Sequence[MechanismStatus] | None = None
    levels: Sequence[MechanismLevel] | None = None
    party_country_codes: Sequence[str] | None = None
    name: str | None = None
    activity: Sequence[ActivityVerdict] | None = None
    as_of: dt.date | None = None


def _conditions(f: MechanismFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.kinds is not None:
        c.append(Mechanism.kind.in_(f.kinds))
    if f.statuses is not None:
        c.append(Mechanism.status.in_(f.statuses))
    if f.levels is not None:
        c.append(Mechanism.level.in_(f.levels))
    if f.party_country_codes is not None:
        codes = [code.upper() for code in f.party_country_codes]
        c.append(
            exists().where(
                MechanismParty.mechanism_id == Mechanism.id,
                Country.id == MechanismParty.country_id,
                Country.code.in_(codes),
            )
        )
    if f.name is not None:
        c.append(listing.named("mechanism_id", Mechanism.id, f.name))
    if f.activity is not None:
        c.append(activity.matching(f.as_of or clock.today(), f.activity))
    return c


def list_mechanisms(
    mechanism_filter: MechanismFilter | None = None, order: Sequence[str] = DEFAULT_ORDER
) -> Listing:
    """Mechanisms matching the filter, in the given order."""
    return listing.build(
        Mechanism, _conditions(mechanism_filter or MechanismFilter()), order=order, orders=ORDERS
    )
