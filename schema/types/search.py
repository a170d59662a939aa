"""Search hits: the record found, its score and a snippet with the matches marked."""

import enum
from typing import Any, cast

import strawberry
from strawberry import relay

from api.search.documents import SEARCHABLES
from api.services import search
from schema.compiled.fields import FloatColumn, Tagged, compiled
from schema.context import Info
from schema.types.node import load

# One value per declaration in api.search.documents.
SearchableType: Any = strawberry.enum(
    cast(
        Any,
        enum.Enum(
            "SearchableType",
            {
                s.name.upper(): strawberry.enum_value(s.name, description=s.description)
                for s in SEARCHABLES
            },
        ),
    ),
    description="Kinds of record search finds.",
)


@strawberry.type(description="A record a search found, how well it matched, and where.")
class SearchHit:
    hit: strawberry.Private[search.Hit]

    @strawberry.field(
        description="The record found (a Meeting, Person, Source ...).",
        metadata=compiled(
            Tagged("record_type", "record_id", tuple((s.name, s.table) for s in SEARCHABLES))
        ),
    )
    async def record(self, info: Info) -> relay.Node:
        return await load(info, search.model_of(self.hit.record_type), self.hit.record_id)

    @strawberry.field(
        description="Relevance: higher is better. Comparable within one result list only "
        "(PostgreSQL ranks with ts_rank, SQLite with bm25, so the figures differ).",
        metadata=compiled(FloatColumn("score")),
    )
    def score(self) -> float:
        return self.hit.score

    @strawberry.field(
        description="The passage that matched best (a line of the record's text, or its "
        "title), about 160 characters cut on word edges with … where text was left out. "
        "It is HTML-escaped text with each match between <mark> and </mark>, so it can be "
        "inserted as HTML as it is."
    )
    def snippet(self) -> str:
        return self.hit.snippet
