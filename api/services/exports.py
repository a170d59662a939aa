"""Meetings as flat records for export (iCalendar, CSV): each with its mechanism, host,
participants, topics and sources, read in a fixed number of statements whatever the count."""

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.models import (
    Citation,
    Country,
    Mechanism,
    Meeting,
    MeetingTopic,
    Organization,
    Participation,
    Person,
    Source,
    Topic,
)
from api.models.enums import MeetingFormat, MeetingStatus, ParticipantRole, Stance
from api.partial_date import PartialDate
from api.services.meetings import MeetingFilter, list_meetings

ORDER = ("START_DATE_ASC",)  # oldest first: a calendar or a sheet reads top to bottom


@dataclasses.dataclass(frozen=True)
class Participant:
    """Someone at the meeting, as the export names them."""

    name: str
    side: str
    role: ParticipantRole
    title: str | None


@dataclasses.dataclass(frozen=True)
class RaisedTopic:
    """A topic raised, by which side, with which stance."""

    slug: str
    name: str
    raised_by: str | None
    stance: Stance


@dataclasses.dataclass(frozen=True)
class Cited:
    """A source behind the meeting: its address, or (without one) its title and publisher."""

    url: str | None
    title: str | None
    publisher: str | None

    @property
    def reference(self) -> str:
        """The address, else the bibliographic citation ("Title (Publisher)")."""
        if self.url is not None:
            return self.url
        return f"{self.title} ({self.publisher})" if self.publisher else str(self.title)


@dataclasses.dataclass(frozen=True)
class ExportedMeeting:
    """One meeting with what an export shows of it."""

    id: int
    slug: str
    title: str
    sequence_label: str | None
    status: MeetingStatus
    format: MeetingFormat
    start: PartialDate | None
    end: PartialDate | None
    date_phrase: str | None
    place: str | None
    host_country: str | None
    summary: str | None
    mechanism_slug: str | None
    mechanism_name: str | None
    mechanism_acronym: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    participants: list[Participant]
    topics: list[RaisedTopic]
    sources: list[Cited]


async def meetings(
    session: AsyncSession, meeting_filter: MeetingFilter | None = None
) -> list[ExportedMeeting]:
    """The meetings matching the filter, oldest first (undated last), in four statements."""
    listing = list_meetings(meeting_filter, ORDER)
    ids = listing.stmt.with_only_columns(Meeting.id).scalar_subquery()
    host = aliased(Country)
    rows = (
        await session.execute(
            select(Meeting, Mechanism.slug, Mechanism.name, Mechanism.acronym, host.code)
            .outerjoin(Mechanism, Mechanism.id == Meeting.mechanism_id)
            .outerjoin(host, host.id == Meeting.host_country_id)
            .where(Meeting.id.in_(ids))
            .order_by(
                *(k.expression.desc() if k.descending else k.expression for k in listing.order.keys)
            )
        )
    ).all()
    people = await _participants(session, ids)
    topics = await _topics(session, ids)
    sources = await _sources(session, ids)
    return [
        ExportedMeeting(
            id=m.id,
            slug=m.slug,
            title=m.title,
            sequence_label=m.sequence_label,
            status=m.status,
            format=m.format,
            start=m.start,
            end=m.end,
            date_phrase=m.date_phrase,
            place=m.place,
            host_country=host_code,
            summary=m.summary,
            mechanism_slug=slug,
            mechanism_name=name,
            mechanism_acronym=acronym,
            version=m.version,
            created_at=_utc(m.created_at),
            updated_at=_utc(m.updated_at),
            participants=people[m.id],
            topics=topics[m.id],
            sources=sources[m.id],
        )
        for m, slug, name, acronym, host_code in rows
    ]


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def _participants(
    session: AsyncSession, meeting_ids: Any
) -> defaultdict[int, list[Participant]]:
    side = aliased(Country)
    rows = await session.execute(
        select(
            Participation.meeting_id,
            Person.name,
            Organization.name,
            Participation.name_as_reported,
            side.code,
            Participation.role,
            Participation.title_as_reported,
        )
        .join(side, side.id == Participation.side_country_id)
        .outerjoin(Person, Person.id == Participation.person_id)
        .outerjoin(Organization, Organization.id == Participation.organization_id)
        .where(Participation.meeting_id.in_(meeting_ids))
        .order_by(Participation.meeting_id, Participation.id)
    )
    found: defaultdict[int, list[Participant]] = defaultdict(list)
    for meeting_id, person, organization, reported, code, role, title in rows.all():
        name = person or reported or organization or ""
        found[meeting_id].append(Participant(name, code, role, title))
    return found


async def _topics(session: AsyncSession, meeting_ids: Any) -> defaultdict[int, list[RaisedTopic]]:
    rows = await session.execute(
        select(MeetingTopic.meeting_id, Topic.slug, Topic.name, Country.code, MeetingTopic.stance)
        .join(Topic, Topic.id == MeetingTopic.topic_id)
        .outerjoin(Country, Country.id == MeetingTopic.raised_by_country_id)
        .where(MeetingTopic.meeting_id.in_(meeting_ids))
        .order_by(MeetingTopic.meeting_id, MeetingTopic.id)
    )
    found: defaultdict[int, list[RaisedTopic]] = defaultdict(list)
    for meeting_id, slug, name, code, stance in rows.all():
        found[meeting_id].append(RaisedTopic(slug, name, code, stance))
    return found


async def _sources(session: AsyncSession, meeting_ids: Any) -> defaultdict[int, list[Cited]]:
    rows = await session.execute(
        select(Citation.meeting_id, Source.url, Source.title, Source.publisher)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.meeting_id.in_(meeting_ids))
        .order_by(Citation.meeting_id, Citation.id)
    )
    found: defaultdict[int, list[Cited]] = defaultdict(list)
    for meeting_id, url, title, publisher in rows.all():
        assert meeting_id is not None  # selected by meeting
        found[meeting_id].append(Cited(url, title, publisher))
    return found
