"""Column helpers shared by the models: keys, slugs, timestamps and partial dates."""

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ColumnElement, Date, ForeignKey, String, func, text
from sqlalchemy.orm import Mapped, composite, declared_attr, mapped_column

from api.partial_date import PartialDate, Precision

SLUG_LENGTH = 120
NAME_LENGTH = 300
TITLE_LENGTH = 500
NOTE_LENGTH = 4000
TEXT_LENGTH = 20000


class Keyed:
    """Integer primary key, creation/update timestamps and a version for optimistic locking.

    Every UPDATE or DELETE the ORM emits carries ``WHERE version = <the version read>``; a
    concurrent writer that got there first makes it match no row, and the write fails.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    version: Mapped[int] = mapped_column(server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805  (a declarative class hook)
        return {"version_id_col": cls.version}


def slug_column() -> Mapped[str]:
    """A unique, URL-safe human-friendly key."""
    return mapped_column(String(SLUG_LENGTH), unique=True)


def reference(target: str, *, nullable: bool = True, ondelete: str | None = None) -> Any:
    """An indexed foreign key column to ``target`` (``table.column``)."""
    return mapped_column(ForeignKey(target, ondelete=ondelete), index=True, nullable=nullable)


def _none_when_unset(*values: Any) -> bool:
    return all(value is None for value in values)


def partial_date(prefix: str) -> Any:
    """Four nullable columns ``<prefix>_date/_precision/_earliest/_latest`` as one attribute."""
    return composite(
        PartialDate,
        mapped_column(f"{prefix}_date", String(10), nullable=True),
        mapped_column(f"{prefix}_precision", String(8), nullable=True),
        mapped_column(f"{prefix}_earliest", Date, nullable=True),
        mapped_column(f"{prefix}_latest", Date, nullable=True),
        return_none_on=_none_when_unset,
    )


def partial_date_checks(prefix: str) -> tuple[CheckConstraint, ...]:
    """All four columns set or none; the span never inverted."""
    columns = [f"{prefix}_{part}" for part in ("date", "precision", "earliest", "latest")]
    all_or_none = (
        " AND ".join(f"{c} IS NULL" for c in columns)
        + " OR "
        + " AND ".join(f"{c} IS NOT NULL" for c in columns)
    )
    precisions = ", ".join(f"'{p.value}'" for p in Precision)
    return (
        CheckConstraint(all_or_none, name=f"{prefix}_complete"),
        CheckConstraint(f"{prefix}_precision IN ({precisions})", name=f"{prefix}_precision"),
        CheckConstraint(f"{prefix}_earliest <= {prefix}_latest", name=f"{prefix}_span"),
    )


def exactly_one_of(columns: list[str], name: str) -> CheckConstraint:
    """Exactly one of ``columns`` is set: an exclusive arc of foreign keys."""
    total = " + ".join(f"CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END" for c in columns)
    return CheckConstraint(f"{total} = 1", name=name)


@dataclasses.dataclass(frozen=True)
class Span:
    """The SQL bounds of a partial date: the earliest and latest day it may denote."""

    earliest: ColumnElement[dt.date]
    latest: ColumnElement[dt.date]


def span(entity: Any, prefix: str) -> Span:
    """The bound columns of ``entity``'s partial date ``prefix`` (typed, for queries)."""
    return Span(getattr(entity, f"{prefix}_earliest"), getattr(entity, f"{prefix}_latest"))
