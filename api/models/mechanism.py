"""Dialogue mechanisms: standing channels between governments, the parties to them, and
reviews of how complete their record is."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import (
    NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    Keyed,
    partial_date,
    partial_date_checks,
    reference,
    slug_column,
)
from api.models.enums import (
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    Period,
    enum_column,
)
from api.partial_date import PartialDate


class Mechanism(Keyed, Base):
    __tablename__ = "mechanism"
    __table_args__ = (
        *partial_date_checks("established"),
        *partial_date_checks("ended"),
        CheckConstraint("cadence_times IS NULL OR cadence_times > 0", name="cadence_times"),
        CheckConstraint(
            "(cadence_times IS NULL) = (cadence_period IS NULL)", name="cadence_complete"
        ),
        # "Not stated" is a finding of its own: no count, no period.
        CheckConstraint(
            "cadence_stated IS NULL OR cadence_stated OR cadence_times IS NULL",
            name="cadence_not_stated",
        ),
    )

    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[MechanismKind] = mapped_column(enum_column(MechanismKind))
    level: Mapped[MechanismLevel | None] = mapped_column(enum_column(MechanismLevel))
    status: Mapped[MechanismStatus] = mapped_column(enum_column(MechanismStatus))
    established: Mapped[PartialDate | None] = partial_date("established")
    ended: Mapped[PartialDate | None] = partial_date("ended")
    # Cadence as readouts say it ("twice annually") and as a machine can check it (2 per year,
    # at least).
    cadence_text: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    cadence_times: Mapped[int | None]
    cadence_period: Mapped[Period | None] = mapped_column(enum_column(Period))
    # True: "at least" that many ("at least once annually"); False: exactly ("twice annually").
    cadence_at_least: Mapped[bool | None]
    # False: the sources were checked and state no cadence; NULL: not checked yet.
    cadence_stated: Mapped[bool | None]
    cadence_source_id: Mapped[int | None] = reference("source.id")
    cadence_quote: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    cadence_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    summary: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    predecessor_id: Mapped[int | None] = reference("mechanism.id")
    parent_id: Mapped[int | None] = reference("mechanism.id")
    # Circular with meeting.mechanism_id: created after both tables exist.
    agreed_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", use_alter=True), index=True
    )
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class RecordReview(Keyed, Base):
    """An editor's review of a mechanism's record: every meeting from ``complete_from`` through
    ``complete_through`` found in the sources searched is recorded, so absence there is evidence.
    """

    __tablename__ = "record_review"
    __table_args__ = (
        CheckConstraint(
            "complete_from IS NULL OR complete_from <= complete_through", name="review_span"
        ),
    )

    mechanism_id: Mapped[int] = reference("mechanism.id", nullable=False, ondelete="CASCADE")
    # NULL: from the mechanism's beginning.
    complete_from: Mapped[dt.date | None]
    complete_through: Mapped[dt.date]
    reviewed_by: Mapped[str] = mapped_column(String(NAME_LENGTH))
    reviewed_on: Mapped[dt.date | None]
    sources_searched: Mapped[str] = mapped_column(String(NOTE_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class MechanismParty(Keyed, Base):
    """A country taking part in a mechanism, and the organization that leads for it."""

    __tablename__ = "mechanism_party"
    __table_args__ = (UniqueConstraint("mechanism_id", "country_id"),)

    mechanism_id: Mapped[int] = reference("mechanism.id", nullable=False, ondelete="CASCADE")
    country_id: Mapped[int] = reference("country.id", nullable=False)
    lead_organization_id: Mapped[int | None] = reference("organization.id")
