"""Statements: listing and filtering (by side, speaker, meeting, language ...)."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, or_

from api.models import Mechanism, Meeting, Person, Statement
from api.models.columns import span
from api.partial_date import PartialDate
from api.services import listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first
from api.services.search import matching_records

ORDERS: dict[str, Sequence[SortKey]] = {
    "SAID_ASC": [earliest_first(span(Statement, "said").earliest)],
    "SAID_DESC": [latest_first(span(Statement, "said").earliest)],
}
DEFAULT_ORDER = ("SAID_ASC",)


@dataclasses.dataclass(frozen=True)
class StatementFilter:
    """Every condition is optional; a list matches any of its values."""

    side_codes: Sequence[str] | None = None
    person_ids: Sequence[int] | None = None
    person_slugs: Sequence[str] | None = None
    speaker: str | None = None
    organization_ids: Sequence[int] | None = None
    meeting_ids: Sequence[int] | None = None
    meeting_slugs: Sequence[str] | None = None
    mechanism_slugs: Sequence[str] | None = None
    languages: Sequence[str] | None = None
    verbatim: bool | None = None
    attribution_doubtful: bool | None = None
    translations: bool | None = None
    said_from: PartialDate | None = None
    said_to: PartialDate | None = None
    search: str | None = None


def _speaker(name: str) -> ColumnElement[bool]:
    """The speaker, as a known person (in any language) or as reported, is called ``name``."""
    return or_(
        listing.named("person_id", Statement.person_id, name),
        Statement.speaker_as_reported.ilike(listing.contains(name), escape="\\"),
    )


def _who(f: StatementFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.side_codes is not None:
        c.append(listing.in_countries(Statement.side_country_id, f.side_codes))
    if f.person_ids is not None:
        c.append(Statement.person_id.in_(f.person_ids))
    if f.person_slugs is not None:
        c.append(exists().where(Person.id == Statement.person_id, Person.slug.in_(f.person_slugs)))
    if f.speaker is not None:
        c.append(_speaker(f.speaker))
    if f.organization_ids is not None:
        c.append(Statement.organization_id.in_(f.organization_ids))
    return c


def _where_and_when(f: StatementFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.meeting_ids is not None:
        c.append(Statement.meeting_id.in_(f.meeting_ids))
    if f.meeting_slugs is not None:
        c.append(
            exists().where(Meeting.id == Statement.meeting_id, Meeting.slug.in_(f.meeting_slugs))
        )
    if f.mechanism_slugs is not None:
        c.append(
            exists().where(
                Mechanism.id == Statement.mechanism_id, Mechanism.slug.in_(f.mechanism_slugs)
            )
        )
    if f.said_from is not None:
        c.append(span(Statement, "said").latest >= f.said_from.earliest)
    if f.said_to is not None:
        c.append(span(Statement, "said").earliest <= f.said_to.latest)
    return c


def _what(f: StatementFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.languages is not None:
        c.append(Statement.language.in_(f.languages))
    if f.verbatim is not None:
        c.append(Statement.verbatim.is_(f.verbatim))
    if f.attribution_doubtful is not None:
        c.append(Statement.attribution_doubtful.is_(f.attribution_doubtful))
    if f.translations is not None:
        is_translation = Statement.translation_of_id.is_not(None)
        c.append(is_translation if f.translations else ~is_translation)
    if f.search is not None:
        c.append(matching_records("statement", Statement.id, f.search))
    return c


def list_statements(
    statement_filter: StatementFilter | None = None, order: Sequence[str] = DEFAULT_ORDER
) -> Listing:
    """Statements matching the filter, in the given order."""
    f = statement_filter or StatementFilter()
    conditions = [*_who(f), *_where_and_when(f), *_what(f)]
    return listing.build(Statement, conditions, order=order, orders=ORDERS)
