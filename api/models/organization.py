"""Organizations, the people who act for them, and the positions people hold."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import (
    NAME_LENGTH,
    NOTE_LENGTH,
    TITLE_LENGTH,
    Keyed,
    partial_date,
    partial_date_checks,
    reference,
    slug_column,
)
from api.models.enums import OrganizationKind, Rank, enum_column
from api.partial_date import PartialDate


class Organization(Keyed, Base):
    __tablename__ = "organization"

    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind))
    country_id: Mapped[int | None] = reference("country.id")
    parent_id: Mapped[int | None] = reference("organization.id")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class Person(Keyed, Base):
    __tablename__ = "person"

    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    country_id: Mapped[int | None] = reference("country.id")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))


class Position(Keyed, Base):
    """A title a person held, in an organization, over a (partially known) period."""

    __tablename__ = "position"
    __table_args__ = (*partial_date_checks("start"), *partial_date_checks("end"))

    person_id: Mapped[int] = reference("person.id", nullable=False, ondelete="CASCADE")
    organization_id: Mapped[int | None] = reference("organization.id")
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    rank: Mapped[Rank | None] = mapped_column(enum_column(Rank), nullable=True)
    start: Mapped[PartialDate | None] = partial_date("start")
    end: Mapped[PartialDate | None] = partial_date("end")
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
