"""What hangs off a record: its names in other languages and the sources that support it."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Citation, LocalizedName, Source
from api.models.enums import NameOrigin, SourceKind
from api.models.name import normalize_for_search
from api.services import editing
from api.services.addresses import citation_problem
from api.services.checks import Part
from api.services.errors import FieldError, failed_under
from api.services.fields import Field, Kind, Path, check, check_each, column_length, spec_for
from api.services.names import add_name

NAME_SPEC = {
    "text": Field(Kind.LINE, required=True, max_length=300),
    "language": Field(Kind.LANGUAGE, required=True, max_length=16),
}
SOURCE_SPEC = spec_for(
    Source,
    {
        "url": (Kind.URL, False),
        "title": (Kind.LINE, False),
        "publisher": (Kind.LINE, False),
        "as_cited_in": (Kind.LINE, False),
        "kind": (Kind.VALUE, False),
        "language": (Kind.LANGUAGE, False),
        "published": (Kind.PARTIAL_DATE, False),
        "note": (Kind.TEXT, False),
    },
)
CITATION_SPEC = {
    **SOURCE_SPEC,
    "quote": Field(Kind.TEXT, max_length=4000),
    "verbatim": Field(Kind.VALUE),
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
    cleaned, errors = check_each(citations, CITATION_SPEC, path)
    failed = failed_under(errors, path)
    errors += [
        e
        for n, citation in enumerate(cleaned)
        if n not in failed
        for e in citation_problems(citation, (*path, n))
    ]
    return cleaned, errors


def check_source(value: Mapping[str, Any], path: Path) -> tuple[dict[str, Any], list[FieldError]]:
    """A source given whole (an address, or a title and publisher), and what is wrong with it."""
    cleaned, errors = check(value, SOURCE_SPEC, path=path)
    if not errors:
        errors += citation_problems(cleaned, path)
    return cleaned, errors


def citation_problems(citation: Mapping[str, Any], path: Path) -> list[FieldError]:
    """Why a cleaned source or citation cannot be followed or is inconsistent."""
    problem = citation_problem(
        citation.get("url"), citation.get("title"), citation.get("publisher")
    )
    problems = [] if problem is None else [FieldError((*path, "url"), "REQUIRED", problem)]
    if citation.get("verbatim") is not None and citation.get("quote") is None:
        message = "verbatim says whether the quote is word for word: give the quote too."
        problems.append(FieldError((*path, "verbatim"), "INVALID", message))
    return problems


async def source_for(session: AsyncSession, values: Mapping[str, Any]) -> Source:
    """The known source these values name, else a new one made from them."""
    source = await _source_of(session, values)
    if source is None:
        fields = {k: v for k, v in values.items() if k in SOURCE_SPEC and v is not None}
        fields.setdefault("kind", SourceKind.OTHER)
        source = Source(**fields)
        session.add(source)
        await session.flush()
    return source


async def _source_of(session: AsyncSession, citation: Mapping[str, Any]) -> Source | None:
    """The known source a citation names: by address, else by title, publisher and date."""
    if citation.get("url") is not None:
        return await session.scalar(select(Source).where(Source.url == citation["url"]))
    published = citation.get("published")
    column = Source.__table__.c.published_date
    return await session.scalar(
        select(Source)
        .where(
            Source.url.is_(None),
            Source.title == citation["title"],
            Source.publisher == citation["publisher"],
            column.is_(None) if published is None else column == str(published),
        )
        .order_by(Source.id)
        .limit(1)
    )


async def cite(
    session: AsyncSession, owner: str, owner_id: int, citations: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Cite each source for the record, adding sources not known yet; returns what was cited."""
    cited = []
    for citation in citations:
        source = await source_for(session, citation)
        session.add(
            Citation(
                source_id=source.id,
                quote=citation.get("quote"),
                verbatim=citation.get("verbatim"),
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
