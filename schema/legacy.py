"""Documents written while mutation inputs took dates as `String` keep working.

Date fields of mutation inputs were `String` until PartialDate became their type. A document
that passes the whole input as one variable (`$input: RecordMeetingInput!`) never noticed; one
that declares a date variable as `String` and places it in such a field
(`recordMeeting(input: {start: $start})`) would now fail validation. Such a usage is accepted
— the value on the wire is the same string, checked by the mutation as before — and the
response carries a warning (`extensions.warnings`, code DEPRECATED_VARIABLE_TYPE) naming the
variable to declare as `PartialDate`. Query arguments (filters) were PartialDate all along and
get no such allowance.
"""

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    ValidationContext,
    get_named_type,
    is_non_null_type,
    type_from_ast,
)
from graphql.validation import VariablesInAllowedPositionRule
from graphql.validation.validation_context import VariableUsage

# The input types whose date fields were String before.
LEGACY_DATE_INPUTS = frozenset(
    {
        "SourceCitationInput",
        "RecordMeetingInput",
        "UpdateMeetingInput",
        "CreateMechanismInput",
        "UpdateMechanismInput",
        "PositionInput",
        "CreatePolicyMeasureInput",
        "UpdatePolicyMeasureInput",
        "CreateSourceInput",
        "UpdateSourceInput",
        "RecordCommitmentInput",
        "UpdateCommitmentInput",
    }
)
WARNING_CODE = "DEPRECATED_VARIABLE_TYPE"


def _name(graphql_type: Any) -> str | None:
    named = get_named_type(graphql_type)
    return named.name if isinstance(named, GraphQLNamedType) else None


def _legacy_usages(
    schema: GraphQLSchema, operation: OperationDefinitionNode, usages: list[VariableUsage]
) -> list[VariableUsage]:
    """The usages of a `String` variable in a PartialDate field that was String before."""
    declared = {
        definition.variable.name.value: type_from_ast(schema, definition.type)
        for definition in operation.variable_definitions or ()
    }
    return [
        usage
        for usage in usages
        if _name(declared.get(usage.node.name.value)) == "String"
        and usage.type is not None
        and not is_non_null_type(usage.type)
        and _name(usage.type) == "PartialDate"
        and _name(usage.parent_type) in LEGACY_DATE_INPUTS
    ]


class VariablesInAllowedPosition(VariablesInAllowedPositionRule):
    """graphql-core's rule, allowing the legacy `String` date variables described above."""

    _tolerated: frozenset[int] = frozenset()

    def leave_operation_definition(self, operation: OperationDefinitionNode, *args: Any) -> None:
        usages = self.context.get_recursive_variable_usages(operation)
        legacy = _legacy_usages(self.context.schema, operation, usages)
        self._tolerated = frozenset(id(usage.node) for usage in legacy)
        super().leave_operation_definition(operation, *args)

    def report_error(self, error: GraphQLError) -> None:
        nodes = error.nodes or []
        if (
            len(nodes) == 2
            and id(nodes[1]) in self._tolerated
            and "expecting type" in error.message
        ):
            return
        super().report_error(error)


def legacy_date_variables(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
) -> list[str]:
    """The names of the operation's `String` variables used as PartialDate (usually none)."""
    if not any(
        _name(type_from_ast(schema, definition.type)) == "String"
        for definition in operation.variable_definitions or ()
    ):
        return []
    context = ValidationContext(schema, document, TypeInfo(schema), lambda _error: None)
    usages = context.get_recursive_variable_usages(operation)
    return sorted({usage.node.name.value for usage in _legacy_usages(schema, operation, usages)})


def warnings(names: list[str]) -> list[dict[str, str]]:
    """The response's deprecation warnings for those variables."""
    return [
        {
            "code": WARNING_CODE,
            "message": f"Variable '${name}' is declared String but feeds a PartialDate field; "
            "declare it PartialDate (String is accepted there for documents written before).",
        }
        for name in names
    ]
