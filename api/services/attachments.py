"""What hangs off a record: its names in other languages and the sources that support it."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Citation, LocalizedName, Source
from api.models.enums import NameOrigin, SourceKind
from api.models.name import normalize_for_search
from api.services import editing
from api.services.checks import Part
from api.services.errors import FieldError
from api.services.fields import Field, Kind, Path, check_each, column_length, spec_for
from api.services.names import add_name

NAME_SPEC = {
    "text": Field(Kind.LINE, required=True, max_length=300),
    "language": Field(Kind.LANGUAGE, required=True, max_length=16),
}
SOURCE_SPEC = spec_for(
    Source,
    {
        "url": (Kind.URL, True),
        "title": (Kind.LINE, False),
        "publisher": (Kind.LINE, False),
        "kind": (Kind.VALUE, False),
        "language": (Kind.LANGUAGE, False),
        "published": (Kind.PARTIAL_DATE, False),
        "note": (Kind.TEXT, False),
    },
)
CITATION_SPEC = {
    **SOURCE_SPEC,
    "quote": Field(Kind.TEXT, max_length=4000),
    "citation_note": Field(Kind.TEXT, max_length=4000),
}


def check_names(
    names: Sequence[Mapping[str, Any]], path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Cleaned names, and what is wrong with any of them."""
    return check_each(names, NAME_SPEC, path)


async def add_names(
    session: AsyncSession, owner: str, owner_id: int, names: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Add the names the record does not have yet; returns those added."""
    rows = await session.execute(
        select(LocalizedName.language, LocalizedName.normalized).where(
            getattr(LocalizedName, owner) == owner_id
        )
    )
    present = {(language, normalized) for language, normalized in rows.all()}
    added = []
    for name in names:
        key = (name["language"], normalize_for_search(name["text"]))
        if key in present:
            continue
        present.add(key)
        origin = name.get("origin", NameOrigin.UNVERIFIED)
        add_name(
            session,
            text=name["text"],
            language=name["language"],
            origin=origin,
            **{owner: owner_id},
        )
        added.append({"text": name["text"], "language": name["language"]})
    return added


def check_citations(
    citations: Sequence[Mapping[str, Any]], path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Cleaned citations (a source and the passage), and what is wrong with any of them."""
    return check_each(citations, CITATION_SPEC, path)


async def cite(
    session: AsyncSession, owner: str, owner_id: int, citations: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Cite each source for the record, adding sources not known by URL; returns what was cited."""
    cited = []
    for citation in citations:
        source = await session.scalar(select(Source).where(Source.url == citation["url"]))
        if source is None:
            fields = {k: v for k, v in citation.items() if k in SOURCE_SPEC and v is not None}
            fields.setdefault("kind", SourceKind.OTHER)
            source = Source(**fields)
            session.add(source)
            await session.flush()
        session.add(
            Citation(
                source_id=source.id,
                quote=citation.get("quote"),
                note=citation.get("citation_note"),
                **{owner: owner_id},
            )
        )
        cited.append({"url": source.url, "quote": citation.get("quote")})
    return cited


def links(model: Any, owner: str, target: Any, column: str, *, key: str | None = None) -> Part:
    """A part of a record that links it to existing ``target`` records by id, with a note.

    ``model`` is the link table, ``owner`` and ``column`` its columns for the record and the
    target; the input names the target's id ``key`` (``column`` by default). A target linked
    already is skipped, so repeating a link is harmless.
    """
    key = key or column
    spec = {
        key: Field(Kind.VALUE, required=True),
        "note": Field(Kind.TEXT, max_length=column_length(model, "note")),
    }

    async def check_links(
        session: AsyncSession, _record: Any, items: list[Mapping[str, Any]], path: Path
    ) -> tuple[list[dict[str, Any]], list[FieldError]]:
        cleaned, errors = check_each(items, spec, path)
        wanted = {(*path, n, key): item.get(key) for n, item in enumerate(cleaned)}
        errors += await editing.missing_ids(session, target, wanted)
        return cleaned, errors

    async def add(
        session: AsyncSession, record: Any, cleaned: list[dict[str, Any]], _path: Path
    ) -> list[int]:
        present = set(
            await session.scalars(
                select(getattr(model, column)).where(getattr(model, owner) == record.id)
            )
        )
        added = []
        for item in cleaned:
            if item[key] in present:
                continue
            present.add(item[key])
            session.add(model(note=item.get("note"), **{owner: record.id, column: item[key]}))
            added.append(item[key])
        return added

    return Part(check_links, add)
