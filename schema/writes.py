"""Running a mutation: the token's scope, one transaction, idempotency, typed user errors.

Every mutation goes through ``run``: on any user error nothing is written; a creating mutation
with an ``idempotencyKey`` already used with the same input returns the first result.
"""

import dataclasses
import datetime as dt
import enum
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.utils.str_converters import to_camel_case

from api.models import AuditEntry, Scope
from api.partial_date import PartialDate
from api.services import changes, idempotency, records
from api.services.changes import Change, ChangeKind
from api.services.errors import FieldError, Refused, UserInputError
from api.services.tokens import Actor
from schema.auth import require
from schema.context import Info
from schema.ids import row_id
from schema.scalars import UncheckedPartialDate

Perform = Callable[[AsyncSession, Actor, dict[str, Any]], Awaitable[Any]]


@strawberry.enum(description="Why an input was refused.")
class UserErrorCode(enum.Enum):
    INVALID = strawberry.enum_value(
        "INVALID",
        description="A malformed value: a bad slug, an unknown country code, the id of the "
        "wrong kind of record.",
    )
    REQUIRED = strawberry.enum_value(
        "REQUIRED",
        description="A value that must be given was left out or empty.",
    )
    TOO_LONG = strawberry.enum_value(
        "TOO_LONG",
        description="Longer than the field holds (the limit is the column size).",
    )
    CONTROL_CHARACTERS = strawberry.enum_value(
        "CONTROL_CHARACTERS",
        description="Contains NUL, other control characters or lone surrogates.",
    )
    INVALID_DATE = strawberry.enum_value(
        "INVALID_DATE",
        description="Not a partial date, a day that does not exist, or an end before its start.",
    )
    INVALID_URL = strawberry.enum_value(
        "INVALID_URL",
        description="Not an http(s) URL of at most 2,048 characters.",
    )
    UNKNOWN_FIELD = strawberry.enum_value(
        "UNKNOWN_FIELD",
        description="A field the record does not have.",
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND",
        description="Names a record that does not exist.",
    )
    DUPLICATE = strawberry.enum_value(
        "DUPLICATE",
        description="A record with this key (slug, URL, ...) already exists.",
    )
    IN_USE = strawberry.enum_value(
        "IN_USE",
        description="Other records point at it, so it cannot be deleted.",
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT",
        description="The record changed since the version you read (expectedVersion).",
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="This idempotency key was used before with a different input.",
    )


@strawberry.type(description="Something wrong with a mutation's input; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field, e.g. ["participants", "2", "side"]; null when '
        "the input as a whole is refused."
    )
    code: UserErrorCode = strawberry.field(description="Why, as a stable code.")
    message: str = strawberry.field(description="Why, in words.")


def user_error(error: FieldError) -> UserError:
    """The GraphQL form of a service's field error (paths in the API's camel case)."""
    path = [to_camel_case(part) if isinstance(part, str) else str(part) for part in error.field]
    return UserError(field=path or None, code=UserErrorCode(error.code), message=error.message)


@dataclasses.dataclass
class Outcome:
    """What a mutation produced: the record, or the user errors; and whether it was a replay."""

    record: Any = None
    errors: list[UserError] = dataclasses.field(default_factory=list)
    replayed: bool = False
    change: Change | None = None  # what was committed, for subscribers
    # The records the write's transaction left loaded, and the kinds it left partly loaded:
    # the answer is read from them (Loaders.prime_written).
    written: list[Any] = dataclasses.field(default_factory=list)
    incomplete: frozenset[type] = frozenset()


_ID_TYPES = {
    "person_id": "Person",
    "organization_id": "Organization",
    "lead_organization_id": "Organization",
    "mechanism_id": "Mechanism",
    "predecessor_id": "Mechanism",
    "meeting_id": "Meeting",
    "agreed_at_meeting_id": "Meeting",
    "topic_id": "Topic",
    "topic_ids": "Topic",
    "commitment_id": "Commitment",
    "measure_id": "PolicyMeasure",
    "original_id": "Source",
    "source_id": "Source",
    "cadence_source_id": "Source",
    "assessed_source_id": "Source",
    "add_topic_ids": "Topic",
}


def values_of(data: Any, *, parent_type: str | None = None, path: tuple[Any, ...] = ()) -> Any:
    """An input object as a plain dict (snake_case, unset fields left out, ids as integers).

    Global ids must name the right kind of record: a Person's id where a Meeting's is wanted,
    or text that is no global id at all, is an INVALID user error on that field — carried as a
    ``Refused`` value, so the services report it with every other problem of the input.
    """
    if isinstance(data, list):
        return [
            values_of(item, parent_type=parent_type, path=(*path, n)) for n, item in enumerate(data)
        ]
    if not dataclasses.is_dataclass(data) or isinstance(data, type):
        return data
    values: dict[str, Any] = {}
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if value is strawberry.UNSET:
            continue
        name, where = field.name, (*path, field.name)
        if name in _SELF_IDS or name in _ID_TYPES:
            expected = parent_type if name in _SELF_IDS else _ID_TYPES[name]
            values[name] = _keys(value, expected, where)
        else:
            values[name] = _plain(value, where)
    return values


_SELF_IDS = frozenset({"id", "parent_id"})  # ids of the mutation's own kind of record


def _keys(value: Any, expected: str | None, path: tuple[Any, ...]) -> Any:
    """Row ids from the global id(s) of an id field (text: the inputs declare plain IDs)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_keys(item, expected, (*path, n)) for n, item in enumerate(value)]
    try:
        global_id = relay.GlobalID.from_id(value)
    except GlobalIDValueError:
        key = None
    else:
        key = row_id(global_id.node_id) if global_id.type_name == expected else None
    if key is None:
        what = f"a {expected}" if expected else "a record of this kind"
        return Refused(FieldError(path, "INVALID", f"{value} is not the id of {what}."))
    return key


def _plain(value: Any, path: tuple[Any, ...]) -> Any:
    if isinstance(value, UncheckedPartialDate):
        # Blank is no date, as in a filter (it meant null while dates were strings); null is.
        return Refused(FieldError(path, "INVALID_DATE", value.message))
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, list):
        return [_plain(item, (*path, n)) for n, item in enumerate(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return values_of(value, path=path)
    return value


async def run(
    info: Info,
    *,
    operation: str,
    data: Any,
    perform: Perform,
    parent_type: str | None = None,
    scope: Scope = Scope.WRITE,
) -> Outcome:
    """Run ``perform`` in one transaction, once, whatever the retries; see the module doc.

    ``parent_type`` is the GraphQL type of the record written: the kind an input's `id` and
    `parentId` must name.
    """
    actor = await require(info, scope)
    values = values_of(data, parent_type=parent_type)
    key = values.pop("idempotency_key", None)
    outcome = await _attempt(info, actor, operation, values, key, perform, parent_type)
    info.context.forget_loaded()
    if outcome.written:
        created = (
            outcome.record if outcome.change and outcome.change.kind is ChangeKind.CREATED else None
        )
        info.context.loaders.prime_written(outcome.written, created, outcome.incomplete)
    change = outcome.change
    if change is not None and info.context.changes is not None:
        info.context.changes.committed(change)
    return outcome


async def _attempt(
    info: Info,
    actor: Actor,
    operation: str,
    values: dict[str, Any],
    key: str | None,
    perform: Perform,
    parent_type: str | None,
) -> Outcome:
    fingerprint = idempotency.fingerprint(operation, values)
    # A second try absorbs a race lost to a concurrent writer (two requests adding the same
    # new person): the retry sees the winner's rows.
    for last_try in (False, True):
        async with info.context.db.writing() as session:
            try:
                return await _write(
                    session, actor, operation, values, key, fingerprint, perform, parent_type
                )
            except UserInputError as exc:
                await session.rollback()
                return Outcome(errors=[user_error(e) for e in exc.errors])
            except StaleDataError:
                await session.rollback()
                return Outcome(errors=[user_error(_CONFLICT)])
            except IntegrityError:
                await session.rollback()
                if key is not None:
                    replay = await _replay(session, actor, key, fingerprint)
                    if replay is not None:
                        return replay
                if last_try:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


_CONFLICT = FieldError(
    ("expected_version",), "CONFLICT", "Someone else changed the record meanwhile; read it again."
)


async def _write(
    session: AsyncSession,
    actor: Actor,
    operation: str,
    values: dict[str, Any],
    key: str | None,
    fingerprint: str,
    perform: Perform,
    parent_type: str | None,
) -> Outcome:
    kept: list[Any] = []
    session.info[_KEPT] = kept
    try:
        return await _write_kept(
            session, actor, operation, values, key, fingerprint, perform, parent_type, kept
        )
    finally:
        session.info.pop(_KEPT, None)


async def _write_kept(
    session: AsyncSession,
    actor: Actor,
    operation: str,
    values: dict[str, Any],
    key: str | None,
    fingerprint: str,
    perform: Perform,
    parent_type: str | None,
    kept: list[Any],
) -> Outcome:
    claim = None
    key_errors = [] if key is None else idempotency.key_errors(key)
    if key is not None and not key_errors:
        claim = await idempotency.claim(
            session,
            actor,
            key=idempotency.check_key(key),
            operation=operation,
            request_hash=fingerprint,
        )
    try:
        record = await perform(session, actor, values)
    except UserInputError as exc:
        raise UserInputError([*key_errors, *exc.errors]) from exc
    if key_errors:
        raise UserInputError(key_errors)
    if claim is not None:
        claim.result = {"type": record.__tablename__, "id": record.id}
    change = _change(operation, record, parent_type)
    entries = _audit_rows(session)
    await session.flush()  # what else the write added: one multi-row INSERT per table
    # One statement on PostgreSQL: the audit entries; cached reads are stale from this commit
    # on; subscribers hear of it.
    await changes.record_write(session, change, audit=entries)
    written, incomplete = _loaded(kept)
    await session.commit()
    return Outcome(record=record, change=change, written=written, incomplete=incomplete)


_AUDIT_COLUMNS = tuple(c.key for c in AuditEntry.__table__.columns if c.key != "id")


def _audit_rows(session: AsyncSession) -> list[dict[str, Any]]:
    """The audit entries the write added, taken out of the session as rows to insert."""
    rows = []
    for entry in [o for o in session.new if isinstance(o, AuditEntry)]:
        session.expunge(entry)
        row = {key: getattr(entry, key) for key in _AUDIT_COLUMNS}
        if row["occurred_at"] is None:  # the column's default, as a flush would apply it
            row["occurred_at"] = dt.datetime.now(dt.UTC)
        rows.append(row)
    return rows


_KEPT = "parley_kept"  # session.info: the records a write inserted or loaded


@event.listens_for(Session, "pending_to_persistent")
@event.listens_for(Session, "loaded_as_persistent")
def _keep(session: Session, row: Any) -> None:
    # The session holds its records weakly: a part's rows nobody refers to would be gone by
    # the time the answer is primed from them.
    kept = session.info.get(_KEPT)
    if kept is not None:
        kept.append(row)


def _loaded(kept: list[Any]) -> tuple[list[Any], frozenset[type]]:
    """The records kept that read nothing more (no expired column), and the kinds some do."""
    written, incomplete, seen = [], set(), set()
    for row in kept:
        if id(row) in seen:
            continue
        seen.add(id(row))
        state = sa_inspect(row)
        if state.expired_attributes or not state.persistent:
            incomplete.add(type(row))
        else:
            written.append(row)
    return written, frozenset(incomplete)


def _change(operation: str, record: Any, parent_type: str | None) -> Change:
    """What the write did: a deleting perform returns the id, the others the record."""
    if isinstance(record, int):
        return Change(changes.kind_of(operation), _TABLES[parent_type or ""], record)
    return Change(changes.kind_of(operation), record.__tablename__, record.id)


_TABLES = {"Meeting": "meeting"}  # the record types a mutation can delete


async def _replay(
    session: AsyncSession, actor: Actor, key: str, fingerprint: str
) -> Outcome | None:
    """The first call's result for a key used before; None if the key is not the cause."""
    try:
        result = await idempotency.previous(session, actor, key=key, request_hash=fingerprint)
    except UserInputError as exc:
        if exc.errors[0].code == "CONFLICT":
            return None
        return Outcome(errors=[user_error(e) for e in exc.errors])
    finally:
        await session.rollback()
    record = await records.by_table(session, str(result["type"]), int(result["id"]))
    await session.commit()  # ends the read without expiring the record, as a rollback would
    return Outcome(record=record, replayed=True)
