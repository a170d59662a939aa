"""Partial dates: parsing, bounds and overlap."""

import datetime as dt

import pytest

from api.partial_date import InvalidPartialDateError, PartialDate, Precision


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2024", Precision.YEAR, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-H1", Precision.HALF, dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024-H2", Precision.HALF, dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2024-Q1", Precision.QUARTER, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024-02", Precision.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-02", Precision.MONTH, dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("2024-02-29", Precision.DAY, dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ],
)
def test_parse_gives_precision_and_bounds(
    text: str, precision: Precision, earliest: dt.date, latest: dt.date
) -> None:
    assert PartialDate.parse(text) == PartialDate(text, precision, earliest, latest)


@pytest.mark.parametrize(
    "text",
    [
        *["2023-02-29", "2024-13", "2024-00", "2024-Q5", "2024-H3", "24", "0000", "May 2024"],
        *["", "   ", "2024-05-21T00:00"],
        # digits of other scripts: int() reads them, ISO 8601 does not
        *["２０２４", "٢٠٢٤", "2024-٠٥", "２０２４-05-21", "2024-Q４", "۲۰۲۴", "𝟐𝟎𝟐𝟒"],
    ],
)
def test_parse_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(InvalidPartialDateError):
        PartialDate.parse(text)


def test_overlap_uses_the_whole_span() -> None:
    may = PartialDate.parse("2024-05")
    assert may.overlaps(dt.date(2024, 5, 31), None)
    assert may.overlaps(None, dt.date(2024, 5, 1))
    assert not may.overlaps(dt.date(2024, 6, 1), None)
    assert not may.overlaps(None, dt.date(2024, 4, 30))
