"""Names of a record in several languages (Wang Wentao / 王文涛), all of them searchable."""

import unicodedata

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import NAME_LENGTH, Keyed, exactly_one_of, reference
from api.models.enums import NameOrigin, enum_column

NAMED_COLUMNS = ("person_id", "organization_id", "mechanism_id", "topic_id", "policy_measure_id")


def normalize_for_search(text: str) -> str:
    """Fold case and compatibility forms in Python, so SQLite and PostgreSQL match alike."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class LocalizedName(Keyed, Base):
    __tablename__ = "localized_name"
    __table_args__ = (
        exactly_one_of(list(NAMED_COLUMNS), name="one_record"),
        UniqueConstraint(*NAMED_COLUMNS, "language", "text"),
    )

    text: Mapped[str] = mapped_column(String(NAME_LENGTH))
    normalized: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)
    # BCP 47 tag: "en", "zh-Hans", "zh-Latn-pinyin".
    language: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = reference("person.id", ondelete="CASCADE")
    organization_id: Mapped[int | None] = reference("organization.id", ondelete="CASCADE")
    mechanism_id: Mapped[int | None] = reference("mechanism.id", ondelete="CASCADE")
    topic_id: Mapped[int | None] = reference("topic.id", ondelete="CASCADE")
    policy_measure_id: Mapped[int | None] = reference("policy_measure.id", ondelete="CASCADE")
    # Names recorded before provenance was kept are UNVERIFIED until an editor says otherwise.
    origin: Mapped[NameOrigin] = mapped_column(
        enum_column(NameOrigin),
        default=NameOrigin.UNVERIFIED,
        server_default=NameOrigin.UNVERIFIED.value,
    )
    # The source that gives the name (origin SOURCE).
    source_id: Mapped[int | None] = reference("source.id", ondelete="SET NULL")
