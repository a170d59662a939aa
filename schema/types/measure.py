"""Policy measures."""

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from api import models
from api.partial_date import PartialDate
from schema.compiled.fields import Children, Linked, ToOne, compiled
from schema.context import Info
from schema.enums import MeasureKind, MeasureStatus
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.names import names_of
from schema.types.node import ModelNode, children, load, load_many
from schema.types.people import Organization
from schema.types.source import citations_of
from schema.types.topic import Topic

if TYPE_CHECKING:
    from schema.types.meeting import MeasureDiscussion

DiscussionType = Annotated["MeasureDiscussion", strawberry.lazy("schema.types.meeting")]


@strawberry.type(
    description="An export control, executive order, investment restriction, sanction, tariff "
    "or other measure a government took."
)
class PolicyMeasure(ModelNode):
    __model__: ClassVar = models.PolicyMeasure

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("policy_measure")
    slug: str = strawberry.field(description="Human-friendly unique key.")
    name: str = strawberry.field(description="English name.")
    kind: MeasureKind = strawberry.field(description="What kind of measure.")
    instrument: str | None = strawberry.field(description='The legal instrument, e.g. "EO 14105".')
    announced: PartialDate | None = strawberry.field(description="When it was announced or signed.")
    effective: PartialDate | None = strawberry.field(
        description="When it took effect (or, per effectivePhrase, was expected to)."
    )
    effective_phrase: str | None = strawberry.field(
        description='How the source dated the effect, when relatively ("next year").'
    )
    status: MeasureStatus = strawberry.field(description="Whether it applies.")
    summary: str | None = strawberry.field(description="What it does.")
    note: str | None = strawberry.field(description="Remarks, e.g. later amendments.")
    names = names_of("policy_measure_id")
    citations = citations_of("policy_measure_id")

    @strawberry.field(
        description="The country that issued it.", metadata=compiled(ToOne("Country", "country_id"))
    )
    async def country(
        self, root: strawberry.Parent[models.PolicyMeasure], info: Info
    ) -> Country | None:
        return await load(info, models.Country, root.country_id)

    @strawberry.field(
        description="The organization that issued or runs it.",
        metadata=compiled(ToOne("Organization", "organization_id")),
    )
    async def organization(
        self, root: strawberry.Parent[models.PolicyMeasure], info: Info
    ) -> Organization | None:
        return await load(info, models.Organization, root.organization_id)

    @strawberry.field(
        description="The topics it covers.",
        metadata=compiled(
            Linked("Topic", models.PolicyMeasureTopic.__table__, "policy_measure_id", "topic_id")
        ),
    )
    async def topics(
        self, root: strawberry.Parent[models.PolicyMeasure], info: Info
    ) -> list[Topic]:
        links = await children(
            info, models.PolicyMeasureTopic, models.PolicyMeasureTopic.policy_measure_id, root.id
        )
        return await load_many(info, models.Topic, [link.topic_id for link in links])

    @strawberry.field(
        description="The meetings where it was discussed.",
        metadata=compiled(Children("MeasureDiscussion", "policy_measure_id")),
    )
    async def discussions(
        self, root: strawberry.Parent[models.PolicyMeasure], info: Info
    ) -> list[DiscussionType]:
        return await children(
            info,
            models.MeetingPolicyMeasure,
            models.MeetingPolicyMeasure.policy_measure_id,
            root.id,
        )
