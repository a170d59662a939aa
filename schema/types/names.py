"""Names of a record in several languages."""

from typing import Any, ClassVar

import strawberry

from api import models
from schema.compiled.fields import Children, compiled
from schema.context import Info
from schema.types.node import children


@strawberry.type(description="A name of a record in one language (Wang Wentao, 王文涛).")
class Name:
    __model__: ClassVar = models.LocalizedName

    text: str = strawberry.field(description="The name as written.")
    language: str = strawberry.field(
        description="BCP 47 language tag: en, zh-Hans, zh-Latn-pinyin."
    )


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
