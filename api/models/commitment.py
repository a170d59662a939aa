"""What was agreed: due dates or recurrences, status, and the meetings that fulfil it."""

import datetime as dt

from sqlalchemy import CheckConstraint, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import (
    NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
    Keyed,
    partial_date,
    partial_date_checks,
    reference,
    slug_column,
)
from api.models.enums import CommitmentStatus, ComplianceVerdict, Period, Rank, enum_column
from api.partial_date import PartialDate


class Commitment(Keyed, Base):
    __tablename__ = "commitment"
    __table_args__ = (
        *partial_date_checks("due"),
        CheckConstraint(
            "recurrence_times IS NULL OR recurrence_times > 0", name="recurrence_times"
        ),
        CheckConstraint(
            "(recurrence_times IS NULL) = (recurrence_period IS NULL)", name="recurrence_complete"
        ),
        *partial_date_checks("recurrence_from"),
    )

    slug: Mapped[str] = slug_column()
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    text: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    meeting_id: Mapped[int | None] = reference("meeting.id")
    mechanism_id: Mapped[int | None] = reference("mechanism.id")
    # NULL: both sides committed jointly.
    committed_by_country_id: Mapped[int | None] = reference("country.id")
    due: Mapped[PartialDate | None] = partial_date("due")
    due_phrase: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    recurrence_text: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    recurrence_times: Mapped[int | None]
    recurrence_period: Mapped[Period | None] = mapped_column(enum_column(Period))
    # The first period a recurring commitment counts (NULL: the period of the meeting it was
    # agreed at).
    recurrence_from: Mapped[PartialDate | None] = partial_date("recurrence_from")
    # Hand-set status, from before compliance was computed; superseded by the assessment.
    status: Mapped[CommitmentStatus] = mapped_column(enum_column(CommitmentStatus))
    status_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    # An editor's own verdict, shown beside the computed one (never replacing it).
    assessed_verdict: Mapped[ComplianceVerdict | None] = mapped_column(
        enum_column(ComplianceVerdict)
    )
    assessed_as_of: Mapped[dt.date | None]
    assessed_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    assessed_source_id: Mapped[int | None] = reference("source.id")


class CommitmentFulfillment(Keyed, Base):
    """An editor's link between a meeting and a commitment, overriding the rule: the meeting
    fulfils it (``counts``) or, though the rule matches it, does not."""

    __tablename__ = "commitment_fulfillment"
    __table_args__ = (UniqueConstraint("commitment_id", "meeting_id"),)

    commitment_id: Mapped[int] = reference("commitment.id", nullable=False, ondelete="CASCADE")
    meeting_id: Mapped[int] = reference("meeting.id", nullable=False, ondelete="CASCADE")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    counts: Mapped[bool] = mapped_column(server_default=true())
    source_id: Mapped[int | None] = reference("source.id")


class FulfillmentRule(Keyed, Base):
    """What fulfils a commitment, as data: a held meeting of ``mechanism`` (NULL: the
    commitment's own), of one of ``kinds`` and ``formats`` (NULL: any), where each side was
    present (``both_sides``) with someone of ``min_rank`` or higher (NULL: anyone)."""

    __tablename__ = "fulfillment_rule"
    __table_args__ = (UniqueConstraint("commitment_id"),)

    commitment_id: Mapped[int] = reference("commitment.id", nullable=False, ondelete="CASCADE")
    mechanism_id: Mapped[int | None] = reference("mechanism.id")
    # Comma-separated enum values, e.g. "in_person,hybrid": a set the SQL can test with LIKE.
    formats: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    kinds: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    min_rank: Mapped[Rank | None] = mapped_column(enum_column(Rank))
    both_sides: Mapped[bool] = mapped_column(server_default=true())
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    source_id: Mapped[int | None] = reference("source.id")
