"""Topics."""

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from api import models
from schema.compiled.fields import Children, Linked, ToOne, compiled
from schema.context import Info
from schema.types.audit import history_of
from schema.types.names import names_of
from schema.types.node import ModelNode, children, load, load_many

if TYPE_CHECKING:
    from schema.types.measure import PolicyMeasure
    from schema.types.meeting import TopicRaised

TopicRaisedType = Annotated["TopicRaised", strawberry.lazy("schema.types.meeting")]
MeasureType = Annotated["PolicyMeasure", strawberry.lazy("schema.types.measure")]


@strawberry.type(description="A subject: export controls, semiconductors, tariffs, tourism ...")
class Topic(ModelNode):
    __model__: ClassVar = models.Topic

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("topic")
    slug: str = strawberry.field(description="Human-friendly unique key, e.g. `export-controls`.")
    name: str = strawberry.field(description="English name.")
    description: str | None = strawberry.field(description="What the topic covers.")
    names = names_of("topic_id")

    @strawberry.field(
        description="The broader topic.", metadata=compiled(ToOne("Topic", "parent_id"))
    )
    async def parent(self, root: strawberry.Parent[models.Topic], info: Info) -> "Topic | None":
        return await load(info, models.Topic, root.parent_id)

    @strawberry.field(
        description="Narrower topics.",
        metadata=compiled(Children("Topic", "parent_id", (models.Topic.name,))),
    )
    async def subtopics(self, root: strawberry.Parent[models.Topic], info: Info) -> list["Topic"]:
        return await children(
            info, models.Topic, models.Topic.parent_id, root.id, models.Topic.name
        )

    @strawberry.field(
        description="Every time the topic was raised at a meeting.",
        metadata=compiled(Children("TopicRaised", "topic_id")),
    )
    async def raised(
        self, root: strawberry.Parent[models.Topic], info: Info
    ) -> list[TopicRaisedType]:
        return await children(info, models.MeetingTopic, models.MeetingTopic.topic_id, root.id)

    @strawberry.field(
        description="Policy measures that cover the topic.",
        metadata=compiled(
            Linked(
                "PolicyMeasure",
                models.PolicyMeasureTopic.__table__,
                "topic_id",
                "policy_measure_id",
            )
        ),
    )
    async def measures(
        self, root: strawberry.Parent[models.Topic], info: Info
    ) -> list[MeasureType]:
        links = await children(
            info, models.PolicyMeasureTopic, models.PolicyMeasureTopic.topic_id, root.id
        )
        return await load_many(
            info, models.PolicyMeasure, [link.policy_measure_id for link in links]
        )
