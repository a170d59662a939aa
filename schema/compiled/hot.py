"""Plans for the hot path (api/http/hot_path.py): covered anonymous reads without the framework.

When the standard path answers a query on the compiled read path, the document is remembered
here under its text and operation name, with what was established once: it is within the
token limit, parses, validates under this app's rules, and its operation is a covered query
(and, without variables, what it costs). A later request with the same text is answered by
:meth:`HotPlans.plan` doing only what depends on the request, exactly as
:class:`schema.guard.OperationGuard` does it: the variables' text check, their coercion and
the cost computed from them. The statement comes from :data:`schema.compiled.plans.PLANS`,
which the standard path shares. Whatever would not end in the same answer — a refusal, a
variable error, a fallback to Strawberry's executor — is ``None``, and the standard path
answers the request as before.
"""

import collections
import dataclasses
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import orjson
import strawberry
from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues, get_variable_values

from api import clock, request_state
from api.settings import Settings
from schema.compiled.executor import Executor, Fallback, Statements
from schema.compiled.extension import STATS
from schema.compiled.plans import MAX_VARIABLES_BYTES, PLANS, Plan
from schema.guard import CACHED_QUERY_LENGTH, MAX_VARIABLE_ERRORS
from schema.limits import CostCalculator, unsafe_variable
from schema.pagination import DEFAULT_PAGE_SIZE

logger = logging.getLogger("parley.compiled")

MAX_HOT_PLANS = 256
MAX_CHECKED = 32
"""Variable values whose checks each document keeps (the guard's outcome is theirs alone)."""


def _text_of(variables: dict[str, Any] | None) -> bytes | None:
    """Variable values as canonical JSON (1 and 1.0 and true stay apart), or None when they
    are too long to keep or not serializable (an integer beyond 64 bits)."""
    try:
        text = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return text if len(text) <= MAX_VARIABLES_BYTES else None


@dataclasses.dataclass
class HotStats:
    """How many reads the hot path answered, and how many it handed to the standard path
    after finding their plan (a variable error, a refusal, a fallback, a failure)."""

    answered: int = 0
    declined: int = 0


@dataclasses.dataclass(frozen=True)
class _Document:
    """A covered query as the standard path found it, with what does not change per request."""

    document: DocumentNode
    operation: OperationDefinitionNode
    name: str | None  # the operation's own name, as the access log writes it
    running: str | None  # the name the standard path keys its plans by
    fragments: dict[str, FragmentDetails]
    fragment_nodes: dict[str, FragmentDefinitionNode]
    cost: int | None  # None: it depends on the variables
    # Variable values (as JSON text) checked before: coerced with the cost, or None (refused).
    checked: dict[bytes, tuple[VariableValues, int] | None] = dataclasses.field(
        default_factory=dict
    )


class Ready:
    """One request's read, checked and costed; :meth:`data` runs it."""

    def __init__(
        self,
        plans: "HotPlans",
        found: _Document,
        raw: dict[str, Any] | None,
        variables: VariableValues,
        cost: int,
    ) -> None:
        self._plans = plans
        self._found = found
        self._raw = raw
        self._variables = variables
        self.operation_name = found.name
        self.cost = cost
        self.extensions: dict[str, Any] = {
            "cost": {"requested": cost, "limit": plans.settings.max_cost}
        }

    async def data(
        self, connect: Callable[[], AbstractAsyncContextManager[Statements]]
    ) -> dict[str, Any] | None:
        """The operation's ``data``, read with its one statement on a connection from
        ``connect``; None when the standard path must answer (it then gives the answer it
        always gave)."""
        plans, found = self._plans, self._found
        settings = plans.settings
        key = PLANS.key(
            found.document,
            found.running,
            self._raw,
            settings.max_page_size,
            settings.database_url,
            clock.today(),  # as the standard path keys it (asOf)
        )
        executor = Executor(
            plans.schema,
            found.operation,
            found.fragments,
            self._variables,
            max_page_size=settings.max_page_size,
        )

        plan = Plan(PLANS, key, found.document)
        try:
            async with connect() as connection:
                data = await executor.read(connection, plan)
        except Fallback:
            # What the compiled path cannot answer for this key it never will: remembered,
            # so neither path builds it again (Strawberry's executor answers it).
            plan.refuse()
            plans.stats.declined += 1
            return None
        except Exception:
            # As the standard path does: log it once, and let Strawberry's executor answer
            # (the request state tells the compiled path not to try this statement again).
            logger.exception("compiled read failed; falling back")
            state = request_state.current()
            if state is not None:
                state.compiled_read_failed = True
            plans.stats.declined += 1
            return None
        plans.stats.answered += 1
        STATS.handled += 1
        return data


class HotPlans:
    """The documents this app answers on the hot path, least recently used forgotten first."""

    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        size: int = MAX_HOT_PLANS,
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.size = size
        self.stats = HotStats()
        self._documents: collections.OrderedDict[tuple[str, str | None], _Document] = (
            collections.OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._documents)

    def learn(
        self,
        query: str,
        operation_name: str | None,
        running: str | None,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> None:
        """Remember a document the standard path answered on the compiled read path (so it
        passed every check that depends on the text alone, under these settings):
        ``operation_name`` as the request sent it, ``running`` the name of the operation it
        ran (its plans are kept under that name)."""
        if len(query) > CACHED_QUERY_LENGTH:  # as the parse cache: no megabyte-long keys
            return
        key = (query, operation_name)
        if key in self._documents:
            self._documents.move_to_end(key)
            return
        fragment_nodes = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        cost = None
        if not operation.variable_definitions:
            cost = self._cost(fragment_nodes, operation, {})
        self._documents[key] = _Document(
            document=document,
            operation=operation,
            name=operation.name.value if operation.name else None,
            running=running,
            fragments={name: FragmentDetails(node) for name, node in fragment_nodes.items()},
            fragment_nodes=fragment_nodes,
            cost=cost,
        )
        while len(self._documents) > self.size:
            self._documents.popitem(last=False)

    def plan(
        self, query: str, operation_name: str | None, variables: dict[str, Any] | None
    ) -> Ready | None:
        """The read of a request sending ``query`` (without a token), when its document is
        known and this request would be answered on the compiled read path; else None."""
        found = self._documents.get((query, operation_name))
        if found is None:
            return None
        values = _text_of(variables)
        if values is not None and values in found.checked:
            checked = found.checked[values]
        else:
            checked = self._check(found, variables)
            if values is not None:  # the same values check the same way: kept
                found.checked[values] = checked
                while len(found.checked) > MAX_CHECKED:
                    del found.checked[next(iter(found.checked))]
        if checked is None:
            self.stats.declined += 1
            return None
        coerced, cost = checked
        return Ready(self, found, variables, coerced, cost)

    def _check(
        self, found: _Document, variables: dict[str, Any] | None
    ) -> tuple[VariableValues, int] | None:
        """The guard's checks of a query, in its order (OperationGuard.refusal): the coerced
        variables and the cost, or None when the guard would refuse the request."""
        if unsafe_variable(variables or {}):
            return None
        coerced = get_variable_values(
            self.schema._schema,
            found.operation.variable_definitions or (),
            dict(variables or {}),
            max_errors=MAX_VARIABLE_ERRORS,
            hide_suggestions=self.settings.env == "production",
        )
        if isinstance(coerced, list):
            return None
        cost = found.cost
        if cost is None:
            cost = self._cost(found.fragment_nodes, found.operation, coerced.coerced)
        if cost > self.settings.max_cost:
            return None
        return coerced, cost

    def _cost(
        self,
        fragments: dict[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> int:
        calculator = CostCalculator(self.schema._schema, fragments, variables, DEFAULT_PAGE_SIZE)
        return calculator.operation(operation)
