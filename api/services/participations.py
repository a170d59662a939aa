"""Participations: who attended which meeting for which side, filtered and ordered by date."""

import dataclasses
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func, select

from api.models import Meeting, Participation, Position
from api.models.columns import span
from api.models.enums import ParticipantRole, Rank
from api.services import listing, positions
from api.services.listing import Listing
from api.services.meetings import MeetingFilter, meeting_conditions
from api.services.pagination import SortKey, earliest_first, latest_first

_MEETING_START = (
    select(span(Meeting, "start").earliest)
    .where(Meeting.id == Participation.meeting_id)
    .scalar_subquery()
)
ORDERS: dict[str, Sequence[SortKey]] = {
    "MEETING_DATE_DESC": [latest_first(_MEETING_START)],
    "MEETING_DATE_ASC": [earliest_first(_MEETING_START)],
}
DEFAULT_ORDER = ("MEETING_DATE_DESC",)


@dataclasses.dataclass(frozen=True)
class ParticipationFilter:
    """Every condition is optional; a list matches any of its values."""

    side_country_codes: Sequence[str] | None = None
    min_rank: Rank | None = None
    roles: Sequence[ParticipantRole] | None = None
    person_ids: Sequence[int] | None = None
    meeting: MeetingFilter | None = None


def _ranked_on_meeting_date(minimum: Rank) -> ColumnElement[bool]:
    """The person held a position of ``minimum`` rank or higher at the meeting (positions)."""
    last_day = func.coalesce(span(Meeting, "end").latest, span(Meeting, "start").latest)
    return exists().where(
        Meeting.id == Participation.meeting_id,
        Position.person_id == Participation.person_id,
        positions.ranked(minimum),
        positions.at_meeting(span(Meeting, "start").earliest, last_day),
    )


def _conditions(f: ParticipationFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.side_country_codes is not None:
        c.append(listing.in_countries(Participation.side_country_id, f.side_country_codes))
    if f.min_rank is not None:
        c.append(_ranked_on_meeting_date(f.min_rank))
    if f.roles is not None:
        c.append(Participation.role.in_(f.roles))
    if f.person_ids is not None:
        c.append(Participation.person_id.in_(f.person_ids))
    if f.meeting is not None:
        c.append(
            exists().where(Meeting.id == Participation.meeting_id, *meeting_conditions(f.meeting))
        )
    return c


def list_participations(
    participation_filter: ParticipationFilter | None = None,
    order: Sequence[str] = DEFAULT_ORDER,
) -> Listing:
    """Participations matching the filter, ordered by the date of their meeting."""
    conditions = _conditions(participation_filter or ParticipationFilter())
    return listing.build(Participation, conditions, order=order, orders=ORDERS)
