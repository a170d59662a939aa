"""Operation limits: depth, aliases, mutation root fields and cost, checked before execution.

Every walk follows fragment spreads with memoisation, so a document that spreads fragments
into each other many times costs linear time to check, and a fragment cycle (reported by
graphql-core's own rule) cannot loop. Introspection fields (``__schema``, ``__type``) are left
to graphql-core's MaxIntrospectionDepthRule; ``__typename`` is free.
"""

import functools
import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
)
from graphql.validation.validation_context import ASTValidationContext

from schema.errors import BAD_USER_INPUT, VALIDATION_FAILED

Fragments = Mapping[str, FragmentDefinitionNode]


def limit_error(
    message: str, subcode: str, limit: int, value: int, node: Any = None
) -> GraphQLError:
    """A GRAPHQL_VALIDATION_FAILED error naming the limit and the offending value."""
    return GraphQLError(
        message,
        node,
        extensions={"code": VALIDATION_FAILED, "subcode": subcode, "limit": limit, "value": value},
    )


def _fragments(context: ASTValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {
        node.name.value: node
        for node in context.document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }


def _is_introspection(field: FieldNode) -> bool:
    return field.name.value.startswith("__")


class DepthMeasure:
    """How deep a selection set nests fields, counted up to ``limit + 1`` at most."""

    def __init__(self, fragments: Fragments, limit: int) -> None:
        self.fragments = fragments
        self.limit = limit
        self._memo: dict[str, int] = {}

    def depth(self, selection_set: SelectionSetNode, cap: int | None = None) -> int:
        cap = self.limit if cap is None else cap
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if _is_introspection(selection):
                    continue
                below = selection.selection_set
                found = 1 + (self.depth(below, cap - 1) if below and cap > 0 else 0)
            elif isinstance(selection, InlineFragmentNode):
                found = self.depth(selection.selection_set, cap)
            else:
                # Measured once at full cap, wherever it is spread first.
                found = _fragment_measure(selection, self.fragments, self._memo, self.depth)
            deepest = max(deepest, found)
            if deepest > cap:
                break
        return deepest


def _fragment_measure(spread: Any, fragments: Fragments, memo: dict[str, int], measure: Any) -> int:
    name = spread.name.value
    if name not in memo:
        fragment = fragments.get(name)
        memo[name] = 0  # a cycle meets this placeholder instead of looping
        memo[name] = measure(fragment.selection_set) if fragment else 0
    return memo[name]


def alias_count(selection_set: SelectionSetNode, fragments: Fragments, memo: dict[str, int]) -> int:
    """How many aliases the operation has once its fragments are spread out."""
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += selection.alias is not None
            if selection.selection_set:
                total += alias_count(selection.selection_set, fragments, memo)
        elif isinstance(selection, InlineFragmentNode):
            total += alias_count(selection.selection_set, fragments, memo)
        else:
            total += _fragment_measure(
                selection, fragments, memo, lambda f: alias_count(f, fragments, memo)
            )
    return total


def root_field_count(selection_set: SelectionSetNode, fragments: Fragments) -> int:
    """How many root fields (``__typename`` aside) an operation selects."""
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += not _is_introspection(selection)
        elif isinstance(selection, InlineFragmentNode):
            total += root_field_count(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            # Root fragments cannot nest deeply without a cycle, which validation rejects.
            total += root_field_count(fragment.selection_set, {}) if fragment else 0
    return total


@functools.cache
def depth_rule(limit: int) -> type[ASTValidationRule]:
    """A rule rejecting operations nested deeper than ``limit`` fields."""

    class MaxDepthRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            try:
                depth = DepthMeasure(_fragments(self.context), limit).depth(node.selection_set)
            except RecursionError:  # thousands of chained fragments: deep by any measure
                depth = limit + 1
            if depth > limit:
                self.report_error(
                    limit_error(
                        f"The operation nests fields deeper than the limit of {limit}.",
                        "MAX_DEPTH_EXCEEDED",
                        limit,
                        depth,
                        node,
                    )
                )

    return MaxDepthRule


@functools.cache
def aliases_rule(limit: int) -> type[ASTValidationRule]:
    """A rule rejecting operations with more than ``limit`` aliases."""

    class MaxAliasesRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            count = alias_count(node.selection_set, _fragments(self.context), {})
            if count > limit:
                self.report_error(
                    limit_error(
                        f"The operation uses {count} aliases; the limit is {limit}.",
                        "MAX_ALIASES_EXCEEDED",
                        limit,
                        count,
                        node,
                    )
                )

    return MaxAliasesRule


@functools.cache
def mutation_root_fields_rule(limit: int) -> type[ASTValidationRule]:
    """A rule rejecting mutation operations with more than ``limit`` root fields."""

    class MaxMutationRootFieldsRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            if node.operation != OperationType.MUTATION:
                return
            count = root_field_count(node.selection_set, _fragments(self.context))
            if count > limit:
                self.report_error(
                    limit_error(
                        f"The mutation has {count} root fields; the limit is {limit}.",
                        "MAX_ROOT_FIELDS_EXCEEDED",
                        limit,
                        count,
                        node,
                    )
                )

    return MaxMutationRootFieldsRule


def unsafe_text(value: str) -> str | None:
    """Why ``value`` cannot be stored by every database (NUL, lone surrogates), or None."""
    if "\x00" in value:
        return "contains a NUL character (U+0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    return None


def input_error(message: str, node: Any = None) -> GraphQLError:
    """A BAD_USER_INPUT error for an unusable string in the document or its variables."""
    return GraphQLError(
        message, node, extensions={"code": BAD_USER_INPUT, "subcode": "INVALID_CHARACTER"}
    )


class SafeStringsRule(ASTValidationRule):
    """Rejects string literals PostgreSQL cannot take, so both databases behave alike.

    Documents with a mutation are left alone: mutations validate their input themselves and
    report such text as a ``userError`` of the field.
    """

    def __init__(self, context: ASTValidationContext) -> None:
        super().__init__(context)
        self.skip = any(
            isinstance(node, OperationDefinitionNode) and node.operation == OperationType.MUTATION
            for node in context.document.definitions
        )

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if self.skip:
            return
        reason = unsafe_text(node.value)
        if reason:
            self.report_error(input_error(f"A string in the document {reason}.", node))


def unsafe_variable(variables: Any, path: str = "$") -> str | None:
    """The first variable value that is not safe text, as a message, or None."""
    if isinstance(variables, str):
        reason = unsafe_text(variables)
        return f"Variable {path} {reason}." if reason else None
    if isinstance(variables, Mapping):
        items: Any = variables.items()
    elif isinstance(variables, list):
        items = enumerate(variables)
    else:
        return None
    for key, value in items:
        found = unsafe_variable(value, f"{path}.{key}" if path != "$" else f"${key}")
        if found:
            return found
    return None


class CostCalculator:
    """The cost of an operation: 1 per field, a list's page size multiplying its children.

    ``variables`` are the values the executor will use, coerced to their types with defaults
    filled in (``{"n": 100.0}`` is the Int 100; ``query($n: Int = 100)`` without ``n`` is
    100), never the JSON as sent.

    A connection field (one taking ``first``) multiplies by ``first`` or ``last``, or by the
    default page size; ``nodes(ids:)`` by the number of ids. Unions and interfaces are charged
    for every type condition selected. Fragments are costed once and reused.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        document_fragments: Fragments,
        variables: Mapping[str, Any] | None,
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = document_fragments
        self.variables = variables or {}
        self.default_page_size = default_page_size
        self._memo: dict[str, int] = {}

    def operation(self, operation: OperationDefinitionNode) -> int:
        """The cost of one operation of the document."""
        root = self.schema.get_root_type(operation.operation)
        return self.selection_set(operation.selection_set, root) if root else 0

    def selection_set(self, selection_set: SelectionSetNode, parent: Any) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, kind or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection)
        return total

    def fragment(self, spread: FragmentSpreadNode) -> int:
        name = spread.name.value
        if name not in self._memo:
            self._memo[name] = 0
            fragment = self.fragments.get(name)
            if fragment is not None:
                kind = self.schema.get_type(fragment.type_condition.name.value)
                self._memo[name] = self.selection_set(fragment.selection_set, kind)
        return self._memo[name]

    def field(self, node: FieldNode, parent: Any) -> int:
        if _is_introspection(node):
            return 0
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(node.name.value)
        if definition is None:
            return 1
        if node.selection_set is None:
            return 1
        child: GraphQLNamedType = get_named_type(definition.type)
        return 1 + self.multiplier(node, definition) * self.selection_set(node.selection_set, child)

    def multiplier(self, node: FieldNode, definition: GraphQLField) -> int:
        arguments = {argument.name.value: argument.value for argument in node.arguments or ()}
        if "first" in definition.args:
            for name in ("first", "last"):
                size = self._int(arguments.get(name))
                if size is not None:
                    return max(size, 0)
            return self.default_page_size
        if "ids" in definition.args:
            ids = arguments.get("ids")
            if isinstance(ids, VariableNode):
                value = self.variables.get(ids.name.value)
                return len(value) if isinstance(value, list) else 1
            return len(ids.values) if isinstance(ids, ListValueNode) else 1
        return 1

    def _int(self, value: Any) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            found = self.variables.get(value.name.value)
            return found if isinstance(found, int) and not isinstance(found, bool) else None
        return None


# GraphQL's tokens, strings and comments whole; commas and whitespace are not tokens.
_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n])*"|#[^\n]*|\.\.\.'
    r"|[!$&():=@\[\]{}|]|[_A-Za-z][_0-9A-Za-z]*|-?[0-9][0-9.eE+-]*"
)


def too_many_tokens(query: str, limit: int) -> bool:
    """A fast check, in C, that ``query`` has more than ``limit`` tokens.

    It never counts more tokens than graphql-core's lexer would (a string or a comment is
    one match; comments are not counted), so a document it passes is parsed with the exact
    limit, and a bomb is refused without running the pure-Python lexer over it.
    """
    count = 0
    for match in _TOKEN.finditer(query):
        if not match.group().startswith("#"):
            count += 1
            if count > limit:
                return True
    return False
