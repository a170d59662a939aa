"""What is computed as of a date: a mechanism's activity, a commitment's compliance; and what
those computations read: record reviews, fulfilment rules, editors' assessments."""

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from api import models
from api.partial_date import PartialDate
from api.services import activity, compliance
from schema.as_of import as_of_or_today
from schema.compiled.fields import CommaList, Condition, Derived, Rows, ToOne, compiled
from schema.context import Info
from schema.enums import MeetingFormat, MeetingKind, Rank
from schema.time_enums import ActivityVerdict, ComplianceVerdict
from schema.types.node import load, load_many
from schema.types.source import Source

if TYPE_CHECKING:
    from schema.types.mechanism import Mechanism
    from schema.types.meeting import Meeting

MeetingType = Annotated["Meeting", strawberry.lazy("schema.types.meeting")]
MechanismType = Annotated["Mechanism", strawberry.lazy("schema.types.mechanism")]

AsOf = Annotated[
    dt.date | None,
    strawberry.argument(description="The date to judge as of (UTC); today by default."),
]


@strawberry.type(
    description="An editor's review of a mechanism's record: every meeting found in the sources "
    "searched between its two dates is recorded, so the absence of a meeting there is evidence "
    "(a period can be MISSED, a due date OVERDUE)."
)
class RecordReview:
    __model__: ClassVar = models.RecordReview

    complete_from: dt.date | None = strawberry.field(
        description="First day the record is complete for; null: from the mechanism's start."
    )
    complete_through: dt.date = strawberry.field(description="Last day the record is complete for.")
    reviewed_by: str = strawberry.field(description="Who reviewed it.")
    reviewed_on: dt.date | None = strawberry.field(description="When they did.")
    sources_searched: str = strawberry.field(description="Which sources they searched.")
    note: str | None = strawberry.field(description="What they found, or did not.")


@strawberry.type(
    description="Whether a mechanism meets as its cadence says, as of a date (computed, never "
    "stored; see ActivityVerdict for each rule)."
)
class MechanismActivity:
    as_of: dt.date = strawberry.field(description="The date it is judged as of.")
    verdict: ActivityVerdict = strawberry.field(description="The verdict; the rule of each value.")
    reason: str = strawberry.field(description="Why, in words, with the dates it rests on.")
    next_meeting_due: dt.date | None = strawberry.field(
        description="The last meeting plus the cadence's interval (days clamped to the month's "
        "end); null without a cadence or a meeting."
    )
    record_complete: bool = strawberry.field(
        description="Whether a record review covers the mechanism from its start through the "
        "as-of date; if not, the verdict rests on an incomplete record."
    )
    last_meeting_id: strawberry.Private[int | None]

    @strawberry.field(
        description="Its latest meeting in its own right (not a visit grouping others) held on or "
        "before the as-of date, dated by the latest day it may have begun.",
        metadata=compiled(ToOne("Meeting", "last_meeting_id")),
    )
    async def last_meeting(self, info: Info) -> MeetingType | None:
        return await load(info, models.Meeting, self.last_meeting_id)


def activity_rows(arguments: Mapping[str, Any]) -> Derived:
    """The rows ``activity_of`` reads, for the compiled read path (``Mechanism.activity``)."""
    return Derived(activity.activity(as_of_or_today(arguments.get("as_of"))).cte())


async def activity_of(info: Info, mechanism_id: int, as_of: dt.date | None) -> MechanismActivity:
    """The activity of one mechanism, batched with its siblings'."""
    day = as_of_or_today(as_of)
    found = await info.context.loaders.computed("activity", activity.evaluate, day).load(
        mechanism_id
    )
    return MechanismActivity(
        as_of=found.as_of,
        verdict=found.verdict,
        reason=found.reason,
        next_meeting_due=found.next_due,
        record_complete=found.record_complete,
        last_meeting_id=found.last_meeting_id,
    )


@strawberry.type(description="What fulfils a commitment, as data (see Commitment.compliance).")
class FulfillmentRule:
    __model__: ClassVar = models.FulfillmentRule

    min_rank: Rank | None = strawberry.field(
        description="Each side had someone of this rank or higher on the meeting's days; null: "
        "anyone."
    )
    note: str | None = strawberry.field(description="The rule in words, as the source has it.")

    @strawberry.field(
        description="A fulfilling meeting has one of these formats; null: any.",
        metadata=compiled(CommaList("formats")),
    )
    def formats(
        self, root: strawberry.Parent[models.FulfillmentRule]
    ) -> list[MeetingFormat] | None:
        return [MeetingFormat(f) for f in root.formats.split(",")] if root.formats else None

    @strawberry.field(
        description="A fulfilling meeting is of one of these kinds; null: any kind that counts.",
        metadata=compiled(CommaList("kinds")),
    )
    def kinds(self, root: strawberry.Parent[models.FulfillmentRule]) -> list[MeetingKind] | None:
        return [MeetingKind(k) for k in root.kinds.split(",")] if root.kinds else None

    @strawberry.field(
        description="Each side (two at least) had someone present. A meeting with no attendance "
        "recorded may still have met it (UNKNOWN, not MISSED).",
        metadata=compiled(Condition(("both_sides",), lambda c: c.both_sides)),
    )
    def both_sides(self, root: strawberry.Parent[models.FulfillmentRule]) -> bool:
        return root.both_sides

    @strawberry.field(
        description="A fulfilling meeting belongs to this mechanism; null: to the commitment's "
        "own.",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(
        self, root: strawberry.Parent[models.FulfillmentRule], info: Info
    ) -> MechanismType | None:
        return await load(info, models.Mechanism, root.mechanism_id)

    @strawberry.field(
        description="The source the rule rests on.",
        metadata=compiled(ToOne("Source", "source_id")),
    )
    async def source(
        self, root: strawberry.Parent[models.FulfillmentRule], info: Info
    ) -> Source | None:
        return await load(info, models.Source, root.source_id)


@strawberry.type(
    description="An editor's own verdict on a commitment, kept beside the computed one (never "
    "replacing it)."
)
class Assessment:
    verdict: ComplianceVerdict = strawberry.field(description="The editor's verdict.")
    as_of: dt.date | None = strawberry.field(description="The date the editor judged it as of.")
    note: str | None = strawberry.field(description="Why.")
    source_id: strawberry.Private[int | None]

    @strawberry.field(description="The source the editor relied on.")
    async def source(self, info: Info) -> Source | None:
        return await load(info, models.Source, self.source_id)


@strawberry.type(description="One period of a recurring commitment, with its verdict.")
class CompliancePeriod:
    period: PartialDate = strawberry.field(description="The period: `2024`, `2024-H2`, `2024-Q1`.")
    verdict: ComplianceVerdict = strawberry.field(description="Kept, missed, pending, unknown.")
    reason: str = strawberry.field(description="Why, in words.")
    required: int = strawberry.field(description="Fulfilling meetings the period needs.")
    held: int = strawberry.field(
        description="Fulfilling meetings certainly held within the period by the as-of date."
    )
    record_complete: bool = strawberry.field(
        description="Whether a record review covers the whole period: MISSED needs it; "
        "without it a period with too few meetings is UNKNOWN."
    )
    meeting_ids: strawberry.Private[tuple[int, ...]]

    @strawberry.field(
        description="The fulfilling meetings certainly held within the period.",
        metadata=compiled(
            Rows("Meeting", "found", compliance.in_period, compliance.by_date, "meeting_id")
        ),
    )
    async def meetings(self, info: Info) -> list[MeetingType]:
        return await load_many(info, models.Meeting, list(self.meeting_ids))


@strawberry.type(
    description="Whether a commitment was kept, as of a date: computed from the meetings, its "
    "fulfilment rule, editors' links and the mechanism's record reviews; never stored."
)
class Compliance:
    as_of: dt.date = strawberry.field(description="The date it is judged as of.")
    verdict: ComplianceVerdict = strawberry.field(
        description="Overall: a one-off's verdict; for a recurring commitment MISSED if any "
        "period was missed, else UNKNOWN if any is unknown, else KEPT if any was kept (the "
        "current period may still be pending), else PENDING."
    )
    reason: str = strawberry.field(description="Why, in words.")
    record_complete: bool = strawberry.field(
        description="Whether the verdict rests on a complete record: a record review covers "
        "every period judged (recurring; pending ones aside), or every day from the day it "
        "was agreed through the as-of date (one-off)."
    )
    periods: list[CompliancePeriod] = strawberry.field(
        description="A recurring commitment's periods, from its first through the one holding "
        "the as-of date; empty for a one-off.",
        metadata=compiled(
            Rows(
                "CompliancePeriod",
                "periods",
                lambda periods, row: periods.commitment_id == row.commitment_id,
                compliance.in_order,
            )
        ),
    )
    disagrees_with_assessment: bool | None = strawberry.field(
        description="True when an editor's assessment gives another verdict than this one; "
        "null without an assessment."
    )
    meeting_ids: strawberry.Private[tuple[int, ...]]

    @strawberry.field(
        description="Every fulfilling meeting certainly held by the as-of date, earliest first: "
        "matched by the rule (unless an editor unlinked it) or linked by an editor.",
        metadata=compiled(
            Rows("Meeting", "found", compliance.fulfilled, compliance.by_date, "meeting_id")
        ),
    )
    async def fulfilled_by(self, info: Info) -> list[MeetingType]:
        return await load_many(info, models.Meeting, list(self.meeting_ids))


def compliance_rows(arguments: Mapping[str, Any]) -> Derived:
    """The rows ``compliance_of`` reads, for the compiled read path (``Commitment.compliance``)."""
    judged = compliance.tables(as_of_or_today(arguments.get("as_of")))
    return Derived(judged.overall, {"periods": judged.periods, "found": judged.found})


async def compliance_of(
    info: Info, commitment: models.Commitment, as_of: dt.date | None
) -> Compliance:
    """The compliance of one commitment, batched with its siblings'."""
    day = as_of_or_today(as_of)
    found: compliance.Compliance = await info.context.loaders.computed(
        "compliance", compliance.evaluate, day
    ).load(commitment.id)
    return Compliance(
        as_of=found.as_of,
        verdict=found.verdict,
        reason=found.reason,
        record_complete=found.record_complete,
        periods=[
            CompliancePeriod(
                period=p.period,
                verdict=p.verdict,
                reason=p.reason,
                required=p.required,
                held=p.held,
                record_complete=p.record_complete,
                meeting_ids=p.meeting_ids,
            )
            for p in found.periods
        ],
        disagrees_with_assessment=found.disagrees_with_assessment,
        meeting_ids=found.meeting_ids,
    )
