"""The operation guard: every operation's limits, error codes and error masking.

:class:`OperationGuard` is a schema extension. Per operation it

- caps the document's tokens (parsing stops at ``max_tokens``) and caches parsed documents;
- adds validation rules: depth, aliases, mutation root fields, introspection depth, safe
  strings, and (when switched off) no introspection;
- before execution, checks variables and computes the cost (reported in ``extensions.cost``),
  answering without running any resolver (the mutation rate limit is schema/throttle.py);
- gives every error an ``extensions.code``, keeps validation messages readable (without
  "Did you mean" in production) and masks unexpected exceptions behind a request id, logging
  their traceback instead.

The limits come from the ``settings`` of the request's context.
"""

import functools
import logging
import re
import secrets
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSyntaxError,
    MaxIntrospectionDepthRule,
    NoFragmentCyclesRule,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    Source,
    VariablesInAllowedPositionRule,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.types.execution import ExecutionContext

from api import request_state
from api.failures import database_failure
from api.services.errors import ServiceError
from api.settings import Settings, get_settings
from schema import legacy
from schema.errors import (
    BAD_USER_INPUT,
    INTERNAL_SERVER_ERROR,
    PARSE_FAILED,
    SERVICE_UNAVAILABLE,
    TIMEOUT,
    VALIDATION_FAILED,
)
from schema.limits import (
    CostCalculator,
    SafeStringsRule,
    aliases_rule,
    depth_rule,
    input_error,
    limit_error,
    mutation_root_fields_rule,
    too_many_tokens,
    unsafe_variable,
)
from schema.pagination import DEFAULT_PAGE_SIZE

logger = logging.getLogger("parley.graphql")

# graphql-core's hint, e.g. " Did you mean 'name'?" or " Did you mean the enum value 'A' or 'B'?"
# (names and enum values never hold a "?").
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
MAX_VARIABLE_ERRORS = 50  # graphql-core's executor's own cap
_TOKENS_EXCEEDED = "Document contains more than"

MESSAGES = {
    SERVICE_UNAVAILABLE: "The database is unavailable; try again shortly.",
    TIMEOUT: "The operation took too long and was cancelled.",
    INTERNAL_SERVER_ERROR: "Internal server error; quote the requestId when reporting it.",
}


@functools.cache
def _with_subcode(rule: type[ASTValidationRule], subcode: str) -> type[ASTValidationRule]:
    """``rule`` whose errors carry GRAPHQL_VALIDATION_FAILED and ``subcode``."""

    def report_error(self: ASTValidationRule, error: GraphQLError) -> None:
        error.extensions = {"code": VALIDATION_FAILED, "subcode": subcode}
        rule.report_error(self, error)

    return type(rule.__name__, (rule,), {"report_error": report_error})


CACHED_QUERY_LENGTH = 20_000
"""Longer documents are parsed every time: 256 cached megabyte-long bombs would hog memory."""


def _parse(query: str, max_tokens: int) -> DocumentNode | GraphQLError:
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLError as error:
        return error


_cached_parse = functools.lru_cache(maxsize=256)(_parse)


def cached_parse(query: str, max_tokens: int) -> DocumentNode | GraphQLError:
    """The parsed document, or why it cannot be parsed; shared by requests with this text."""
    if len(query) > CACHED_QUERY_LENGTH:
        return _parse(query, max_tokens)
    return _cached_parse(query, max_tokens)


class _ProductionRules(ASTValidationRule):
    """Checks nothing; keeps production's (suggestion-free) cached validation apart."""


@functools.cache
def validation_rules(
    max_depth: int,
    max_aliases: int,
    max_mutation_root_fields: int,
    *,
    introspection: bool,
    production: bool,
) -> tuple[type[ASTValidationRule], ...]:
    """graphql-core's rules plus Parley's limits (one tuple per configuration, so cacheable)."""
    subcodes = {
        NoFragmentCyclesRule: "FRAGMENT_CYCLE",
        MaxIntrospectionDepthRule: "INTROSPECTION_DEPTH_EXCEEDED",
    }
    stock = [*specified_rules, *(rule for rule in subcodes if rule not in specified_rules)]
    stock = [
        legacy.VariablesInAllowedPosition if r is VariablesInAllowedPositionRule else r
        for r in stock
    ]
    rules = [_with_subcode(rule, subcodes[rule]) if rule in subcodes else rule for rule in stock]
    rules += [
        depth_rule(max_depth),
        aliases_rule(max_aliases),
        mutation_root_fields_rule(max_mutation_root_fields),
        SafeStringsRule,
    ]
    if not introspection:
        rules.append(_with_subcode(NoSchemaIntrospectionCustomRule, "INTROSPECTION_DISABLED"))
    if production:
        rules.append(_ProductionRules)
    return tuple(rules)


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, None, extensions
    )


def _request_id() -> str:
    state = request_state.current()
    return state.request_id if state else secrets.token_hex(8)


class OperationGuard(SchemaExtension):
    """Limits, codes and masking for each operation (see the module docstring)."""

    execution_context: ExecutionContext
    cost: int | None = None
    _legacy: list[str] | None = None
    _parse_error: GraphQLError | None = None
    _validation_errors: tuple[GraphQLError, ...] = ()

    @property
    def settings(self) -> Settings:
        found = getattr(self.execution_context.context, "settings", None)
        return found if isinstance(found, Settings) else get_settings()

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            # Production names nothing the client did not send: no "Did you mean" hint, from
            # validation, variable coercion or anywhere else graphql-core adds one.
            result.errors = [self._without_suggestion(self.coded(e)) for e in result.errors]
            state = request_state.current()
            if state is not None:
                state.error_codes = [str((e.extensions or {}).get("code")) for e in result.errors]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        max_tokens = self.settings.max_tokens
        context.parse_options = {**context.parse_options, "max_tokens": max_tokens}
        if context.query and context.graphql_document is None:
            parsed = (
                GraphQLSyntaxError(Source(context.query), 0, f"{_TOKENS_EXCEEDED} {max_tokens}")
                if too_many_tokens(context.query, max_tokens)
                else cached_parse(context.query, max_tokens)
            )
            if isinstance(parsed, GraphQLError):
                # Strawberry must raise the error itself (one raised here would escape this
                # extension's coding): let it fail on the first token, answer with ours.
                self._parse_error = parsed
                context.parse_options = {"max_tokens": 0}
            else:
                context.graphql_document = parsed
        yield

    def on_validate(self) -> Iterator[None]:
        settings = self.settings
        self.execution_context.validation_rules = validation_rules(
            settings.max_depth,
            settings.max_aliases,
            settings.max_mutation_root_fields,
            introspection=settings.introspection,
            production=settings.env == "production",
        )
        yield
        self._validation_errors = tuple(self.execution_context.pre_execution_errors or ())

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result a stream sends (a subscription's events) gets coded errors too."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self.coded(error) for error in errors]
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        state = request_state.current()
        if state is not None and operation is not None:
            state.operation_name = operation.name.value if operation.name else None
            state.operation_type = operation.operation.value
        if operation is not None and context.result is None:
            refusal = self.refusal(operation)
            if refusal:
                context.result = ExecutionResult(data=None, errors=refusal)
            elif document is not None and operation.operation == OperationType.MUTATION:
                self._legacy = legacy.legacy_date_variables(
                    context.schema._schema, document, operation
                )
        yield

    def get_results(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        if self.cost is not None:
            results["cost"] = {"requested": self.cost, "limit": self.settings.max_cost}
        if self._legacy:
            results["warnings"] = legacy.warnings(self._legacy)
        return results

    def refusal(self, operation: OperationDefinitionNode) -> list[GraphQLError] | None:
        """Why the operation must not run, checked once it is known valid."""
        context = self.execution_context
        if operation.operation == OperationType.SUBSCRIPTION and not getattr(
            context.context, "over_websocket", False
        ):
            return [
                GraphQLError(
                    "Subscriptions are served over a WebSocket to this endpoint "
                    "(graphql-transport-ws or graphql-ws), not over HTTP.",
                    extensions={"code": "BAD_REQUEST", "subcode": "SUBSCRIPTION_NEEDS_WEBSOCKET"},
                )
            ]
        # A mutation reports unusable text as a user error on the field (CONTROL_CHARACTERS),
        # so a script learns which record and field to fix; reads refuse it here.
        is_mutation = operation.operation == OperationType.MUTATION
        unsafe = None if is_mutation else unsafe_variable(context.variables or {})
        if unsafe:
            return [input_error(unsafe)]
        # Coerced here as the executor would, so the cost is computed from the values that
        # run, and production's coercion errors name no field or value the client did not.
        variables = get_variable_values(
            context.schema._schema,
            operation.variable_definitions or (),
            dict(context.variables or {}),
            max_errors=MAX_VARIABLE_ERRORS,
            hide_suggestions=self.settings.env == "production",
        )
        if isinstance(variables, list):
            return variables  # coded BAD_USER_INPUT: nothing ran
        fragments = {
            node.name.value: node
            for node in context.graphql_document.definitions  # type: ignore[union-attr]
            if isinstance(node, FragmentDefinitionNode)
        }
        calculator = CostCalculator(
            context.schema._schema, fragments, variables.coerced, DEFAULT_PAGE_SIZE
        )
        self.cost = calculator.operation(operation)
        state = request_state.current()
        if state is not None:
            state.cost = self.cost
        limit = self.settings.max_cost
        if self.cost > limit:
            return [
                limit_error(
                    f"The operation's cost is {self.cost}; the limit is {limit}. Ask for smaller "
                    "pages (`first`/`last`) or fewer nested lists.",
                    "MAX_COST_EXCEEDED",
                    limit,
                    self.cost,
                    operation,
                )
            ]
        return None  # the mutation rate limit follows: schema/throttle.py

    def coded(self, error: GraphQLError) -> GraphQLError:
        """``error`` with an ``extensions.code`` (masked if it is unexpected)."""
        extensions = error.extensions or {}
        if "code" in extensions:
            return error
        if isinstance(error, GraphQLSyntaxError):
            error = self._parse_error or error
            if _TOKENS_EXCEEDED in error.message:
                limit = self.settings.max_tokens
                return limit_error(
                    f"The document has more than {limit} tokens.",
                    "MAX_TOKENS_EXCEEDED",
                    limit,
                    limit + 1,
                )
            return _copy(error, error.message, {"code": PARSE_FAILED})
        if any(error is known for known in self._validation_errors):
            return _copy(error, error.message, {"code": VALIDATION_FAILED})
        if error.path is None:  # variable values that cannot be coerced: nothing ran
            return _copy(error, error.message, {"code": BAD_USER_INPUT})
        return self._execution_error(error)

    def _execution_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ServiceError):
            return _copy(error, error.message, {"code": original.code})
        if isinstance(original, GlobalIDValueError):
            return _copy(error, error.message, {"code": BAD_USER_INPUT})
        failure = database_failure(original) if original is not None else None
        if failure is not None:
            logger.warning("database %s at %s: %r", failure, error.path, original)
            return _copy(error, MESSAGES[failure], {"code": failure})
        request_id = _request_id()
        logger.error(
            "unexpected error at %s (request %s)",
            error.path,
            request_id,
            exc_info=(type(original), original, original.__traceback__) if original else None,
        )
        return _copy(
            error,
            MESSAGES[INTERNAL_SERVER_ERROR],
            {"code": INTERNAL_SERVER_ERROR, "requestId": request_id},
        )

    def _without_suggestion(self, error: GraphQLError) -> GraphQLError:
        if self.settings.env != "production" or not _SUGGESTION.search(error.message):
            return error
        return _copy(error, _SUGGESTION.sub("", error.message), dict(error.extensions or {}))


class SubscriptionLimits(SchemaExtension):
    """The operation limits (cost, variables) for a subscription, checked with validation.

    A subscription's stream starts without looking at the result :class:`OperationGuard`
    sets in ``on_execute``; so its refusal is made a validation error here (the client gets
    an ``error`` message and nothing starts). Runs after the validation cache, which has
    validated the document by then.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors == [] and context.graphql_document is not None:
            operation = get_operation_ast(context.graphql_document, context.operation_name)
            if operation is not None and operation.operation == OperationType.SUBSCRIPTION:
                guard = OperationGuard()
                guard.execution_context = context
                refusal = guard.refusal(operation)
                if refusal:
                    context.pre_execution_errors = refusal
        yield


class ParleySchema(strawberry.Schema):
    """A strawberry Schema whose errors are logged by :class:`OperationGuard`, once, coded.

    Strawberry's default logs every error with its traceback, the client's mistakes too.
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Leave logging to the OperationGuard."""
