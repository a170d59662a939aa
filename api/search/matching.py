"""A parsed search rendered as SQL for each database, its words always bound values.

Words and phrases are matched by each database's full-text index with English stemming
(PostgreSQL: the ``english`` text search configuration; SQLite: FTS5 ``porter unicode61``).
Chinese, Japanese and Korean text is matched as a substring, as those scripts put no spaces
between words (PostgreSQL: ``ILIKE`` served by a ``pg_trgm`` index; SQLite: the FTS5
``trigram`` table, or ``LIKE`` below three characters, which trigrams cannot index).
"""

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    and_,
    case,
    column,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from api.models import SearchDocument
from api.search.syntax import And, Node, Not, Term

_FTS = table("search_fts", column("rowid"))
_CJK = table("search_cjk", column("rowid"))
_DOCUMENT: ColumnElement[Any] = literal_column("search_document.document")
TITLE_WEIGHT, BODY_WEIGHT = 1.0, 0.4


def fts5_string(text: str) -> str:
    """``text`` as an FTS5 string: one phrase, whatever it holds."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere (``\\`` escapes)."""
    escaped = text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def _tsquery(term: Term) -> ColumnElement[Any]:
    # The text as PostgreSQL's parser reads it (U.S. is one token) or word by word, as
    # SQLite's does (end-use is end, use): either finds the record.
    spelled = func.phraseto_tsquery(literal_column("'english'"), term.text)
    words = " ".join(term.tokens)
    if words == term.text.casefold():
        return spelled
    return spelled.op("||")(func.phraseto_tsquery(literal_column("'english'"), words))


def _trigram_text() -> ColumnElement[str]:
    # Spelled as the trigram index's expression (a constant, not a parameter), so it is used.
    return SearchDocument.title.op("||")(literal_column("' '")).op("||")(SearchDocument.body)


def _predicate(term: Term, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        if term.cjk:
            return _trigram_text().ilike(like_pattern(term.text), escape="\\")
        return _DOCUMENT.op("@@")(_tsquery(term))
    if term.cjk:
        if len(term.text) < 3:
            pattern = like_pattern(term.text)
            return or_(
                SearchDocument.title.like(pattern, escape="\\"),
                SearchDocument.body.like(pattern, escape="\\"),
            )
        found = select(_CJK.c.rowid).where(
            literal_column("search_cjk").op("MATCH")(fts5_string(term.text))
        )
        return SearchDocument.id.in_(found)
    found = select(_FTS.c.rowid).where(
        literal_column("search_fts").op("MATCH")(fts5_string(" ".join(term.tokens)))
    )
    return SearchDocument.id.in_(found)


def condition(node: Node, dialect: str) -> ColumnElement[bool]:
    """The documents (``search_document``) the tree matches."""
    if isinstance(node, Term):
        return _predicate(node, dialect)
    if isinstance(node, Not):
        return not_(condition(node.item, dialect))
    parts = [condition(item, dialect) for item in node.items]
    return and_(*parts) if isinstance(node, And) else or_(*parts)


def _cjk_score(terms: list[Term], dialect: str) -> ColumnElement[float]:
    """Each Chinese term found in the title counts as much as a title word, else as a body one."""
    total: ColumnElement[float] = literal(0.0, Float)
    for term in terms:
        pattern = like_pattern(term.text)
        title, body = SearchDocument.title, SearchDocument.body
        matched = (
            (title.ilike(pattern, escape="\\"), body.ilike(pattern, escape="\\"))
            if dialect == "postgresql"
            else (title.like(pattern, escape="\\"), body.like(pattern, escape="\\"))
        )
        total = total + case(
            (matched[0], literal(TITLE_WEIGHT)), (matched[1], literal(BODY_WEIGHT)), else_=0.0
        )
    return total


def postgresql_rank(terms: list[Term]) -> ColumnElement[float]:
    """ts_rank over the positive words (normalized by document length) plus Chinese terms."""
    words = [term for term in terms if not term.cjk]
    rank: ColumnElement[float] = literal(0.0, Float)
    if words:
        query = _tsquery(words[0])
        for term in words[1:]:
            query = query.op("||")(_tsquery(term))
        rank = func.ts_rank(_DOCUMENT, query, 1, type_=Float)
    return rank + _cjk_score([t for t in terms if t.cjk], "postgresql")


def sqlite_ranked(terms: list[Term]) -> Any:
    """A subquery (id, rank) of the documents with any positive word, ranked by bm25, or None.

    bm25 is negative, lower is better; the title counts ten times the body.
    """
    words = [term for term in terms if not term.cjk]
    if not words:
        return None
    match = " OR ".join(fts5_string(" ".join(term.tokens)) for term in words)
    return (
        select(
            _FTS.c.rowid.label("id"),
            (-func.bm25(literal_column("search_fts"), 10.0, 1.0, type_=Float)).label("rank"),
        )
        .where(literal_column("search_fts").op("MATCH")(match))
        .subquery("ranked")
    )


def sqlite_cjk_score(terms: list[Term]) -> ColumnElement[float]:
    """The Chinese terms' part of a score on SQLite."""
    return _cjk_score([t for t in terms if t.cjk], "sqlite")


class _Matches(ColumnElement[bool]):
    """``key`` is the id of a ``record_type`` record whose document the tree matches."""

    type = Boolean()
    inherit_cache = False  # holds a parsed tree; rendered anew per dialect

    def __init__(self, record_type: str, key: Any, tree: Node) -> None:
        self.record_type = record_type
        self.record_key = key
        self.tree = tree


@compiles(_Matches)
def _compile_matches(element: _Matches, compiler: SQLCompiler, **kw: Any) -> str:
    found = select(SearchDocument.record_id).where(
        SearchDocument.record_type == element.record_type,
        condition(element.tree, compiler.dialect.name),
    )
    return str(compiler.process(element.record_key.in_(found), **kw))


def matches(record_type: str, key: Any, tree: Node | None) -> ColumnElement[bool]:
    """A condition on a list query: the record's document matches ``tree`` (None: nothing)."""
    if tree is None:
        return literal(False)  # noqa: FBT003  (an SQL boolean, not a flag)
    return _Matches(record_type, key, tree)
