"""Dialogue mechanisms: standing channels between governments, and the parties to them."""

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
    summary: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    predecessor_id: Mapped[int | None] = reference("mechanism.id")
    parent_id: Mapped[int | None] = reference("mechanism.id")
    # Circular with meeting.mechanism_id: created after both tables exist.
    agreed_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", use_alter=True), index=True
    )
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class MechanismParty(Keyed, Base):
    """A country taking part in a mechanism, and the organization that leads for it."""

    __tablename__ = "mechanism_party"
    __table_args__ = (UniqueConstraint("mechanism_id", "country_id"),)

    mechanism_id: Mapped[int] = reference("mechanism.id", nullable=False, ondelete="CASCADE")
    country_id: Mapped[int] = reference("country.id", nullable=False)
    lead_organization_id: Mapped[int | None] = reference("organization.id")
