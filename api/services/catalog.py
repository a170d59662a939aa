"""Creating and updating the records around meetings: mechanisms, people, organizations,
topics, policy measures, sources and commitments, each described once as an ``Entity``."""

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from api.models.enums import NameOrigin
from api.services import attachments, audit, editing
from api.services.errors import FieldError
from api.services.fields import COUNTRY_CODE, Path, Spec, clean, collect
from api.services.tokens import Actor

# A part of a record given as a list (parties, topics ...): checked, then added after flush.
Extra = Callable[[AsyncSession, Any, list[Mapping[str, Any]], Path], Awaitable[list[Any]]]


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
    extras: Mapping[str, Extra] = dataclasses.field(default_factory=dict)
    rules: Callable[[Any], list[FieldError]] = lambda _record: []  # across fields, after edits

    @property
    def owner(self) -> str:
        """The column pointing at this record from citations and names."""
        return f"{self.model.__tablename__}_id"


async def _cleaned(
    session: AsyncSession,
    entity: Entity,
    values: Mapping[str, Any],
    *,
    partial: bool,
    record_id: int | None = None,
) -> dict[str, Any]:
    """Scalar values checked and resolved: ids exist, countries become ids, slugs are free."""
    scalars = {k: v for k, v in values.items() if k in entity.spec or k in entity.countries}
    spec = {**entity.spec, **dict.fromkeys(entity.countries, COUNTRY_CODE)}
    cleaned = clean(scalars, spec, partial=partial)
    problems: list[FieldError] = []
    for name, model in entity.references.items():
        if name in cleaned:
            problems += await editing.missing_ids(session, model, {(name,): cleaned[name]})
    collect(problems)
    codes: dict[Path, str | None] = {
        (name,): cleaned.pop(name) for name in entity.countries if name in cleaned
    }
    for path, country_id in (await editing.country_ids(session, codes)).items():
        cleaned[entity.countries[str(path[0])]] = country_id
    for name in entity.unique:
        if cleaned.get(name) is not None:
            await editing.free_value(
                session, entity.model, name, cleaned[name], (name,), exclude_id=record_id
            )
    await _settle_slug(session, entity, cleaned, partial=partial, record_id=record_id)
    return cleaned


async def _settle_slug(
    session: AsyncSession,
    entity: Entity,
    cleaned: dict[str, Any],
    *,
    partial: bool,
    record_id: int | None,
) -> None:
    """A given slug must be free; a new record without one gets one made from its name."""
    if "slug" not in entity.model.__table__.c:
        return
    slug = cleaned.pop("slug", None)
    if slug is not None:
        cleaned["slug"] = await editing.free_value(
            session, entity.model, "slug", slug, ("slug",), exclude_id=record_id
        )
    elif not partial:
        parts = [_text(cleaned.get(name)) for name in entity.slug_from]
        cleaned["slug"] = await editing.new_slug(session, entity.model, *parts)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


async def _attach(
    session: AsyncSession, entity: Entity, record: Any, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Add names, citations and extras given with the record; returns them for the audit."""
    added: dict[str, Any] = {}
    if entity.named_by is not None:
        names = attachments.check_names(values.get("names") or [], ("names",))
        primary = (
            [{"text": record.name, "language": "en", "origin": NameOrigin.RECORD}]
            if hasattr(record, "name")
            else []
        )
        added["names"] = await attachments.add_names(
            session, entity.named_by, record.id, primary + names
        )
    for name, extra in entity.extras.items():
        if values.get(name):
            added[name] = await extra(session, record, list(values[name]), (name,))
    if values.get("sources"):
        citations = attachments.check_citations(values["sources"], ("sources",))
        added["sources"] = await attachments.cite(session, entity.owner, record.id, citations)
    return {key: value for key, value in added.items() if value}


async def create(
    session: AsyncSession,
    actor: Actor,
    entity: Entity,
    values: Mapping[str, Any],
    *,
    operation: str,
) -> Any:
    """Create a record from ``values``; UserInputError lists everything wrong."""
    cleaned = await _cleaned(session, entity, values, partial=False)
    record = entity.model(**cleaned)
    collect(entity.rules(record))
    session.add(record)
    await session.flush()
    attached = await _attach(session, entity, record, values)
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


async def update(
    session: AsyncSession,
    actor: Actor,
    entity: Entity,
    *,
    record_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    operation: str,
) -> Any:
    """Apply the given fields to the record at the version the client read."""
    record = await editing.existing(session, entity.model, record_id, ("id",))
    editing.check_version(record, expected_version)
    cleaned = await _cleaned(session, entity, values, partial=True, record_id=record.id)
    before = audit.snapshot(record)
    editing.apply(record, cleaned)
    collect(entity.rules(record))
    await session.flush()
    changed = audit.changes(before, audit.snapshot(record))
    attached = await _attach(session, entity, record, values)
    if attached and not changed:
        flag_modified(record, "updated_at")  # adding a name or a source is a new version too
        await session.flush()
    changed.update({key: [None, value] for key, value in attached.items()})
    if changed:
        audit.record(
            session, actor, operation=operation, action="update", target=record, changed=changed
        )
    return record
