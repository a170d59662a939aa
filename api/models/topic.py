"""Subjects raised in meetings and covered by policy measures."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import NAME_LENGTH, NOTE_LENGTH, Keyed, reference, slug_column


class Topic(Keyed, Base):
    __tablename__ = "topic"

    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    parent_id: Mapped[int | None] = reference("topic.id")
    description: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
