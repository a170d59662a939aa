"""Input fields of writes: cleaned and checked the same way whatever the database.

Strings are NFC-normalized and trimmed; required ones may not be empty; none may hold NUL or
other control characters (multi-line text may hold newlines and tabs); lengths are the
column sizes. Every problem is collected, so a client learns all of them at once.
"""

import dataclasses
import enum
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from api.models.source import URL_LENGTH
from api.partial_date import InvalidPartialDateError, PartialDate
from api.services.addresses import address_problem
from api.services.errors import FieldError, Refused, UserInputError


class Kind(enum.Enum):
    """How a field's value is checked."""

    LINE = "line"  # one line of text: a name, a title
    TEXT = "text"  # free text: newlines and tabs allowed
    SLUG = "slug"
    URL = "url"
    LANGUAGE = "language"
    PARTIAL_DATE = "partial_date"
    POSITIVE_INT = "positive_int"
    VALUE = "value"  # already typed by the caller (an enum member, a boolean, an id)


@dataclasses.dataclass(frozen=True)
class Field:
    """One input field: how to check it, whether it is required, its longest length."""

    kind: Kind
    required: bool = False
    max_length: int | None = None


Spec = Mapping[str, Field]

# An ISO 3166-1 alpha-2 code; editing.country_ids checks it names a country.
COUNTRY_CODE = Field(Kind.LINE, max_length=8)
REFERENCE = Field(Kind.VALUE)  # an id, checked to exist by the caller
REQUIRED_REFERENCE = Field(Kind.VALUE, required=True)
Path = tuple[str | int, ...]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_MULTILINE_ALLOWED = frozenset("\n\t")


def column_length(model: Any, column: str) -> int | None:
    """The declared length of ``model.column`` (the limit inputs must respect)."""
    length = getattr(model.__table__.c[column].type, "length", None)
    return int(length) if length is not None else None


def spec_for(model: Any, fields: Mapping[str, tuple[Kind, bool]]) -> dict[str, Field]:
    """A spec whose text lengths are those of the model's columns."""
    columns = model.__table__.c
    return {
        name: Field(kind, required, column_length(model, name) if name in columns else None)
        for name, (kind, required) in fields.items()
    }


def _control_characters(text: str, kind: Kind) -> bool:
    allowed = _MULTILINE_ALLOWED if kind is Kind.TEXT else frozenset()
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


def _clean_text(value: Any, field: Field, path: Path) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return None, FieldError(path, "INVALID", f"{_name(path)} must be text.")
    if "\x00" in value:
        return None, FieldError(path, "CONTROL_CHARACTERS", f"{_name(path)} contains NUL.")
    # Surrounding whitespace (tabs, newlines) is trimmed; control characters inside are refused.
    text = unicodedata.normalize("NFC", value).strip()
    if _control_characters(text, field.kind):
        message = f"{_name(path)} contains control characters."
        return None, FieldError(path, "CONTROL_CHARACTERS", message)
    if field.max_length is not None and len(text) > field.max_length:
        message = f"{_name(path)} is longer than {field.max_length} characters ({len(text)})."
        return None, FieldError(path, "TOO_LONG", message)
    return (text or None), None


def _check_form(text: str, field: Field, path: Path) -> FieldError | None:
    if field.kind is Kind.SLUG and not _SLUG.match(text):
        message = f"{_name(path)} may hold only lower-case letters, digits and single hyphens."
        return FieldError(path, "INVALID", message)
    if field.kind is Kind.LANGUAGE and not _LANGUAGE.match(text):
        return FieldError(path, "INVALID", f"{_name(path)} is not a BCP 47 tag (en, zh-Hans).")
    if field.kind is Kind.URL:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return FieldError(path, "INVALID_URL", f"{_name(path)} must be an http(s) URL.")
        if len(text) > URL_LENGTH:
            message = f"{_name(path)} is longer than {URL_LENGTH} characters."
            return FieldError(path, "TOO_LONG", message)
        problem = address_problem(text)
        if problem is not None:
            return FieldError(path, "INVALID_URL", f"{_name(path)} {problem}.")
    return None


def _clean_one(value: Any, field: Field, path: Path) -> tuple[Any, FieldError | None]:
    if field.kind is Kind.POSITIVE_INT:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return None, FieldError(path, "INVALID", f"{_name(path)} must be a positive integer.")
        return value, None
    if field.kind is Kind.VALUE or isinstance(value, PartialDate):
        return value, None
    text, error = _clean_text(value, field, path)
    if field.kind is Kind.PARTIAL_DATE and error is None:
        # "" is no date, as in a filter: null (or leaving the field out) is how to say none.
        return _parse_date(value if text is None else text, path)
    if error is not None or text is None:
        return text, error
    return text, _check_form(text, field, path)


def _parse_date(text: str, path: Path) -> tuple[PartialDate | None, FieldError | None]:
    try:
        return PartialDate.parse(text), None
    except InvalidPartialDateError as exc:
        return None, FieldError(path, "INVALID_DATE", str(exc))


def check(
    values: Mapping[str, Any], spec: Spec, *, path: Path = (), partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """The fields that passed, cleaned, and a problem for each one that did not.

    ``partial``: an update, where absent fields stay as they are but present required ones
    may still not be emptied.
    """
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    unknown = set(values) - set(spec)
    errors.extend(
        FieldError((*path, name), "UNKNOWN_FIELD", f"{_name((name,))} cannot be set here.")
        for name in sorted(unknown)
    )
    for name, field in spec.items():
        if name not in values:
            if field.required and not partial:
                message = f"{_name((name,))} is required."
                errors.append(FieldError((*path, name), "REQUIRED", message))
            continue
        value = values[name]
        if isinstance(value, Refused):
            errors.append(value.error)
            continue
        if value is not None:
            value, error = _clean_one(value, field, (*path, name))
            if error is not None:
                errors.append(error)
                continue
        if value is None and field.required:
            message = f"{_name((name,))} may not be empty."
            errors.append(FieldError((*path, name), "REQUIRED", message))
            continue
        cleaned[name] = value
    return cleaned, errors


def clean(
    values: Mapping[str, Any], spec: Spec, *, path: Path = (), partial: bool = False
) -> dict[str, Any]:
    """Cleaned values for the fields given; raise UserInputError listing every problem."""
    cleaned, errors = check(values, spec, path=path, partial=partial)
    if errors:
        raise UserInputError(errors)
    return cleaned


def check_each(
    items: Sequence[Mapping[str, Any]], spec: Spec, path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Each item's fields that passed (aligned with ``items``), and the problems of all."""
    errors: list[FieldError] = []
    cleaned: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        fields, problems = check(item, spec, path=(*path, n))
        cleaned.append(fields)
        errors += problems
    return cleaned, errors


def collect(*problems: Sequence[FieldError]) -> None:
    """Raise one UserInputError for the problems of several parts, if there are any."""
    errors = [error for part in problems for error in part]
    if errors:
        raise UserInputError(errors)


def _name(path: Path) -> str:
    """The field as API clients spell it (lower camel case), for messages."""
    named = [part for part in path if isinstance(part, str)]
    if not named:
        return "value"
    first, *rest = named[-1].split("_")
    return first + "".join(word.capitalize() for word in rest)
