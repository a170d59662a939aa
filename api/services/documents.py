"""Persisted documents (see api.models.document): look up, register (APQ), push a manifest.

Manifests come in the formats client tooling writes:

- Apollo's persisted query manifest (``@apollo/generate-persisted-query-manifest``):
  ``{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id",
  "name", "type", "body"}]}``;
- a map from id to text, as Relay's ``persistedQueries`` output and GraphQL Codegen's client
  preset (``persistedDocuments``) write it: ``{"<id>": "<text>"}``.
"""

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import PersistedDocument
from api.models.document import DOCUMENT_ID_LENGTH
from api.services.errors import InvalidArgumentError

APOLLO_FORMAT = "apollo-persisted-query-manifest"
SHA256_PREFIX = "sha256:"


@dataclasses.dataclass(frozen=True)
class Document:
    """One operation of a manifest."""

    id: str
    body: str
    operation_name: str | None = None


def sha256(body: str) -> str:
    """The SHA-256 of a document's text, in hex (APQ's and most manifests' id)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def normalize_id(document_id: str) -> str:
    """``sha256:<hex>`` (the GraphQL-over-HTTP draft's form) and ``<hex>`` name one document."""
    if document_id.startswith(SHA256_PREFIX):
        return document_id.removeprefix(SHA256_PREFIX)
    return document_id


async def get(session: AsyncSession, document_id: str) -> PersistedDocument | None:
    """The document with this id, if stored."""
    return await session.get(PersistedDocument, normalize_id(document_id))


async def register(session: AsyncSession, body: str, *, limit: int) -> bool:
    """Store ``body`` under its SHA-256 (an automatic persisted query); False when the store
    already holds ``limit`` documents (the query still runs; it is just not remembered)."""
    document_id = sha256(body)
    if await session.get(PersistedDocument, document_id) is not None:
        return True
    if await count(session) >= limit:
        return False
    session.add(PersistedDocument(id=document_id, body=body, trusted=False))
    await session.flush()
    return True


async def count(session: AsyncSession) -> int:
    """How many documents are stored."""
    return int(await session.scalar(select(func.count()).select_from(PersistedDocument)) or 0)


async def push(session: AsyncSession, documents: Sequence[Document]) -> tuple[int, int]:
    """Store a manifest's documents as trusted; ``(added, already there)``.

    An id already stored with another text is refused (ids name one text forever), and so is
    a SHA-256 id that is not the hash of its text.
    """
    added = present = 0
    for document in documents:
        document_id = normalize_id(document.id)
        _check(document_id, document)
        stored = await session.get(PersistedDocument, document_id)
        if stored is None:
            session.add(
                PersistedDocument(
                    id=document_id,
                    body=document.body,
                    trusted=True,
                    operation_name=document.operation_name,
                )
            )
            added += 1
            continue
        if stored.body != document.body:
            raise InvalidArgumentError(f"document {document.id} is stored with another text")
        if not stored.trusted:  # registered as an automatic persisted query before
            stored.trusted = True
            stored.operation_name = document.operation_name
            added += 1
        else:
            present += 1
    await session.flush()
    return added, present


def _check(document_id: str, document: Document) -> None:
    if not document_id or len(document_id) > DOCUMENT_ID_LENGTH:
        raise InvalidArgumentError(f"document id {document.id!r} is empty or too long")
    hex_digest = len(document_id) == 64 and all(c in "0123456789abcdef" for c in document_id)
    if (hex_digest or document.id.startswith(SHA256_PREFIX)) and document_id != sha256(
        document.body
    ):
        raise InvalidArgumentError(f"document {document.id} is not the SHA-256 of its text")


def parse_manifest(data: Any) -> list[Document]:
    """The documents of a manifest in any of the formats above (ids checked)."""
    found = _documents(data)
    for document in found:
        _check(normalize_id(document.id), document)
    return found


def _documents(data: Any) -> list[Document]:
    if isinstance(data, Mapping) and data.get("format") == APOLLO_FORMAT:
        return _apollo(data)
    if (
        isinstance(data, Mapping)
        and data
        and all(isinstance(key, str) and isinstance(value, str) for key, value in data.items())
    ):
        return [Document(id=key, body=value) for key, value in data.items()]
    raise InvalidArgumentError(
        "not a persisted-document manifest: expected Apollo's "
        f'{{"format": "{APOLLO_FORMAT}", ...}} or a map of id to document text'
    )


def _apollo(data: Mapping[str, Any]) -> list[Document]:
    if data.get("version") != 1:
        raise InvalidArgumentError(f"unsupported {APOLLO_FORMAT} version {data.get('version')!r}")
    operations = data.get("operations")
    if not isinstance(operations, list):
        raise InvalidArgumentError("the manifest has no list of operations")
    documents = []
    for n, operation in enumerate(operations):
        if not (
            isinstance(operation, Mapping)
            and isinstance(operation.get("id"), str)
            and isinstance(operation.get("body"), str)
        ):
            raise InvalidArgumentError(f"operation {n} needs an id and a body (strings)")
        name = operation.get("name")
        documents.append(
            Document(operation["id"], operation["body"], name if isinstance(name, str) else None)
        )
    return documents
