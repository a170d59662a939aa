"""Names in several languages, kept searchable the same way on every database."""

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import LocalizedName, Person
from api.models.enums import NameOrigin
from api.models.name import NAMED_COLUMNS, normalize_for_search
from api.services import editing


def add_name(
    session: AsyncSession,
    *,
    text: str,
    language: str,
    origin: NameOrigin = NameOrigin.UNVERIFIED,
    source_id: int | None = None,
    **owner: Any,
) -> LocalizedName:
    """Add a name for the record given as exactly one ``<table>_id=...`` keyword."""
    if len(owner) != 1 or next(iter(owner)) not in NAMED_COLUMNS:
        raise TypeError(f"name exactly one owner among {NAMED_COLUMNS}, got {sorted(owner)}")
    if (origin is NameOrigin.SOURCE) != (source_id is not None):
        raise ValueError("a name has a source exactly when its origin is SOURCE")
    name = LocalizedName(
        text=text,
        normalized=normalize_for_search(text),
        language=language,
        origin=origin,
        source_id=source_id,
        **owner,
    )
    session.add(name)
    return name


async def person_named(session: AsyncSession, name: str) -> Person:
    """The person called ``name`` (by slug or by any of their names), created if new."""
    found = await session.scalar(
        select(Person)
        .where(
            or_(
                Person.slug == editing.slug_of(name),
                Person.id.in_(
                    select(LocalizedName.person_id).where(
                        LocalizedName.normalized == normalize_for_search(name)
                    )
                ),
            )
        )
        .order_by(Person.id)
        .limit(1)
    )
    if found is not None:
        return found
    person = Person(slug=await editing.new_slug(session, Person, name), name=name)
    session.add(person)
    await session.flush()
    add_name(session, text=name, language="en", origin=NameOrigin.RECORD, person_id=person.id)
    return person
