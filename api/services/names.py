"""Names in several languages, kept searchable the same way on every database."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.models import LocalizedName
from api.models.name import NAMED_COLUMNS, normalize_for_search


def add_name(session: AsyncSession, *, text: str, language: str, **owner: Any) -> LocalizedName:
    """Add a name for the record given as exactly one ``<table>_id=...`` keyword."""
    if len(owner) != 1 or next(iter(owner)) not in NAMED_COLUMNS:
        raise TypeError(f"name exactly one owner among {NAMED_COLUMNS}, got {sorted(owner)}")
    name = LocalizedName(
        text=text, normalized=normalize_for_search(text), language=language, **owner
    )
    session.add(name)
    return name
