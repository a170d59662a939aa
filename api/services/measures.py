"""Policy measures: listing and filtering."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists

from api.models import PolicyMeasure, PolicyMeasureTopic, Topic
from api.models.columns import span
from api.models.enums import MeasureKind, MeasureStatus
from api.services import listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first
from api.services.search import matching_records

ORDERS: dict[str, Sequence[SortKey]] = {
    "NAME_ASC": [SortKey(PolicyMeasure.name)],
    "NAME_DESC": [SortKey(PolicyMeasure.name, descending=True)],
    "ANNOUNCED_ASC": [earliest_first(span(PolicyMeasure, "announced").earliest)],
    "ANNOUNCED_DESC": [latest_first(span(PolicyMeasure, "announced").earliest)],
}


@dataclasses.dataclass(frozen=True)
class MeasureFilter:
    """Every condition is optional; a list matches any of its values."""

    name: str | None = None
    kinds: Sequence[MeasureKind] | None = None
    statuses: Sequence[MeasureStatus] | None = None
    country_codes: Sequence[str] | None = None
    topic_ids: Sequence[int] | None = None
    topic_slugs: Sequence[str] | None = None
    search: str | None = None


def list_measures(
    measure_filter: MeasureFilter | None = None, order: Sequence[str] = ("ANNOUNCED_DESC",)
) -> Listing:
    """Policy measures matching the filter, in the given order."""
    f = measure_filter or MeasureFilter()
    c: list[ColumnElement[bool]] = []
    if f.name is not None:
        c.append(listing.named("policy_measure_id", PolicyMeasure.id, f.name))
    if f.kinds is not None:
        c.append(PolicyMeasure.kind.in_(f.kinds))
    if f.statuses is not None:
        c.append(PolicyMeasure.status.in_(f.statuses))
    if f.country_codes is not None:
        c.append(listing.in_countries(PolicyMeasure.country_id, f.country_codes))
    if f.topic_ids is not None or f.topic_slugs is not None:
        covers = exists().where(PolicyMeasureTopic.policy_measure_id == PolicyMeasure.id)
        if f.topic_ids is not None:
            covers = covers.where(PolicyMeasureTopic.topic_id.in_(f.topic_ids))
        if f.topic_slugs is not None:
            covers = covers.where(
                Topic.id == PolicyMeasureTopic.topic_id, Topic.slug.in_(f.topic_slugs)
            )
        c.append(covers)
    if f.search is not None:
        c.append(matching_records("policy_measure", PolicyMeasure.id, f.search))
    return listing.build(PolicyMeasure, c, order=order, orders=ORDERS)
