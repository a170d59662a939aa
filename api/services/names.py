"""Names in several languages, kept searchable the same way on every database."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.models import LocalizedName
from api.models.enums import NameOrigin
from api.models.name import NAMED_COLUMNS, normalize_for_search


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
