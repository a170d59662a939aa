"""What hangs off a record: its names in other languages and the sources that support it."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Citation, LocalizedName, Source
from api.models.enums import SourceKind
from api.models.name import normalize_for_search
from api.services import editing
from api.services.addresses import citation_problem
from api.services.errors import FieldError, UserInputError
from api.services.fields import Field, Kind, Path, clean, collect, column_length, spec_for
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


def check_names(names: Sequence[Mapping[str, Any]], path: Path) -> list[dict[str, Any]]:
    """Cleaned names; UserInputError for any bad one."""
    return [clean(name, NAME_SPEC, path=(*path, n)) for n, name in enumerate(names)]


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
        add_name(session, text=name["text"], language=name["language"], **{owner: owner_id})
        added.append({"text": name["text"], "language": name["language"]})
    return added


def check_citations(citations: Sequence[Mapping[str, Any]], path: Path) -> list[dict[str, Any]]:
    """Cleaned citations (a source and the passage); UserInputError for any bad one."""
    cleaned = collect_each(citations, CITATION_SPEC, path)
    collect([e for n, c in enumerate(cleaned) for e in _citation_problems(c, (*path, n))])
    return cleaned


def _citation_problems(citation: Mapping[str, Any], path: Path) -> list[FieldError]:
    problem = citation_problem(
        citation.get("url"), citation.get("title"), citation.get("publisher")
    )
    problems = [] if problem is None else [FieldError((*path, "url"), "REQUIRED", problem)]
    if citation.get("verbatim") is not None and citation.get("quote") is None:
        message = "verbatim says whether the quote is word for word: give the quote too."
        problems.append(FieldError((*path, "verbatim"), "INVALID", message))
    return problems


def check_sources(
    sources: Sequence[Mapping[str, Any]], path: Path, *, name: str = "source"
) -> list[dict[str, Any]]:
    """Cleaned sources (an address, or a title and publisher); UserInputError for any bad one."""
    cleaned = []
    for n, source in enumerate(sources):
        where = (*path, name) if len(sources) == 1 else (*path, name, n)
        value = clean(source, SOURCE_SPEC, path=where)
        collect(_citation_problems(value, where))
        cleaned.append(value)
    return cleaned


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
    return await session.scalar(
        select(Source)
        .where(
            Source.url.is_(None),
            Source.title == citation["title"],
            Source.publisher == citation["publisher"],
            Source.__table__.c.published_date.is_(None)
            if published is None
            else Source.__table__.c.published_date == str(published),
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
        cited.append({"url": source.url, "title": source.title, "quote": citation.get("quote")})
    return cited


def links(
    model: Any, owner: str, target: Any, column: str, *, key: str | None = None
) -> Callable[[AsyncSession, Any, list[Mapping[str, Any]], Path], Awaitable[list[int]]]:
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

    async def add(
        session: AsyncSession, record: Any, items: list[Mapping[str, Any]], path: Path
    ) -> list[int]:
        cleaned = collect_each(items, spec, path)
        wanted = {(*path, n, key): item[key] for n, item in enumerate(cleaned)}
        collect(await editing.missing_ids(session, target, wanted))
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

    return add


def collect_each(
    items: Sequence[Mapping[str, Any]], spec: Mapping[str, Field], path: Path
) -> list[dict[str, Any]]:
    """Each item cleaned; one UserInputError listing the problems of all of them."""
    errors = []
    cleaned = []
    for n, item in enumerate(items):
        try:
            cleaned.append(clean(item, spec, path=(*path, n)))
        except UserInputError as exc:
            errors.extend(exc.errors)
    if errors:
        raise UserInputError(errors)
    return cleaned
