"""Creating and updating the records around meetings: mechanisms, people, organizations,
topics, policy measures, sources and commitments, each described once as an ``Entity``.

A write checks the whole input first — fields, references, countries, unique keys, the rules
across fields and every list given with the record — and refuses it with every problem at
once; only an input with none is written.
"""

import dataclasses
import types
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from api.db import check_storable
from api.models.enums import NameOrigin
from api.services import attachments, audit, editing
from api.services.checks import Part, Rule
from api.services.errors import FieldError, Refused, failed_under
from api.services.fields import COUNTRY_CODE, Path, Spec, check, collect
from api.services.tokens import Actor


@dataclasses.dataclass(frozen=True)
class Entity:
    """How one kind of record is written."""

    model: Any
    spec: Spec
    references: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    countries: Mapping[str, str] = dataclasses.field(default_factory=dict)
    slug_from: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # columns besides the slug that no two records share
    named_by: str | None = None  # the column on localized_name, for records with names
    parts: Mapping[str, Part] = dataclasses.field(default_factory=dict)
    rules: Sequence[Rule] = ()

    @property
    def owner(self) -> str:
        """The column pointing at this record from citations and names."""
        return f"{self.model.__tablename__}_id"


@dataclasses.dataclass
class Checked:
    """An input that passed every check: its fields, its parts' plans, names and citations."""

    fields: dict[str, Any]
    plans: dict[str, Any]
    names: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    unique: list[tuple[str, Any]] = dataclasses.field(default_factory=list)  # not yet checked


async def _check_fields(
    session: AsyncSession,
    entity: Entity,
    values: Mapping[str, Any],
    record: Any,
    *,
    partial: bool,
    deferred: list[tuple[str, Any]] | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Scalar fields cleaned; ids that exist, country codes that are codes, free unique keys
    (the unique keys go to ``deferred`` instead, when given: see ``create``)."""
    scalars = {k: v for k, v in values.items() if k in entity.spec or k in entity.countries}
    spec = {**entity.spec, **dict.fromkeys(entity.countries, COUNTRY_CODE)}
    cleaned, errors = check(scalars, spec, partial=partial)
    for name, model in entity.references.items():
        if name in cleaned:
            errors += await editing.missing_ids(session, model, {(name,): cleaned[name]})
    errors += editing.country_errors({(name,): cleaned.get(name) for name in entity.countries})
    record_id = None if record is None else record.id
    unique = [*entity.unique, "slug"] if "slug" in entity.model.__table__.c else entity.unique
    for name in unique:
        if cleaned.get(name) is not None:
            if deferred is not None:
                deferred.append((name, cleaned[name]))
                continue
            errors += await editing.taken(
                session, entity.model, name, cleaned[name], (name,), exclude_id=record_id
            )
    return cleaned, errors


async def _taken(
    session: AsyncSession, entity: Entity, unique: Sequence[tuple[str, Any]]
) -> list[FieldError]:
    errors: list[FieldError] = []
    for name, value in unique:
        errors += await editing.taken(session, entity.model, name, value, (name,))
    return errors


def _rule_errors(
    entity: Entity, cleaned: Mapping[str, Any], record: Any, errors: list[FieldError]
) -> list[FieldError]:
    """The rules' verdicts on the record as the input would leave it."""
    current = {name: getattr(record, name, None) for name in entity.spec}
    view = types.SimpleNamespace(**{**current, **cleaned})
    failed = failed_under(errors, ())
    return [
        problem
        for rule in entity.rules
        if not failed.intersection(rule.fields)
        for problem in rule.check(view)
    ]


async def check_input(
    session: AsyncSession,
    entity: Entity,
    values: Mapping[str, Any],
    *,
    record: Any = None,
    partial: bool = False,
    problems: Sequence[FieldError] = (),
    defer_unique: bool = False,
) -> Checked:
    """The input checked as a whole; UserInputError lists ``problems`` and every other one.

    ``defer_unique``: an input with no other problem leaves its unique keys to the INSERT
    (``Checked.unique``); one with problems has them checked too, to list them all at once.
    """
    errors = list(problems)
    deferred: list[tuple[str, Any]] | None = [] if defer_unique else None
    cleaned, field_errors = await _check_fields(
        session, entity, values, record, partial=partial, deferred=deferred
    )
    errors += field_errors
    errors += _rule_errors(entity, cleaned, record, errors)
    names: list[dict[str, Any]] = []
    if entity.named_by is not None:
        names, name_errors = attachments.check_names(values.get("names") or [], ("names",))
        errors += name_errors
    plans: dict[str, Any] = {}
    for name, part in entity.parts.items():
        if values.get(name):
            plans[name], part_errors = await part.check(
                session, record, list(values[name]), (name,)
            )
            errors += part_errors
    citations, citation_errors = attachments.check_citations(
        values.get("sources") or [], ("sources",)
    )
    errors += citation_errors
    if errors and deferred:
        errors += await _taken(session, entity, deferred)
    collect(errors)
    return Checked(cleaned, plans, names, citations, deferred or [])


async def _settle_slug(
    session: AsyncSession, entity: Entity, cleaned: dict[str, Any], *, partial: bool
) -> None:
    """A new record without a slug gets one made from its name."""
    if "slug" not in entity.model.__table__.c or cleaned.get("slug") is not None:
        return
    cleaned.pop("slug", None)  # null in an update keeps the slug: records are always findable
    if not partial:
        parts = [_text(cleaned.get(name)) for name in entity.slug_from]
        cleaned["slug"] = await editing.new_slug(session, entity.model, *parts)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


async def _resolve_countries(
    session: AsyncSession, entity: Entity, cleaned: dict[str, Any]
) -> None:
    """Country codes become country ids (a country is added on first use)."""
    codes: dict[Path, str | None] = {
        (name,): cleaned.pop(name) for name in entity.countries if name in cleaned
    }
    for path, country_id in (await editing.country_ids(session, codes)).items():
        cleaned[entity.countries[str(path[0])]] = country_id


async def _attach(
    session: AsyncSession, entity: Entity, record: Any, checked: Checked
) -> dict[str, Any]:
    """Add names, citations and parts given with the record; returns them for the audit."""
    added: dict[str, Any] = {}
    if entity.named_by is not None:
        primary = (
            [{"text": record.name, "language": "en", "origin": NameOrigin.RECORD}]
            if hasattr(record, "name")
            else []
        )
        added["names"] = await attachments.add_names(
            session, entity.named_by, record.id, primary + checked.names
        )
    for name, plan in checked.plans.items():
        added[name] = await entity.parts[name].add(session, record, plan, (name,))
    if checked.citations:
        added["sources"] = await attachments.cite(
            session, entity.owner, record.id, checked.citations
        )
    return {key: value for key, value in added.items() if value}


async def create(
    session: AsyncSession,
    actor: Actor,
    entity: Entity,
    values: Mapping[str, Any],
    *,
    operation: str,
    problems: Sequence[FieldError] = (),
) -> Any:
    """Create a record from ``values``; UserInputError lists everything wrong."""
    checked = await check_input(session, entity, values, problems=problems, defer_unique=True)
    cleaned = checked.fields
    await _resolve_countries(session, entity, cleaned)
    await _settle_slug(session, entity, cleaned, partial=False)
    record = await _insert(session, entity, cleaned, checked.unique)
    attached = await _attach(session, entity, record, checked)
    changed = audit.changes({}, audit.snapshot(record))
    audit.record(
        session,
        actor,
        operation=operation,
        action="create",
        target=record,
        changed={**changed, **{k: [None, v] for k, v in attached.items()}},
    )
    return record


async def _insert(
    session: AsyncSession, entity: Entity, cleaned: dict[str, Any], unique: list[tuple[str, Any]]
) -> Any:
    """The new record, inserted; its unique keys (``unique``) checked by the INSERT itself.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a key already taken inserts nothing, and
    only then are the keys looked up, for the DUPLICATE errors — no query before the INSERT to
    find them free. A conflict the lookups do not explain fails as a plain INSERT would.
    """
    record = entity.model(**cleaned)
    if unique:
        mapper = sa_inspect(entity.model)
        values = {
            p.key: record.__dict__[p.key] for p in mapper.column_attrs if p.key in record.__dict__
        }
        check_storable(entity.model, values)
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(entity.model).values(**values).on_conflict_do_nothing()
        inserted = (await session.scalars(statement.returning(entity.model))).first()
        if inserted is not None:
            return inserted
        collect(await _taken(session, entity, unique))
    session.add(record)
    await session.flush()
    return record


async def _current(
    session: AsyncSession, entity: Entity, record_id: int | Refused, expected_version: int
) -> tuple[Any, list[FieldError]]:
    """The record being changed (None if there is none) and what is wrong with the reference."""
    if isinstance(record_id, Refused):
        return None, [record_id.error]
    record = await session.get(entity.model, record_id)
    if record is None:
        message = f"No {entity.model.__name__} has id {record_id}."
        return None, [FieldError(("id",), "NOT_FOUND", message)]
    return record, editing.version_errors(record, expected_version)


async def update(
    session: AsyncSession,
    actor: Actor,
    entity: Entity,
    *,
    record_id: int | Refused,
    expected_version: int,
    values: Mapping[str, Any],
    operation: str,
    problems: Sequence[FieldError] = (),
) -> Any:
    """Apply the given fields to the record at the version the client read."""
    record, found = await _current(session, entity, record_id, expected_version)
    checked = await check_input(
        session, entity, values, record=record, partial=True, problems=[*problems, *found]
    )
    cleaned = checked.fields
    await _resolve_countries(session, entity, cleaned)
    await _settle_slug(session, entity, cleaned, partial=True)
    before = audit.snapshot(record)
    editing.apply(record, cleaned)
    await session.flush()
    changed = audit.changes(before, audit.snapshot(record))
    attached = await _attach(session, entity, record, checked)
    if attached and not changed:
        flag_modified(record, "updated_at")  # adding a name or a source is a new version too
        await session.flush()
    changed.update({key: [None, value] for key, value in attached.items()})
    if changed:
        audit.record(
            session, actor, operation=operation, action="update", target=record, changed=changed
        )
    return record
