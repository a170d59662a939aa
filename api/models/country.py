"""Countries, keyed by ISO 3166-1 alpha-2 code."""

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import NAME_LENGTH, Keyed


class Country(Keyed, Base):
    __tablename__ = "country"
    __table_args__ = (CheckConstraint("length(code) = 2", name="code_alpha2"),)

    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
