"""Dialogue mechanisms and the parties to them."""

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import or_
from strawberry import relay

from api import models
from api.partial_date import PartialDate
from api.services import activity, meetings
from api.services.listing import Listing
from api.services.sql_dates import PERIOD_MONTHS
from schema.compiled.fields import (
    BoolColumn,
    Children,
    Column,
    Computed,
    Condition,
    Embedded,
    EnumColumn,
    NestedConnection,
    ToOne,
    Value,
    compiled,
)
from schema.context import Info
from schema.enums import MechanismKind, MechanismLevel, MechanismStatus, Period
from schema.inputs import MeetingFilterInput, MeetingOrder, order_names
from schema.pagination import After, Before, Connection, First, Last, nested_connection
from schema.types.audit import history_of
from schema.types.commitment import Commitment
from schema.types.country import Country
from schema.types.meeting import Meeting
from schema.types.names import names_of
from schema.types.node import ModelNode, children, load
from schema.types.people import Organization
from schema.types.source import Source, citations_of
from schema.types.statement_lists import statements_field
from schema.types.timing import (
    AsOf,
    MechanismActivity,
    RecordReview,
    activity_of,
    activity_rows,
)


def _meetings_listing(arguments: Mapping[str, Any]) -> Listing:
    """A mechanism's meetings, as ``Mechanism.meetings`` pages them."""
    meeting_filter = arguments.get("filter")
    return meetings.list_meetings(
        meeting_filter.to_service() if meeting_filter else None,
        order_names(arguments.get("order_by"), meetings.DEFAULT_ORDER),
    )


@strawberry.type(
    description='How often a mechanism is to meet: "twice annually" is 2 per year. A cadence '
    "with `stated: false` records that the sources were checked and state none."
)
class Cadence:
    text: str | None = strawberry.field(description="The source's own words.")
    times: int | None = strawberry.field(description="This many meetings ...")
    period: Period | None = strawberry.field(description="... per this period.")
    at_least: bool | None = strawberry.field(
        description='True: "at least" that many; false: that many; null: not stated or not known.'
    )
    stated: bool = strawberry.field(
        description="False when the sources were checked and state no cadence: activity then "
        "follows Parley's convention (DORMANT after 24 months without a meeting)."
    )
    quote: str | None = strawberry.field(description="The passage of the source that states it.")
    note: str | None = strawberry.field(description="Remarks: how it was read, what is missing.")
    source_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The cadence's interval in whole months: the period's months divided by the "
        "count (twice a year: 6); null when not stated."
    )
    def interval_months(self) -> int | None:
        if self.times is None or self.period is None:
            return None
        return max(1, PERIOD_MONTHS[self.period.value] // self.times)

    @strawberry.field(description="The source that states it.")
    async def source(self, info: Info) -> Source | None:
        return await load(info, models.Source, self.source_id)


@strawberry.type(description="A country taking part in a mechanism, and who leads for it.")
class MechanismParty:
    __model__: ClassVar = models.MechanismParty

    @strawberry.field(description="The country.", metadata=compiled(ToOne("Country", "country_id")))
    async def country(self, root: strawberry.Parent[models.MechanismParty], info: Info) -> Country:
        return await load(info, models.Country, root.country_id)

    @strawberry.field(
        description="The organization leading for that country.",
        metadata=compiled(ToOne("Organization", "lead_organization_id")),
    )
    async def lead_organization(
        self, root: strawberry.Parent[models.MechanismParty], info: Info
    ) -> Organization | None:
        return await load(info, models.Organization, root.lead_organization_id)


@strawberry.type(
    description="A standing channel between governments: an information exchange, a working "
    "group, a ministerial channel, a dialogue ..."
)
class Mechanism(ModelNode):
    __model__: ClassVar = models.Mechanism

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("mechanism")
    slug: str = strawberry.field(description="Human-friendly unique key, e.g. `ciwg`.")
    name: str = strawberry.field(description="English name.")
    acronym: str | None = strawberry.field(description="Acronym, e.g. CIWG, JCCT.")
    kind: MechanismKind = strawberry.field(description="What kind of channel it is.")
    level: MechanismLevel | None = strawberry.field(description="The rank of those who lead it.")
    status: MechanismStatus = strawberry.field(
        description="Its declared status, a recorded fact (proposed, active, dormant, ended); "
        "`activity` computes whether it meets as its cadence says."
    )
    established: PartialDate | None = strawberry.field(description="When it was agreed or founded.")
    ended: PartialDate | None = strawberry.field(
        description="When it last met or was wound up, for an ended mechanism."
    )
    summary: str | None = strawberry.field(description="What it is for.")
    note: str | None = strawberry.field(description="Remarks, e.g. unverified facts.")
    names = names_of("mechanism_id")
    citations = citations_of("mechanism_id")
    statements = statements_field("mechanism", "mechanism_id")

    @strawberry.field(
        description="How often it is to meet, as its sources state it; `stated: false` where "
        "they state none; null where nobody has checked.",
        metadata=compiled(
            Embedded(
                "Cadence",
                ("cadence_text", "cadence_times", "cadence_stated"),
                {
                    "text": Column("cadence_text"),
                    "times": Column("cadence_times"),
                    "period": EnumColumn("cadence_period"),
                    "stated": Condition(
                        ("cadence_stated",),
                        lambda c: or_(c.cadence_stated.is_(None), c.cadence_stated),
                    ),
                    "atLeast": BoolColumn("cadence_at_least"),
                    "quote": Column("cadence_quote"),
                    "note": Column("cadence_note"),
                    "intervalMonths": Value(
                        ("cadence_period", "cadence_times"),
                        lambda c: activity.interval(c.cadence_period, c.cadence_times),
                    ),
                    "source": ToOne("Source", "cadence_source_id"),
                },
            )
        ),
    )
    def cadence(self, root: strawberry.Parent[models.Mechanism]) -> Cadence | None:
        if root.cadence_text is None and root.cadence_times is None and root.cadence_stated is None:
            return None
        return Cadence(
            text=root.cadence_text,
            times=root.cadence_times,
            period=root.cadence_period,
            at_least=root.cadence_at_least,
            stated=root.cadence_stated is not False,
            quote=root.cadence_quote,
            note=root.cadence_note,
            source_id=root.cadence_source_id,
        )

    @strawberry.field(
        description="Editors' reviews of how complete its record is (in the order of the last "
        "day each covers): where one covers a period, the absence of a meeting there is "
        "evidence.",
        metadata=compiled(
            Children("RecordReview", "mechanism_id", (models.RecordReview.complete_through,))
        ),
    )
    async def record_reviews(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> list[RecordReview]:
        return await children(
            info,
            models.RecordReview,
            models.RecordReview.mechanism_id,
            root.id,
            models.RecordReview.complete_through,
        )

    @strawberry.field(
        description="Whether it meets as its cadence says, as of a date: last meeting, next "
        "meeting due and a verdict (computed, never stored; the declared `status` stays as "
        "recorded).",
        metadata=compiled(Computed("MechanismActivity", activity_rows, "mechanism_id")),
    )
    async def activity(
        self, root: strawberry.Parent[models.Mechanism], info: Info, as_of: AsOf = None
    ) -> MechanismActivity:
        return await activity_of(info, root.id, as_of)

    @strawberry.field(
        description="The countries taking part, with their lead organizations.",
        metadata=compiled(Children("MechanismParty", "mechanism_id")),
    )
    async def parties(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> list[MechanismParty]:
        return await children(
            info, models.MechanismParty, models.MechanismParty.mechanism_id, root.id
        )

    @strawberry.field(
        description="The mechanism it replaced.",
        metadata=compiled(ToOne("Mechanism", "predecessor_id")),
    )
    async def predecessor(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> "Mechanism | None":
        return await load(info, models.Mechanism, root.predecessor_id)

    @strawberry.field(
        description="Mechanisms that replaced it.",
        metadata=compiled(Children("Mechanism", "predecessor_id")),
    )
    async def successors(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> list["Mechanism"]:
        return await children(info, models.Mechanism, models.Mechanism.predecessor_id, root.id)

    @strawberry.field(
        description="The mechanism it is part of (a working group of a commission).",
        metadata=compiled(ToOne("Mechanism", "parent_id")),
    )
    async def parent(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> "Mechanism | None":
        return await load(info, models.Mechanism, root.parent_id)

    @strawberry.field(
        description="Its working groups and other parts.",
        metadata=compiled(Children("Mechanism", "parent_id")),
    )
    async def parts(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> list["Mechanism"]:
        return await children(info, models.Mechanism, models.Mechanism.parent_id, root.id)

    @strawberry.field(
        description="The meeting at which it was agreed.",
        metadata=compiled(ToOne("Meeting", "agreed_at_meeting_id")),
    )
    async def agreed_at(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> Meeting | None:
        return await load(info, models.Meeting, root.agreed_at_meeting_id)

    @strawberry.field(
        description="Commitments made for it.",
        metadata=compiled(Children("Commitment", "mechanism_id")),
    )
    async def commitments(
        self, root: strawberry.Parent[models.Mechanism], info: Info
    ) -> list[Commitment]:
        return await children(info, models.Commitment, models.Commitment.mechanism_id, root.id)

    @strawberry.field(
        description="Its meetings, latest first unless ordered otherwise.",
        metadata=compiled(NestedConnection("Meeting", "mechanism_id", _meetings_listing)),
    )
    async def meetings(
        self,
        root: strawberry.Parent[models.Mechanism],
        info: Info,
        filter: Annotated[
            MeetingFilterInput | None,
            strawberry.argument(description="Only meetings matching this."),
        ] = None,
        order_by: Annotated[
            list[MeetingOrder] | None,
            strawberry.argument(description="Sort order; START_DATE_DESC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Meeting]:
        meeting_filter = filter.to_service() if filter else None
        order = order_names(order_by, meetings.DEFAULT_ORDER)
        return await nested_connection(
            info,
            key=("mechanism.meetings", repr(meeting_filter), tuple(order)),
            rows=meetings.list_meetings(meeting_filter, order),
            parent=models.Meeting.mechanism_id,
            parent_id=root.id,
            first=first,
            after=after,
            last=last,
            before=before,
        )
