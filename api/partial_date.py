"""Partial dates: what readouts say ("2024", "May 2024", "the first half of 2024").

A partial date is ISO 8601 reduced precision text, extended with quarters and halves:
``2024``, ``2024-H1``, ``2024-Q2``, ``2024-05``, ``2024-05-21``, in ASCII digits. It is stored
as that text, its precision and its earliest/latest possible days, so it can be sorted and
range-filtered.
"""

import calendar
import dataclasses
import datetime as dt
import enum
import re


class Precision(enum.StrEnum):
    """How much of a partial date is known."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    DAY = "day"


# ASCII digits only: "２０２４" and "٢٠٢٤" are digits to Unicode (and to int()), not to ISO 8601.
_PATTERN = re.compile(
    r"(?P<year>\d{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?",
    re.ASCII,
)


class InvalidPartialDateError(ValueError):
    """The text is not a partial date, or names a day that does not exist."""


@dataclasses.dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to some precision, with the span of days it may denote."""

    text: str
    precision: Precision
    earliest: dt.date
    latest: dt.date

    def __post_init__(self) -> None:
        # Rows hand the precision back as plain text.
        object.__setattr__(self, "precision", Precision(self.precision))

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse ``2024``, ``2024-H2``, ``2024-Q1``, ``2024-05`` or ``2024-05-21``.

        Surrounding whitespace is ignored; an empty text is not a date (null means "none").
        """
        match = _PATTERN.fullmatch(text.strip())
        if match is None:
            raise InvalidPartialDateError(
                f"{text!r} is not a partial date: use YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
            )
        year = int(match["year"])
        if year < 1:
            raise InvalidPartialDateError(f"{text!r}: year 0 does not exist")
        if match["half"]:
            first_month = 6 * (int(match["half"]) - 1) + 1
            return cls._months(text, Precision.HALF, year, first_month, first_month + 5)
        if match["quarter"]:
            first_month = 3 * (int(match["quarter"]) - 1) + 1
            return cls._months(text, Precision.QUARTER, year, first_month, first_month + 2)
        if match["month"] is None:
            return cls._months(text, Precision.YEAR, year, 1, 12)
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPartialDateError(f"{text!r}: month {month} does not exist")
        if match["day"] is None:
            return cls._months(text, Precision.MONTH, year, month, month)
        try:
            day = dt.date(year, month, int(match["day"]))
        except ValueError as exc:
            raise InvalidPartialDateError(f"{text!r}: {exc}") from exc
        return cls(text.strip(), Precision.DAY, day, day)

    @classmethod
    def _months(
        cls, text: str, precision: Precision, year: int, first: int, last: int
    ) -> "PartialDate":
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return cls(text.strip(), precision, dt.date(year, first, 1), end)

    @classmethod
    def of(cls, day: dt.date) -> "PartialDate":
        """An exact day."""
        return cls(day.isoformat(), Precision.DAY, day, day)

    def overlaps(self, earliest: dt.date | None, latest: dt.date | None) -> bool:
        """Whether any day this date may denote falls within ``[earliest, latest]``."""
        return (earliest is None or self.latest >= earliest) and (
            latest is None or self.earliest <= latest
        )

    def __str__(self) -> str:
        return self.text
