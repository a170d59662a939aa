"""Commitments and the meetings that fulfil them."""

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from api import models
from api.partial_date import PartialDate
from schema.compiled.fields import Children, Column, Embedded, EnumColumn, ToOne, compiled
from schema.context import Info
from schema.enums import CommitmentStatus, Period
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.node import ModelNode, children, load
from schema.types.source import citations_of

if TYPE_CHECKING:
    from schema.types.mechanism import Mechanism
    from schema.types.meeting import Meeting

MeetingType = Annotated["Meeting", strawberry.lazy("schema.types.meeting")]
MechanismType = Annotated["Mechanism", strawberry.lazy("schema.types.mechanism")]


@strawberry.type(description='A commitment that repeats: "at least once a year" is 1 per year.')
class Recurrence:
    text: str | None = strawberry.field(description="As the agreement words it.")
    times: int | None = strawberry.field(description="At least this many times ...")
    period: Period | None = strawberry.field(description="... per this period.")


@strawberry.type(description="A meeting that fulfils (part of) a commitment.")
class Fulfillment:
    __model__: ClassVar = models.CommitmentFulfillment

    note: str | None = strawberry.field(description="How, and how fully, it fulfils it.")

    @strawberry.field(description="The meeting.", metadata=compiled(ToOne("Meeting", "meeting_id")))
    async def meeting(
        self, root: strawberry.Parent[models.CommitmentFulfillment], info: Info
    ) -> MeetingType:
        return await load(info, models.Meeting, root.meeting_id)


@strawberry.type(description="Something agreed at a meeting, with a due date or a recurrence.")
class Commitment(ModelNode):
    __model__: ClassVar = models.Commitment

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("commitment")
    slug: str = strawberry.field(description="Human-friendly unique key.")
    title: str = strawberry.field(description="What was agreed, in brief.")
    text: str | None = strawberry.field(description="What was agreed, as the sources put it.")
    due: PartialDate | None = strawberry.field(
        description="When it falls due, as precisely as known."
    )
    due_phrase: str | None = strawberry.field(
        description='How the source put the due date ("early 2024", "next year").'
    )
    status: CommitmentStatus = strawberry.field(description="Whether it has been kept.")
    status_note: str | None = strawberry.field(description="Why it has that status.")
    citations = citations_of("commitment_id")

    @strawberry.field(
        description="How often it is to be honoured, for a repeating commitment.",
        metadata=compiled(
            Embedded(
                "Recurrence",
                ("recurrence_text", "recurrence_times"),
                {
                    "text": Column("recurrence_text"),
                    "times": Column("recurrence_times"),
                    "period": EnumColumn("recurrence_period"),
                },
            )
        ),
    )
    def recurrence(self, root: strawberry.Parent[models.Commitment]) -> Recurrence | None:
        if root.recurrence_text is None and root.recurrence_times is None:
            return None
        return Recurrence(
            text=root.recurrence_text, times=root.recurrence_times, period=root.recurrence_period
        )

    @strawberry.field(
        description="The meeting where it was agreed.",
        metadata=compiled(ToOne("Meeting", "meeting_id")),
    )
    async def meeting(
        self, root: strawberry.Parent[models.Commitment], info: Info
    ) -> MeetingType | None:
        return await load(info, models.Meeting, root.meeting_id)

    @strawberry.field(
        description="The mechanism it concerns.",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(
        self, root: strawberry.Parent[models.Commitment], info: Info
    ) -> MechanismType | None:
        return await load(info, models.Mechanism, root.mechanism_id)

    @strawberry.field(
        description="The side that committed; null when both did.",
        metadata=compiled(ToOne("Country", "committed_by_country_id")),
    )
    async def committed_by(
        self, root: strawberry.Parent[models.Commitment], info: Info
    ) -> Country | None:
        return await load(info, models.Country, root.committed_by_country_id)

    @strawberry.field(
        description="The meetings that fulfil it.",
        metadata=compiled(Children("Fulfillment", "commitment_id")),
    )
    async def fulfillments(
        self, root: strawberry.Parent[models.Commitment], info: Info
    ) -> list[Fulfillment]:
        return await children(
            info,
            models.CommitmentFulfillment,
            models.CommitmentFulfillment.commitment_id,
            root.id,
        )
