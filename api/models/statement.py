"""Statements: words someone said, as a source reports them, and their translations."""

from sqlalchemy import Boolean, CheckConstraint, String, false
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
from api.partial_date import PartialDate


class Statement(Keyed, Base):
    """What someone said — in their words (verbatim) or as a source paraphrases them.

    The speaker is a known person, an organization (a ministry "said"), a name as the source
    gives it ("a senior U.S. commerce official"), or only a side; the source is where the words
    appear, and attribution doubts are kept beside the attribution rather than corrected away.
    """

    __tablename__ = "statement"
    __table_args__ = (
        *partial_date_checks("said"),
        CheckConstraint(
            "person_id IS NOT NULL OR organization_id IS NOT NULL"
            " OR speaker_as_reported IS NOT NULL OR side_country_id IS NOT NULL",
            name="speaker",
        ),
        CheckConstraint("translation_of_id IS NULL OR translation_of_id <> id", name="not_self"),
    )

    slug: Mapped[str] = slug_column()
    text: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    language: Mapped[str] = mapped_column(String(16))
    verbatim: Mapped[bool] = mapped_column(Boolean)
    person_id: Mapped[int | None] = reference("person.id")
    organization_id: Mapped[int | None] = reference("organization.id")
    # The speaker as the source names them, kept even where it looks wrong ("Wang Yi").
    speaker_as_reported: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    side_country_id: Mapped[int | None] = reference("country.id")
    meeting_id: Mapped[int | None] = reference("meeting.id")
    # The mechanism the words are about, when they are about one.
    mechanism_id: Mapped[int | None] = reference("mechanism.id")
    said: Mapped[PartialDate | None] = partial_date("said")
    date_phrase: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    source_id: Mapped[int] = reference("source.id", nullable=False)
    translation_of_id: Mapped[int | None] = reference("statement.id")
    attribution_doubtful: Mapped[bool] = mapped_column(Boolean, server_default=false())
    attribution_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
