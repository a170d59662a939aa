"""Aggregates: meetings and topics raised, counted per group by one GROUP BY statement."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from api import models
from api.services import aggregates, counting
from api.services.aggregates import CountOrder, Group, MeetingDimension, TopicDimension
from schema import enums
from schema.compiled.fields import Column, EnumColumn, ToOne, compiled
from schema.context import Info
from schema.enums import describe
from schema.inputs import MeetingFilterInput
from schema.types.country import Country
from schema.types.node import load
from schema.types.topic import Topic

if TYPE_CHECKING:
    from schema.types.mechanism import Mechanism

MechanismType = Annotated["Mechanism", strawberry.lazy("schema.types.mechanism")]

YEAR_RULE = (
    "A meeting's year is the year of the earliest day it may have begun (a partial date never "
    "spans two years: `2024-H2` counts for 2024); null for an undated meeting."
)
COUNTED_RULE = "Only meetings that count are counted unless countedOnly is false: " + counting.RULE

describe(
    MeetingDimension,
    "What to group meetings by.",
    {
        "YEAR": "The year the meeting began. " + YEAR_RULE,
        "MECHANISM": "The mechanism it belongs to (null: ad hoc).",
        "HOST_COUNTRY": "The country that hosted it (null: not recorded).",
        "KIND": "Its kind (meeting, sideline ... visits and preparatory calls only when "
        "countedOnly is false).",
        "FORMAT": "How it was held (in person, call, video ...).",
    },
)
describe(
    TopicDimension,
    "What to group topics raised by.",
    {
        "TOPIC": "The topic.",
        "SIDE": "The side that raised it (null: both sides, or not recorded).",
        "YEAR": "The year of the meeting it was raised at. " + YEAR_RULE,
        "STANCE": "How it was raised (concern, request ...).",
        "MECHANISM": "The mechanism of the meeting (null: ad hoc).",
    },
)
describe(
    CountOrder,
    "How to order groups; after these keys, groups are ordered by each grouped value (by name "
    "or code, nulls last) in the order of groupBy.",
    {
        "COUNT_DESC": "Largest count first.",
        "COUNT_ASC": "Smallest count first.",
        "YEAR_ASC": "Earliest year first (needs YEAR in groupBy).",
        "YEAR_DESC": "Latest year first (needs YEAR in groupBy).",
    },
)


@strawberry.type(
    description="One group of meetings: how many, and the values of the dimensions grouped by "
    "(null for a dimension not grouped by, or where the meetings have no value)."
)
class MeetingCount:
    # The compiled read path reads each field from the grouped statement's column of that name
    # (api.services.aggregates.meeting_groups), and each record by its id there.
    count: int = strawberry.field(
        description="How many meetings are in the group.", metadata=compiled(Column("count"))
    )
    year: int | None = strawberry.field(
        description="The year (when grouped by YEAR).", metadata=compiled(Column("year"))
    )
    mechanism_slug: str | None = strawberry.field(
        description="The mechanism's slug (when grouped by MECHANISM).",
        metadata=compiled(Column("mechanism_slug")),
    )
    host_country_code: str | None = strawberry.field(
        description="The host country's ISO code (when grouped by HOST_COUNTRY).",
        metadata=compiled(Column("host_country_code")),
    )
    kind: enums.MeetingKind | None = strawberry.field(
        description="The kind (grouped by KIND).", metadata=compiled(EnumColumn("kind"))
    )
    format: enums.MeetingFormat | None = strawberry.field(
        description="The format (when grouped by FORMAT).", metadata=compiled(EnumColumn("format"))
    )
    mechanism_id: strawberry.Private[int | None]
    host_country_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The mechanism (when grouped by MECHANISM).",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(self, info: Info) -> MechanismType | None:
        return await load(info, models.Mechanism, self.mechanism_id)

    @strawberry.field(
        description="The host country (when grouped by HOST_COUNTRY).",
        metadata=compiled(ToOne("Country", "host_country_id")),
    )
    async def host_country(self, info: Info) -> Country | None:
        return await load(info, models.Country, self.host_country_id)


@strawberry.type(
    description="One group of topics raised: at how many meetings, and the values of the "
    "dimensions grouped by (null for a dimension not grouped by)."
)
class TopicCount:
    # Read by the compiled read path as MeetingCount is (api.services.aggregates.topic_groups).
    count: int = strawberry.field(
        description="How many meetings the topic was raised at (a meeting counts once per group, "
        "however many stances were recorded).",
        metadata=compiled(Column("count")),
    )
    year: int | None = strawberry.field(
        description="The year (when grouped by YEAR).", metadata=compiled(Column("year"))
    )
    topic_slug: str | None = strawberry.field(
        description="The topic's slug (grouped by TOPIC).", metadata=compiled(Column("topic_slug"))
    )
    side_code: str | None = strawberry.field(
        description="The ISO code of the side that raised it (when grouped by SIDE).",
        metadata=compiled(Column("side_country_code")),
    )
    stance: enums.Stance | None = strawberry.field(
        description="The stance (grouped by STANCE).", metadata=compiled(EnumColumn("stance"))
    )
    mechanism_slug: str | None = strawberry.field(
        description="The mechanism's slug (when grouped by MECHANISM).",
        metadata=compiled(Column("mechanism_slug")),
    )
    topic_id: strawberry.Private[int | None]
    side_country_id: strawberry.Private[int | None]
    mechanism_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The topic (when grouped by TOPIC).",
        metadata=compiled(ToOne("Topic", "topic_id")),
    )
    async def topic(self, info: Info) -> Topic | None:
        return await load(info, models.Topic, self.topic_id)

    @strawberry.field(
        description="The side that raised it (when grouped by SIDE).",
        metadata=compiled(ToOne("Country", "side_country_id")),
    )
    async def side(self, info: Info) -> Country | None:
        return await load(info, models.Country, self.side_country_id)

    @strawberry.field(
        description="The mechanism (when grouped by MECHANISM).",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(self, info: Info) -> MechanismType | None:
        return await load(info, models.Mechanism, self.mechanism_id)


@strawberry.input(description="Which topics raised to count; every condition is optional.")
class TopicRaisedFilterInput:
    raised_by: list[str] | None = strawberry.field(
        default=None, description="Raised by any of these sides (ISO 3166 alpha-2: CN, US)."
    )
    stances: list[enums.Stance] | None = strawberry.field(
        default=None, description="With any of these stances."
    )
    topic_slugs: list[str] | None = strawberry.field(
        default=None, description="Any of these topics (slugs)."
    )
    meeting: MeetingFilterInput | None = strawberry.field(
        default=None, description="At a meeting matching this (the meetings list's filter)."
    )

    def to_service(self) -> aggregates.TopicFilter:
        return aggregates.TopicFilter(
            raised_by_country_codes=self.raised_by,
            stances=self.stances,
            topic_slugs=self.topic_slugs,
            meeting=self.meeting.to_service() if self.meeting is not None else None,
        )


def meeting_count(group: Group) -> MeetingCount:
    """The GraphQL form of a meeting group."""
    return MeetingCount(
        count=group.count,
        year=group.year,
        mechanism_slug=group.mechanism_slug,
        host_country_code=group.host_country_code,
        kind=enums.MeetingKind(group.kind) if group.kind else None,
        format=enums.MeetingFormat(group.format) if group.format else None,
        mechanism_id=group.mechanism_id,
        host_country_id=group.host_country_id,
    )


def topic_count(group: Group) -> TopicCount:
    """The GraphQL form of a topic group."""
    return TopicCount(
        count=group.count,
        year=group.year,
        topic_slug=group.topic_slug,
        side_code=group.side_country_code,
        stance=enums.Stance(group.stance) if group.stance else None,
        mechanism_slug=group.mechanism_slug,
        topic_id=group.topic_id,
        side_country_id=group.side_country_id,
        mechanism_id=group.mechanism_id,
    )
