"""Search across every kind of record: ranked hits with snippets, and list filters by search."""

import base64
import binascii
import dataclasses
import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import Base
from api.models import SearchDocument
from api.search import matching, snippets, syntax
from api.search.documents import BY_NAME
from api.services.errors import InvalidArgumentError


@dataclasses.dataclass(frozen=True)
class Hit:
    """A record the search found: which one, how well it matched, and where."""

    record_type: str
    record_id: int
    score: float
    snippet: str


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """One page of hits, each with its cursor, in rank order."""

    hits: list[tuple[Hit, str]]
    has_next_page: bool
    has_previous_page: bool


def parse(query: str) -> syntax.Node | None:
    """The search text as a tree, stop words left out (None: nothing left to find)."""
    try:
        return syntax.prune(syntax.parse(query))
    except syntax.SearchSyntaxError as exc:
        raise InvalidArgumentError(f"Invalid search {query[:100]!r}: {exc}") from exc


def matching_records(record_type: str, key: Any, query: str) -> ColumnElement[bool]:
    """A list-filter condition: the record's search document matches ``query``.

    A blank text is no condition, as it was before the filter searched the index (a search
    box left empty lists everything).
    """
    if not query.strip():
        return true()
    return matching.matches(record_type, key, parse(query))


@functools.cache
def model_of(record_type: str) -> Any:
    """The model class of a searchable record type."""
    table = BY_NAME[record_type].table
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table:
            return mapper.class_
    raise LookupError(table)


def _cursor(offset: int) -> str:
    payload = json.dumps(["search", offset]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        tag, offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError(f"Invalid cursor {cursor!r}.") from exc
    if tag != "search" or not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidArgumentError(f"Cursor {cursor!r} does not belong to a search.")
    return offset + 1


@dataclasses.dataclass(frozen=True)
class Ranked:
    """The statements behind a page of hits, for a caller that reads them in SQL too.

    ``rows``: every matching document (record_type, record_id, title, body, score), unordered,
    ranked by ``rank_order``; ``count``: how many match. ``rows`` and ``count`` are None when
    nothing can match (only stop words).
    """

    tree: syntax.Node | None
    rows: Any | None
    count: Any | None
    offset: int  # where the page starts (after the cursor)

    def page(self, first: int) -> Any:
        """The page's rows, in rank order: ``first + 1`` of them, to tell whether more follow."""
        assert self.rows is not None, "no page without rows"
        order = rank_order(self.rows.selected_columns)
        return self.rows.order_by(*order).offset(self.offset).limit(first + 1)


def rank_order(columns: Any) -> list[Any]:
    """Best first, then by type and id (no two hits tie), over the columns of ``rows``."""
    return [columns.score.desc(), columns.record_type, columns.record_id]


def _documents(tree: syntax.Node, dialect: str, types: Sequence[str] | None) -> Any:
    stmt: Any
    terms = syntax.positive_terms(tree)
    doc = SearchDocument
    if dialect == "postgresql":
        score = matching.postgresql_rank(terms).label("score")
        stmt = select(doc.record_type, doc.record_id, doc.title, doc.body, score)
    else:
        ranked = matching.sqlite_ranked(terms)
        rank = func.coalesce(ranked.c.rank, 0.0) if ranked is not None else 0.0
        score = (rank + matching.sqlite_cjk_score(terms)).label("score")
        stmt = select(doc.record_type, doc.record_id, doc.title, doc.body, score)
        if ranked is not None:
            stmt = stmt.outerjoin(ranked, ranked.c.id == doc.id)
    stmt = stmt.where(matching.condition(tree, dialect))
    if types is not None:
        stmt = stmt.where(doc.record_type.in_(types))
    return stmt


def ranked(
    dialect: str, *, query: str, types: Sequence[str] | None = None, after: str | None = None
) -> Ranked:
    """The statements of a search (``InvalidArgumentError``: bad text or cursor)."""
    tree, offset = parse(query), _offset(after)
    if tree is None:
        return Ranked(tree, None, None, offset)
    rows = _documents(tree, dialect, types)
    count = select(func.count()).select_from(SearchDocument)
    count = count.where(matching.condition(tree, dialect))
    if types is not None:
        count = count.where(SearchDocument.record_type.in_(types))
    return Ranked(tree, rows, count, offset)


def _dialect(session: AsyncSession) -> str:
    return str(session.get_bind().dialect.name)


async def search(
    session: AsyncSession,
    *,
    query: str,
    types: Sequence[str] | None = None,
    first: int,
    after: str | None = None,
) -> SearchPage:
    """A page of the records matching ``query``, best first, each with a snippet."""
    found = ranked(_dialect(session), query=query, types=types, after=after)
    offset = found.offset
    if found.tree is None or first == 0:
        return SearchPage([], has_next_page=False, has_previous_page=offset > 0)
    rows = (await session.execute(found.page(first))).all()
    terms = syntax.positive_terms(found.tree)
    hits = [
        (
            Hit(
                row.record_type,
                row.record_id,
                float(row.score),
                snippets.snippet(row.title, row.body, terms),
            ),
            _cursor(offset + n),
        )
        for n, row in enumerate(rows[:first])
    ]
    return SearchPage(hits, has_next_page=len(rows) > first, has_previous_page=offset > 0)


async def count(session: AsyncSession, *, query: str, types: Sequence[str] | None = None) -> int:
    """How many records match ``query``."""
    found = ranked(_dialect(session), query=query, types=types)
    if found.count is None:
        return 0
    return int((await session.execute(found.count)).scalar_one())
