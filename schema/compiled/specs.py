"""Coverage rules: which GraphQL fields the compiled read path answers, and from what.

Each covered object type names its table and, per field, how to read it: a column (plain,
enum, partial date), the global id, an embedded object (a cadence), a record it points at,
the records pointing at it, or a paginated connection. A field not listed here makes the
whole operation fall back to Strawberry's executor.
"""

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Table

from api import models
from api.models.columns import span
from api.services import meetings, participations, statements
from api.services.listing import Listing
from schema.inputs import order_names


@dataclasses.dataclass(frozen=True)
class Column:
    """A column read as is (strings, integers)."""

    name: str


@dataclasses.dataclass(frozen=True)
class EnumColumn:
    """An enum column, serialized by member name as Strawberry does."""

    name: str


@dataclasses.dataclass(frozen=True)
class DateColumn:
    """A partial date: its text column (``<prefix>_date``) is exactly its serialized form."""

    name: str


@dataclasses.dataclass(frozen=True)
class GlobalId:
    """The Relay id, base64 of ``<TypeName>:<id>``."""


@dataclasses.dataclass(frozen=True)
class Embedded:
    """An object built from the same row; null when every column in ``present`` is null."""

    type_name: str
    present: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ToOne:
    """The ``target`` record whose id is in column ``key`` (null when the key is null)."""

    target: str
    key: str


@dataclasses.dataclass(frozen=True)
class Children:
    """The ``target`` records whose column ``key`` points at this record, in ``order`` then id."""

    target: str
    key: str
    order: tuple[Any, ...] = ()


@dataclasses.dataclass(frozen=True)
class NestedConnection:
    """A page per parent of the listing ``rows(arguments)``, whose column ``key`` is the parent."""

    target: str
    key: str
    rows: Callable[[Mapping[str, Any]], Listing]


Field = Column | EnumColumn | DateColumn | GlobalId | Embedded | ToOne | Children | NestedConnection


@dataclasses.dataclass(frozen=True)
class TypeSpec:
    """A covered object type: its table (None for an embedded type) and its fields."""

    table: Table | None
    fields: Mapping[str, Field]


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _columns(**fields: str) -> dict[str, Field]:
    return {name: Column(column) for name, column in fields.items()}


def _mechanism_meetings(arguments: Mapping[str, Any]) -> Listing:
    meeting_filter = arguments.get("filter")
    return meetings.list_meetings(
        meeting_filter.to_service() if meeting_filter else None,
        order_names(arguments.get("order_by"), meetings.DEFAULT_ORDER),
    )


def _statements(arguments: Mapping[str, Any]) -> Listing:
    statement_filter = arguments.get("filter")
    return statements.list_statements(
        statement_filter.to_service() if statement_filter else None,
        order_names(arguments.get("order_by"), statements.DEFAULT_ORDER),
    )


def _said(key: str) -> dict[str, Field]:
    return {"statements": NestedConnection("Statement", key, _statements)}


def _person_participations(_arguments: Mapping[str, Any]) -> Listing:
    return participations.list_participations()


def _citations(key: str) -> dict[str, Field]:
    return {"citations": Children("Citation", key)}


def _keyed() -> dict[str, Field]:
    return {"id": GlobalId(), "version": Column("version")}


MEETING_START = span(models.Meeting, "start").earliest
POSITION_START = span(models.Position, "start").earliest

TYPES: dict[str, TypeSpec] = {
    "Country": TypeSpec(
        _table(models.Country), {"id": GlobalId(), **_columns(code="code", name="name")}
    ),
    "Cadence": TypeSpec(
        None,
        {
            "text": Column("cadence_text"),
            "times": Column("cadence_times"),
            "period": EnumColumn("cadence_period"),
        },
    ),
    "Recurrence": TypeSpec(
        None,
        {
            "text": Column("recurrence_text"),
            "times": Column("recurrence_times"),
            "period": EnumColumn("recurrence_period"),
        },
    ),
    "MechanismParty": TypeSpec(
        _table(models.MechanismParty),
        {
            "country": ToOne("Country", "country_id"),
            "leadOrganization": ToOne("Organization", "lead_organization_id"),
        },
    ),
    "Mechanism": TypeSpec(
        _table(models.Mechanism),
        {
            **_keyed(),
            **_columns(slug="slug", name="name", acronym="acronym", summary="summary", note="note"),
            "kind": EnumColumn("kind"),
            "level": EnumColumn("level"),
            "status": EnumColumn("status"),
            "established": DateColumn("established_date"),
            "ended": DateColumn("ended_date"),
            "cadence": Embedded("Cadence", ("cadence_text", "cadence_times")),
            "parties": Children("MechanismParty", "mechanism_id"),
            "predecessor": ToOne("Mechanism", "predecessor_id"),
            "successors": Children("Mechanism", "predecessor_id"),
            "parent": ToOne("Mechanism", "parent_id"),
            "parts": Children("Mechanism", "parent_id"),
            "agreedAt": ToOne("Meeting", "agreed_at_meeting_id"),
            "commitments": Children("Commitment", "mechanism_id"),
            "meetings": NestedConnection("Meeting", "mechanism_id", _mechanism_meetings),
            **_citations("mechanism_id"),
            **_said("mechanism_id"),
        },
    ),
    "Meeting": TypeSpec(
        _table(models.Meeting),
        {
            **_keyed(),
            **_columns(
                slug="slug",
                title="title",
                sequenceLabel="sequence_label",
                datePhrase="date_phrase",
                place="place",
                summary="summary",
                note="note",
            ),
            "kind": EnumColumn("kind"),
            "format": EnumColumn("format"),
            "status": EnumColumn("status"),
            "start": DateColumn("start_date"),
            "end": DateColumn("end_date"),
            "mechanism": ToOne("Mechanism", "mechanism_id"),
            "parent": ToOne("Meeting", "parent_id"),
            "parts": Children("Meeting", "parent_id", (MEETING_START,)),
            "hostCountry": ToOne("Country", "host_country_id"),
            "participations": Children("Participation", "meeting_id"),
            "topicsRaised": Children("TopicRaised", "meeting_id"),
            "commitmentsMade": Children("Commitment", "meeting_id"),
            **_citations("meeting_id"),
            **_said("meeting_id"),
        },
    ),
    "Participation": TypeSpec(
        _table(models.Participation),
        {
            "id": GlobalId(),
            "role": EnumColumn("role"),
            **_columns(
                titleAsReported="title_as_reported", nameAsReported="name_as_reported", note="note"
            ),
            "meeting": ToOne("Meeting", "meeting_id"),
            "person": ToOne("Person", "person_id"),
            "organization": ToOne("Organization", "organization_id"),
            "side": ToOne("Country", "side_country_id"),
            **_citations("participation_id"),
        },
    ),
    "TopicRaised": TypeSpec(
        _table(models.MeetingTopic),
        {
            "id": GlobalId(),
            "stance": EnumColumn("stance"),
            "note": Column("note"),
            "meeting": ToOne("Meeting", "meeting_id"),
            "topic": ToOne("Topic", "topic_id"),
            "raisedBy": ToOne("Country", "raised_by_country_id"),
            **_citations("meeting_topic_id"),
        },
    ),
    "Person": TypeSpec(
        _table(models.Person),
        {
            **_keyed(),
            **_columns(slug="slug", name="name", note="note"),
            "country": ToOne("Country", "country_id"),
            "positions": Children("Position", "person_id", (POSITION_START,)),
            "participations": NestedConnection(
                "Participation", "person_id", _person_participations
            ),
            **_citations("person_id"),
            **_said("person_id"),
        },
    ),
    "Organization": TypeSpec(
        _table(models.Organization),
        {
            **_keyed(),
            **_columns(slug="slug", name="name", acronym="acronym", note="note"),
            "kind": EnumColumn("kind"),
            "country": ToOne("Country", "country_id"),
            "parent": ToOne("Organization", "parent_id"),
            "units": Children("Organization", "parent_id", (models.Organization.name,)),
            "positions": Children("Position", "organization_id", (POSITION_START,)),
            **_citations("organization_id"),
            **_said("organization_id"),
        },
    ),
    "Position": TypeSpec(
        _table(models.Position),
        {
            **_keyed(),
            "title": Column("title"),
            "rank": EnumColumn("rank"),
            "start": DateColumn("start_date"),
            "end": DateColumn("end_date"),
            "note": Column("note"),
            "person": ToOne("Person", "person_id"),
            "organization": ToOne("Organization", "organization_id"),
            **_citations("position_id"),
        },
    ),
    "Topic": TypeSpec(
        _table(models.Topic),
        {
            **_keyed(),
            **_columns(slug="slug", name="name", description="description"),
            "parent": ToOne("Topic", "parent_id"),
            "subtopics": Children("Topic", "parent_id", (models.Topic.name,)),
            "raised": Children("TopicRaised", "topic_id"),
        },
    ),
    "PolicyMeasure": TypeSpec(
        _table(models.PolicyMeasure),
        {
            **_keyed(),
            **_columns(
                slug="slug",
                name="name",
                instrument="instrument",
                effectivePhrase="effective_phrase",
                summary="summary",
                note="note",
            ),
            "kind": EnumColumn("kind"),
            "status": EnumColumn("status"),
            "announced": DateColumn("announced_date"),
            "effective": DateColumn("effective_date"),
            "country": ToOne("Country", "country_id"),
            "organization": ToOne("Organization", "organization_id"),
            **_citations("policy_measure_id"),
        },
    ),
    "Commitment": TypeSpec(
        _table(models.Commitment),
        {
            **_keyed(),
            **_columns(
                slug="slug",
                title="title",
                text="text",
                duePhrase="due_phrase",
                statusNote="status_note",
            ),
            "due": DateColumn("due_date"),
            "status": EnumColumn("status"),
            "recurrence": Embedded("Recurrence", ("recurrence_text", "recurrence_times")),
            "meeting": ToOne("Meeting", "meeting_id"),
            "mechanism": ToOne("Mechanism", "mechanism_id"),
            "committedBy": ToOne("Country", "committed_by_country_id"),
            **_citations("commitment_id"),
        },
    ),
    "Source": TypeSpec(
        _table(models.Source),
        {
            **_keyed(),
            **_columns(
                url="url",
                address="url",
                title="title",
                publisher="publisher",
                asCitedIn="as_cited_in",
                language="language",
                note="note",
            ),
            "kind": EnumColumn("kind"),
            "published": DateColumn("published_date"),
            "original": ToOne("Source", "original_id"),
            "mirrors": Children("Source", "original_id"),
            "citations": Children("Citation", "source_id"),
        },
    ),
    "Citation": TypeSpec(
        _table(models.Citation),
        {
            "id": GlobalId(),
            **_columns(quote="quote", verbatim="verbatim", note="note"),
            "source": ToOne("Source", "source_id"),
        },
    ),
    "Statement": TypeSpec(
        _table(models.Statement),
        {
            **_keyed(),
            **_columns(
                slug="slug",
                text="text",
                language="language",
                verbatim="verbatim",
                speakerAsReported="speaker_as_reported",
                datePhrase="date_phrase",
                attributionDoubtful="attribution_doubtful",
                attributionNote="attribution_note",
                note="note",
            ),
            "said": DateColumn("said_date"),
            "person": ToOne("Person", "person_id"),
            "organization": ToOne("Organization", "organization_id"),
            "side": ToOne("Country", "side_country_id"),
            "meeting": ToOne("Meeting", "meeting_id"),
            "mechanism": ToOne("Mechanism", "mechanism_id"),
            "source": ToOne("Source", "source_id"),
            "translationOf": ToOne("Statement", "translation_of_id"),
            "translations": Children("Statement", "translation_of_id"),
        },
    ),
}
"""Covered object types by GraphQL name."""

NODE_TYPES = frozenset(name for name, spec in TYPES.items() if "id" in spec.fields)
"""Types ``node(id:)`` may name and the compiled path can read."""

CONNECTION_FIELDS = frozenset({"edges", "nodes", "pageInfo", "totalCount", "__typename"})
EDGE_FIELDS = frozenset({"node", "cursor", "__typename"})
PAGE_INFO_FIELDS = frozenset(
    {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
)
