"""`statements` connections on meetings, people, organizations and mechanisms."""

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api import models
from api.services import statements
from api.services.listing import Listing
from schema.compiled.fields import NestedConnection, compiled
from schema.context import Info
from schema.inputs import order_names
from schema.pagination import After, Before, Connection, First, Last, nested_connection
from schema.statement_inputs import StatementFilterInput, StatementOrder

if TYPE_CHECKING:
    from schema.types.statement import Statement

# Lazy: the statement type refers to meetings and people, which list their statements.
StatementType = Annotated["Statement", strawberry.lazy("schema.types.statement")]


def statements_field(parent: str, column: str) -> Any:
    """A `statements` connection of the statements whose ``column`` points at the record."""
    key_column = getattr(models.Statement, column)

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        filter: Annotated[
            StatementFilterInput | None,
            strawberry.argument(description="Only statements matching this."),
        ] = None,
        order_by: Annotated[
            list[StatementOrder] | None,
            strawberry.argument(description="Sort order; SAID_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[StatementType]:
        statement_filter = filter.to_service() if filter else None
        order = order_names(order_by, statements.DEFAULT_ORDER)
        key: Hashable = (f"{parent}.statements", repr(statement_filter), tuple(order))
        return await nested_connection(
            info,
            key=key,
            rows=statements.list_statements(statement_filter, order),
            parent=key_column,
            parent_id=root.id,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    return strawberry.field(
        resolver=resolve,
        description=f"What was said {_WHERE[parent]}, earliest first.",
        metadata=compiled(NestedConnection("Statement", column, _listing)),
    )


def _listing(arguments: Mapping[str, Any]) -> Listing:
    """A record's statements, as its ``statements`` field pages them."""
    statement_filter = arguments.get("filter")
    return statements.list_statements(
        statement_filter.to_service() if statement_filter else None,
        order_names(arguments.get("order_by"), statements.DEFAULT_ORDER),
    )


_WHERE = {
    "meeting": "at this meeting",
    "person": "by this person",
    "organization": "by or for this organization",
    "mechanism": "about this mechanism",
}
