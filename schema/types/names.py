"""Names of a record in several languages."""

from typing import Any, ClassVar

import strawberry

from api import models
from schema.compiled.fields import Children, ToOne, compiled
from schema.context import Info
from schema.enums import NameOrigin
from schema.types.node import children, load
from schema.types.source import Source


@strawberry.type(description="A name of a record in one language (Wang Wentao, 王文涛).")
class Name:
    __model__: ClassVar = models.LocalizedName

    text: str = strawberry.field(description="The name as written.")
    language: str = strawberry.field(
        description="BCP 47 language tag: en, zh-Hans, zh-Latn-pinyin."
    )
    origin: NameOrigin = strawberry.field(
        description="Where the name comes from: the record's own name, a source (see source), "
        "an editor's transliteration or addition, or not yet verified."
    )

    @strawberry.field(
        description="The source that gives the name (when origin is SOURCE).",
        metadata=compiled(ToOne("Source", "source_id")),
    )
    async def source(
        self, root: strawberry.Parent[models.LocalizedName], info: Info
    ) -> Source | None:
        return await load(info, models.Source, root.source_id)


def names_of(column: str) -> Any:
    """A ``names`` field listing the record's names in every language."""
    key = getattr(models.LocalizedName, column)

    async def resolve(root: strawberry.Parent[Any], info: Info) -> list[Name]:
        return await children(info, models.LocalizedName, key, root.id)

    return strawberry.field(
        resolver=resolve,
        description="Every name of this record, in every language.",
        metadata=compiled(Children("Name", column)),
    )
