"""The compiled read path: a covered operation becomes ONE SQL statement returning its JSON.

Fields are collected exactly as graphql-core collects them (fragments, inline fragments,
``@skip``/``@include``, aliases), so the JSON objects come out in the executor's order. Each
object is ``json_build_object`` (SQLite: ``json_object``) over its row; a record it points at
is a correlated scalar subquery, the records pointing at it a ``json_agg`` of one, and a
connection a keyset page (``first + 1`` rows, so ``hasNextPage`` needs no second query)
aggregated into edges, cursors and ``pageInfo`` — cursors and global ids are written by the
database too. Python parses the one JSON text the statement returns; it builds nothing.
Whatever this cannot answer exactly raises :class:`Fallback`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol, TypeVar

import orjson
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import (
    JSON,
    ColumnElement,
    Dialect,
    FromClause,
    Select,
    Table,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.util import ClauseAdapter
from strawberry import Schema
from strawberry.types.arguments import convert_arguments

from api.services import pagination
from api.services.errors import ServiceError
from api.services.listing import Listing
from api.services.pagination import PageRequest, page_request
from schema.compiled.fields import (
    BoolColumn,
    Children,
    Column,
    CommaList,
    Computed,
    Condition,
    DateColumn,
    Derived,
    Embedded,
    EnumColumn,
    Field,
    FloatColumn,
    GlobalId,
    Groups,
    Joined,
    JsonColumn,
    Linked,
    Lookup,
    NodeLookup,
    OffsetConnection,
    OffsetPage,
    OneOf,
    OnlyChild,
    RootConnection,
    Rows,
    Tagged,
    Timestamp,
    ToOne,
    Value,
)
from schema.compiled.json_sql import JsonSql, TooWide, text_literal
from schema.compiled.plans import REFUSED, Plan
from schema.compiled.specs import TypeSpec, roots_of, types_of
from schema.ids import row_id as parse_row_id
from schema.pagination import DEFAULT_PAGE_SIZE

Json = Any
SqlValue = Any
T = TypeVar("T")


class Statements(Protocol):
    """Where the statement runs: a connection, or the hot path's reads (api/driver.py)."""

    @property
    def dialect(self) -> Dialect: ...

    async def scalar(self, statement: Select[Any]) -> Any:
        """The first column of the statement's first row."""
        ...


class Fallback(Exception):  # noqa: N818  (a signal, not an error)
    """The compiled path cannot answer this exactly; the standard executor must."""


class Executor:
    """Builds and runs the one statement of a covered operation."""

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
        self.json = JsonSql(postgres=False)
        self.types = types_of(self.graphql)
        self.roots = roots_of(self.graphql)
        self._subfields: dict[tuple[str, tuple[int, ...]], GroupedFieldSet] = {}
        # Computed objects: their derived tables per field and arguments (one set per asOf),
        # and the tables each computed row's fields read, by the row's FROM clause.
        self._derived: dict[Hashable, Derived] = {}
        self._tables_of: dict[int, Mapping[str, FromClause]] = {}

    async def run(self, session: AsyncSession, plan: Plan | None = None) -> dict[str, Json]:
        """The ``data`` of the operation, read with one statement (kept by ``plan``)."""
        return await self.read(await session.connection(), plan)

    async def read(self, connection: Statements, plan: Plan | None = None) -> dict[str, Json]:
        """:meth:`run` on a bare connection (the hot path's, outside any ORM session)."""
        self.json = JsonSql(postgres=connection.dialect.name == "postgresql")
        statement = self.statement() if plan is None else plan.get_or_build(self.statement)
        if statement is REFUSED:
            raise Fallback
        try:
            text = await connection.scalar(statement)
        except OperationalError as exc:
            # SQLite's parser has a fixed stack (YYSTACKDEPTH): an operation nesting lists
            # too deeply does not parse there, and the standard executor answers it.
            if "parser stack overflow" in str(exc.orig):
                if plan is not None:
                    plan.refuse()
                raise Fallback from exc
            raise
        data: dict[str, Json] = orjson.loads(text)
        return data

    def statement(self) -> Select[Any]:
        """``SELECT <the data object as JSON text>``."""
        query = self.graphql.query_type
        assert query is not None
        collected = collect_fields(
            self.graphql, self.fragments, self.variables, query, self.operation
        )
        if collected.new_defer_usages:
            raise Fallback
        pairs = []
        for key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                pairs.append((key, text_literal(query.name)))
            else:
                pairs.append((key, self._root(name, query.fields[name], details)))
        try:
            return select(self.json.to_text(self.json.object(pairs)))
        except TooWide as exc:
            raise Fallback from exc

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

    def _node_key(self, global_id: Any) -> tuple[str, int]:
        """The type and row id a global id names, when the compiled path can read it."""
        type_name, node_id = global_id.type_name, global_id.node_id
        spec = self.types.get(type_name)
        if spec is None or spec.table is None or "id" not in spec.fields or spec.scoped:
            raise Fallback  # a type needing a token: the executor checks it
        key = parse_row_id(node_id)
        if key is None:  # no record can have it: the standard path answers (null, or an error)
            raise Fallback
        return type_name, key

    def _table(self, type_name: str) -> Table:
        table = self.types[type_name].table
        if table is None:
            raise Fallback
        return table

    # --- root fields ------------------------------------------------------------------------

    def _root(self, name: str, field: GraphQLField, details: FieldDetailsList) -> SqlValue:
        root = self.roots.get(name)
        if root is None:
            raise Fallback
        arguments = self.arguments(field, details)
        if isinstance(root, NodeLookup):
            if not root.many:
                return self._record_by(*self._node_key(arguments["id"]), details)
            keys = [self._node_key(global_id) for global_id in arguments["ids"]]
            return self._array([self._record_by(*key, details) for key in keys])
        if isinstance(root, Lookup):
            key = root.normalize(arguments[root.argument])
            return self._record_by(root.target, key, details, column=root.column)
        if isinstance(root, RootConnection):
            listing = self._listing(root.rows, arguments)
            return self._connection(root.target, listing, arguments, field, details, None)
        if isinstance(root, Groups):
            return self._groups(root, arguments, details)
        return self._offset_connection(root, arguments, field, details)

    def _array(self, values: list[SqlValue]) -> SqlValue:
        try:
            return self.json.array(values)
        except TooWide as exc:
            raise Fallback from exc

    def _record_by(
        self, type_name: str, key: Hashable, details: FieldDetailsList, *, column: str = "id"
    ) -> SqlValue:
        """The object of the ``type_name`` record whose ``column`` is ``key`` (or null)."""
        table = self._table(type_name).alias()
        scope = Joins(table)
        built = self.object(type_name, details, table, scope)
        one = select(built).select_from(scope.joined).where(table.c[column] == key)
        return self.json.nested(one.scalar_subquery())

    def _listing(self, rows: Callable[[dict[str, Any]], T], arguments: dict[str, Any]) -> T:
        """What a declaration's callable builds from the arguments (a listing, a grouping ...);
        a service error there (a bad filter, order or cursor) is the standard path's to report."""
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

    def _groups(
        self, root: Groups, arguments: dict[str, Any], details: FieldDetailsList
    ) -> SqlValue:
        """The list of one object per group of a GROUP BY statement, in its order."""
        grouping = self._listing(root.rows, arguments)
        order: list[Any] = grouping.order
        rank = func.row_number().over(order_by=order).label("group_rank")
        rows = grouping.stmt.add_columns(rank).order_by(*order).subquery()
        scope = Joins(rows)
        built = self.object(root.target, details, rows, scope)
        aggregated = self.json.agg(built, order=[rows.c.group_rank])
        return self.json.nested(select(aggregated).select_from(scope.joined).scalar_subquery())

    def _offset_connection(
        self,
        root: OffsetConnection,
        arguments: dict[str, Any],
        field: GraphQLField,
        details: FieldDetailsList,
    ) -> SqlValue:
        """An offset-paged connection (``search``): the page, its count, its cursors."""
        request = self.page_request(arguments)
        if request.last is not None or request.before is not None:
            raise Fallback  # offset pages go forward only
        first = request.first
        assert first is not None  # the default page size when not given
        postgres = self.json.postgres
        page = self._listing(
            lambda given: root.page(given, postgres), {**arguments, "first": first}
        )
        connection_type = self._named(field)
        fields = self.subfields(connection_type, details)
        paged = _OffsetPage(self, root, page, first, connection_type)
        pairs: list[tuple[str, SqlValue]] = []
        for key, sub in fields.items():
            name = sub[0].node.name.value
            if name == "__typename":
                pairs.append((key, text_literal(connection_type.name)))
            elif name == "totalCount":
                count = page.count.scalar_subquery() if page.count is not None else literal(0)
                pairs.append((key, count))
            else:
                pairs.append((key, paged.value(name, sub)))
        built = _object(self.json, pairs)
        if paged.scope is None or not paged.aggregates:
            return built
        return self.json.nested(select(built).select_from(paged.scope.joined).scalar_subquery())

    # --- objects ----------------------------------------------------------------------------

    def columns(self, type_name: str, fields: GroupedFieldSet) -> list[str]:
        """The columns the selected fields of ``type_name`` read (always the id)."""
        spec = self.types[type_name]
        names = {"id": None}
        for details in fields.values():
            name = details[0].node.name.value
            if name == "__typename":
                continue
            field = _field(spec, name)
            if isinstance(field, Named):
                names[field.name] = None
            elif isinstance(field, ToOne):
                names[field.key] = None
            elif isinstance(field, OneOf):
                names.update(dict.fromkeys(column for column, _ in field.targets))
            elif isinstance(field, Tagged):
                names.update(dict.fromkeys((field.tag, field.key)))
            elif isinstance(field, Condition | Value | Joined):
                names.update(dict.fromkeys(field.columns))
            elif isinstance(field, Embedded):
                for part in self.types[field.type_name].fields.values():
                    if isinstance(part, Column | EnumColumn | BoolColumn):
                        names[part.name] = None
                    elif isinstance(part, ToOne):
                        names[part.key] = None
                    elif isinstance(part, Condition | Value):
                        names.update(dict.fromkeys(part.columns))
                # whether the object is there may rest on columns none of its fields read
                names.update(dict.fromkeys(field.present))
        return list(names)

    def object(
        self,
        type_name: str,
        details: FieldDetailsList,
        source: FromClause,
        scope: Joins,
        type_: GraphQLObjectType | None = None,
    ) -> SqlValue:
        """The JSON object of the row in ``source``, selected fields in collected order; the
        records it points at are joined to ``scope``."""
        type_ = type_ or self.object_type(type_name)
        spec = self.types[type_name]
        pairs = []
        for key, sub in self.subfields(type_, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                value: SqlValue = text_literal(type_name)
            else:
                field = type_.fields[name]
                value = self._value(type_name, _field(spec, name), field, sub, source, scope)
            pairs.append((key, value))
        try:
            return self.json.object(pairs)
        except TooWide as exc:
            raise Fallback from exc

    def _value(
        self,
        type_name: str,
        spec: Field,
        field: GraphQLField,
        details: FieldDetailsList,
        source: FromClause,
        scope: Joins,
    ) -> SqlValue:
        if isinstance(spec, Scalar):
            return self._scalar(type_name, spec, source)
        if isinstance(spec, Embedded):
            present = or_(*(source.c[name].isnot(None) for name in spec.present))
            built = self.object(spec.type_name, details, source, scope, self._named(field))
            return self.json.nested(case((present, built), else_=null()))
        if isinstance(spec, ToOne | Joined | OneOf | Tagged):
            return self._pointed(spec, details, source, scope)
        if isinstance(spec, Children | OnlyChild | CommaList | Linked | Rows):
            return self._dependent(spec, details, source)
        if isinstance(spec, Computed):
            return self._computed(spec, field, details, source, scope)
        arguments = self.arguments(field, details)
        listing = self._listing(spec.rows, arguments)
        parent = getattr(listing.entity, spec.key) == source.c.id
        return self._connection(spec.target, listing, arguments, field, details, parent)

    def _joined(
        self, type_name: str, key: SqlValue, details: FieldDetailsList, scope: Joins
    ) -> SqlValue:
        """The record whose id is ``key``, left-joined to the row (null when there is none).

        A join, not a subquery: SQLite's parser allows only a few nested subqueries.
        """
        target = self._table(type_name).alias()
        scope.join(target, target.c.id == key)
        built = self.object(type_name, details, target, scope)
        return case((target.c.id.isnot(None), built), else_=null())

    def _computed(
        self,
        spec: Computed,
        field: GraphQLField,
        details: FieldDetailsList,
        source: FromClause,
        scope: Joins,
    ) -> SqlValue:
        """The object computed for the row, left-joined from its derived table (built once per
        arguments: two fields asking the same date share it)."""
        arguments = self.arguments(field, details)
        try:
            key = (id(spec.rows), tuple(sorted(arguments.items())))
            derived = self._derived.get(key)
            if derived is None:
                derived = self._derived[key] = spec.rows(arguments)
        except Exception as exc:  # a bad argument: the standard path reports it
            raise Fallback from exc
        row = derived.row.alias()
        self._tables_of[id(row)] = derived.tables
        scope.join(row, row.c[spec.key] == source.c.id)
        built = self.object(spec.target, details, row, scope, self._named(field))
        return case((row.c[spec.key].isnot(None), built), else_=null())

    def _rows(self, spec: Rows, details: FieldDetailsList, source: FromClause) -> SqlValue:
        """The rows of a computed object's derived table paired with the row, in order: objects
        of a computed type, or the records they name."""
        tables = self._tables_of.get(id(source))
        if tables is None or spec.table not in tables:
            raise Fallback
        derived = tables[spec.table]
        order = spec.order(derived.c)
        ordering = [term.label(f"order_{n}") for n, term in enumerate(order)]
        rows: FromClause
        if spec.record is None:
            rows = (
                select(derived, *ordering)
                .where(spec.on(derived.c, source.c))
                .order_by(*order)
                .correlate_except(derived)
                .subquery()
            )
            self._tables_of[id(rows)] = tables
        else:
            table = self._table(spec.target)
            names = self.columns(
                spec.target, self.subfields(self.object_type(spec.target), details)
            )
            rows = (
                select(*(table.c[name] for name in names), *ordering)
                .select_from(derived.join(table, table.c.id == derived.c[spec.record]))
                .where(spec.on(derived.c, source.c))
                .order_by(*order)
                .correlate_except(derived, table)
                .subquery()
            )
        scope = Joins(rows)
        built = self.object(spec.target, details, rows, scope)
        aggregated = self.json.agg(built, order=[rows.c[f"order_{n}"] for n in range(len(order))])
        return self.json.nested(select(aggregated).select_from(scope.joined).scalar_subquery())

    def _pointed(
        self,
        spec: ToOne | Joined | OneOf | Tagged,
        details: FieldDetailsList,
        source: FromClause,
        scope: Joins,
    ) -> SqlValue:
        """The record the row points at."""
        if isinstance(spec, OneOf | Tagged):
            return self._one_of(spec, details, source, scope)
        key = source.c[spec.key] if isinstance(spec, ToOne) else spec.key(source.c)
        return self._joined(spec.target, key, details, scope)

    def _one_of(
        self, spec: OneOf | Tagged, details: FieldDetailsList, source: FromClause, scope: Joins
    ) -> SqlValue:
        """The record of whichever type the row points at, each type left-joined to the row
        only where the row points at it; null when it points at none."""
        branches: list[tuple[str, SqlValue, SqlValue | None]]
        if isinstance(spec, OneOf):
            branches = [(type_name, source.c[column], None) for column, type_name in spec.targets]
        else:
            by_table = self._types_by_table()
            if any(table not in by_table for _, table in spec.tables):
                raise Fallback
            branches = [
                (by_table[table], source.c[spec.key], source.c[spec.tag] == text_literal(tag))
                for tag, table in spec.tables
            ]
        whens = []
        for type_name, key, condition in branches:
            target = self._table(type_name).alias()
            on = target.c.id == key
            scope.join(target, on if condition is None else and_(condition, on))
            whens.append((target.c.id.isnot(None), self.object(type_name, details, target, scope)))
        return case(*whens, else_=null())

    def _types_by_table(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, spec in self.types.items():
            if spec.table is not None and "id" in spec.fields:
                if spec.table.name in found:  # two types read one table: which one is meant?
                    raise Fallback
                found[spec.table.name] = name
        return found

    def _boolean(self, column: ColumnElement[Any]) -> SqlValue:
        """A boolean column as JSON true/false/null (SQLite stores 1 and 0)."""
        if self.json.postgres:
            return column
        return case(
            (column.is_(None), null()), (column, func.json("true")), else_=func.json("false")
        )

    def _scalar(
        self,
        type_name: str,
        spec: Scalar,
        source: FromClause,
    ) -> SqlValue:
        if isinstance(spec, Condition):
            return self.json.boolean(spec.rule(source.c))
        if isinstance(spec, Value):
            value = spec.rule(source.c)
            return _enum_name(value) if spec.enum else value
        if isinstance(spec, GlobalId):
            return self.json.base64(concat(text_literal(f"{type_name}:"), cast(source.c.id, Text)))
        return self._column(spec, source.c[spec.name])

    def _column(self, spec: Scalar, column: ColumnElement[Any]) -> SqlValue:
        """A column's value as the standard path writes it."""
        if isinstance(spec, BoolColumn):
            return self._boolean(column)
        if isinstance(spec, EnumColumn):
            return _enum_name(column)
        if isinstance(spec, Timestamp):
            return self.json.timestamp(column)
        if isinstance(spec, JsonColumn):
            return self.json.json_value(column)
        if isinstance(spec, FloatColumn):
            return self.json.double(column)
        return column

    def _dependent(
        self,
        spec: Children | OnlyChild | CommaList | Linked | Rows,
        details: FieldDetailsList,
        source: FromClause,
    ) -> SqlValue:
        """What hangs off the row: its children, its one child, a list in one of its columns,
        the records a link table pairs with it, the rows of a computed object."""
        if isinstance(spec, Children):
            return self._children(spec, details, source)
        if isinstance(spec, OnlyChild):
            return self._only_child(spec, details, source)
        if isinstance(spec, Linked):
            return self._linked(spec, details, source)
        if isinstance(spec, Rows):
            return self._rows(spec, details, source)
        return self._comma_list(source.c[spec.name])

    def _only_child(
        self, spec: OnlyChild, details: FieldDetailsList, source: FromClause
    ) -> SqlValue:
        """The one record whose ``key`` points at the row (the first by id), or null."""
        table = self._table(spec.target)
        type_ = self.object_type(spec.target)
        names = self.columns(spec.target, self.subfields(type_, details))
        rows = (
            select(*(table.c[name] for name in names))
            .where(table.c[spec.key] == source.c.id)
            .order_by(table.c.id)
            .limit(1)
            .correlate_except(table)
            .subquery()
        )
        scope = Joins(rows)
        built = self.object(spec.target, details, rows, scope, type_)
        return self.json.nested(select(built).select_from(scope.joined).scalar_subquery())

    def _comma_list(self, column: ColumnElement[Any]) -> SqlValue:
        """``"a,b"`` as the JSON array ``["A","B"]`` (the values' enum names); null stays null."""
        text = concat(
            text_literal('["'), func.replace(func.upper(column), ",", '","'), text_literal('"]')
        )
        return cast(text, JSON) if self.json.postgres else func.json(text)

    def _children(self, spec: Children, details: FieldDetailsList, source: FromClause) -> SqlValue:
        """The records whose ``key`` points at the row, in the spec's order then id."""
        table = self._table(spec.target)
        type_ = self.object_type(spec.target)
        names = self.columns(spec.target, self.subfields(type_, details))
        adapt = ClauseAdapter(table).traverse
        order = [adapt(_clause(term)) for term in spec.order] + [table.c.id]
        rows = (
            select(
                *(table.c[name] for name in names),
                *(term.label(f"order_{n}") for n, term in enumerate(order)),
            )
            .where(table.c[spec.key] == source.c.id)
            .order_by(*order)
            .correlate_except(table)
            .subquery()
        )
        ordering = [rows.c[f"order_{n}"] for n in range(len(order))]
        scope = Joins(rows)
        built = self.object(spec.target, details, rows, scope, type_)
        aggregated = self.json.agg(built, order=ordering)
        return self.json.nested(select(aggregated).select_from(scope.joined).scalar_subquery())

    def _linked(self, spec: Linked, details: FieldDetailsList, source: FromClause) -> SqlValue:
        """The records a link table pairs with the row, in the links' order."""
        table = self._table(spec.target)
        type_ = self.object_type(spec.target)
        names = self.columns(spec.target, self.subfields(type_, details))
        link = spec.link
        rows = (
            select(*(table.c[name] for name in names), link.c.id.label("link_order"))
            .select_from(link.join(table, table.c.id == link.c[spec.far]))
            .where(link.c[spec.near] == source.c.id)
            .order_by(link.c.id)
            .correlate_except(link, table)
            .subquery()
        )
        scope = Joins(rows)
        built = self.object(spec.target, details, rows, scope, type_)
        aggregated = self.json.agg(built, order=[rows.c.link_order])
        return self.json.nested(select(aggregated).select_from(scope.joined).scalar_subquery())

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

    def _connection(
        self,
        target: str,
        listing: Listing,
        arguments: dict[str, Any],
        field: GraphQLField,
        details: FieldDetailsList,
        parent: ColumnElement[bool] | None,
    ) -> SqlValue:
        """The connection object: a count alone when only ``totalCount`` is asked."""
        request = self.page_request(arguments)
        connection_type = self._named(field)
        stmt = listing.stmt if parent is None else listing.stmt.where(parent)
        try:  # a bad cursor is the standard path's error, even when no page is read
            window = pagination.window(stmt, listing.order, request)
        except ServiceError as exc:
            raise Fallback from exc
        fields = self.subfields(connection_type, details)
        page: _Page | None = None
        pairs: list[tuple[str, SqlValue]] = []
        for key, sub in fields.items():
            name = sub[0].node.name.value
            if name == "__typename":
                pairs.append((key, text_literal(connection_type.name)))
            elif name == "totalCount":
                counted = stmt.with_only_columns(func.count(), maintain_column_froms=True)
                counted = counted.order_by(None).correlate_except(listing.entity.__table__)
                pairs.append((key, counted.scalar_subquery()))
            else:
                if page is None:
                    page = _Page(self, target, listing, window, request, connection_type, details)
                pairs.append((key, page.value(name, sub)))
        built = _object(self.json, pairs)
        if page is None or not page.aggregates:  # no rows read: only constants were asked
            return built
        # One aggregate row over the page's rows: edges, nodes, cursors and the row count.
        return self.json.nested(select(built).select_from(page.scope.joined).scalar_subquery())


class _Page:
    """One keyset page of a listing as a derived table (``first + 1`` rows, in page order)."""

    def __init__(
        self,
        executor: Executor,
        target: str,
        listing: Listing,
        window: tuple[Any, int, bool],
        request: PageRequest,
        connection_type: GraphQLObjectType,
        details: FieldDetailsList,
    ) -> None:
        self.executor = executor
        self.json = executor.json
        self.target = target
        self.connection_type = connection_type
        self.request = request
        self.order = listing.order
        windowed, self.size, self.forward = window  # the statement past the cursors
        table: Table = listing.entity.__table__
        names = executor.connection_columns(connection_type, target, details)
        keys = listing.order.keys
        ordering = pagination.ordered(keys, forward=self.forward)
        fetched = (
            windowed.with_only_columns(
                *(table.c[name] for name in names),
                *(key.expression.label(f"sort_key_{n}") for n, key in enumerate(keys)),
                func.row_number().over(order_by=ordering).label("page_rank"),
            )
            .order_by(*ordering)
            .limit(self.size + 1)
            .correlate_except(table)
            .subquery()
        )
        if self.forward:
            self.rows = fetched
        else:  # read from its end: put back in page order
            self.rows = select(fetched).order_by(fetched.c.page_rank.desc()).subquery()
        self.scope = Joins(self.rows)
        rank = self.rows.c.page_rank
        self.page_order = [rank if self.forward else rank.desc()]
        self.in_page = rank <= self.size
        self.cursor = self._cursor()
        self.aggregates = False  # until a field reads the rows

    def _cursor(self) -> SqlValue:
        """The cursor ``pagination.encode_cursor`` writes for the row."""
        parts: list[Any] = [text_literal("[" + json.dumps(self.order.name) + ",[")]
        for n, key in enumerate(self.order.keys):
            if n:
                parts.append(text_literal(","))
            try:
                value = self.rows.c[f"sort_key_{n}"]
                parts.append(self.json.json_scalar(value, pagination.sort_type(key)))
            except TooWide as exc:
                raise Fallback from exc
        parts.append(text_literal("]]"))
        return self.json.base64url(concat(*parts))

    def _aggregate(self, value: SqlValue) -> SqlValue:
        self.aggregates = True
        return self.json.agg(value, order=self.page_order, where=self.in_page)

    def _count(self) -> SqlValue:
        self.aggregates = True
        return func.count()

    def value(self, name: str, details: FieldDetailsList) -> SqlValue:
        """The JSON of the connection field ``name``: an aggregate over the page's rows."""
        if name == "edges":
            edge_type = Executor._named(self.connection_type.fields["edges"])
            return self._aggregate(self._edge(edge_type, details))
        if name == "nodes":
            node = self.executor.object(self.target, details, self.rows, self.scope)
            return self._aggregate(node)
        if name == "pageInfo":
            return self._page_info(details)
        raise Fallback

    def _edge(self, edge_type: GraphQLObjectType, details: FieldDetailsList) -> SqlValue:
        pairs = []
        for key, sub in self.executor.subfields(edge_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                value: SqlValue = text_literal(edge_type.name)
            elif name == "cursor":
                value = self.cursor
            else:
                value = self.executor.object(self.target, sub, self.rows, self.scope)
            pairs.append((key, value))
        return _object(self.json, pairs)

    def _more(self) -> SqlValue:
        """Whether a row lies beyond the page (``first + 1`` rows were read)."""
        return self.json.boolean(self._count() > self.size)

    def _page_info(self, details: FieldDetailsList) -> SqlValue:
        info_type = Executor._named(self.connection_type.fields["pageInfo"])
        after, before = self.request.after is not None, self.request.before is not None
        known: dict[str, Callable[[], SqlValue]] = {
            "__typename": lambda: text_literal(info_type.name),
            "hasNextPage": lambda: self._more() if self.forward else self.json.constant(before),
            "hasPreviousPage": lambda: self.json.constant(after) if self.forward else self._more(),
            "startCursor": lambda: self.json.first(self._aggregate(self.cursor)),
            "endCursor": lambda: self.json.last(self._aggregate(self.cursor)),
        }
        fields = self.executor.subfields(info_type, details)
        pairs = [(key, known[sub[0].node.name.value]()) for key, sub in fields.items()]
        return _object(self.json, pairs)


class _OffsetPage:
    """One page of an offset-paged list as a derived table (``first + 1`` rows, in order)."""

    def __init__(
        self,
        executor: Executor,
        root: OffsetConnection,
        page: OffsetPage,
        first: int,
        connection_type: GraphQLObjectType,
    ) -> None:
        self.executor = executor
        self.json = executor.json
        self.root = root
        self.page = page
        self.first = first
        self.connection_type = connection_type
        self.aggregates = False  # until a field reads the rows
        self.scope: Joins | None = None
        if page.rows is None or first == 0:  # no rows can be on the page: nothing is read
            self.rows: FromClause | None = None
            return
        every = page.rows.subquery()
        order = page.order(every.c)
        position = func.row_number().over(order_by=order).label("list_position")
        self.rows = (
            select(every, position).order_by(*order).offset(page.offset).limit(first + 1).subquery()
        )
        self.scope = Joins(self.rows)
        self.position = self.rows.c.list_position
        self.in_page = self.position <= page.offset + first
        prefix = text_literal(root.cursor_prefix)
        index = cast(self.position - 1, Text)
        self.cursor = self.json.base64url(concat(prefix, index, text_literal("]")))

    def _aggregate(self, value: SqlValue) -> SqlValue:
        self.aggregates = True
        return self.json.agg(value, order=[self.position], where=self.in_page)

    def value(self, name: str, details: FieldDetailsList) -> SqlValue:
        """The JSON of the connection field ``name`` (an empty page is a constant)."""
        if name == "pageInfo":
            return self._page_info(details)
        if name not in ("edges", "nodes"):
            raise Fallback
        if self.rows is None:
            return self.json.empty_array()
        target = self.root.target
        if name == "nodes":
            node = self.executor.object(target, details, self.rows, self._scope())
            return self._aggregate(node)
        edge_type = Executor._named(self.connection_type.fields["edges"])
        pairs = []
        for key, sub in self.executor.subfields(edge_type, details).items():
            field_name = sub[0].node.name.value
            if field_name == "__typename":
                value: SqlValue = text_literal(edge_type.name)
            elif field_name == "cursor":
                value = self.cursor
            else:
                value = self.executor.object(target, sub, self.rows, self._scope())
            pairs.append((key, value))
        return self._aggregate(_object(self.json, pairs))

    def _scope(self) -> Joins:
        assert self.scope is not None
        return self.scope

    def _page_info(self, details: FieldDetailsList) -> SqlValue:
        info_type = Executor._named(self.connection_type.fields["pageInfo"])
        previous = self.json.constant(self.page.offset > 0)

        def more() -> SqlValue:
            if self.rows is None:
                return self.json.constant(False)  # noqa: FBT003
            self.aggregates = True
            return self.json.boolean(func.count() > self.first)

        def cursor(*, last: bool) -> SqlValue:
            if self.rows is None:
                return null()
            cursors = self._aggregate(self.cursor)
            return self.json.last(cursors) if last else self.json.first(cursors)

        known: dict[str, Callable[[], SqlValue]] = {
            "__typename": lambda: text_literal(info_type.name),
            "hasNextPage": more,
            "hasPreviousPage": lambda: previous,
            "startCursor": lambda: cursor(last=False),
            "endCursor": lambda: cursor(last=True),
        }
        fields = self.executor.subfields(info_type, details)
        pairs = [(key, known[sub[0].node.name.value]()) for key, sub in fields.items()]
        return _object(self.json, pairs)


Scalar = (
    Column
    | DateColumn
    | EnumColumn
    | GlobalId
    | Condition
    | Value
    | BoolColumn
    | Timestamp
    | JsonColumn
    | FloatColumn
)
"""The fields read from the row itself."""

Named = (
    Column | EnumColumn | DateColumn | CommaList | BoolColumn | Timestamp | JsonColumn | FloatColumn
)
"""The fields reading one column of the row, by name."""


class Joins:
    """A FROM clause being built: its rows, and the records they point at, left-joined."""

    def __init__(self, base: FromClause) -> None:
        self.joined: FromClause = base

    def join(self, target: FromClause, on: ColumnElement[bool]) -> None:
        self.joined = self.joined.outerjoin(target, on)


def _object(json_sql: JsonSql, pairs: list[tuple[str, SqlValue]]) -> SqlValue:
    try:
        return json_sql.object(pairs)
    except TooWide as exc:
        raise Fallback from exc


def concat(*parts: SqlValue) -> SqlValue:
    """``a || b || ...`` whatever the parts' SQL types (``+`` would add dates)."""
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.op("||")(part)
    return joined


def _clause(term: Any) -> Any:
    """The column expression behind an ORM attribute (ClauseAdapter reads only those)."""
    element = getattr(term, "__clause_element__", None)
    return term if element is None else element()


def _enum_name(column: ColumnElement[Any]) -> SqlValue:
    """The GraphQL name of the stored enum value (Strawberry serializes by member name)."""
    enum_class = getattr(column.type, "enum_class", None)
    if enum_class is None:
        raise Fallback
    whens = [
        (column == text_literal(member.value), text_literal(member.name)) for member in enum_class
    ]
    return case(*whens, else_=null())


def _field(spec: TypeSpec, name: str) -> Field:
    found = spec.fields.get(name)
    if found is None:
        raise Fallback
    return found
