"""Sources: listing and filtering."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func

from api.models import Source
from api.models.columns import span
from api.models.enums import SourceKind
from api.partial_date import PartialDate
from api.services import listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first
from api.services.search import matching_records

ORDERS: dict[str, Sequence[SortKey]] = {
    "PUBLISHED_ASC": [earliest_first(span(Source, "published").earliest)],
    "PUBLISHED_DESC": [latest_first(span(Source, "published").earliest)],
    "URL_ASC": [SortKey(Source.url)],
}


@dataclasses.dataclass(frozen=True)
class SourceFilter:
    """Every condition is optional; a list matches any of its values."""

    kinds: Sequence[SourceKind] | None = None
    languages: Sequence[str] | None = None
    publisher: str | None = None
    url: str | None = None
    published_from: PartialDate | None = None
    published_to: PartialDate | None = None
    search: str | None = None


def list_sources(
    source_filter: SourceFilter | None = None, order: Sequence[str] = ("PUBLISHED_DESC",)
) -> Listing:
    """Sources matching the filter, in the given order."""
    f = source_filter or SourceFilter()
    c: list[ColumnElement[bool]] = []
    if f.kinds is not None:
        c.append(Source.kind.in_(f.kinds))
    if f.languages is not None:
        c.append(Source.language.in_(f.languages))
    if f.publisher is not None:
        c.append(func.lower(Source.publisher).like(listing.contains(f.publisher), escape="\\"))
    if f.url is not None:
        c.append(func.lower(Source.url).like(listing.contains(f.url), escape="\\"))
    if f.published_from is not None:
        c.append(span(Source, "published").latest >= f.published_from.earliest)
    if f.published_to is not None:
        c.append(span(Source, "published").earliest <= f.published_to.latest)
    if f.search is not None:
        c.append(matching_records("source", Source.id, f.search))
    return listing.build(Source, c, order=order, orders=ORDERS)
