"""Coverage rules for the root Query: lookups by slug and the root connections."""

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from api.services import (
    commitments,
    measures,
    mechanisms,
    meetings,
    participations,
    people,
    sources,
    statements,
    topics,
)
from api.services.listing import Listing
from schema.inputs import order_names


@dataclasses.dataclass(frozen=True)
class Lookup:
    """``target`` by a unique column, from one argument (``normalize``d as the resolver does)."""

    target: str
    column: str
    argument: str
    normalize: Callable[[str], str] = str


@dataclasses.dataclass(frozen=True)
class RootConnection:
    """A page of ``rows(arguments)`` of ``target`` records."""

    target: str
    rows: Callable[[Mapping[str, Any]], Listing]


def _filtered(
    build: Callable[[Any, list[str]], Listing], default: tuple[str, ...] | list[str]
) -> Callable[[Mapping[str, Any]], Listing]:
    def rows(arguments: Mapping[str, Any]) -> Listing:
        found = arguments.get("filter")
        return build(
            found.to_service() if found else None,
            order_names(arguments.get("order_by"), default),
        )

    return rows


def _countries(arguments: Mapping[str, Any]) -> Listing:
    return topics.list_countries(
        arguments.get("codes"), order_names(arguments.get("order_by"), ["CODE_ASC"])
    )


LOOKUPS: dict[str, Lookup] = {
    "mechanism": Lookup("Mechanism", "slug", "slug"),
    "meeting": Lookup("Meeting", "slug", "slug"),
    "person": Lookup("Person", "slug", "slug"),
    "organization": Lookup("Organization", "slug", "slug"),
    "topic": Lookup("Topic", "slug", "slug"),
    "measure": Lookup("PolicyMeasure", "slug", "slug"),
    "commitment": Lookup("Commitment", "slug", "slug"),
    "statement": Lookup("Statement", "slug", "slug"),
    "source": Lookup("Source", "url", "url"),
    "country": Lookup("Country", "code", "code", str.upper),
}

CONNECTIONS: dict[str, RootConnection] = {
    "mechanisms": RootConnection(
        "Mechanism", _filtered(mechanisms.list_mechanisms, mechanisms.DEFAULT_ORDER)
    ),
    "meetings": RootConnection(
        "Meeting", _filtered(meetings.list_meetings, meetings.DEFAULT_ORDER)
    ),
    "participations": RootConnection(
        "Participation",
        _filtered(participations.list_participations, participations.DEFAULT_ORDER),
    ),
    "people": RootConnection("Person", _filtered(people.list_people, ["NAME_ASC"])),
    "organizations": RootConnection(
        "Organization", _filtered(people.list_organizations, ["NAME_ASC"])
    ),
    "topics": RootConnection("Topic", _filtered(topics.list_topics, ["NAME_ASC"])),
    "measures": RootConnection(
        "PolicyMeasure", _filtered(measures.list_measures, ["ANNOUNCED_DESC"])
    ),
    "commitments": RootConnection(
        "Commitment", _filtered(commitments.list_commitments, ["DUE_ASC"])
    ),
    "sources": RootConnection("Source", _filtered(sources.list_sources, ["PUBLISHED_DESC"])),
    "statements": RootConnection(
        "Statement", _filtered(statements.list_statements, statements.DEFAULT_ORDER)
    ),
    "countries": RootConnection("Country", _countries),
}

ROOT_FIELDS = frozenset({"node", "nodes", "__typename", *LOOKUPS, *CONNECTIONS})
"""Root fields the compiled path answers."""
