"""Persisted documents: GraphQL operations stored by id, so clients send the id instead.

Two kinds share the table: automatic persisted queries (Apollo's APQ), registered by any
client the first time it sends a query with its SHA-256, and trusted documents, pushed from a
build's manifest with ``parley documents push``. An id names one text forever.
"""

import datetime as dt

from sqlalchemy import String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base

DOCUMENT_ID_LENGTH = 200


class PersistedDocument(Base):
    __tablename__ = "persisted_document"

    # APQ and most manifests: the SHA-256 of the text in hex; other manifests: their own ids.
    id: Mapped[str] = mapped_column(String(DOCUMENT_ID_LENGTH), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    # Pushed from a manifest: the only documents PARLEY_PERSISTED_QUERIES=trusted runs.
    trusted: Mapped[bool] = mapped_column(server_default=false())
    operation_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
