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


def _postgresql_parts(searchable: Searchable) -> list[tuple[str, str, str]]:
    """(function name, its body, the CREATE TRIGGER calling it) for every source table."""
    parts = []
    for source in _sources(searchable):
        table, key, name = source.table, source.row_key, trigger_name(searchable, source.table)
        columns = ", ".join(source.columns)
        if source.parent:
            refresh = _refresh(searchable, "NEW.id", "postgresql", source.record_key)
            body = f" BEGIN {refresh} RETURN NULL; END "
            events = f"UPDATE OF {columns}"
        else:
            moved = f"OLD.{key} IS DISTINCT FROM NEW.{key}"
            body = (
                f" BEGIN IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND {moved}) "
                f"THEN {_refresh(searchable, f'OLD.{key}', 'postgresql')} END IF; "
                f"IF TG_OP <> 'DELETE' THEN {_refresh(searchable, f'NEW.{key}', 'postgresql')} "
                "END IF; RETURN NULL; END "
            )
            events = f"INSERT OR DELETE OR UPDATE OF {columns}"
        trigger = (
            f"CREATE TRIGGER {name} AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        parts.append((name, body, trigger))
    return parts


def _postgresql_triggers(searchable: Searchable) -> list[str]:
    statements = []
    for name, body, trigger in _postgresql_parts(searchable):
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$",
            trigger,
        ]
    return statements


def triggers(searchable: Searchable, dialect: str) -> list[str]:
    """The DDL of the triggers keeping ``searchable``'s documents current."""
    if dialect == "postgresql":
        return _postgresql_triggers(searchable)
    return _sqlite_triggers(searchable)


def definitions(searchable: Searchable, dialect: str) -> dict[str, str]:
    """Each trigger ``install`` creates, by name, as the database keeps its definition
    (PostgreSQL: the trigger function's body; SQLite: the CREATE TRIGGER statement)."""
    if dialect == "postgresql":
        return {name: body for name, body, _trigger in _postgresql_parts(searchable)}
    return {statement.split()[2]: statement for statement in _sqlite_triggers(searchable)}


def trigger_names(searchables: tuple[Searchable, ...], dialect: str) -> set[str]:
    """The names of the triggers ``install`` creates for these kinds of record."""
    return {name for s in searchables for name in definitions(s, dialect)}


# The index's own triggers on SQLite (FTS5 upkeep), not a kind's.
_INDEX_TRIGGERS = frozenset(
    {"search_document_insert", "search_document_delete", "search_document_update"}
)


def installed_definitions(bind: Connection) -> dict[str, str]:
    """The search triggers the database has, by name, with their definitions."""
    if bind.dialect.name == "postgresql":
        query = (
            "SELECT p.proname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal"
        )
    else:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
    return {
        str(name): str(definition)
        for name, definition in bind.execute(text(query))
        if str(name).startswith("search_") and name not in _INDEX_TRIGGERS
    }


def installed_trigger_names(bind: Connection) -> set[str]:
    """The search triggers the database has (a batch ALTER on SQLite drops a table's own)."""
    return set(installed_definitions(bind))


def _kind_of(trigger: str) -> str:
    """The record type a trigger serves: search_<type>__<table>[_<event>]."""
    return trigger.removeprefix("search_").split("__", 1)[0]


def _drop(bind: Connection, names: set[str]) -> None:
    for name in sorted(names):
        if bind.dialect.name == "postgresql":
            bind.execute(text(f"DROP FUNCTION IF EXISTS {name}() CASCADE"))  # and its trigger
        else:
            bind.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def _drop_triggers(searchable: Searchable, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in definitions(searchable, dialect)
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in definitions(searchable, dialect)]


def sync(bind: Connection, searchables: tuple[Searchable, ...]) -> list[str]:
    """Make the database's triggers those the declarations describe; the kinds changed.

    Run after migrating to the latest revision (``api.migrations.upgrade``), so a declaration
    is all a new kind of record needs: its triggers are installed and its documents built.
    It also repairs what a later migration undid (SQLite's batch mode rebuilds a table
    without its triggers) and removes the triggers and documents of kinds no longer declared.
    """
    dialect = bind.dialect.name
    installed = installed_definitions(bind)
    changed = []
    for searchable in searchables:
        wanted = definitions(searchable, dialect)
        have = {n: d for n, d in installed.items() if _kind_of(n) == searchable.name}
        if have != wanted:
            install(bind, (searchable,))
            changed.append(searchable.name)
    declared = {s.name for s in searchables}
    for kind in sorted({_kind_of(name) for name in installed} - declared):
        _drop(bind, {name for name in installed if _kind_of(name) == kind})
        bind.execute(text("DELETE FROM search_document WHERE record_type = :kind"), {"kind": kind})
        changed.append(kind)
    return changed


def suspend(bind: Connection) -> None:
    """Drop every kind's triggers, keeping the documents (``sync`` puts them back)."""
    _drop(bind, installed_trigger_names(bind))


def uninstall_all(bind: Connection) -> None:
    """Every kind's triggers and documents gone, declared or not (the index's downgrade)."""
    _drop(bind, installed_trigger_names(bind))
    bind.execute(text("DELETE FROM search_document"))


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
