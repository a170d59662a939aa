"""Meetings, who took part for which side, and the topics raised."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import func
from strawberry import relay

from api import models
from api.models.columns import span
from api.partial_date import PartialDate
from api.services import counting, participations, positions
from schema.compiled.fields import Children, Condition, Joined, Linked, ToOne, Value, compiled
from schema.context import Info
from schema.enums import (
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Rank,
    Stance,
)
from schema.pagination import Connection, nested_connection
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.node import ModelNode, children, load, load_many
from schema.types.people import Organization, Person, Position
from schema.types.source import citations_of
from schema.types.statement_lists import statements_field
from schema.types.topic import Topic

if TYPE_CHECKING:
    from schema.types.commitment import Commitment
    from schema.types.measure import PolicyMeasure
    from schema.types.mechanism import Mechanism

MechanismType = Annotated["Mechanism", strawberry.lazy("schema.types.mechanism")]
CommitmentType = Annotated["Commitment", strawberry.lazy("schema.types.commitment")]
MeasureType = Annotated["PolicyMeasure", strawberry.lazy("schema.types.measure")]


@strawberry.type(
    description="A meeting: of a mechanism, or ad hoc; a visit groups several meetings as their "
    "parent."
)
class Meeting(ModelNode):
    __model__: ClassVar = models.Meeting

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("meeting")
    slug: str = strawberry.field(description="Human-friendly unique key.")
    title: str = strawberry.field(description="What the meeting was.")
    sequence_label: str | None = strawberry.field(
        description='Its place in a series, as sources put it: "second vice-ministerial meeting".'
    )
    kind: MeetingKind = strawberry.field(
        description="A meeting, a visit grouping meetings, a preparatory call, a sideline."
    )
    format: MeetingFormat = strawberry.field(description="In person, by phone, by video ...")
    status: MeetingStatus = strawberry.field(description="Held, planned, postponed ...")
    start: PartialDate | None = strawberry.field(
        description="When it began (or took place), as precisely as known."
    )
    end: PartialDate | None = strawberry.field(
        description="When it ended, for meetings over several days."
    )
    date_phrase: str | None = strawberry.field(
        description='How the source dated it, when relatively ("next Tuesday", "early 2024").'
    )
    place: str | None = strawberry.field(description="Where it took place.")
    summary: str | None = strawberry.field(description="What happened, in brief.")
    note: str | None = strawberry.field(description="Remarks, e.g. what sources do not say.")
    citations = citations_of("meeting_id")
    statements = statements_field("meeting", "meeting_id")

    @strawberry.field(
        description="Whether it counts in counts, aggregates and compliance. " + counting.RULE,
        metadata=compiled(Condition(("kind", "status"), counting.counted)),
    )
    def counted(self, root: strawberry.Parent[models.Meeting]) -> bool:
        return counting.is_counted(root.kind, root.status)

    @strawberry.field(
        description="The mechanism it belongs to; null for an ad hoc meeting.",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> MechanismType | None:
        return await load(info, models.Mechanism, root.mechanism_id)

    @strawberry.field(
        description="The visit or larger meeting it was part of.",
        metadata=compiled(ToOne("Meeting", "parent_id")),
    )
    async def parent(self, root: strawberry.Parent[models.Meeting], info: Info) -> "Meeting | None":
        return await load(info, models.Meeting, root.parent_id)

    @strawberry.field(
        description="The meetings it grouped (for a visit), earliest first.",
        metadata=compiled(
            Children("Meeting", "parent_id", (span(models.Meeting, "start").earliest,))
        ),
    )
    async def parts(self, root: strawberry.Parent[models.Meeting], info: Info) -> list["Meeting"]:
        return await children(
            info,
            models.Meeting,
            models.Meeting.parent_id,
            root.id,
            span(models.Meeting, "start").earliest,
        )

    @strawberry.field(
        description="The country that hosted it.",
        metadata=compiled(ToOne("Country", "host_country_id")),
    )
    async def host_country(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> Country | None:
        return await load(info, models.Country, root.host_country_id)

    @strawberry.field(
        description="Who took part, for which side.",
        metadata=compiled(Children("Participation", "meeting_id")),
    )
    async def participations(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> list["Participation"]:
        return await children(info, models.Participation, models.Participation.meeting_id, root.id)

    @strawberry.field(
        description="Topics raised, by which side and with which stance.",
        metadata=compiled(Children("TopicRaised", "meeting_id")),
    )
    async def topics_raised(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> list["TopicRaised"]:
        return await children(info, models.MeetingTopic, models.MeetingTopic.meeting_id, root.id)

    @strawberry.field(
        description="Policy measures discussed.",
        metadata=compiled(Children("MeasureDiscussion", "meeting_id")),
    )
    async def measures_discussed(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> list["MeasureDiscussion"]:
        return await children(
            info, models.MeetingPolicyMeasure, models.MeetingPolicyMeasure.meeting_id, root.id
        )

    @strawberry.field(
        description="Commitments made at this meeting.",
        metadata=compiled(Children("Commitment", "meeting_id")),
    )
    async def commitments_made(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> list[CommitmentType]:
        return await children(info, models.Commitment, models.Commitment.meeting_id, root.id)

    @strawberry.field(
        description="Commitments (made earlier) that this meeting fulfils.",
        metadata=compiled(
            Linked(
                "Commitment", models.CommitmentFulfillment.__table__, "meeting_id", "commitment_id"
            )
        ),
    )
    async def commitments_fulfilled(
        self, root: strawberry.Parent[models.Meeting], info: Info
    ) -> list[CommitmentType]:
        links = await children(
            info, models.CommitmentFulfillment, models.CommitmentFulfillment.meeting_id, root.id
        )
        return await load_many(info, models.Commitment, [link.commitment_id for link in links])


def _position_id(row: Any) -> Any:
    return positions.held_at_meeting_sql(models.Position.id, row.person_id, row.meeting_id)


def _title_on_date(row: Any) -> Any:
    held = positions.held_at_meeting_sql(models.Position.title, row.person_id, row.meeting_id)
    return func.coalesce(held, row.title_as_reported)


def _rank_on_date(row: Any) -> Any:
    return positions.held_at_meeting_sql(models.Position.rank, row.person_id, row.meeting_id)


@strawberry.type(description="Someone at a meeting for one side.")
class Participation(ModelNode):
    __model__: ClassVar = models.Participation

    id: relay.NodeID[int]
    role: ParticipantRole = strawberry.field(description="Head of delegation, co-chair ...")
    title_as_reported: str | None = strawberry.field(
        description="The title the source gave them at this meeting."
    )
    name_as_reported: str | None = strawberry.field(
        description="The name as the source gave it, for someone not (yet) a known person."
    )
    note: str | None = strawberry.field(description="Remarks.")
    citations = citations_of("participation_id")

    @strawberry.field(description="The meeting.", metadata=compiled(ToOne("Meeting", "meeting_id")))
    async def meeting(self, root: strawberry.Parent[models.Participation], info: Info) -> Meeting:
        return await load(info, models.Meeting, root.meeting_id)

    @strawberry.field(
        description="The person, when known.", metadata=compiled(ToOne("Person", "person_id"))
    )
    async def person(
        self, root: strawberry.Parent[models.Participation], info: Info
    ) -> Person | None:
        return await load(info, models.Person, root.person_id)

    @strawberry.field(
        description="The organization they represented, when recorded.",
        metadata=compiled(ToOne("Organization", "organization_id")),
    )
    async def organization(
        self, root: strawberry.Parent[models.Participation], info: Info
    ) -> Organization | None:
        return await load(info, models.Organization, root.organization_id)

    @strawberry.field(
        description="The side (country) they took part for.",
        metadata=compiled(ToOne("Country", "side_country_id")),
    )
    async def side(self, root: strawberry.Parent[models.Participation], info: Info) -> Country:
        return await load(info, models.Country, root.side_country_id)

    @strawberry.field(
        description=positions.MEETING_RULE + " Null for an undated meeting or when no "
        "recorded position was held then.",
        metadata=compiled(Joined("Position", ("person_id", "meeting_id"), _position_id)),
    )
    async def position(
        self, root: strawberry.Parent[models.Participation], info: Info
    ) -> Position | None:
        return await _position_on_date(root, info)

    @strawberry.field(
        description="The title the person held on the meeting's date (from `position`); the "
        "title as reported when no recorded position was held then.",
        metadata=compiled(Value(("person_id", "meeting_id", "title_as_reported"), _title_on_date)),
    )
    async def title_on_date(
        self, root: strawberry.Parent[models.Participation], info: Info
    ) -> str | None:
        held = await _position_on_date(root, info)
        return held.title if held is not None else root.title_as_reported

    @strawberry.field(
        description="The rank of the position held on the meeting's date (from `position`); "
        "null when none was held then or it is not ranked.",
        metadata=compiled(Value(("person_id", "meeting_id"), _rank_on_date, enum=True)),
    )
    async def rank_on_date(
        self, root: strawberry.Parent[models.Participation], info: Info
    ) -> Rank | None:
        held = await _position_on_date(root, info)
        return held.rank if held is not None else None


async def _position_on_date(root: models.Participation, info: Info) -> Any:
    if root.person_id is None:
        return None
    meeting = await load(info, models.Meeting, root.meeting_id)
    if meeting.start is None:
        return None
    held = await children(
        info,
        models.Position,
        models.Position.person_id,
        root.person_id,
        span(models.Position, "start").earliest,
    )
    last_day = (meeting.end or meeting.start).latest
    return positions.held_at_meeting(held, meeting.start.earliest, last_day)


@strawberry.type(description="A topic raised at a meeting: by which side, with which stance.")
class TopicRaised(ModelNode):
    __model__: ClassVar = models.MeetingTopic

    id: relay.NodeID[int]
    stance: Stance = strawberry.field(description="Concern, request, cooperation, information.")
    note: str | None = strawberry.field(description="What exactly was said.")
    citations = citations_of("meeting_topic_id")

    @strawberry.field(description="The meeting.", metadata=compiled(ToOne("Meeting", "meeting_id")))
    async def meeting(self, root: strawberry.Parent[models.MeetingTopic], info: Info) -> Meeting:
        return await load(info, models.Meeting, root.meeting_id)

    @strawberry.field(description="The topic.", metadata=compiled(ToOne("Topic", "topic_id")))
    async def topic(self, root: strawberry.Parent[models.MeetingTopic], info: Info) -> Topic:
        return await load(info, models.Topic, root.topic_id)

    @strawberry.field(
        description="The side that raised it; null when both did or unknown.",
        metadata=compiled(ToOne("Country", "raised_by_country_id")),
    )
    async def raised_by(
        self, root: strawberry.Parent[models.MeetingTopic], info: Info
    ) -> Country | None:
        return await load(info, models.Country, root.raised_by_country_id)


@strawberry.type(description="A policy measure discussed at a meeting.")
class MeasureDiscussion:
    __model__: ClassVar = models.MeetingPolicyMeasure

    note: str | None = strawberry.field(description="What was said about it.")

    @strawberry.field(description="The meeting.", metadata=compiled(ToOne("Meeting", "meeting_id")))
    async def meeting(
        self, root: strawberry.Parent[models.MeetingPolicyMeasure], info: Info
    ) -> Meeting:
        return await load(info, models.Meeting, root.meeting_id)

    @strawberry.field(
        description="The measure.", metadata=compiled(ToOne("PolicyMeasure", "policy_measure_id"))
    )
    async def measure(
        self, root: strawberry.Parent[models.MeetingPolicyMeasure], info: Info
    ) -> MeasureType:
        return await load(info, models.PolicyMeasure, root.policy_measure_id)


async def person_participations(
    info: Info,
    person_id: int,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Participation]:
    """A person's participations as a connection, loaded for all people of the level at once."""
    return await nested_connection(
        info,
        key="person.participations",
        rows=participations.list_participations(),
        parent=models.Participation.person_id,
        parent_id=person_id,
        first=first,
        after=after,
        last=last,
        before=before,
    )
