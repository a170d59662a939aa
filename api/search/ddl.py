"""The search index in the database: its indexes, and triggers built from the declarations.

Triggers, rather than the write path, keep each record's document current: every write
refreshes it in the same transaction whoever makes it — a mutation, the seed loader, a
script, a bulk load, a cascading delete. A refresh deletes the document and selects it anew
from the record's tables, so any change to any of them gives the same result.

The migrations call these functions; they run on a synchronous connection (``op.get_bind()``).
"""

# ruff: noqa: S608  (the SQL is built from the declarations in code, never from input)

import dataclasses

from sqlalchemy import text
from sqlalchemy.engine import Connection

from api.search.documents import Parent, Related, Searchable

NL = "\n"  # fields of a document's body are kept one per line, for snippets


def _joined(alias: str, columns: tuple[str, ...], separator: str) -> str:
    """The non-null columns of ``alias`` joined by ``separator`` ('' when all are null)."""
    parts = " || ".join(f"coalesce({alias}.{c} || '{separator}', '')" for c in columns)
    return f"rtrim({parts}, '{separator}')"


def _related(part: Related, dialect: str) -> str:
    row = _joined("r", part.columns, NL)
    where = f"FROM {part.table} r WHERE r.{part.key} = t.id"
    if dialect == "postgresql":
        aggregated = f"(SELECT string_agg({row}, '{NL}' ORDER BY r.id) {where})"
    else:
        # SQLite's group_concat has no ORDER BY before 3.44: order the rows it reads.
        aggregated = (
            f"(SELECT group_concat(x.v, '{NL}') FROM (SELECT {row} AS v {where} ORDER BY r.id) x)"
        )
    return f"coalesce({aggregated} || '{NL}', '')"


def _parent(part: Parent) -> str:
    row = _joined("p", part.columns, NL)
    return f"coalesce((SELECT {row} FROM {part.table} p WHERE p.id = t.{part.key}) || '{NL}', '')"


def document_select(searchable: Searchable, dialect: str) -> str:
    """SELECT (record_type, record_id, title, body) of every record, aliased ``t``."""
    title = _joined("t", searchable.title, " ")
    own = [f"coalesce(t.{c} || '{NL}', '')" for c in searchable.body]
    related = [_related(part, dialect) for part in searchable.related]
    parents = [_parent(part) for part in searchable.parents]
    parts = " || ".join([*own, *related, *parents]) or "''"
    body = f"rtrim({parts}, '{NL}')"
    return f"SELECT '{searchable.name}', t.id, {title}, {body} FROM {searchable.table} t"


def _refresh(searchable: Searchable, key: str, dialect: str, column: str = "id") -> str:
    """Statements replacing the documents of the records whose ``column`` is ``key``.

    By id, a record that is gone loses its document; by another column (a parent's id), the
    records pointing at it get theirs anew.
    """
    which = (
        f"record_id = {key}"
        if column == "id"
        else f"record_id IN (SELECT id FROM {searchable.table} WHERE {column} = {key})"
    )
    return (
        f"DELETE FROM search_document WHERE record_type = '{searchable.name}' AND {which}; "
        "INSERT INTO search_document (record_type, record_id, title, body) "
        f"{document_select(searchable, dialect)} WHERE t.{column} = {key};"
    )


@dataclasses.dataclass(frozen=True)
class _Source:
    """A table whose writes change documents: rows' ``row_key`` is the records' ``record_key``."""

    table: str
    row_key: str
    record_key: str
    columns: tuple[str, ...]
    parent: bool = False  # only updates matter: nothing points at a new row yet


def _sources(searchable: Searchable) -> list[_Source]:
    own_columns = (
        *searchable.title,
        *searchable.body,
        *(part.key for part in searchable.parents),
    )
    return [
        _Source(searchable.table, "id", "id", own_columns),
        *(_Source(p.table, p.key, "id", (*p.columns, p.key)) for p in searchable.related),
        *(_Source(p.table, "id", p.key, p.columns, parent=True) for p in searchable.parents),
    ]


def trigger_name(searchable: Searchable, table: str) -> str:
    return f"search_{searchable.name}__{table}"


def _sqlite_triggers(searchable: Searchable) -> list[str]:
    statements = []
    for source in _sources(searchable):
        table, key, name = source.table, source.row_key, trigger_name(searchable, source.table)
        of = ", ".join(source.columns)
        if source.parent:
            refresh = _refresh(searchable, "NEW.id", "sqlite", source.record_key)
            statements.append(
                f"CREATE TRIGGER {name}_update AFTER UPDATE OF {of} ON {table} BEGIN {refresh} END"
            )
            continue
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
            f"{_refresh(searchable, f'NEW.{key}', 'sqlite')} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {of} ON {table} BEGIN "
            f"{_refresh(searchable, f'NEW.{key}', 'sqlite')} END",
            f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {key} ON {table} "
            f"WHEN OLD.{key} IS NOT NEW.{key} BEGIN "
            f"{_refresh(searchable, f'OLD.{key}', 'sqlite')} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN "
            f"{_refresh(searchable, f'OLD.{key}', 'sqlite')} END",
        ]
    return statements


def _postgresql_triggers(searchable: Searchable) -> list[str]:
    statements = []
    for source in _sources(searchable):
        table, key, name = source.table, source.row_key, trigger_name(searchable, source.table)
        columns = source.columns
        if source.parent:
            refresh = _refresh(searchable, "NEW.id", "postgresql", source.record_key)
            statements += [
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{refresh} RETURN NULL; END $$",
                f"CREATE TRIGGER {name} AFTER UPDATE OF {', '.join(columns)} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            ]
            continue
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.{key} IS DISTINCT FROM NEW.{key}) "
            f"THEN {_refresh(searchable, f'OLD.{key}', 'postgresql')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_refresh(searchable, f'NEW.{key}', 'postgresql')} "
            "END IF; RETURN NULL; END $$".replace("{key}", key),
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def triggers(searchable: Searchable, dialect: str) -> list[str]:
    """The DDL of the triggers keeping ``searchable``'s documents current."""
    if dialect == "postgresql":
        return _postgresql_triggers(searchable)
    return _sqlite_triggers(searchable)


def trigger_names(searchables: tuple[Searchable, ...], dialect: str) -> set[str]:
    """The names of the triggers ``install`` creates for these kinds of record."""
    names = set()
    for searchable in searchables:
        for source in _sources(searchable):
            name = trigger_name(searchable, source.table)
            if dialect == "postgresql":
                names.add(name)
            elif source.parent:
                names.add(f"{name}_update")
            else:
                names |= {f"{name}_{event}" for event in ("insert", "update", "moved", "delete")}
    return names


def installed_trigger_names(bind: Connection) -> set[str]:
    """The search triggers the database has (a batch ALTER on SQLite drops a table's own)."""
    if bind.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    found = {row[0] for row in bind.execute(text(query)) if row[0].startswith("search_")}
    return found - {
        "search_document_insert",
        "search_document_delete",
        "search_document_update",
    }


def _drop_triggers(searchable: Searchable, dialect: str) -> list[str]:
    statements = []
    for source in _sources(searchable):
        table, name = source.table, trigger_name(searchable, source.table)
        if dialect == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS {name}_{event}"
                for event in ("insert", "update", "moved", "delete")
            ]
    return statements


def _run(bind: Connection, statements: list[str]) -> None:
    for statement in statements:
        bind.execute(text(statement))


def rebuild(bind: Connection, searchable: Searchable) -> None:
    """Every document of ``searchable`` anew, from the rows as they are."""
    dialect = bind.dialect.name
    _run(
        bind,
        [
            f"DELETE FROM search_document WHERE record_type = '{searchable.name}'",
            "INSERT INTO search_document (record_type, record_id, title, body) "
            + document_select(searchable, dialect),
        ],
    )


def install(bind: Connection, searchables: tuple[Searchable, ...]) -> None:
    """Make records of these kinds searchable: triggers, and documents of the rows there."""
    for searchable in searchables:
        _run(bind, _drop_triggers(searchable, bind.dialect.name))
        _run(bind, triggers(searchable, bind.dialect.name))
        rebuild(bind, searchable)


def uninstall(bind: Connection, searchables: tuple[Searchable, ...]) -> None:
    """Undo ``install``: no triggers, no documents of these kinds."""
    for searchable in searchables:
        _run(bind, _drop_triggers(searchable, bind.dialect.name))
        bind.execute(
            text("DELETE FROM search_document WHERE record_type = :name"),
            {"name": searchable.name},
        )


# The indexes over the documents, per database.

SQLITE_FTS = (
    # unicode61 folds case and diacritics; porter stems English words (checks -> check).
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_document', "
    "content_rowid='id', tokenize='porter unicode61')",
    # Every run of three characters: substrings in scripts written without spaces (出口管制).
    "CREATE VIRTUAL TABLE search_cjk USING fts5(title, body, content='search_document', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_document_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); "
    "INSERT INTO search_cjk (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END",
    "CREATE TRIGGER search_document_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, title, body) "
    "VALUES ('delete', OLD.id, OLD.title, OLD.body); "
    "INSERT INTO search_cjk (search_cjk, rowid, title, body) "
    "VALUES ('delete', OLD.id, OLD.title, OLD.body); END",
    "CREATE TRIGGER search_document_update AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, title, body) "
    "VALUES ('delete', OLD.id, OLD.title, OLD.body); "
    "INSERT INTO search_cjk (search_cjk, rowid, title, body) "
    "VALUES ('delete', OLD.id, OLD.title, OLD.body); "
    "INSERT INTO search_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); "
    "INSERT INTO search_cjk (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END",
)
SQLITE_FTS_DROP = (
    "DROP TRIGGER IF EXISTS search_document_insert",
    "DROP TRIGGER IF EXISTS search_document_delete",
    "DROP TRIGGER IF EXISTS search_document_update",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_cjk",
)

TRIGRAM_TEXT = "(title || ' ' || body)"
"""The text the trigram index covers on PostgreSQL; queries must spell it the same way."""

POSTGRESQL_INDEXES = (
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_document ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, body), 'B')) STORED",
    "CREATE INDEX search_document_words ON search_document USING gin (document)",
    f"CREATE INDEX search_document_trigrams ON search_document "
    f"USING gin ({TRIGRAM_TEXT} gin_trgm_ops)",
)
# The extension stays: other schemas may use it, and it costs nothing unused.
POSTGRESQL_INDEXES_DROP = (
    "DROP INDEX IF EXISTS search_document_trigrams",
    "DROP INDEX IF EXISTS search_document_words",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS document",
)


def create_indexes(bind: Connection) -> None:
    """Index the documents: FTS5 tables on SQLite, tsvector and trigrams on PostgreSQL."""
    postgresql = bind.dialect.name == "postgresql"
    _run(bind, list(POSTGRESQL_INDEXES if postgresql else SQLITE_FTS))


def drop_indexes(bind: Connection) -> None:
    """Undo ``create_indexes``."""
    postgresql = bind.dialect.name == "postgresql"
    _run(bind, list(POSTGRESQL_INDEXES_DROP if postgresql else SQLITE_FTS_DROP))


IGNORED_BY_ALEMBIC = frozenset(
    {"document", "search_document_words", "search_document_trigrams", "search_fts", "search_cjk"}
)
"""What ``create_indexes`` adds beyond the model (FTS5's own tables start with these too)."""


def ignored_by_alembic(name: str | None) -> bool:
    """True for the index objects the models do not describe (``alembic check`` skips them)."""
    return name is not None and any(
        name == ignored or name.startswith(f"{ignored}_") for ignored in IGNORED_BY_ALEMBIC
    )
