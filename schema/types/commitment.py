"""Commitments and the meetings that fulfil them."""

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from api import models
from api.partial_date import PartialDate
from schema.compiled.fields import (
    Children,
    Column,
    Computed,
    Condition,
    Embedded,
    EnumColumn,
    OnlyChild,
    ToOne,
    compiled,
)
from schema.context import Info
from schema.enums import CommitmentStatus, Period
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.node import ModelNode, children, load
from schema.types.source import Source, citations_of
from schema.types.timing import (
    AsOf,
    Assessment,
    Compliance,
    FulfillmentRule,
    compliance_of,
    compliance_rows,
)

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
    starts: PartialDate | None = strawberry.field(
        description="The first period it counts from; null: the period holding the meeting "
        "where it was agreed."
    )


@strawberry.type(
    description="An editor's link between a meeting and a commitment, overriding its rule: the "
    "meeting fulfils it (`counts: true`) or, though the rule matches it, does not."
)
class Fulfillment:
    __model__: ClassVar = models.CommitmentFulfillment

    note: str | None = strawberry.field(description="How, and how fully, it fulfils it.")

    @strawberry.field(
        description="True: the meeting fulfils it, whatever the rule says; false: it does not, "
        "though the rule matches it.",
        metadata=compiled(Condition(("counts",), lambda c: c.counts)),
    )
    def counts(self, root: strawberry.Parent[models.CommitmentFulfillment]) -> bool:
        return root.counts

    @strawberry.field(
        description="The source the editor relied on.",
        metadata=compiled(ToOne("Source", "source_id")),
    )
    async def source(
        self, root: strawberry.Parent[models.CommitmentFulfillment], info: Info
    ) -> Source | None:
        return await load(info, models.Source, root.source_id)

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
    status: CommitmentStatus = strawberry.field(
        description="Whether it has been kept, as typed in by hand before compliance was "
        "computed (most describe the end of 2024).",
        deprecation_reason="Use `compliance(asOf:)` (computed) and `assessment` (an editor's "
        "own verdict).",
    )
    status_note: str | None = strawberry.field(
        description="Why it has that status.",
        deprecation_reason="Use `assessment { note }`.",
    )
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
                    "starts": Column("recurrence_from_date"),
                },
            )
        ),
    )
    def recurrence(self, root: strawberry.Parent[models.Commitment]) -> Recurrence | None:
        if root.recurrence_text is None and root.recurrence_times is None:
            return None
        return Recurrence(
            text=root.recurrence_text,
            times=root.recurrence_times,
            period=root.recurrence_period,
            starts=root.recurrence_from,
        )

    @strawberry.field(
        description="What fulfils it, as data; null when no rule is recorded (then only "
        "meetings an editor linked fulfil it).",
        metadata=compiled(OnlyChild("FulfillmentRule", "commitment_id")),
    )
    async def fulfillment_rule(
        self, root: strawberry.Parent[models.Commitment], info: Info
    ) -> FulfillmentRule | None:
        rows = await children(
            info, models.FulfillmentRule, models.FulfillmentRule.commitment_id, root.id
        )
        return rows[0] if rows else None

    @strawberry.field(
        description="An editor's own verdict, shown beside the computed one; "
        "`compliance { disagreesWithAssessment }` says when they differ.",
        metadata=compiled(
            Embedded(
                "Assessment",
                ("assessed_verdict",),
                {
                    "verdict": EnumColumn("assessed_verdict"),
                    "asOf": Column("assessed_as_of"),
                    "note": Column("assessed_note"),
                    "source": ToOne("Source", "assessed_source_id"),
                },
            )
        ),
    )
    def assessment(self, root: strawberry.Parent[models.Commitment]) -> Assessment | None:
        if root.assessed_verdict is None:
            return None
        return Assessment(
            verdict=root.assessed_verdict,
            as_of=root.assessed_as_of,
            note=root.assessed_note,
            source_id=root.assessed_source_id,
        )

    @strawberry.field(
        description="Whether it was kept, as of a date: per period for a recurring commitment, "
        "by its due date for a one-off (computed, never stored).",
        metadata=compiled(Computed("Compliance", compliance_rows, "commitment_id")),
    )
    async def compliance(
        self, root: strawberry.Parent[models.Commitment], info: Info, as_of: AsOf = None
    ) -> Compliance:
        return await compliance_of(info, root, as_of)

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
        description="Editors' links to meetings that fulfil it, or that do not though its rule "
        "matches them; `compliance { fulfilledBy }` lists every fulfilling meeting.",
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
