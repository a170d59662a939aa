"""Counts of meetings and of topics raised, grouped by the dimensions asked for: one GROUP BY.

Only meetings that count are counted (``api.services.counting``: kind MEETING or SIDELINE,
status HELD) unless the caller asks for every matching record. A meeting's year is the year of
the earliest day it may have begun: a partial date never spans two years, so a meeting dated
``2024`` or ``2024-H2`` counts for 2024; one running from 31 Dec into January counts for the
year it began; an undated meeting counts under a null year.
"""

import dataclasses
import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, cast, distinct, extract, func, null, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.models import Country, Mechanism, Meeting, MeetingTopic, Topic
from api.models.columns import span
from api.models.enums import Stance
from api.services import counting
from api.services.errors import InvalidArgumentError
from api.services.meetings import MeetingFilter, meeting_conditions


class MeetingDimension(enum.StrEnum):
    YEAR = "year"
    MECHANISM = "mechanism"
    HOST_COUNTRY = "host_country"
    KIND = "kind"
    FORMAT = "format"


class TopicDimension(enum.StrEnum):
    TOPIC = "topic"
    SIDE = "side"
    YEAR = "year"
    STANCE = "stance"
    MECHANISM = "mechanism"


class CountOrder(enum.StrEnum):
    COUNT_DESC = "count_desc"
    COUNT_ASC = "count_asc"
    YEAR_ASC = "year_asc"
    YEAR_DESC = "year_desc"


@dataclasses.dataclass(frozen=True)
class Group:
    """One group: its count and the values of the dimensions grouped by (None otherwise)."""

    count: int
    year: int | None = None
    mechanism_id: int | None = None
    mechanism_slug: str | None = None
    host_country_id: int | None = None
    host_country_code: str | None = None
    kind: str | None = None
    format: str | None = None
    topic_id: int | None = None
    topic_slug: str | None = None
    side_country_id: int | None = None
    side_country_code: str | None = None
    stance: str | None = None


@dataclasses.dataclass(frozen=True)
class Grouping:
    """The statement of a count: one row per group (named as ``Group``'s fields, null for a
    dimension not grouped by, and ``count``), and the keys it is ordered by."""

    stmt: Select[Any]
    order: list[Any]

    def ordered(self) -> Select[Any]:
        return self.stmt.order_by(*self.order)


@dataclasses.dataclass(frozen=True)
class TopicFilter:
    """Which topics raised to count; every condition is optional."""

    raised_by_country_codes: Sequence[str] | None = None
    stances: Sequence[Stance] | None = None
    topic_slugs: Sequence[str] | None = None
    meeting: MeetingFilter | None = None


@dataclasses.dataclass(frozen=True)
class _Dimension:
    """The expressions a dimension groups by (with their result names) and the one it sorts by.

    Sorting uses the expression, never its label: PostgreSQL resolves a bare output name in
    ORDER BY but not one inside an expression (``year IS NULL``).
    """

    columns: tuple[tuple[Any, str], ...]
    sort: Any


def _year() -> Any:
    return extract("year", span(Meeting, "start").earliest)


def _meeting_dimensions(host: Any, mechanism: Any) -> dict[str, _Dimension]:
    return {
        "year": _Dimension(((_year(), "year"),), _year()),
        "mechanism": _Dimension(
            (
                (Meeting.mechanism_id, "mechanism_id"),
                (mechanism.slug, "mechanism_slug"),
                (mechanism.name, "mechanism_name"),
            ),
            mechanism.name,
        ),
        "host_country": _Dimension(
            ((Meeting.host_country_id, "host_country_id"), (host.code, "host_country_code")),
            host.code,
        ),
        "kind": _Dimension(((Meeting.kind, "kind"),), Meeting.kind),
        "format": _Dimension(((Meeting.format, "format"),), Meeting.format),
    }


def _order(dimensions: Sequence[_Dimension], count: Any, order: Sequence[CountOrder]) -> list[Any]:
    keys: list[Any] = []
    for item in order:
        if item is CountOrder.COUNT_DESC:
            keys.append(count.desc())
        elif item is CountOrder.COUNT_ASC:
            keys.append(count.asc())
        else:
            year = _year()
            keys.extend(
                [year.is_(None), year.asc() if item is CountOrder.YEAR_ASC else year.desc()]
            )
    for dimension in dimensions:
        keys.extend([dimension.sort.is_(None), dimension.sort])
    # Then every grouped value: two groups never tie (two mechanisms may share a name), so
    # the order is the same however the statement is read (the compiled read path's too).
    keys.extend(expression for d in dimensions for expression, _ in d.columns)
    return keys


def _grouped(
    base: Select[Any], dimensions: Sequence[_Dimension], count: Any, every: Sequence[Any]
) -> Select[Any]:
    """Grouped by the dimensions' columns; the other columns of ``every`` are null."""
    columns = [column for d in dimensions for column in d.columns]
    labelled = [expression.label(name) for expression, name in columns]
    named = {name for _, name in columns}
    absent = [
        cast(null(), expression.type).label(name)
        for d in every
        for expression, name in d.columns
        if name not in named
    ]
    return base.add_columns(*labelled, *absent, count.label("count")).group_by(
        *[expression for expression, _ in columns]
    )


def _chosen(
    every: dict[str, _Dimension], group_by: Sequence[Any], order: Sequence[CountOrder]
) -> list[_Dimension]:
    names = [d.value for d in dict.fromkeys(group_by)]
    years = {CountOrder.YEAR_ASC, CountOrder.YEAR_DESC}
    if years & set(order) and "year" not in names:
        raise InvalidArgumentError("Order by year only when grouping by YEAR.")
    return [every[name] for name in names]


def meeting_groups(
    *,
    group_by: Sequence[MeetingDimension],
    meeting_filter: MeetingFilter | None = None,
    counted_only: bool = True,
    order: Sequence[CountOrder] = (),
) -> Grouping:
    """The statement counting meetings per group (``InvalidArgumentError``: a bad order)."""
    host, mechanism = aliased(Country), aliased(Mechanism)
    every = _meeting_dimensions(host, mechanism)
    dimensions = _chosen(every, group_by, order)
    conditions = meeting_conditions(meeting_filter or MeetingFilter())
    if counted_only:
        conditions.append(counting.counted())
    count = func.count(Meeting.id)
    base = (
        select()
        .select_from(Meeting)
        .outerjoin(mechanism, mechanism.id == Meeting.mechanism_id)
        .outerjoin(host, host.id == Meeting.host_country_id)
        .where(*conditions)
    )
    stmt = _grouped(base, dimensions, count, list(every.values()))
    return Grouping(stmt, _order(dimensions, count, order))


def _topic_dimensions(side: Any, topic: Any, mechanism: Any) -> dict[str, _Dimension]:
    every = _meeting_dimensions(side, mechanism)
    return {
        "topic": _Dimension(
            (
                (MeetingTopic.topic_id, "topic_id"),
                (topic.slug, "topic_slug"),
                (topic.name, "topic_name"),
            ),
            topic.name,
        ),
        "side": _Dimension(
            (
                (MeetingTopic.raised_by_country_id, "side_country_id"),
                (side.code, "side_country_code"),
            ),
            side.code,
        ),
        "year": every["year"],
        "stance": _Dimension(((MeetingTopic.stance, "stance"),), MeetingTopic.stance),
        "mechanism": every["mechanism"],
    }


def _topic_conditions(f: TopicFilter, side: Any, topic: Any) -> list[ColumnElement[bool]]:
    conditions = meeting_conditions(f.meeting or MeetingFilter())
    if f.raised_by_country_codes is not None:
        conditions.append(side.code.in_([code.upper() for code in f.raised_by_country_codes]))
    if f.stances is not None:
        conditions.append(MeetingTopic.stance.in_(f.stances))
    if f.topic_slugs is not None:
        conditions.append(topic.slug.in_(f.topic_slugs))
    return conditions


def topic_groups(
    *,
    group_by: Sequence[TopicDimension],
    topic_filter: TopicFilter | None = None,
    counted_only: bool = True,
    order: Sequence[CountOrder] = (),
) -> Grouping:
    """The statement counting topics raised per group (``InvalidArgumentError``: a bad order)."""
    side, topic, mechanism = aliased(Country), aliased(Topic), aliased(Mechanism)
    every = _topic_dimensions(side, topic, mechanism)
    dimensions = _chosen(every, group_by, order)
    conditions = _topic_conditions(topic_filter or TopicFilter(), side, topic)
    if counted_only:
        conditions.append(counting.counted())
    count = func.count(distinct(MeetingTopic.meeting_id))
    base = (
        select()
        .select_from(MeetingTopic)
        .join(Meeting, Meeting.id == MeetingTopic.meeting_id)
        .join(topic, topic.id == MeetingTopic.topic_id)
        .outerjoin(side, side.id == MeetingTopic.raised_by_country_id)
        .outerjoin(mechanism, mechanism.id == Meeting.mechanism_id)
        .where(*conditions)
    )
    stmt = _grouped(base, dimensions, count, list(every.values()))
    return Grouping(stmt, _order(dimensions, count, order))


async def read_groups(session: AsyncSession, grouping: Grouping) -> list[Group]:
    """The groups a count's statement finds, in its order."""
    return [_group(row) for row in (await session.execute(grouping.ordered())).mappings()]


_GROUP_FIELDS = [f.name for f in dataclasses.fields(Group)]


def _group(row: Any) -> Group:
    values = {name: row[name] for name in _GROUP_FIELDS if name in row}
    if values.get("year") is not None:
        values["year"] = int(values["year"])
    for name in ("kind", "format", "stance"):
        if values.get(name) is not None:
            values[name] = str(values[name].value)
    return Group(**values)
