"""Policy measures (export controls, executive orders, sanctions ...) and where they came up."""

from sqlalchemy import String, UniqueConstraint
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
from api.models.enums import MeasureKind, MeasureStatus, enum_column
from api.partial_date import PartialDate


class PolicyMeasure(Keyed, Base):
    __tablename__ = "policy_measure"
    __table_args__ = (*partial_date_checks("announced"), *partial_date_checks("effective"))

    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[MeasureKind] = mapped_column(enum_column(MeasureKind))
    country_id: Mapped[int | None] = reference("country.id")
    organization_id: Mapped[int | None] = reference("organization.id")
    instrument: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    announced: Mapped[PartialDate | None] = partial_date("announced")
    effective: Mapped[PartialDate | None] = partial_date("effective")
    # The source's wording when it dates the effect relatively ("next year").
    effective_phrase: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    status: Mapped[MeasureStatus] = mapped_column(enum_column(MeasureStatus))
    summary: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class PolicyMeasureTopic(Keyed, Base):
    __tablename__ = "policy_measure_topic"
    __table_args__ = (UniqueConstraint("policy_measure_id", "topic_id"),)

    policy_measure_id: Mapped[int] = reference(
        "policy_measure.id", nullable=False, ondelete="CASCADE"
    )
    topic_id: Mapped[int] = reference("topic.id", nullable=False, ondelete="CASCADE")


class MeetingPolicyMeasure(Keyed, Base):
    """A policy measure discussed at a meeting."""

    __tablename__ = "meeting_policy_measure"
    __table_args__ = (UniqueConstraint("meeting_id", "policy_measure_id"),)

    meeting_id: Mapped[int] = reference("meeting.id", nullable=False, ondelete="CASCADE")
    policy_measure_id: Mapped[int] = reference(
        "policy_measure.id", nullable=False, ondelete="CASCADE"
    )
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
