"""The audit trail as GraphQL: an entry type, and the `history` of every record."""

import datetime as dt
from typing import Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import models
from api.models import Scope
from api.services import audit
from schema.compiled.fields import NestedConnection, compiled
from schema.context import Info
from schema.pagination import After, Before, Connection, First, Last, nested_connection
from schema.types.node import ModelNode


@strawberry.type(
    description="One write: who (which token) changed which record, how and when. Read by "
    "`node`/`nodes` it needs an admin token, as `auditLog` does."
)
class AuditEntry(ModelNode):
    __model__: ClassVar = models.AuditEntry
    __scope__: ClassVar = Scope.ADMIN

    id: relay.NodeID[int]
    occurred_at: dt.datetime = strawberry.field(description="When the write was committed.")
    token_name: str = strawberry.field(description="The name of the token that wrote.")
    operation: str = strawberry.field(description="The mutation, e.g. recordMeeting.")
    action: str = strawberry.field(description="create, update or delete.")
    record_type: str = strawberry.field(description="The kind of record (its table).")
    record_id: int = strawberry.field(description="The record's database id.")
    changes: JSON = strawberry.field(
        description='Each changed field: {"title": [before, after]}; lists added appear as '
        "[null, [...]]."
    )


def history_of(table: str) -> Any:
    """A `history` connection listing the audit entries of the record, newest first."""
    rows = audit.list_history(table)

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEntry]:
        return await nested_connection(
            info,
            key=("history", table),
            rows=rows,
            parent=models.AuditEntry.record_id,
            parent_id=root.id,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    return strawberry.field(
        resolver=resolve,
        description="Every change made to this record, newest first.",
        metadata=compiled(NestedConnection("AuditEntry", "record_id", lambda _arguments: rows)),
    )
