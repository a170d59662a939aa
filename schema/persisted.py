"""Persisted queries: operations sent by id instead of text (api.services.documents).

PARLEY_PERSISTED_QUERIES picks the mode:

- ``automatic`` (default): Apollo's automatic persisted queries. A request carrying
  ``extensions.persistedQuery.sha256Hash`` without ``query`` runs the stored text, or answers
  PERSISTED_QUERY_NOT_FOUND (message ``PersistedQueryNotFound``), upon which clients send the
  text with the hash; that text, once it parses and validates, is stored in the database, so
  every replica knows it. A hash that is not the text's SHA-256 is refused. Documents pushed
  from a manifest run by id too (``documentId``, or the hash).
- ``trusted``: only documents pushed with ``parley documents push`` run, by id or by their
  exact text; any other document is refused (PERSISTED_QUERY_REQUIRED) and nothing is stored.
- ``off``: ids are refused (PERSISTED_QUERY_NOT_SUPPORTED); full texts run as always.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from api.services import documents
from api.settings import Settings, get_settings
from schema.context import Context
from schema.errors import CodedError

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
REQUIRED = "PERSISTED_QUERY_REQUIRED"
BAD_REQUEST = "BAD_REQUEST"


def _error(message: str, code: str, subcode: str | None = None) -> CodedError:
    error = CodedError(message, code)
    if subcode is not None:
        error.extensions = {"code": code, "subcode": subcode}
    return error


def requested_id(extensions: Any) -> str | None:
    """The document id a request names (``persistedQuery.sha256Hash`` or ``documentId``)."""
    if not isinstance(extensions, dict):
        return None
    persisted = extensions.get("persistedQuery")
    if persisted is not None:
        if (
            not isinstance(persisted, dict)
            or persisted.get("version") != 1
            or not isinstance(persisted.get("sha256Hash"), str)
        ):
            raise _error(
                "extensions.persistedQuery must be {version: 1, sha256Hash: <hex>}.",
                BAD_REQUEST,
                "PERSISTED_QUERY_INVALID",
            )
        return str(persisted["sha256Hash"]).lower()
    document_id = extensions.get("documentId")
    return document_id if isinstance(document_id, str) else None


class PersistedQueries(SchemaExtension):
    """Resolves a document id to its text before parsing (see the module docstring)."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context
        app = context.context if isinstance(context.context, Context) else None
        settings = app.settings if app is not None else get_settings()
        document_id = requested_id(context.operation_extensions)
        register = False
        if document_id is not None:
            register = await self._by_id(app, settings, document_id)
        elif settings.persisted_queries == "trusted" and context.query:
            await self._trusted_text(app, context.query)
        yield
        if register and app is not None and self._valid:
            await self._register(app, settings)

    _valid = False

    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        self._valid = context.graphql_document is not None and not context.pre_execution_errors

    async def _by_id(self, app: Context | None, settings: Settings, document_id: str) -> bool:
        """Set the query from the stored document; True when the text sent should be stored."""
        context = self.execution_context
        mode = settings.persisted_queries
        if mode == "off":
            raise _error("PersistedQueryNotSupported", NOT_SUPPORTED)
        if context.query:  # the text with its hash: APQ's second request
            if documents.normalize_id(document_id) != documents.sha256(context.query):
                raise _error(
                    "provided sha does not match query",
                    BAD_REQUEST,
                    "PERSISTED_QUERY_HASH_MISMATCH",
                )
            if mode == "trusted":
                await self._trusted_text(app, context.query)
                return False
            return True
        found = await _lookup(app, document_id, trusted=mode == "trusted")
        if found is None or (mode == "trusted" and not found[1]):
            raise _error("PersistedQueryNotFound", NOT_FOUND)
        context.query = found[0]
        return False

    async def _trusted_text(self, app: Context | None, query: str) -> None:
        found = await _lookup(app, documents.sha256(query), trusted=True)
        if found is None or not found[1] or found[0] != query:
            raise _error(
                "This server runs only its trusted documents; send a document id it knows.",
                REQUIRED,
            )

    async def _register(self, app: Context, settings: Settings) -> None:
        query = self.execution_context.query
        if not query:
            return
        # Only documents that parse and validate get here.
        async with app.db.writing() as session:
            stored = await documents.register(session, query, limit=settings.persisted_query_limit)
            await session.commit()
        if stored:
            app.known_documents.put(documents.sha256(query), query, trusted=False)


async def _lookup(
    app: Context | None, document_id: str, *, trusted: bool
) -> tuple[str, bool] | None:
    """The text of a document and whether it is trusted; from this process's memory when it
    has seen the id (and, if ``trusted`` matters, knew it as trusted), else the database."""
    if app is None:
        return None
    document_id = documents.normalize_id(document_id)
    known = app.known_documents.get(document_id)
    if known is not None and (known[1] or not trusted):
        return known
    stored = await app.db.run(documents.get, document_id)
    if stored is None:
        return None
    app.known_documents.put(document_id, stored.body, trusted=stored.trusted)
    return stored.body, stored.trusted
