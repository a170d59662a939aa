"""The pieces a write is checked with besides its fields: lists given with the record, and
rules across fields. Each reports problems instead of raising, so one response lists them all."""

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.services.errors import FieldError
from api.services.fields import Path

Items = list[Mapping[str, Any]]


@dataclasses.dataclass(frozen=True)
class Part:
    """A list given with a record (parties, participants ...): checked with the rest of the
    input (``record`` is None for a new one), then added once the record exists."""

    check: Callable[[AsyncSession, Any, Items, Path], Awaitable[tuple[Any, list[FieldError]]]]
    add: Callable[[AsyncSession, Any, Any, Path], Awaitable[list[Any]]]


@dataclasses.dataclass(frozen=True)
class Rule:
    """A check across fields, run on the record as the input would leave it; skipped when one
    of its fields already has a problem of its own."""

    fields: tuple[str, ...]
    check: Callable[[Any], list[FieldError]]


def both_or_neither(first: str, second: str) -> Rule:
    """Two fields (a count and its period) are set together or not at all."""

    def rule(record: Any) -> list[FieldError]:
        if (getattr(record, first) is None) == (getattr(record, second) is None):
            return []
        return [FieldError((first,), "INVALID", f"Give {first} and {second} together.")]

    return Rule((first, second), rule)


def end_after_start(start: str, end: str) -> Rule:
    """A span may not end before it starts."""

    def rule(record: Any) -> list[FieldError]:
        begin, finish = getattr(record, start), getattr(record, end)
        if begin is None or finish is None or finish.latest >= begin.earliest:
            return []
        return [
            FieldError((end,), "INVALID_DATE", f"{end} ({finish}) is before {start} ({begin}).")
        ]

    return Rule((start, end), rule)
