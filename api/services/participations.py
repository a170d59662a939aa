"""Participations: a person's meetings, latest first."""

from collections.abc import Sequence

from sqlalchemy import select

from api.models import Meeting, Participation
from api.models.columns import span
from api.services import listing
from api.services.listing import Listing
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


def list_participations(order: Sequence[str] = ("MEETING_DATE_DESC",)) -> Listing:
    """All participations, ordered by the date of their meeting."""
    return listing.build(Participation, [], order=order, orders=ORDERS)
