"""The hook: answer covered queries before Strawberry executes them, else let it execute."""

import dataclasses
import logging
from collections.abc import AsyncIterator

from graphql import ExecutionResult, FragmentDefinitionNode, get_operation_ast
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import get_variable_values
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext

from api import clock, request_state
from schema.compiled.coverage import covered
from schema.compiled.executor import Executor, Fallback
from schema.compiled.plans import PLANS, Plan
from schema.context import Context

logger = logging.getLogger("parley.compiled")


@dataclasses.dataclass
class Stats:
    """How many operations the compiled path answered and how many it handed back."""

    handled: int = 0
    fell_back: int = 0
    not_covered: int = 0


STATS = Stats()


class CompiledReads(SchemaExtension):
    """Answers a covered query from plain rows; Strawberry then skips its own execution.

    Registered after the guard and authentication, so refusals and token checks come
    first; switched off with ``PARLEY_COMPILED_READS=false``.
    """

    execution_context: ExecutionContext

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        app_context = context.context
        if (
            context.result is None
            and isinstance(app_context, Context)
            and app_context.settings.compiled_reads
        ):
            state = request_state.current()
            if state is not None and state.compiled_read_failed:
                STATS.fell_back += 1  # the hot path tried this statement, and it failed
            else:
                result = await _answer(context, app_context)
                if result is not None:
                    context.result = result
        yield


async def _answer(context: ExecutionContext, app_context: Context) -> ExecutionResult | None:
    document = context.graphql_document
    if document is None:
        return None
    operation = get_operation_ast(document, context.operation_name)
    graphql_schema = context.schema._schema
    if operation is None or not covered(graphql_schema, document, operation):
        STATS.not_covered += 1
        return None
    variables = get_variable_values(
        graphql_schema, operation.variable_definitions or (), context.variables or {}
    )
    if isinstance(variables, list):  # coercion failed: the executor reports it
        STATS.fell_back += 1
        return None
    fragments = {
        node.name.value: FragmentDetails(node)
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    executor = Executor(
        context.schema,
        operation,
        fragments,
        variables,
        max_page_size=app_context.settings.max_page_size,
    )
    key = PLANS.key(
        document,
        context.operation_name,
        context.variables,
        app_context.settings.max_page_size,
        app_context.settings.database_url,
        clock.today(),  # a filter or a verdict may default to today (asOf)
    )
    try:
        data = await app_context.db.run(executor.run, Plan(PLANS, key, document))
    except Fallback:
        STATS.fell_back += 1
        return None
    except Exception:  # the standard executor reports it (coded, logged) or succeeds
        logger.exception("compiled read failed; falling back")
        await app_context.db.run(_rollback)
        STATS.fell_back += 1
        return None
    STATS.handled += 1
    if app_context.hot_plans is not None and context.query:
        # Later requests of this document skip the framework (api/http/hot_path.py). They are
        # known by the operation name as sent (absent, Strawberry runs the first operation).
        sent = getattr(context, "_provided_operation_name", context.operation_name)
        app_context.hot_plans.learn(
            context.query, sent, context.operation_name, document, operation
        )
    return ExecutionResult(data=data)


async def _rollback(session: AsyncSession) -> None:
    await session.rollback()
