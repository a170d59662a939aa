"""The root Subscription: committed writes, as they happen, over a WebSocket on /graphql.

Each event is resolved like a query of its own: fresh loaders (nothing cached from the last
event), and the connection's database session handed back to the pool once the event is sent,
so an idle subscription holds no database connection.
"""

import asyncio
import contextlib
import enum
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api import models
from api.feed import FeedUnavailableError
from api.services import meetings
from api.services.changes import Change
from api.services.changes import ChangeKind as Kind
from schema.context import Info
from schema.errors import CodedError
from schema.inputs import MeetingFilterInput
from schema.types.meeting import Meeting


@strawberry.enum(description="What a write did to a record.")
class ChangeKind(enum.Enum):
    CREATED = strawberry.enum_value("CREATED", description="The record was created.")
    UPDATED = strawberry.enum_value("UPDATED", description="The record was changed.")
    DELETED = strawberry.enum_value("DELETED", description="The record was deleted.")


@strawberry.enum(description="The kinds of record a subscription can follow.")
class RecordType(enum.Enum):
    MEETING = strawberry.enum_value("meeting", description="Meetings.")
    MECHANISM = strawberry.enum_value("mechanism", description="Dialogue mechanisms.")
    PERSON = strawberry.enum_value("person", description="People.")
    ORGANIZATION = strawberry.enum_value("organization", description="Organizations.")
    TOPIC = strawberry.enum_value("topic", description="Topics.")
    POLICY_MEASURE = strawberry.enum_value("policy_measure", description="Policy measures.")
    SOURCE = strawberry.enum_value("source", description="Sources.")
    COMMITMENT = strawberry.enum_value("commitment", description="Commitments.")


_MODELS: dict[RecordType, Any] = {
    RecordType.MEETING: models.Meeting,
    RecordType.MECHANISM: models.Mechanism,
    RecordType.PERSON: models.Person,
    RecordType.ORGANIZATION: models.Organization,
    RecordType.TOPIC: models.Topic,
    RecordType.POLICY_MEASURE: models.PolicyMeasure,
    RecordType.SOURCE: models.Source,
    RecordType.COMMITMENT: models.Commitment,
}
_RECORD_TYPES = {model.__tablename__: kind for kind, model in _MODELS.items()}
_GRAPHQL_TYPES = {
    RecordType.MEETING: "Meeting",
    RecordType.MECHANISM: "Mechanism",
    RecordType.PERSON: "Person",
    RecordType.ORGANIZATION: "Organization",
    RecordType.TOPIC: "Topic",
    RecordType.POLICY_MEASURE: "PolicyMeasure",
    RecordType.SOURCE: "Source",
    RecordType.COMMITMENT: "Commitment",
}


@strawberry.type(description="A committed write to one record.")
class RecordChange:
    kind: ChangeKind = strawberry.field(description="Created, updated or deleted.")
    record_type: RecordType = strawberry.field(description="The kind of record.")
    id: relay.GlobalID = strawberry.field(description="The record's id (a Node id).")
    row_id: strawberry.Private[int]

    @strawberry.field(
        description="The record as it is now; null when it was deleted (or deleted since)."
    )
    async def record(self, info: Info) -> relay.Node | None:
        # Loaded only when asked for: a subscriber that wants the kind and id costs no query.
        if self.kind is ChangeKind.DELETED:
            return None
        loaded: relay.Node | None = await info.context.loaders.by_id(
            _MODELS[self.record_type]
        ).load(self.row_id)
        return loaded


TYPES = strawberry.argument(description="Only these kinds of record (default: all).")
KINDS = strawberry.argument(description="Only these kinds of change (default: all).")
FILTER = strawberry.argument(description="Only meetings this filter would list.")


@strawberry.type(description="Writes as they are committed, on any replica (over a WebSocket).")
class Subscription:
    @strawberry.subscription(
        description="Each meeting recorded from now on (recordMeeting), when it matches the filter."
    )
    async def meeting_recorded(
        self, info: Info, filter: Annotated[MeetingFilterInput | None, FILTER] = None
    ) -> AsyncGenerator[Meeting, None]:
        meeting_filter = filter.to_service() if filter is not None else None

        def wants(change: Change) -> bool:
            return change.kind is Kind.CREATED and change.record_type == "meeting"

        async for change in _changes(info, wants):
            if meeting_filter is not None and not await info.context.db.run(
                meetings.matches, meeting_filter, change.record_id
            ):
                continue
            meeting = await info.context.loaders.by_id(models.Meeting).load(change.record_id)
            if meeting is not None:
                yield meeting

    @strawberry.subscription(
        description="Every record created, updated or deleted from now on, of the kinds asked."
    )
    async def record_changed(
        self,
        info: Info,
        types: Annotated[list[RecordType] | None, TYPES] = None,
        kinds: Annotated[list[ChangeKind] | None, KINDS] = None,
    ) -> AsyncGenerator[RecordChange, None]:
        tables = {_MODELS[t].__tablename__ for t in types} if types is not None else None
        kind_names = {k.name for k in kinds} if kinds is not None else None

        def wants(change: Change) -> bool:
            return (tables is None or change.record_type in tables) and (
                kind_names is None or change.kind.name in kind_names
            )

        async for change in _changes(info, wants):
            record_type = _RECORD_TYPES[change.record_type]
            yield RecordChange(
                kind=ChangeKind[change.kind.name],
                record_type=record_type,
                id=relay.GlobalID(_GRAPHQL_TYPES[record_type], str(change.record_id)),
                row_id=change.record_id,
            )


async def _changes(info: Info, wants: Callable[[Change], bool]) -> AsyncGenerator[Change, None]:
    """The changes ``wants`` accepts, each with fresh loaders; the session is released
    between events (and while waiting for the first)."""
    context = info.context
    feed = context.changes
    if feed is None:
        raise CodedError("Subscriptions are not available here.", "BAD_REQUEST")
    await context.db.release()
    async with contextlib.AsyncExitStack() as stack:
        try:
            subscriber = await stack.enter_async_context(
                feed.subscribe(wants, _dropper(context.drop_connection))
            )
        except FeedUnavailableError as error:
            raise CodedError(str(error), "SERVICE_UNAVAILABLE") from error
        async for change in subscriber:
            context.forget_loaded()
            try:
                yield change
            finally:
                await context.db.release()
        raise CodedError(
            f"The subscription was dropped: {subscriber.reason}.", "SERVICE_UNAVAILABLE"
        )


def _dropper(close: Callable[[int, str], Awaitable[None]] | None) -> Callable[[int, str], None]:
    """Closes the connection (when there is one to close) without making the feed wait."""

    def on_drop(code: int, reason: str) -> None:
        if close is not None:
            task = asyncio.ensure_future(close(code, reason))
            _closing.add(task)
            task.add_done_callback(_closing.discard)

    return on_drop


_closing: set["asyncio.Future[None]"] = set()
"""Connections being closed (kept referenced until done)."""
