"""What every write shares: lookups that fail as NOT_FOUND, versions, slugs and countries."""

from collections.abc import Mapping, Sequence
from typing import Any

import pycountry
from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Country
from api.models.columns import SLUG_LENGTH
from api.services.errors import FieldError, UserInputError
from api.services.fields import Path, collect


async def existing(session: AsyncSession, model: Any, record_id: int, path: Path) -> Any:
    """The record, or a NOT_FOUND user error at ``path``."""
    found = await session.get(model, record_id)
    if found is None:
        name = model.__name__
        raise UserInputError.one(path, "NOT_FOUND", f"No {name} has id {record_id}.")
    return found


async def by_slug(session: AsyncSession, model: Any, slug: str, path: Path) -> Any:
    """The record with this slug, or a NOT_FOUND user error at ``path``."""
    found = await session.scalar(select(model).where(model.slug == slug))
    if found is None:
        raise UserInputError.one(path, "NOT_FOUND", f"No {model.__name__} has slug {slug!r}.")
    return found


async def missing_ids(
    session: AsyncSession, model: Any, references: Mapping[Path, int | None]
) -> list[FieldError]:
    """NOT_FOUND errors for each referenced id that does not exist (one query per model)."""
    references = {path: key for path, key in references.items() if isinstance(key, int)}
    wanted = set(references.values())
    if not wanted:
        return []
    # Whole rows: the write's answer is read from them (schema.writes primes its loaders).
    found = {row.id for row in await session.scalars(select(model).where(model.id.in_(wanted)))}
    return [
        FieldError(path, "NOT_FOUND", f"No {model.__name__} has id {key}.")
        for path, key in references.items()
        if key is not None and key not in found
    ]


def version_errors(
    record: Any, expected: int, path: Path = ("expected_version",)
) -> list[FieldError]:
    """CONFLICT unless the record is still at the version the client read."""
    if record.version == expected:
        return []
    message = (
        f"The record changed since you read it (version {expected}, now {record.version}); "
        "read it again and reapply your change."
    )
    return [FieldError(tuple(path), "CONFLICT", message)]


def check_version(record: Any, expected: int, path: Path = ("expected_version",)) -> None:
    """Raise CONFLICT unless the record is still at the version the client read."""
    collect(version_errors(record, expected, path))


async def taken(
    session: AsyncSession,
    model: Any,
    column: str,
    value: Any,
    path: Path,
    *,
    exclude_id: int | None = None,
) -> list[FieldError]:
    """DUPLICATE when another record has ``value`` in the unique ``column``."""
    stmt = select(model.id).where(getattr(model, column) == value)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    if await session.scalar(stmt) is None:
        return []
    message = f"Another {model.__name__} has the {column} {value!r}."
    return [FieldError(path, "DUPLICATE", message)]


async def free_value(
    session: AsyncSession,
    model: Any,
    column: str,
    value: Any,
    path: Path,
    *,
    exclude_id: int | None = None,
) -> Any:
    """The value if no other record has it in the unique ``column``; DUPLICATE otherwise."""
    collect(await taken(session, model, column, value, path, exclude_id=exclude_id))
    return value


def slug_of(*parts: str | None) -> str:
    """The slug ``parts`` make, transliterated: 王文涛 -> wang-wen-tao."""
    return slugify(" ".join(p for p in parts if p), max_length=SLUG_LENGTH - 8) or "record"


async def new_slug(session: AsyncSession, model: Any, *parts: str | None) -> str:
    """A slug made from ``parts``, made unique with a numeric suffix."""
    base = slug_of(*parts)
    taken = set(
        await session.scalars(
            select(model.slug).where(
                (model.slug == base) | model.slug.like(base.replace("_", r"\_") + "-%", "\\")
            )
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _country(code: str) -> Any:
    return pycountry.countries.get(alpha_2=code.strip().upper())


def country_errors(codes: Mapping[Path, str | None]) -> list[FieldError]:
    """INVALID for each code that is no ISO 3166-1 alpha-2 code (no query needed)."""
    return [
        FieldError(
            path, "INVALID", f"{code!r} is not an ISO 3166-1 alpha-2 country code (US, CN ...)."
        )
        for path, code in codes.items()
        if code is not None and _country(code) is None
    ]


async def country_ids(
    session: AsyncSession, codes: Mapping[Path, str | None]
) -> dict[Path, int | None]:
    """Country ids for ISO 3166 alpha-2 codes, adding countries on first use; INVALID if unknown."""
    collect(country_errors(codes))
    wanted: dict[str, str] = {}
    for code in codes.values():
        if code is not None:
            iso = _country(code)
            wanted[iso.alpha_2] = getattr(iso, "common_name", iso.name)
    if not wanted:
        return dict.fromkeys(codes)
    # Whole rows: the write's answer is read from them (schema.writes primes its loaders).
    rows = await session.scalars(select(Country).where(Country.code.in_(wanted)))
    known: dict[str, int] = {country.code: country.id for country in rows}
    for code in sorted(set(wanted) - set(known)):
        added = Country(code=code, name=wanted[code])
        session.add(added)
        await session.flush()
        known[code] = added.id
    return {
        path: known[code.strip().upper()] if code is not None else None
        for path, code in codes.items()
    }


def apply(record: Any, values: Mapping[str, Any]) -> None:
    """Set each attribute of ``record`` to its new value."""
    for name, value in values.items():
        setattr(record, name, value)


def require_one(values: Mapping[str, Any], names: Sequence[str], path: Path) -> list[FieldError]:
    """An error unless at least one of ``names`` is given."""
    if any(values.get(name) is not None for name in names):
        return []
    listed = " or ".join(names)
    return [FieldError(path, "REQUIRED", f"Give {listed}.")]


async def count(session: AsyncSession, model: Any, *conditions: Any) -> int:
    """How many rows of ``model`` meet the conditions."""
    return int(
        await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    )
