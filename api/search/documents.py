"""What search finds: one declaration per kind of record, naming the columns it reads.

A declaration is all it takes to make a kind of record searchable: the migrations install
triggers built from it (``api.search.ddl``), the service ranks and pages its documents, and
the GraphQL enum ``SearchableType`` gains a value. Columns of the record's own table make up
the title (ranked highest) and the body; ``related`` rows (its names in every language, the
quotes citing a source ...) and ``parents`` (the rows it points at: a statement's speaker) are
gathered into the body too, and a write to them refreshes the record's document.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Related:
    """Text from rows of another table that point at the record through ``key``."""

    table: str
    key: str
    columns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Parent:
    """Text from the row the record points at through its column ``key`` (its speaker ...)."""

    table: str
    key: str
    columns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Searchable:
    """A kind of record search finds, and where its text lives."""

    name: str  # the record_type of its documents; its GraphQL enum value, upper-cased
    table: str
    title: tuple[str, ...]
    body: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    parents: tuple[Parent, ...] = ()
    description: str = ""


def names(key: str) -> Related:
    """The record's names in every language (Wang Wentao, 王文涛)."""
    return Related("localized_name", key, ("text",))


MEETING = Searchable(
    "meeting",
    "meeting",
    title=("title",),
    body=("sequence_label", "place", "summary", "note"),
    related=(Related("meeting_topic", "meeting_id", ("note",)),),
    description="Meetings: title, sequence, place, summary, note and the notes on topics raised.",
)
MECHANISM = Searchable(
    "mechanism",
    "mechanism",
    title=("name", "acronym"),
    body=("cadence_text", "summary", "note"),
    related=(names("mechanism_id"),),
    description="Mechanisms: names in every language, acronym, cadence, summary and note.",
)
PERSON = Searchable(
    "person",
    "person",
    title=("name",),
    body=("note",),
    related=(names("person_id"), Related("position", "person_id", ("title",))),
    description="People: names in every language, the titles of their positions, note.",
)
ORGANIZATION = Searchable(
    "organization",
    "organization",
    title=("name", "acronym"),
    body=("note",),
    related=(names("organization_id"),),
    description="Organizations: names in every language, acronym and note.",
)
TOPIC = Searchable(
    "topic",
    "topic",
    title=("name",),
    body=("description",),
    related=(names("topic_id"),),
    description="Topics: names in every language and description.",
)
POLICY_MEASURE = Searchable(
    "policy_measure",
    "policy_measure",
    title=("name", "instrument"),
    body=("summary", "note"),
    related=(names("policy_measure_id"),),
    description="Policy measures: names in every language, instrument, summary and note.",
)
COMMITMENT = Searchable(
    "commitment",
    "commitment",
    title=("title",),
    body=("text", "due_phrase", "recurrence_text", "status_note"),
    description="Commitments: title, text, due phrase, recurrence and status note.",
)
SOURCE = Searchable(
    "source",
    "source",
    title=("title",),
    body=("publisher", "url", "note"),
    related=(Related("citation", "source_id", ("quote", "note")),),
    description="Sources: title, publisher, address, note and the quotes citing them.",
)

STATEMENT = Searchable(
    "statement",
    "statement",
    title=("text",),
    body=("speaker_as_reported", "date_phrase", "attribution_note", "note"),
    parents=(
        Parent("person", "person_id", ("name",)),
        Parent("organization", "organization_id", ("name", "acronym")),
    ),
    description="Statements: the words, the speaker (a person or organization, or as the "
    "source reports them), the date phrase, the attribution note and note.",
)

SEARCHABLES: tuple[Searchable, ...] = (
    MEETING,
    MECHANISM,
    PERSON,
    ORGANIZATION,
    TOPIC,
    POLICY_MEASURE,
    COMMITMENT,
    SOURCE,
    STATEMENT,
)
"""Every kind of record search finds, in the order the GraphQL enum lists them."""

BY_NAME = {searchable.name: searchable for searchable in SEARCHABLES}
