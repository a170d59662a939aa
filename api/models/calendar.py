"""The calendar: every year, half, quarter and month from 1900 through 2199, as rows.

Compliance is counted per period; with the periods as rows, the database joins meetings and
record reviews to them with plain date comparisons, the same on SQLite and PostgreSQL.
"""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.enums import Period, enum_column

FIRST_YEAR = 1900
LAST_YEAR = 2199


class CalendarPeriod(Base):
    __tablename__ = "calendar_period"

    period: Mapped[Period] = mapped_column(enum_column(Period), primary_key=True)
    starts: Mapped[dt.date] = mapped_column(primary_key=True)
    ends: Mapped[dt.date]
    # The period as a partial date: 2024, 2024-H2, 2024-Q1, 2024-05.
    label: Mapped[str] = mapped_column(String(10))
