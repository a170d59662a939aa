"""The compiled read path: a covered query's selection read level by level as plain rows.

Fields are collected exactly as graphql-core collects them (fragments, inline fragments,
``@skip``/``@include``, aliases), so the response dicts come out in the executor's order;
each relation costs one statement per level for all parents at once, as the loaders do.
Whatever this cannot answer exactly raises :class:`Fallback`.
"""

import base64
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import Schema
from strawberry.types.arguments import convert_arguments

from api.services import pagination
from api.services.errors import ServiceError
from api.services.listing import Listing
from api.services.pagination import Page, PageRequest, page_request
from schema.compiled import sql
from schema.compiled.roots import CONNECTIONS, LOOKUPS
from schema.compiled.specs import (
    TYPES,
    Children,
    Column,
    DateColumn,
    Embedded,
    EnumColumn,
    Field,
    GlobalId,
    NestedConnection,
    ToOne,
    TypeSpec,
)
from schema.ids import row_id as parse_row_id
from schema.pagination import DEFAULT_PAGE_SIZE

Row = dict[str, Any]
Json = Any


class Fallback(Exception):  # noqa: N818  (a signal, not an error)
    """The compiled path cannot answer this exactly; the standard executor must."""


class Executor:
    """Answers one covered operation on one session."""

    def __init__(
        self,
        schema: Schema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
        *,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.graphql: GraphQLSchema = schema._schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size
        self._subfields: dict[tuple[str, tuple[int, ...]], GroupedFieldSet] = {}
        self.session: AsyncSession
        self.connection: Any

    async def run(self, session: AsyncSession) -> dict[str, Json]:
        """The ``data`` of the operation."""
        self.session = session
        self.connection = await session.connection()
        query = self.graphql.query_type
        assert query is not None
        collected = collect_fields(
            self.graphql, self.fragments, self.variables, query, self.operation
        )
        if collected.new_defer_usages:
            raise Fallback
        data: dict[str, Json] = {}
        for key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                data[key] = query.name
            else:
                data[key] = await self._root(name, query.fields[name], details)
        return data

    # --- fields and arguments ---------------------------------------------------------------

    def subfields(self, type_: GraphQLObjectType, details: FieldDetailsList) -> GroupedFieldSet:
        """The fields selected on ``type_`` under these field nodes (graphql-core's merge)."""
        key = (type_.name, tuple(id(detail.node) for detail in details))
        found = self._subfields.get(key)
        if found is None:
            collected = collect_subfields(
                self.graphql, self.fragments, self.variables, self.operation, type_, details
            )
            if collected.new_defer_usages:
                raise Fallback
            found = self._subfields[key] = collected.grouped_field_set
        return found

    def arguments(self, field: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (Python names and types)."""
        detail = details[0]
        try:
            raw = get_argument_values(
                field, detail.node, self.variables, detail.fragment_variable_values
            )
            definition = field.extensions["strawberry-definition"]
            return convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=self.schema.schema_converter.scalar_registry,
                config=self.schema.config,
            )
        except Exception as exc:
            raise Fallback from exc

    def page_request(self, arguments: dict[str, Any]) -> PageRequest:
        try:
            return page_request(
                first=arguments.get("first"),
                after=arguments.get("after"),
                last=arguments.get("last"),
                before=arguments.get("before"),
                default_size=DEFAULT_PAGE_SIZE,
                max_size=self.max_page_size,
            )
        except ServiceError as exc:
            raise Fallback from exc

    def object_type(self, name: str) -> GraphQLObjectType:
        found = self.graphql.get_type(name)
        if not isinstance(found, GraphQLObjectType):
            raise Fallback
        return found

    # --- root fields ------------------------------------------------------------------------

    async def _root(self, name: str, field: GraphQLField, details: FieldDetailsList) -> Json:
        arguments = self.arguments(field, details)
        if name == "node":
            return await self._node(arguments["id"], details)
        if name == "nodes":
            return await self._nodes_by_id(arguments["ids"], details)
        if name in LOOKUPS:
            lookup = LOOKUPS[name]
            key = lookup.normalize(arguments[lookup.argument])
            found = await self.lookup(lookup.target, details, lookup.column, [key])
            return found.get(key)
        if name in CONNECTIONS:
            root = CONNECTIONS[name]
            return await self._root_connection(root.target, root.rows, arguments, field, details)
        raise Fallback

    async def _node(self, global_id: Any, details: FieldDetailsList) -> Json:
        type_name, row_id = _node_key(global_id)
        found = await self.lookup(type_name, details, "id", [row_id])
        return found.get(row_id)

    async def _nodes_by_id(self, global_ids: list[Any], details: FieldDetailsList) -> list[Json]:
        """Each id's record or null, in the order given; one statement per type named."""
        keys = [_node_key(global_id) for global_id in global_ids]
        by_type: dict[str, list[int]] = {}
        for type_name, row_id in keys:
            by_type.setdefault(type_name, []).append(row_id)
        found = {
            type_name: await self.lookup(type_name, details, "id", list(dict.fromkeys(ids)))
            for type_name, ids in by_type.items()
        }
        return [found[type_name].get(row_id) for type_name, row_id in keys]

    async def _root_connection(
        self,
        target: str,
        rows: Callable[[dict[str, Any]], Listing],
        arguments: dict[str, Any],
        field: GraphQLField,
        details: FieldDetailsList,
    ) -> Json:
        request = self.page_request(arguments)
        listing = self._listing(rows, arguments)
        connection_type = self._named(field)
        names = self.connection_columns(connection_type, target, details)
        columns = [listing.entity.__table__.c[name] for name in names]
        try:
            page = await pagination.paginate_columns(
                self.connection, listing.stmt, columns, order=listing.order, page=request
            )
        except ServiceError as exc:
            raise Fallback from exc

        async def totals() -> list[int]:
            return [await pagination.count(self.session, listing.stmt)]

        built = await self.connections(connection_type, target, details, names, [page], totals)
        return built[0]

    def _listing(
        self, rows: Callable[[dict[str, Any]], Listing], arguments: dict[str, Any]
    ) -> Listing:
        try:
            return rows(arguments)
        except Exception as exc:
            raise Fallback from exc

    @staticmethod
    def _named(field: GraphQLField) -> GraphQLObjectType:
        named = get_named_type(field.type)
        if not isinstance(named, GraphQLObjectType):
            raise Fallback
        return named

    # --- objects ----------------------------------------------------------------------------

    def columns(self, type_name: str, fields: GroupedFieldSet) -> list[str]:
        """The columns the selected fields of ``type_name`` read (always the id)."""
        spec = TYPES[type_name]
        names = {"id": None}
        for details in fields.values():
            name = details[0].node.name.value
            if name == "__typename":
                continue
            field = _field(spec, name)
            if isinstance(field, Column | EnumColumn | DateColumn):
                names[field.name] = None
            elif isinstance(field, ToOne):
                names[field.key] = None
            elif isinstance(field, Embedded):
                for part in TYPES[field.type_name].fields.values():
                    assert isinstance(part, Column | EnumColumn)
                    names[part.name] = None
                # whether the object is there may rest on columns none of its fields read
                names.update(dict.fromkeys(field.present))
        return list(names)

    async def lookup(
        self, type_name: str, details: FieldDetailsList, key: str, keys: Sequence[Hashable]
    ) -> dict[Hashable, Json]:
        """Built objects of ``type_name`` by the value of their column ``key``."""
        type_ = self.object_type(type_name)
        fields = self.subfields(type_, details)
        names = self.columns(type_name, fields)
        if key not in names:
            names.append(key)
        rows = await sql.by_keys(self.connection, _table(type_name), names, key, keys)
        built = await self.build(type_name, type_, rows, fields)
        return {row[key]: value for row, value in zip(rows, built, strict=True)}

    async def build(
        self, type_name: str, type_: GraphQLObjectType, rows: list[Row], fields: GroupedFieldSet
    ) -> list[dict[str, Json]]:
        """The response objects of ``rows``, with the selected fields in collected order."""
        spec = TYPES[type_name]
        out: list[dict[str, Json]] = [{} for _ in rows]
        if not rows:
            return out
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "__typename":
                values: Sequence[Json] = [type_name] * len(rows)
            else:
                field = type_.fields[name]
                values = await self._values(type_name, _field(spec, name), field, details, rows)
                if is_non_null_type(field.type) and None in values:
                    raise Fallback
            for obj, value in zip(out, values, strict=True):
                obj[key] = value
        return out

    async def _values(
        self,
        type_name: str,
        spec: Field,
        field: GraphQLField,
        details: FieldDetailsList,
        rows: list[Row],
    ) -> Sequence[Json]:
        if isinstance(spec, Column | DateColumn | EnumColumn | GlobalId):
            return _scalars(type_name, spec, rows)
        if isinstance(spec, Embedded):
            return await self._embedded(spec, field, details, rows)
        if isinstance(spec, ToOne):
            return await self._to_one(spec, details, rows)
        if isinstance(spec, Children):
            return await self._children(spec, details, rows)
        return await self._nested_connection(spec, field, details, rows)

    async def _embedded(
        self, spec: Embedded, field: GraphQLField, details: FieldDetailsList, rows: list[Row]
    ) -> list[Json]:
        type_ = self._named(field)
        present = [row for row in rows if any(row[name] is not None for name in spec.present)]
        built = iter(
            await self.build(spec.type_name, type_, present, self.subfields(type_, details))
        )
        return [
            next(built) if any(row[name] is not None for name in spec.present) else None
            for row in rows
        ]

    async def _to_one(self, spec: ToOne, details: FieldDetailsList, rows: list[Row]) -> list[Json]:
        keys = list(dict.fromkeys(row[spec.key] for row in rows if row[spec.key] is not None))
        if not keys:
            return [None] * len(rows)
        found = await self.lookup(spec.target, details, "id", keys)
        return [found.get(row[spec.key]) for row in rows]

    async def _children(
        self, spec: Children, details: FieldDetailsList, rows: list[Row]
    ) -> list[Json]:
        type_ = self.object_type(spec.target)
        fields = self.subfields(type_, details)
        names = self.columns(spec.target, fields)
        parent_ids = [row["id"] for row in rows]
        grouped = await sql.children(
            self.connection, _table(spec.target), names, spec.key, parent_ids, spec.order
        )
        flat = [child for parent_id in parent_ids for child in grouped.get(parent_id, [])]
        built = iter(await self.build(spec.target, type_, flat, fields))
        return [[next(built) for _ in grouped.get(parent_id, [])] for parent_id in parent_ids]

    async def _nested_connection(
        self,
        spec: NestedConnection,
        field: GraphQLField,
        details: FieldDetailsList,
        rows: list[Row],
    ) -> list[Json]:
        arguments = self.arguments(field, details)
        request = self.page_request(arguments)
        listing = self._listing(spec.rows, arguments)
        connection_type = self._named(field)
        names = self.connection_columns(connection_type, spec.target, details)
        table = _table(spec.target)
        parent = getattr(listing.entity, spec.key)
        parent_ids = list(dict.fromkeys(row["id"] for row in rows))
        try:
            pages = await pagination.paginate_columns_per_parent(
                self.connection,
                listing.stmt,
                [table.c[name] for name in names],
                parent=parent,
                parent_ids=parent_ids,
                order=listing.order,
                page=request,
            )
        except ServiceError as exc:
            raise Fallback from exc

        async def totals() -> list[int]:
            counts = await pagination.count_per_parent(
                self.session, listing.stmt, parent=parent, parent_ids=parent_ids
            )
            return [counts[row["id"]] for row in rows]

        ordered = [pages[row["id"]] for row in rows]
        return await self.connections(connection_type, spec.target, details, names, ordered, totals)

    # --- connections ------------------------------------------------------------------------

    def connection_columns(
        self, connection_type: GraphQLObjectType, target: str, details: FieldDetailsList
    ) -> list[str]:
        """The columns every selection of the connection's nodes reads."""
        node_type = self.object_type(target)
        names: dict[str, None] = {"id": None}
        for selected in self._node_selections(connection_type, details):
            names.update(dict.fromkeys(self.columns(target, self.subfields(node_type, selected))))
        return list(names)

    def _node_selections(
        self, connection_type: GraphQLObjectType, details: FieldDetailsList
    ) -> list[FieldDetailsList]:
        selections = []
        for sub in self.subfields(connection_type, details).values():
            name = sub[0].node.name.value
            if name == "nodes":
                selections.append(sub)
            elif name == "edges":
                edge_type = self._named(connection_type.fields["edges"])
                for edge_field in self.subfields(edge_type, sub).values():
                    if edge_field[0].node.name.value == "node":
                        selections.append(edge_field)
        return selections

    async def connections(
        self,
        connection_type: GraphQLObjectType,
        target: str,
        details: FieldDetailsList,
        names: list[str],
        pages: list[Page[tuple[Any, ...]]],
        totals: Callable[[], Awaitable[list[int]]],
    ) -> list[dict[str, Json]]:
        """One connection object per page."""
        rows = [[dict(zip(names, item, strict=True)) for item, _ in page.items] for page in pages]
        out: list[dict[str, Json]] = [{} for _ in pages]
        counted: list[int] | None = None
        for key, sub in self.subfields(connection_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                values: Sequence[Json] = [connection_type.name] * len(pages)
            elif name == "totalCount":
                counted = counted if counted is not None else await totals()
                values = counted
            elif name == "pageInfo":
                values = self._page_infos(connection_type, sub, pages)
            elif name == "nodes":
                values = await self._nodes(target, sub, rows)
            else:
                values = await self._edges(connection_type, target, sub, rows, pages)
            for obj, value in zip(out, values, strict=True):
                obj[key] = value
        return out

    async def _nodes(
        self, target: str, details: FieldDetailsList, rows: list[list[Row]]
    ) -> list[list[Json]]:
        type_ = self.object_type(target)
        flat = [row for page_rows in rows for row in page_rows]
        built = iter(await self.build(target, type_, flat, self.subfields(type_, details)))
        return [[next(built) for _ in page_rows] for page_rows in rows]

    async def _edges(
        self,
        connection_type: GraphQLObjectType,
        target: str,
        details: FieldDetailsList,
        rows: list[list[Row]],
        pages: list[Page[tuple[Any, ...]]],
    ) -> list[list[Json]]:
        edge_type = self._named(connection_type.fields["edges"])
        edges: list[list[dict[str, Json]]] = [[{} for _ in page_rows] for page_rows in rows]
        for key, sub in self.subfields(edge_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                values: list[list[Json]] = [[edge_type.name] * len(page_rows) for page_rows in rows]
            elif name == "cursor":
                values = [[cursor for _, cursor in page.items] for page in pages]
            else:
                values = await self._nodes(target, sub, rows)
            for page_edges, page_values in zip(edges, values, strict=True):
                for edge, value in zip(page_edges, page_values, strict=True):
                    edge[key] = value
        return edges

    def _page_infos(
        self,
        connection_type: GraphQLObjectType,
        details: FieldDetailsList,
        pages: list[Page[tuple[Any, ...]]],
    ) -> list[dict[str, Json]]:
        info_type = self._named(connection_type.fields["pageInfo"])
        fields = self.subfields(info_type, details)
        out = []
        for page in pages:
            cursors = [cursor for _, cursor in page.items]
            known = {
                "__typename": info_type.name,
                "hasNextPage": page.has_next_page,
                "hasPreviousPage": page.has_previous_page,
                "startCursor": cursors[0] if cursors else None,
                "endCursor": cursors[-1] if cursors else None,
            }
            out.append({key: known[sub[0].node.name.value] for key, sub in fields.items()})
        return out


def _scalars(
    type_name: str, spec: Column | DateColumn | EnumColumn | GlobalId, rows: list[Row]
) -> list[Json]:
    if isinstance(spec, GlobalId):
        return [base64.b64encode(f"{type_name}:{row['id']}".encode()).decode() for row in rows]
    name = spec.name
    if isinstance(spec, EnumColumn):
        return [None if row[name] is None else row[name].name for row in rows]
    return [row[name] for row in rows]


def _node_key(global_id: Any) -> tuple[str, int]:
    """The type and row id a global id names, when the compiled path can read it."""
    type_name, node_id = global_id.type_name, global_id.node_id
    spec = TYPES.get(type_name)
    if spec is None or spec.table is None or "id" not in spec.fields:
        raise Fallback
    key = parse_row_id(node_id)
    if key is None:  # no record can have it: the standard path answers (null, or an error)
        raise Fallback
    return type_name, key


def _field(spec: TypeSpec, name: str) -> Field:
    found = spec.fields.get(name)
    if found is None:
        raise Fallback
    return found


def _table(type_name: str) -> Table:
    table = TYPES[type_name].table
    if table is None:
        raise Fallback
    return table


def variable_errors(found: object) -> bool:
    """True when variable coercion failed (a list of errors instead of values)."""
    return isinstance(found, list) and all(isinstance(e, GraphQLError) for e in found)
