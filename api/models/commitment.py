"""What was agreed: due dates or recurrences, status, and the meetings that fulfil it."""

from sqlalchemy import CheckConstraint, String, UniqueConstraint
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
from api.models.enums import CommitmentStatus, Period, enum_column
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
    status: Mapped[CommitmentStatus] = mapped_column(enum_column(CommitmentStatus))
    status_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class CommitmentFulfillment(Keyed, Base):
    """A meeting that fulfils (part of) a commitment."""

    __tablename__ = "commitment_fulfillment"
    __table_args__ = (UniqueConstraint("commitment_id", "meeting_id"),)

    commitment_id: Mapped[int] = reference("commitment.id", nullable=False, ondelete="CASCADE")
    meeting_id: Mapped[int] = reference("meeting.id", nullable=False, ondelete="CASCADE")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
