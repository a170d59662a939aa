"""Which meetings fulfil which commitments: the rule, as data, and the editors' links.

A meeting fulfils a commitment when an editor linked it (``counts``), or when the
commitment's rule matches it and no editor unlinked it. The rule: a meeting of a kind that
counts (a meeting or a sideline encounter, never a visit or a preparatory call) of the rule's
mechanism (else the commitment's), of one of its
formats and kinds when it names any, where each side (two at least) had someone present, of
the rule's minimum rank or higher when it names one (a position of that rank held on the
meeting's days). Only a held meeting fulfils for certain; one whose status is unknown, or whose
attendance cannot be shown to meet the rank (a participant known only by name, a position
without dates), only may.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from api.models import (
    Commitment,
    CommitmentFulfillment,
    FulfillmentRule,
    Meeting,
    Participation,
    Position,
)
from api.models.columns import span
from api.models.enums import RANKS, MeetingStatus
from api.services import positions
from api.services.meeting_days import counted, first_day, last_day

MAY_HAVE_TAKEN_PLACE = (MeetingStatus.HELD, MeetingStatus.UNKNOWN)


def _one_of(values: Any, value: Any) -> ColumnElement[bool]:
    """``value`` is in the comma-separated set ``values`` (NULL: any value)."""
    listed = literal(",") + values + literal(",")
    found: ColumnElement[bool] = or_(
        values.is_(None), listed.like(literal("%,") + cast(value, String) + literal(",%"))
    )
    return found


def _rank_order(rank: Any) -> Any:
    """A rank's place on the scale, 0 the highest (NULL for no rank)."""
    return case({r.value: n for n, r in enumerate(RANKS)}, value=rank, else_=None)


def _ranked(participation: Any, meeting: Any, rule: Any) -> ColumnElement[bool]:
    """The participant certainly held the rule's minimum rank or higher at the meeting: a
    position of that rank held on the meeting's days, by ``api.services.positions``' rule."""
    position = aliased(Position)
    start = span(meeting, "start")
    last = func.coalesce(span(meeting, "end").latest, start.latest)
    # Nested two levels down: without correlate_except the meeting and the rule would be
    # taken as new FROM entries instead of the outer rows.
    ranked = (
        exists()
        .where(
            position.person_id == participation.person_id,
            positions.at_meeting(start.earliest, last, position),
            _rank_order(position.rank) <= _rank_order(rule.min_rank),
        )
        .correlate_except(position)
    )
    anyone: ColumnElement[bool] = or_(rule.min_rank.is_(None), ranked)
    return anyone


def _sides(meeting: Any, rule: Any, *, certain: bool) -> ColumnElement[bool]:
    """Each side was present: two sides at least had someone (of the rank, when ``certain``).

    When no attendance is recorded at all the meeting may still have met the rule.
    """
    p = aliased(Participation)
    present = select(func.count(func.distinct(p.side_country_id))).where(p.meeting_id == meeting.id)
    if certain:
        present = present.where(_ranked(p, meeting, rule))
        return or_(~rule.both_sides, present.scalar_subquery() >= 2)
    recorded = exists().where(p.meeting_id == meeting.id)
    return or_(~rule.both_sides, present.scalar_subquery() >= 2, ~recorded)


def _by_rule(commitment_ids: Sequence[int] | None) -> Any:
    r, c, m = FulfillmentRule, aliased(Commitment), aliased(Meeting)
    unlinked = aliased(CommitmentFulfillment)
    certain = case(
        (and_(m.status == MeetingStatus.HELD, _sides(m, r, certain=True)), 1), else_=0
    ).label("certain")
    stmt = (
        select(r.commitment_id.label("commitment_id"), m.id.label("meeting_id"), certain)
        .join(c, c.id == r.commitment_id)
        .join(m, m.mechanism_id == func.coalesce(r.mechanism_id, c.mechanism_id))
        .where(
            m.status.in_(MAY_HAVE_TAKEN_PLACE),
            counted(m),
            _one_of(r.formats, m.format),
            _one_of(r.kinds, m.kind),
            _sides(m, r, certain=False),
            ~exists().where(
                unlinked.commitment_id == r.commitment_id,
                unlinked.meeting_id == m.id,
                ~unlinked.counts,
            ),
        )
    )
    if commitment_ids is not None:
        stmt = stmt.where(r.commitment_id.in_(commitment_ids))
    return stmt


def _by_link(commitment_ids: Sequence[int] | None) -> Any:
    link, m = CommitmentFulfillment, aliased(Meeting)
    certain = case((m.status == MeetingStatus.HELD, 1), else_=0).label("certain")
    stmt = (
        select(link.commitment_id, m.id.label("meeting_id"), certain)
        .join(m, m.id == link.meeting_id)
        .where(link.counts, m.status.in_(MAY_HAVE_TAKEN_PLACE))
    )
    if commitment_ids is not None:
        stmt = stmt.where(link.commitment_id.in_(commitment_ids))
    return stmt


def matches(commitment_ids: Sequence[int] | None = None) -> CTE:
    """(commitment_id, meeting_id, certain 1/0, first, last day): every fulfilling meeting.

    Only meetings after the one the commitment was agreed at count: not that meeting itself,
    nor one that certainly took place before it.
    """
    found = union_all(_by_rule(commitment_ids), _by_link(commitment_ids)).subquery("found")
    m, c, agreed = aliased(Meeting), aliased(Commitment), aliased(Meeting)
    return (
        select(
            found.c.commitment_id,
            found.c.meeting_id,
            cast(func.max(found.c.certain), Integer).label("certain"),
            first_day(m).label("first"),
            last_day(m).label("last"),
        )
        .join(m, m.id == found.c.meeting_id)
        .join(c, c.id == found.c.commitment_id)
        .join(agreed, agreed.id == c.meeting_id, isouter=True)
        .where(
            or_(agreed.id.is_(None), m.id != agreed.id),
            or_(
                span(agreed, "start").earliest.is_(None),
                last_day(m) >= span(agreed, "start").earliest,
            ),
        )
        .group_by(found.c.commitment_id, found.c.meeting_id, m.id)
        .cte()  # unnamed: a statement may hold several (a filter's and a field's)
    )


def has_rule(commitment: Any) -> ColumnElement[bool]:
    """Something can fulfil the commitment: a rule, or a meeting an editor linked."""
    link = aliased(CommitmentFulfillment)
    return or_(
        exists().where(FulfillmentRule.commitment_id == commitment.id),
        exists().where(link.commitment_id == commitment.id, link.counts),
    )


def as_of_day(as_of: dt.date) -> ColumnElement[dt.date]:
    """The as-of date as a typed SQL value."""
    return literal(as_of, Date)
