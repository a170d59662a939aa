"""Opaque page cursors: a row's sort values, tagged with the ordering they belong to.

A cursor comes back from the client, so decoding trusts nothing in it: every value must have
exactly the Python type of its sort key (an int within 64 bits, text both databases can hold, a
date, a UTC timestamp) before it reaches SQL; anything else is an ``InvalidArgumentError``.
"""

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from api.db import as_utc
from api.services.errors import InvalidArgumentError

# A 500-character title of 4-byte characters escaped in JSON, in base64, with room to spare.
MAX_CURSOR_LENGTH = 16_384
_INT64 = range(-(2**63), 2**63)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def encode(tag: str, values: Sequence[Any]) -> str:
    """A cursor for ``values`` under the ordering named ``tag``."""
    payload = json.dumps([tag, [_encode_value(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return as_utc(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decode(cursor: str, tag: str, types: Sequence[type]) -> list[Any]:
    """The values inside ``cursor``, one of each of ``types``, if it belongs to ``tag``."""
    invalid = InvalidArgumentError(f"Invalid cursor {cursor[:100]!r}.")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise invalid from exc
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], list)):
        raise invalid
    found, values = payload
    if found != tag or len(values) != len(types):
        raise InvalidArgumentError(
            f"Cursor {cursor[:100]!r} does not belong to this list and ordering."
        )
    try:
        return [_DECODERS[kind](value) for value, kind in zip(values, types, strict=True)]
    except (ValueError, TypeError, OverflowError) as exc:
        raise invalid from exc


def _int(value: Any) -> int:
    # bool is an int in Python, and a bool or a 65-bit int makes the database driver fail.
    if type(value) is not int or value not in _INT64:
        raise TypeError(value)
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise TypeError(value)
    value.encode()  # a lone surrogate cannot be sent to either database: UnicodeEncodeError
    return value


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise TypeError(value)
    return dt.date.fromisoformat(value)


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str) or not value.isascii():
        raise TypeError(value)
    return as_utc(dt.datetime.fromisoformat(value))


_DECODERS: dict[type, Callable[[Any], Any]] = {
    int: _int,
    str: _text,
    dt.date: _date,
    dt.datetime: _datetime,
}
VALUE_TYPES = frozenset(_DECODERS)
"""The types of sort values a cursor can carry (a sort key of any other type is a bug)."""
