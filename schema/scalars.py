"""Custom scalars, mapped from the domain's Python types."""

import strawberry
from strawberry.types.scalar import ScalarDefinition

from api.partial_date import InvalidPartialDateError, PartialDate
from schema.errors import bad_user_input


def _parse_partial_date(value: object) -> PartialDate:
    if not isinstance(value, str):
        raise bad_user_input("A PartialDate is a string such as 2024, 2024-H1, 2024-05.")
    try:
        return PartialDate.parse(value)
    except InvalidPartialDateError as exc:
        raise bad_user_input(str(exc)) from exc


PARTIAL_DATE = strawberry.scalar(
    name="PartialDate",
    description=(
        "A date known to some precision, as readouts give it: `2024` (a year), `2024-H1` "
        "(a half), `2024-Q2` (a quarter), `2024-05` (a month) or `2024-05-21` (a day). "
        "Filters treat it as the span of days it may denote. ASCII digits only; an empty "
        "string is not a date (use null for none)."
    ),
    serialize=str,
    parse_value=_parse_partial_date,
)

SCALARS: dict[object, ScalarDefinition] = {PartialDate: PARTIAL_DATE}
