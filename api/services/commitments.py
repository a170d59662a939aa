"""Commitments: listing and filtering."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement

from api import clock
from api.models import Commitment
from api.models.columns import span
from api.models.enums import CommitmentStatus, ComplianceVerdict
from api.partial_date import PartialDate
from api.services import compliance, listing
from api.services.listing import Listing
from api.services.pagination import SortKey, earliest_first, latest_first

ORDERS: dict[str, Sequence[SortKey]] = {
    "DUE_ASC": [earliest_first(span(Commitment, "due").earliest)],
    "DUE_DESC": [latest_first(span(Commitment, "due").earliest)],
    "TITLE_ASC": [SortKey(Commitment.title)],
}


@dataclasses.dataclass(frozen=True)
class CommitmentFilter:
    """Every condition is optional; a list matches any of its values."""

    statuses: Sequence[CommitmentStatus] | None = None
    mechanism_ids: Sequence[int] | None = None
    meeting_ids: Sequence[int] | None = None
    due_from: PartialDate | None = None
    due_to: PartialDate | None = None
    compliance: Sequence[ComplianceVerdict] | None = None
    as_of: dt.date | None = None


def list_commitments(
    commitment_filter: CommitmentFilter | None = None, order: Sequence[str] = ("DUE_ASC",)
) -> Listing:
    """Commitments matching the filter, in the given order."""
    f = commitment_filter or CommitmentFilter()
    c: list[ColumnElement[bool]] = []
    if f.statuses is not None:
        c.append(Commitment.status.in_(f.statuses))
    if f.mechanism_ids is not None:
        c.append(Commitment.mechanism_id.in_(f.mechanism_ids))
    if f.meeting_ids is not None:
        c.append(Commitment.meeting_id.in_(f.meeting_ids))
    if f.due_from is not None:
        c.append(span(Commitment, "due").latest >= f.due_from.earliest)
    if f.due_to is not None:
        c.append(span(Commitment, "due").earliest <= f.due_to.latest)
    if f.compliance is not None:
        c.append(compliance.matching(f.as_of or clock.today(), f.compliance))
    return listing.build(Commitment, c, order=order, orders=ORDERS)
