"""Meetings: listing and filtering (dates overlap partial dates correctly)."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func, not_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Mechanism, Meeting, MeetingTopic, Participation, Topic
from api.models.columns import span
from api.models.enums import MeetingFormat, MeetingKind, MeetingStatus
from api.partial_date import PartialDate
from api.services import counting, listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first

ORDERS: dict[str, Sequence[SortKey]] = {
    "START_DATE_ASC": [earliest_first(span(Meeting, "start").earliest)],
    "START_DATE_DESC": [latest_first(span(Meeting, "start").earliest)],
    "TITLE_ASC": [SortKey(Meeting.title)],
    "TITLE_DESC": [SortKey(Meeting.title, descending=True)],
}
DEFAULT_ORDER = ("START_DATE_DESC",)


@dataclasses.dataclass(frozen=True)
class MeetingFilter:
    """Every condition is optional; a list matches any of its values."""

    mechanism_ids: Sequence[int] | None = None
    mechanism_slugs: Sequence[str] | None = None
    ad_hoc: bool | None = None
    parent_ids: Sequence[int] | None = None
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    host_country_codes: Sequence[str] | None = None
    topic_ids: Sequence[int] | None = None
    topic_slugs: Sequence[str] | None = None
    participant_ids: Sequence[int] | None = None
    participant_name: str | None = None
    statuses: Sequence[MeetingStatus] | None = None
    formats: Sequence[MeetingFormat] | None = None
    kinds: Sequence[MeetingKind] | None = None
    counted: bool | None = None
    search: str | None = None


def _span_conditions(f: MeetingFilter) -> list[ColumnElement[bool]]:
    """A meeting matches when any day it may have taken place lies in the range."""
    conditions: list[ColumnElement[bool]] = []
    last_day = func.coalesce(span(Meeting, "end").latest, span(Meeting, "start").latest)
    if f.date_from is not None:
        conditions.append(last_day >= f.date_from.earliest)
    if f.date_to is not None:
        conditions.append(span(Meeting, "start").earliest <= f.date_to.latest)
    return conditions


def meeting_conditions(f: MeetingFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = _span_conditions(f)
    if f.mechanism_ids is not None:
        c.append(Meeting.mechanism_id.in_(f.mechanism_ids))
    if f.mechanism_slugs is not None:
        c.append(
            exists().where(
                Mechanism.id == Meeting.mechanism_id, Mechanism.slug.in_(f.mechanism_slugs)
            )
        )
    if f.ad_hoc is not None:
        c.append(Meeting.mechanism_id.is_(None) if f.ad_hoc else Meeting.mechanism_id.is_not(None))
    if f.parent_ids is not None:
        c.append(Meeting.parent_id.in_(f.parent_ids))
    if f.host_country_codes is not None:
        c.append(listing.in_countries(Meeting.host_country_id, f.host_country_codes))
    if f.topic_ids is not None or f.topic_slugs is not None:
        raised = exists().where(MeetingTopic.meeting_id == Meeting.id)
        if f.topic_ids is not None:
            raised = raised.where(MeetingTopic.topic_id.in_(f.topic_ids))
        if f.topic_slugs is not None:
            raised = raised.where(Topic.id == MeetingTopic.topic_id, Topic.slug.in_(f.topic_slugs))
        c.append(raised)
    return c + _people_and_kind_conditions(f)


def _people_and_kind_conditions(f: MeetingFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.participant_ids is not None:
        c.append(
            exists().where(
                Participation.meeting_id == Meeting.id,
                Participation.person_id.in_(f.participant_ids),
            )
        )
    if f.participant_name is not None:
        c.append(_participant_named(f.participant_name))
    if f.statuses is not None:
        c.append(Meeting.status.in_(f.statuses))
    if f.formats is not None:
        c.append(Meeting.format.in_(f.formats))
    if f.kinds is not None:
        c.append(Meeting.kind.in_(f.kinds))
    if f.counted is not None:
        c.append(counting.counted() if f.counted else not_(counting.counted()))
    if f.search is not None:
        c.append(or_(func.lower(Meeting.title).like(listing.contains(f.search), escape="\\")))
    return c


def _participant_named(name: str) -> ColumnElement[bool]:
    pattern = listing.contains(name)
    return exists().where(
        Participation.meeting_id == Meeting.id,
        or_(
            listing.named("person_id", Participation.person_id, name),
            func.lower(Participation.name_as_reported).like(pattern, escape="\\"),
        ),
    )


def list_meetings(
    meeting_filter: MeetingFilter | None = None, order: Sequence[str] = DEFAULT_ORDER
) -> Listing:
    """Meetings matching the filter, in the given order."""
    return listing.build(
        Meeting, meeting_conditions(meeting_filter or MeetingFilter()), order=order, orders=ORDERS
    )


async def matches(session: AsyncSession, meeting_filter: MeetingFilter, meeting_id: int) -> bool:
    """Whether the meeting with ``meeting_id`` is one the filter lists."""
    stmt = list_meetings(meeting_filter).stmt.where(Meeting.id == meeting_id)
    found = await session.scalar(stmt.with_only_columns(Meeting.id).limit(1))
    return found is not None
