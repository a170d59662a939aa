"""Topics and countries: listing and filtering."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement

from api.models import Country, Topic
from api.services import listing
from api.services.listing import Listing
from api.services.pagination import SortKey
from api.services.search import matching_records

TOPIC_ORDERS: dict[str, Sequence[SortKey]] = {
    "NAME_ASC": [SortKey(Topic.name)],
    "NAME_DESC": [SortKey(Topic.name, descending=True)],
}
COUNTRY_ORDERS: dict[str, Sequence[SortKey]] = {
    "CODE_ASC": [SortKey(Country.code)],
    "NAME_ASC": [SortKey(Country.name)],
}


@dataclasses.dataclass(frozen=True)
class TopicFilter:
    """Every condition is optional; a list matches any of its values."""

    name: str | None = None
    parent_ids: Sequence[int] | None = None
    search: str | None = None


def list_topics(
    topic_filter: TopicFilter | None = None, order: Sequence[str] = ("NAME_ASC",)
) -> Listing:
    """Topics matching the filter, in the given order."""
    f = topic_filter or TopicFilter()
    c: list[ColumnElement[bool]] = []
    if f.name is not None:
        c.append(listing.named("topic_id", Topic.id, f.name))
    if f.parent_ids is not None:
        c.append(Topic.parent_id.in_(f.parent_ids))
    if f.search is not None:
        c.append(matching_records("topic", Topic.id, f.search))
    return listing.build(Topic, c, order=order, orders=TOPIC_ORDERS)


def list_countries(
    codes: Sequence[str] | None = None, order: Sequence[str] = ("CODE_ASC",)
) -> Listing:
    """Countries, optionally only those with the given ISO codes."""
    c: list[ColumnElement[bool]] = []
    if codes is not None:
        c.append(Country.code.in_([code.upper() for code in codes]))
    return listing.build(Country, c, order=order, orders=COUNTRY_ORDERS)
