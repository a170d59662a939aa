"""Custom scalars, mapped from the domain's Python types.

`PartialDate` is one scalar for input and output, defined in the README section its
`@specifiedBy` URL names. Input coercion refuses a value that is not a string (as `String`
does); a string that is no partial date is kept as an ``UncheckedPartialDate``, so that a
mutation reports it as an INVALID_DATE user error at its field together with every other
problem of the input, and a query argument refuses it as BAD_USER_INPUT.
"""

import dataclasses

import strawberry
from strawberry.types.scalar import ScalarDefinition

from api.partial_date import InvalidPartialDateError, PartialDate
from schema.errors import bad_user_input

SPECIFIED_BY = "README.md#partialdate"


@dataclasses.dataclass(frozen=True)
class UncheckedPartialDate:
    """A string sent as a PartialDate that is none; ``message`` says why."""

    text: str
    message: str


def _parse_partial_date(value: object) -> PartialDate | UncheckedPartialDate:
    if not isinstance(value, str):
        raise bad_user_input("A PartialDate is a string such as 2024, 2024-H1, 2024-05.")
    try:
        return PartialDate.parse(value)
    except InvalidPartialDateError as exc:
        return UncheckedPartialDate(value, str(exc))


def checked(value: PartialDate | UncheckedPartialDate | str | None) -> PartialDate | None:
    """A query argument's partial date; BAD_USER_INPUT for one that is none.

    (A ``str`` arrives only from a variable declared ``String``, see ``schema.legacy``.)
    """
    if isinstance(value, UncheckedPartialDate):
        raise bad_user_input(value.message)
    if isinstance(value, str):
        return _strict(value)
    return value


def _strict(text: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except InvalidPartialDateError as exc:
        raise bad_user_input(str(exc)) from exc


PARTIAL_DATE = strawberry.scalar(
    name="PartialDate",
    description=(
        "A date known to some precision, as readouts give it: `2024` (a year), `2024-H1` "
        "(a half), `2024-Q2` (a quarter), `2024-05` (a month) or `2024-05-21` (a day). "
        "Filters treat it as the span of days it may denote. Sent and received as a JSON "
        "string, in ASCII digits; an empty one is no date (null is). In a mutation input an "
        "invalid one is an INVALID_DATE user error."
    ),
    specified_by_url=SPECIFIED_BY,
    serialize=str,
    parse_value=_parse_partial_date,
)

SCALARS: dict[object, ScalarDefinition] = {PartialDate: PARTIAL_DATE}
