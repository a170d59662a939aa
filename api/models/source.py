"""Public sources, and citations tying a source (with a quote) to the record it supports."""

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import (
    NOTE_LENGTH,
    TITLE_LENGTH,
    Keyed,
    exactly_one_of,
    partial_date,
    partial_date_checks,
    reference,
)
from api.models.enums import SourceKind, enum_column
from api.partial_date import PartialDate

URL_LENGTH = 2048

# Every kind of record a citation can support; one column each keeps foreign keys enforced.
CITED_COLUMNS = (
    "mechanism_id",
    "meeting_id",
    "participation_id",
    "meeting_topic_id",
    "commitment_id",
    "policy_measure_id",
    "person_id",
    "position_id",
    "organization_id",
)


class Source(Keyed, Base):
    __tablename__ = "source"
    __table_args__ = (*partial_date_checks("published"),)

    # A full address; null for a document cited bibliographically (title and publisher).
    url: Mapped[str | None] = mapped_column(String(URL_LENGTH), unique=True)
    title: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    publisher: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    # Where a reader finds it cited when it cannot be read itself ("as cited in ...").
    as_cited_in: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind))
    language: Mapped[str | None] = mapped_column(String(16))
    published: Mapped[PartialDate | None] = partial_date("published")
    # For a mirror or repost: the original it copies.
    original_id: Mapped[int | None] = reference("source.id")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class Citation(Keyed, Base):
    """A source supporting exactly one record, with the passage that does."""

    __tablename__ = "citation"
    __table_args__ = (exactly_one_of(list(CITED_COLUMNS), name="one_record"),)

    source_id: Mapped[int] = reference("source.id", nullable=False, ondelete="CASCADE")
    quote: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    # True: the quote is the source's own words; false: a paraphrase; null: no quote.
    verbatim: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    mechanism_id: Mapped[int | None] = reference("mechanism.id", ondelete="CASCADE")
    meeting_id: Mapped[int | None] = reference("meeting.id", ondelete="CASCADE")
    participation_id: Mapped[int | None] = reference("participation.id", ondelete="CASCADE")
    meeting_topic_id: Mapped[int | None] = reference("meeting_topic.id", ondelete="CASCADE")
    commitment_id: Mapped[int | None] = reference("commitment.id", ondelete="CASCADE")
    policy_measure_id: Mapped[int | None] = reference("policy_measure.id", ondelete="CASCADE")
    person_id: Mapped[int | None] = reference("person.id", ondelete="CASCADE")
    position_id: Mapped[int | None] = reference("position.id", ondelete="CASCADE")
    organization_id: Mapped[int | None] = reference("organization.id", ondelete="CASCADE")
