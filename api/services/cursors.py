"""Opaque page cursors: a row's sort values, tagged with the ordering they belong to.

A cursor comes back from the client, so decoding trusts nothing in it: every value must have
exactly the type of its sort key's column (an int within the column's range, text both databases
can hold, a date, a UTC timestamp) before it reaches SQL; anything else is an
``InvalidArgumentError``.
"""

import base64
import binascii
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger
from sqlalchemy.types import TypeEngine

from api.db import as_utc
from api.services.errors import InvalidArgumentError

# Far above a 500-character title of 4-byte characters (escaped or not) in base64.
MAX_CURSOR_LENGTH = 16_384
Decoder = Callable[[Any], Any]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def encode(tag: str, values: Sequence[Any]) -> str:
    """A cursor for ``values`` under the ordering named ``tag``."""
    # Non-ASCII kept as is, so the database can write the same cursor (schema/compiled).
    payload = json.dumps(
        [tag, [_encode_value(v) for v in values]], separators=(",", ":"), ensure_ascii=False
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return as_utc(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decode(cursor: str, tag: str, decoders: Sequence[Decoder]) -> list[Any]:
    """The values inside ``cursor``, each checked by its decoder, if it belongs to ``tag``."""
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
    if found != tag or len(values) != len(decoders):
        raise InvalidArgumentError(
            f"Cursor {cursor[:100]!r} does not belong to this list and ordering."
        )
    try:
        return [decoder(value) for value, decoder in zip(values, decoders, strict=True)]
    except (ValueError, TypeError, OverflowError) as exc:
        raise invalid from exc


@functools.cache  # one per width: orderings are built per request
def _integer(bits: int) -> Decoder:
    allowed = range(-(2 ** (bits - 1)), 2 ** (bits - 1))

    def decode(value: Any) -> int:
        # bool is an int in Python; a bool, or an int beyond the column's range, makes the
        # database driver fail instead of matching nothing.
        if type(value) is not int or value not in allowed:
            raise TypeError(value)
        return value

    return decode


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


def decoder_for(sql_type: TypeEngine[Any]) -> Decoder:
    """How to check a cursor value for a sort key of ``sql_type`` (the types Parley sorts by)."""
    if isinstance(sql_type, Integer):
        # PostgreSQL's integer is 32 bits: a larger value is an error there, not "no row".
        bits = (
            64
            if isinstance(sql_type, BigInteger)
            else 16
            if isinstance(sql_type, SmallInteger)
            else 32
        )
        return _integer(bits)
    python_type = sql_type.python_type
    decoders: dict[type, Decoder] = {str: _text, dt.date: _date, dt.datetime: _datetime}
    if python_type not in decoders:
        raise TypeError(f"Sort values of type {sql_type} cannot be carried in a cursor.")
    return decoders[python_type]
