"""Public sources and the citations that tie them to records."""

from typing import Any, ClassVar

import strawberry
from sqlalchemy import func
from strawberry import relay

from api import models
from api.models.source import CITED_COLUMNS
from api.partial_date import PartialDate
from schema.compiled.fields import Children, Column, OneOf, ToOne, Value, compiled
from schema.context import Info
from schema.enums import SourceKind
from schema.types.audit import history_of
from schema.types.node import ModelNode, children, load

SOURCES_DESCRIPTION = (
    "The public sources behind this record, each with the passage that supports it."
)

_MODELS_BY_COLUMN = {
    "mechanism_id": models.Mechanism,
    "meeting_id": models.Meeting,
    "participation_id": models.Participation,
    "meeting_topic_id": models.MeetingTopic,
    "commitment_id": models.Commitment,
    "policy_measure_id": models.PolicyMeasure,
    "person_id": models.Person,
    "position_id": models.Position,
    "organization_id": models.Organization,
}
assert set(_MODELS_BY_COLUMN) == set(CITED_COLUMNS)
# The GraphQL type of each, for the compiled read path (the record is the one column set).
_TYPES_BY_COLUMN = {
    "mechanism_id": "Mechanism",
    "meeting_id": "Meeting",
    "participation_id": "Participation",
    "meeting_topic_id": "TopicRaised",
    "commitment_id": "Commitment",
    "policy_measure_id": "PolicyMeasure",
    "person_id": "Person",
    "position_id": "Position",
    "organization_id": "Organization",
}
assert list(_TYPES_BY_COLUMN) == list(_MODELS_BY_COLUMN)


def _url_or_empty(row: Any) -> Any:
    return func.coalesce(row.url, "")


@strawberry.type(
    description="A public document: an official readout, a press release, a news report, a "
    "legal text, or a mirror that reposts one of those. A reader can follow it either by its "
    "full address, or — when it has none that works — by its bibliographic citation: title, "
    "publisher, date and where it is cited."
)
class Source(ModelNode):
    __model__: ClassVar = models.Source

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("source")
    title: str | None = strawberry.field(description="Its headline or title.")
    publisher: str | None = strawberry.field(description="Who published it.")
    as_cited_in: str | None = strawberry.field(
        description='For a source read through another: where it is cited ("as cited in").'
    )
    kind: SourceKind = strawberry.field(description="What kind of source it is.")
    language: str | None = strawberry.field(description="Its language (BCP 47: en, zh-Hans).")
    published: PartialDate | None = strawberry.field(description="When it was published.")
    note: str | None = strawberry.field(description="Remarks on its reliability or content.")

    @strawberry.field(
        description="The full address where it can be read; null for a source cited "
        "bibliographically (title, publisher, date), which has no address that works.",
        metadata=compiled(Column("url")),
    )
    def address(self, root: strawberry.Parent[models.Source]) -> str | None:
        return root.url

    @strawberry.field(
        description="Where the source can be read; an empty string for a source without an "
        "address.",
        deprecation_reason="Use `address`, which is null for a source without an address.",
        metadata=compiled(Value(("url",), _url_or_empty)),
    )
    def url(self, root: strawberry.Parent[models.Source]) -> str:
        return root.url or ""

    @strawberry.field(
        description="For a mirror or repost: the original it copies.",
        metadata=compiled(ToOne("Source", "original_id")),
    )
    async def original(self, root: strawberry.Parent[models.Source], info: Info) -> "Source | None":
        return await load(info, models.Source, root.original_id)

    @strawberry.field(
        description="Mirrors and reposts of this source.",
        metadata=compiled(Children("Source", "original_id")),
    )
    async def mirrors(self, root: strawberry.Parent[models.Source], info: Info) -> list["Source"]:
        return await children(info, models.Source, models.Source.original_id, root.id)

    @strawberry.field(
        description="The records this source supports, with the passages.",
        metadata=compiled(Children("Citation", "source_id")),
    )
    async def citations(
        self, root: strawberry.Parent[models.Source], info: Info
    ) -> list["Citation"]:
        return await children(info, models.Citation, models.Citation.source_id, root.id)


@strawberry.type(description="A source supporting one record, with the passage that does.")
class Citation(ModelNode):
    __model__: ClassVar = models.Citation

    id: relay.NodeID[int]
    quote: str | None = strawberry.field(
        description="The supporting passage, quoted or summarized (verbatim says which)."
    )

    verbatim: bool | None = strawberry.field(
        description="true: the quote is the source's own words; false: a paraphrase or "
        "summary; null: not said."
    )

    note: str | None = strawberry.field(description="Remarks, e.g. how a date was derived.")

    @strawberry.field(description="The source.", metadata=compiled(ToOne("Source", "source_id")))
    async def source(self, root: strawberry.Parent[models.Citation], info: Info) -> Source:
        return await load(info, models.Source, root.source_id)

    @strawberry.field(
        description="The record the source supports.",
        metadata=compiled(OneOf(tuple(_TYPES_BY_COLUMN.items()))),
    )
    async def record(self, root: strawberry.Parent[models.Citation], info: Info) -> relay.Node:
        for column, entity in _MODELS_BY_COLUMN.items():
            key = getattr(root, column)
            if key is not None:
                return await load(info, entity, key)
        raise AssertionError("a citation supports exactly one record")  # a CHECK guarantees it


def citations_of(column: str) -> Any:
    """A ``citations`` field listing the citations whose ``column`` points at the record."""
    key = getattr(models.Citation, column)

    async def resolve(root: strawberry.Parent[Any], info: Info) -> list[Citation]:
        return await children(info, models.Citation, key, root.id)

    return strawberry.field(
        resolver=resolve,
        description=SOURCES_DESCRIPTION,
        metadata=compiled(Children("Citation", column)),
    )
