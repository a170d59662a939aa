"""How the compiled read path reads a field, declared on the field itself.

A Strawberry field that resolves a relation or computes a value carries one of these in its
``metadata`` (``metadata=compiled(ToOne("Meeting", "meeting_id"))``); a plain field of a type
backed by a model (``__model__``) needs nothing: its column, enum or partial date is read as
the field is named. ``schema.compiled.specs`` derives the whole map from the schema.
"""

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import FromClause, Select

from api.services.aggregates import Grouping
from api.services.listing import Listing

METADATA_KEY = "parley.compiled"


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
class Timestamp:
    """A UTC timestamp column, written as the standard path writes it (``isoformat()``:
    ``2026-03-01T09:30:15.250000+00:00``, no fraction when it is zero)."""

    name: str


@dataclasses.dataclass(frozen=True)
class JsonColumn:
    """A JSON column, embedded as the JSON value it holds (not as its text)."""

    name: str


@dataclasses.dataclass(frozen=True)
class GlobalId:
    """The Relay id, base64 of ``<TypeName>:<id>``."""


@dataclasses.dataclass(frozen=True)
class Embedded:
    """An object built from the same row; null when every column in ``present`` is null.

    ``fields`` read the row's columns for the embedded type's fields.
    """

    type_name: str
    present: tuple[str, ...]
    fields: Mapping[str, "Column | EnumColumn | BoolColumn | Condition | Value | ToOne"]


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


@dataclasses.dataclass(frozen=True)
class Linked:
    """The ``target`` records a link table pairs with this record, in the links' order.

    ``near`` is the link's column pointing at this record, ``far`` the one at the target.
    """

    target: str
    link: FromClause
    near: str
    far: str


@dataclasses.dataclass(frozen=True)
class Condition:
    """A boolean computed in SQL from the row's ``columns`` (``rule`` reads them by name)."""

    columns: tuple[str, ...]
    rule: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class Value:
    """A value computed in SQL from the row's ``columns`` (``rule`` reads them by name).

    ``enum``: the value is a stored enum value, written as its GraphQL name.
    """

    columns: tuple[str, ...]
    rule: Callable[[Any], Any]
    enum: bool = False


@dataclasses.dataclass(frozen=True)
class Joined:
    """The ``target`` record whose id ``key`` computes in SQL from the row's ``columns``."""

    target: str
    columns: tuple[str, ...]
    key: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class Derived:
    """What :class:`Computed` reads: ``row``, one row per parent record (its column named by
    ``Computed.key`` is the parent's id), and more ``tables`` the object's :class:`Rows`
    fields read. Built in SQL by the services, which read the same rows on the standard path."""

    row: FromClause
    tables: Mapping[str, FromClause] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Computed:
    """An object computed in SQL from the field's arguments (a verdict as of a date): the row of
    ``rows(arguments).row`` whose column ``key`` is this record's id.

    The ``target`` type's fields without a resolver read that row's columns of their names; its
    other fields say how to read it in their own metadata.
    """

    target: str
    rows: Callable[[Mapping[str, Any]], Derived]
    key: str


@dataclasses.dataclass(frozen=True)
class Rows:
    """The rows of the computed object's derived table ``table`` that ``on(rows, row)`` pairs
    with this row, in ``order(rows)``: each an object of the computed type ``target`` or, with
    ``record``, the ``target`` record whose id is in the rows' column ``record``."""

    target: str
    table: str
    on: Callable[[Any, Any], Any]
    order: Callable[[Any], tuple[Any, ...]]
    record: str | None = None


@dataclasses.dataclass(frozen=True)
class BoolColumn:
    """A boolean column, as JSON ``true``/``false``/``null`` (SQLite stores 1 and 0)."""

    name: str


@dataclasses.dataclass(frozen=True)
class OnlyChild:
    """The one ``target`` record whose column ``key`` points at this record (null when none)."""

    target: str
    key: str


@dataclasses.dataclass(frozen=True)
class CommaList:
    """Enum values stored comma-separated in one column (``in_person,hybrid``), as the list of
    their GraphQL names (``["IN_PERSON", "HYBRID"]``); null when the column is null."""

    name: str


@dataclasses.dataclass(frozen=True)
class FloatColumn:
    """A float column, written so that it reads back as the very float the driver gives
    (SQLite's JSON keeps 15 digits, PostgreSQL's ``real`` fewer: neither would)."""

    name: str


@dataclasses.dataclass(frozen=True)
class OneOf:
    """A record of one of several types (a ``Node`` field): ``targets`` pairs a column with
    the type whose id it holds; the record is the one whose column is not null."""

    targets: tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class Tagged:
    """A record of one of several types: column ``tag`` names its table (``tables`` maps the
    tag's values to table names), column ``key`` holds its id."""

    tag: str
    key: str
    tables: tuple[tuple[str, str], ...]


Field = (
    Computed
    | Rows
    | Value
    | FloatColumn
    | OneOf
    | Tagged
    | Joined
    | Condition
    | BoolColumn
    | OnlyChild
    | CommaList
    | Linked
    | Column
    | EnumColumn
    | DateColumn
    | Timestamp
    | JsonColumn
    | GlobalId
    | Embedded
    | ToOne
    | Children
    | NestedConnection
)


# --- root fields ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NodeLookup:
    """``node(id:)``, or ``nodes(ids:)`` when ``many``: records by global id."""

    many: bool = False


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


@dataclasses.dataclass(frozen=True)
class Groups:
    """A list of ``target`` objects, one per row of ``rows(arguments)`` (a GROUP BY whose
    columns are named as the fields read them), in the grouping's order."""

    target: str
    rows: Callable[[Mapping[str, Any]], Grouping]


@dataclasses.dataclass(frozen=True)
class OffsetPage:
    """What an offset-paged list reads (``search``'s ranked hits): ``rows``, unordered, in the
    order ``order(columns)`` gives over their columns; ``count`` counts them (one scalar);
    the page starts ``offset`` rows in. ``rows`` and ``count`` are None for an empty list."""

    rows: Select[Any] | None
    order: Callable[[Any], list[Any]]
    count: Select[Any] | None
    offset: int


@dataclasses.dataclass(frozen=True)
class OffsetConnection:
    """A connection of ``target`` objects, one per row of ``page(arguments, postgres)``
    (``arguments["first"]`` is the page size, the default filled in).

    A row's cursor is URL-safe base64 (unpadded) of ``cursor_prefix + <its 0-based position in
    the whole list> + "]"``, as the resolver writes it.
    """

    target: str
    page: Callable[[Mapping[str, Any], bool], OffsetPage]
    cursor_prefix: str


Root = NodeLookup | Lookup | RootConnection | Groups | OffsetConnection


def compiled(spec: Field | Root) -> dict[str, Field | Root]:
    """Field metadata telling the compiled read path how to read the field."""
    return {METADATA_KEY: spec}
