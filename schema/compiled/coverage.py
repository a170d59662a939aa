"""Whether the compiled path can answer an operation: every field and directive covered."""

import dataclasses

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    visit,
)

from schema.compiled.fields import OffsetConnection
from schema.compiled.specs import (
    CONNECTION_FIELDS,
    EDGE_FIELDS,
    PAGE_INFO_FIELDS,
    listed_types,
    roots_of,
    types_of,
)

ALLOWED_DIRECTIVES = frozenset({"skip", "include"})


def fields_of(schema: GraphQLSchema, parent: GraphQLNamedType) -> frozenset[str]:
    """The fields of ``parent`` the compiled path answers (none for an unknown type)."""
    name = parent.name
    types = types_of(schema)
    if name == "Query":
        return frozenset({"__typename", *roots_of(schema)})
    if name == "Node":
        return frozenset({"id", "__typename"})
    if name == "PageInfo":
        return PAGE_INFO_FIELDS
    if name in types:
        return frozenset({*types[name].fields, "__typename"})
    for suffix, fields in (("Connection", CONNECTION_FIELDS), ("Edge", EDGE_FIELDS)):
        if name.endswith(suffix) and name.removesuffix(suffix) in _listed(schema):
            return fields
    return frozenset()


def _listed(schema: GraphQLSchema) -> frozenset[str]:
    """Types whose connections the compiled path pages: records, and offset-paged objects."""
    offset_paged = {
        root.target for root in roots_of(schema).values() if isinstance(root, OffsetConnection)
    }
    return listed_types(schema) | offset_paged


class _Coverage(Visitor):
    def __init__(self, schema: GraphQLSchema, type_info: TypeInfo) -> None:
        super().__init__()
        self.schema = schema
        self.type_info = type_info
        self.covered = True

    def enter_field(self, node: FieldNode, *_args: object) -> object:
        parent = self.type_info.get_parent_type()
        if parent is None or node.name.value not in fields_of(self.schema, parent):
            self.covered = False
            return self.BREAK
        return None

    def enter_directive(self, node: DirectiveNode, *_args: object) -> object:
        if node.name.value not in ALLOWED_DIRECTIVES:
            self.covered = False
            return self.BREAK
        return None


def covered(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
) -> bool:
    """True when ``operation`` is a query made only of covered fields (cached per document)."""
    if operation.operation != OperationType.QUERY:
        return False
    # Parsed documents are cached (schema.guard), so the same text is the same object.
    known = _CACHE.get(id(document))
    if known is not None and known[0] is document:
        return known[1]
    result = _covered(schema, document)
    if len(_CACHE) >= CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(document)] = (document, result)
    return result


CACHE_SIZE = 512
_CACHE: dict[int, tuple[DocumentNode, bool]] = {}


def _covered(schema: GraphQLSchema, document: DocumentNode) -> bool:
    # Checks every definition of the document: a mutation beside the query is no harm, as
    # it makes the whole document fall back, which is always correct.
    type_info = TypeInfo(schema)
    coverage = _Coverage(schema, type_info)
    visit(document, TypeInfoVisitor(type_info, coverage))
    return coverage.covered


@dataclasses.dataclass(frozen=True)
class Report:
    """How much of the read schema the compiled path answers."""

    covered: tuple[str, ...]  # ``Type.field`` names
    uncovered: tuple[str, ...]

    @property
    def share(self) -> float:
        total = len(self.covered) + len(self.uncovered)
        return len(self.covered) / total if total else 1.0


def report(schema: GraphQLSchema) -> Report:
    """Every field of every object type a query can reach, covered or not."""
    query = schema.query_type
    assert query is not None
    seen: set[str] = set()
    pending: list[GraphQLObjectType | GraphQLInterfaceType] = [query]
    covered: list[str] = []
    uncovered: list[str] = []
    while pending:
        parent = pending.pop()
        if parent.name in seen or parent.name.startswith("__"):
            continue
        seen.add(parent.name)
        if isinstance(parent, GraphQLInterfaceType):
            pending.extend(schema.get_implementations(parent).objects)
            continue
        answered = fields_of(schema, parent)
        for name, field in parent.fields.items():
            (covered if name in answered else uncovered).append(f"{parent.name}.{name}")
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
                pending.append(named)
            elif isinstance(named, GraphQLUnionType):
                pending.extend(named.types)
    return Report(tuple(sorted(covered)), tuple(sorted(uncovered)))
