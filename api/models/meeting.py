"""Meetings, who took part for which side, and the topics each side raised."""

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
from api.models.enums import (
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Stance,
    enum_column,
)
from api.partial_date import PartialDate


class Meeting(Keyed, Base):
    """A meeting of a mechanism, or an ad hoc one; a visit groups several as their parent."""

    __tablename__ = "meeting"
    __table_args__ = (
        *partial_date_checks("start"),
        *partial_date_checks("end"),
        CheckConstraint("start_date IS NOT NULL OR end_date IS NULL", name="end_needs_start"),
        CheckConstraint("end_latest IS NULL OR end_latest >= start_earliest", name="end_order"),
    )

    slug: Mapped[str] = slug_column()
    mechanism_id: Mapped[int | None] = reference("mechanism.id")
    parent_id: Mapped[int | None] = reference("meeting.id")
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    sequence_label: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    # Rows written before kinds existed, or by plain SQL, are meetings.
    kind: Mapped[MeetingKind] = mapped_column(
        enum_column(MeetingKind),
        default=MeetingKind.MEETING,
        server_default=MeetingKind.MEETING.value,
    )
    format: Mapped[MeetingFormat] = mapped_column(enum_column(MeetingFormat))
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus))
    start: Mapped[PartialDate | None] = partial_date("start")
    end: Mapped[PartialDate | None] = partial_date("end")
    # The wording of the source when it dates the meeting relatively ("next Tuesday").
    date_phrase: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    place: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    host_country_id: Mapped[int | None] = reference("country.id")
    summary: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class Participation(Keyed, Base):
    """Someone at a meeting for one side: a known person, an organization, or a reported name."""

    __tablename__ = "participation"
    __table_args__ = (
        CheckConstraint(
            "person_id IS NOT NULL OR organization_id IS NOT NULL OR name_as_reported IS NOT NULL",
            name="someone",
        ),
    )

    meeting_id: Mapped[int] = reference("meeting.id", nullable=False, ondelete="CASCADE")
    person_id: Mapped[int | None] = reference("person.id")
    organization_id: Mapped[int | None] = reference("organization.id")
    name_as_reported: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    side_country_id: Mapped[int] = reference("country.id", nullable=False)
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole))
    title_as_reported: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class MeetingTopic(Keyed, Base):
    """A topic raised at a meeting: by which side, with which stance."""

    __tablename__ = "meeting_topic"
    __table_args__ = (UniqueConstraint("meeting_id", "topic_id", "raised_by_country_id", "stance"),)

    meeting_id: Mapped[int] = reference("meeting.id", nullable=False, ondelete="CASCADE")
    topic_id: Mapped[int] = reference("topic.id", nullable=False)
    raised_by_country_id: Mapped[int | None] = reference("country.id")
    stance: Mapped[Stance] = mapped_column(enum_column(Stance))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
