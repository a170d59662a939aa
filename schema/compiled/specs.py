"""Which GraphQL fields the compiled read path answers, and from what: derived from the schema.

Nothing is declared twice. A type backed by a model (``__model__``) is read from its table; its
plain fields (no resolver: Strawberry reads the ORM attribute of that name) are its columns,
enums and partial dates; its global id is written from the row id. A field with a resolver is
covered when its ``metadata`` says how to read it (``schema.compiled.fields.compiled``). A
type whose records need a token (``__scope__``) is never read by id: the compiled path checks
no scopes, so ``node``/``nodes`` of it stay with the executor's authorization; a public field
listing such records (a record's ``history``) is compiled like any other. A field not covered
makes the whole operation fall back to Strawberry's executor.
"""

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLSchema, get_named_type
from sqlalchemy import JSON, Boolean, DateTime, Table
from strawberry import relay

from schema.compiled.fields import (
    METADATA_KEY,
    BoolColumn,
    Column,
    Computed,
    DateColumn,
    Embedded,
    EnumColumn,
    Field,
    GlobalId,
    JsonColumn,
    Root,
    Rows,
    Timestamp,
)


@dataclasses.dataclass(frozen=True)
class TypeSpec:
    """A covered object type: its table (None for an embedded type) and its fields.

    ``scoped``: its records need a token when read by id (``node``/``nodes``).
    """

    table: Table | None
    fields: Mapping[str, Field]
    scoped: bool = False


CONNECTION_FIELDS = frozenset({"edges", "nodes", "pageInfo", "totalCount", "__typename"})
EDGE_FIELDS = frozenset({"node", "cursor", "__typename"})
PAGE_INFO_FIELDS = frozenset(
    {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
)


@functools.cache
def types_of(schema: GraphQLSchema) -> dict[str, TypeSpec]:
    """Covered object types by GraphQL name, read off the schema's own declarations."""
    found: dict[str, TypeSpec] = {}
    for name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or name.startswith("__"):
            continue
        if graphql_type is schema.query_type:
            continue  # its fields are roots_of's
        definition = graphql_type.extensions.get("strawberry-definition")
        origin = getattr(definition, "origin", None)
        model = getattr(origin, "__model__", None)
        table: Table | None = None if model is None else model.__table__
        fields: dict[str, Field] = {}
        is_node = isinstance(origin, type) and issubclass(origin, relay.Node)
        for field_name, field in graphql_type.fields.items():
            if is_node and table is not None and field_name == "id":
                fields[field_name] = GlobalId()  # the Relay id, base64 of "<Type>:<row id>"
                continue
            spec = _declared(field.extensions.get("strawberry-definition"), table, field.type)
            if spec is not None:
                fields[field_name] = spec
            if isinstance(spec, Embedded):
                found[spec.type_name] = TypeSpec(None, spec.fields)
        if table is not None:
            scoped = getattr(origin, "__scope__", None) is not None
            found[name] = TypeSpec(table, fields, scoped)
        elif fields:  # read from the rows of a statement (groups, search hits)
            found.setdefault(name, TypeSpec(None, fields))
    _add_computed(schema, found)
    return found


@functools.cache
def roots_of(schema: GraphQLSchema) -> dict[str, Root]:
    """The root fields the compiled path answers, by name, from their declarations."""
    query = schema.query_type
    assert query is not None
    found: dict[str, Root] = {}
    for name, field in query.fields.items():
        definition = field.extensions.get("strawberry-definition")
        metadata = getattr(definition, "metadata", None) or {}
        if METADATA_KEY in metadata:
            found[name] = metadata[METADATA_KEY]
    return found


def _add_computed(schema: GraphQLSchema, found: dict[str, TypeSpec]) -> None:
    """The types of objects computed in SQL (``Computed``), and the rows they list (``Rows``):
    a field without a resolver reads the derived row's column of its name."""
    pending = [
        field.target
        for spec in list(found.values())
        for field in spec.fields.values()
        if isinstance(field, Computed)
    ]
    done: set[str] = set()
    while pending:
        name = pending.pop()
        graphql_type = schema.type_map.get(name)
        if name in done or not isinstance(graphql_type, GraphQLObjectType):
            continue
        done.add(name)
        fields: dict[str, Field] = {}
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            metadata = getattr(definition, "metadata", None) or {}
            spec: Field | None = metadata.get(METADATA_KEY)
            if spec is None and definition is not None and definition.base_resolver is None:
                spec = _derived_column(definition.python_name, field.type)
            if spec is not None:
                fields[field_name] = spec
            if isinstance(spec, Computed | Rows) and not (isinstance(spec, Rows) and spec.record):
                pending.append(spec.target)
        found[name] = TypeSpec(None, fields)


def _derived_column(name: str, graphql_type: Any) -> Field:
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLEnumType):
        return EnumColumn(name)
    if named.name == "Boolean":
        return BoolColumn(name)  # SQLite would give 1 and 0
    return Column(name)


def node_types(schema: GraphQLSchema) -> frozenset[str]:
    """Types ``node(id:)`` may name and the compiled path can read (none needing a token)."""
    return frozenset(name for name in listed_types(schema) if not types_of(schema)[name].scoped)


@functools.cache
def listed_types(schema: GraphQLSchema) -> frozenset[str]:
    """Types whose connections (``<Type>Connection``, ``<Type>Edge``) the compiled path reads."""
    return frozenset(name for name, spec in types_of(schema).items() if "id" in spec.fields)


def _declared(strawberry_field: Any, table: Table | None, graphql_type: Any) -> Field | None:
    """How to read one field: its metadata, or its column when it is a plain field."""
    if strawberry_field is None:
        return None
    metadata = getattr(strawberry_field, "metadata", None) or {}
    if METADATA_KEY in metadata:
        spec: Field = metadata[METADATA_KEY]
        return spec
    if table is None or strawberry_field.base_resolver is not None:
        return None
    return _plain(strawberry_field.python_name, table, graphql_type)


def _plain(name: str, table: Table, graphql_type: Any) -> Field | None:
    """A resolver-less field reads the ORM attribute of its name: a column or a partial date."""
    if name == "id":
        return GlobalId()
    named = get_named_type(graphql_type)
    if name in table.c:
        if isinstance(named, GraphQLEnumType):
            return EnumColumn(name)
        return _typed(name, table.c[name].type)
    if named.name == "PartialDate" and f"{name}_date" in table.c:
        return DateColumn(f"{name}_date")
    return None


def _typed(name: str, column_type: Any) -> Field:
    """A column written as its type asks."""
    if isinstance(column_type, Boolean):
        return BoolColumn(name)  # SQLite would give 1 and 0
    if isinstance(column_type, JSON):
        return JsonColumn(name)  # SQLite keeps it as text
    if isinstance(getattr(column_type, "impl", column_type), DateTime):
        return Timestamp(name)  # api.db.UtcDateTime
    return Column(name)
