"""Statements: what someone said, where and when, in which words, and on whose report."""

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlalchemy import true
from strawberry import relay

from api import models
from api.partial_date import PartialDate
from schema.compiled.fields import Children, Condition, ToOne, compiled
from schema.context import Info
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.meeting import Meeting
from schema.types.node import ModelNode, children, load
from schema.types.people import Organization, Person
from schema.types.source import Source

if TYPE_CHECKING:
    from schema.types.mechanism import Mechanism

MechanismType = Annotated["Mechanism", strawberry.lazy("schema.types.mechanism")]


def _flag(column: str) -> Condition:
    """A boolean column, read as a JSON boolean (SQLite stores 1 and 0)."""
    return Condition((column,), lambda columns: columns[column] == true())


@strawberry.type(
    description="Something said — in the speaker's own words (verbatim) or as a source "
    "paraphrases them — by a person, an organization or a side, with the source that reports "
    "it. A translation is a statement of its own, linked to the one it translates."
)
class Statement(ModelNode):
    __model__: ClassVar = models.Statement

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("statement")
    slug: str = strawberry.field(description="Human-friendly unique key.")
    text: str = strawberry.field(description="The words, as the source gives them.")
    language: str = strawberry.field(description="The language of the text (BCP 47: en, zh-Hans).")
    verbatim: bool = strawberry.field(
        description="true: the speaker's own words as the source quotes them; false: the "
        "source's paraphrase (or a translation).",
        metadata=compiled(_flag("verbatim")),
    )
    speaker_as_reported: str | None = strawberry.field(
        description='Who said it, as the source names them ("a senior U.S. commerce official"), '
        "kept even where it looks wrong."
    )
    said: PartialDate | None = strawberry.field(description="When it was said, as far as known.")
    date_phrase: str | None = strawberry.field(
        description='How the source dated it, when relatively ("on Monday night").'
    )
    attribution_doubtful: bool = strawberry.field(
        description="true when there is reason to doubt who said it (attributionNote says why).",
        metadata=compiled(_flag("attribution_doubtful")),
    )
    attribution_note: str | None = strawberry.field(
        description="Why the attribution is in doubt, or how it was established."
    )
    note: str | None = strawberry.field(description="Context: the occasion, what it was about.")

    @strawberry.field(
        description="The person who said it, when known.",
        metadata=compiled(ToOne("Person", "person_id")),
    )
    async def person(self, root: strawberry.Parent[models.Statement], info: Info) -> Person | None:
        return await load(info, models.Person, root.person_id)

    @strawberry.field(
        description="The organization that said it, or that the person spoke for (a ministry).",
        metadata=compiled(ToOne("Organization", "organization_id")),
    )
    async def organization(
        self, root: strawberry.Parent[models.Statement], info: Info
    ) -> Organization | None:
        return await load(info, models.Organization, root.organization_id)

    @strawberry.field(
        description="The side (country) it was said for.",
        metadata=compiled(ToOne("Country", "side_country_id")),
    )
    async def side(self, root: strawberry.Parent[models.Statement], info: Info) -> Country | None:
        return await load(info, models.Country, root.side_country_id)

    @strawberry.field(
        description="The meeting at which it was said; null when at none recorded.",
        metadata=compiled(ToOne("Meeting", "meeting_id")),
    )
    async def meeting(
        self, root: strawberry.Parent[models.Statement], info: Info
    ) -> Meeting | None:
        return await load(info, models.Meeting, root.meeting_id)

    @strawberry.field(
        description="The mechanism it is about, when it is about one.",
        metadata=compiled(ToOne("Mechanism", "mechanism_id")),
    )
    async def mechanism(
        self, root: strawberry.Parent[models.Statement], info: Info
    ) -> MechanismType | None:
        return await load(info, models.Mechanism, root.mechanism_id)

    @strawberry.field(
        description="The source in which the words appear.",
        metadata=compiled(ToOne("Source", "source_id")),
    )
    async def source(self, root: strawberry.Parent[models.Statement], info: Info) -> Source:
        return await load(info, models.Source, root.source_id)

    @strawberry.field(
        description="For a translation: the statement it translates.",
        metadata=compiled(ToOne("Statement", "translation_of_id")),
    )
    async def translation_of(
        self, root: strawberry.Parent[models.Statement], info: Info
    ) -> "Statement | None":
        return await load(info, models.Statement, root.translation_of_id)

    @strawberry.field(
        description="Translations of this statement into other languages.",
        metadata=compiled(Children("Statement", "translation_of_id")),
    )
    async def translations(
        self, root: strawberry.Parent[models.Statement], info: Info
    ) -> list["Statement"]:
        return await children(info, models.Statement, models.Statement.translation_of_id, root.id)
