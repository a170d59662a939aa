"""The search index: one document per searchable record, its text gathered from every table.

Triggers keep it in step with the records in the same transaction as any write (see
``api.search.ddl``); what each database indexes it by is added by the migrations beside it:
on PostgreSQL a weighted ``tsvector`` (GIN) and trigrams (``pg_trgm``, GIN), on SQLite two
FTS5 tables (``unicode61`` + Porter, and ``trigram``).
"""

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class SearchDocument(Base):
    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The searchable type's name (``api.search.documents``): "meeting", "person" ...
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    # Ranked above the body: the record's name or title.
    title: Mapped[str] = mapped_column(Text)
    # Every other text of the record, one field per line.
    body: Mapped[str] = mapped_column(Text)
