"""Which meeting records count as meetings: the one rule behind counts, aggregates and compliance.

A record counts when it is a real meeting that took place: its kind is MEETING or SIDELINE and
its status is HELD. Not counted: a VISIT (a container; the meetings it groups count, each
once), a PREPARATORY or working-level call (it prepares a meeting, it is not one), and any
record whose status is PLANNED, POSTPONED, CANCELLED or UNKNOWN (not known to have happened).
"""

from typing import Any

from sqlalchemy import ColumnElement, and_

from api.models import Meeting
from api.models.enums import MeetingKind, MeetingStatus

COUNTED_KINDS: tuple[MeetingKind, ...] = (MeetingKind.MEETING, MeetingKind.SIDELINE)
COUNTED_STATUSES: tuple[MeetingStatus, ...] = (MeetingStatus.HELD,)

RULE = (
    "A meeting counts when its kind is MEETING or SIDELINE and its status is HELD; visits "
    "(their parts count instead), preparatory calls, and planned, postponed, cancelled or "
    "unknown meetings do not."
)


def is_counted(kind: MeetingKind | str, status: MeetingStatus | str) -> bool:
    """Whether a meeting of this kind and status counts (see the module's rule)."""
    return MeetingKind(kind) in COUNTED_KINDS and MeetingStatus(status) in COUNTED_STATUSES


def counted(meeting: Any = Meeting) -> ColumnElement[bool]:
    """SQL: the meeting row (``meeting``: the Meeting entity or an alias of it) counts."""
    return and_(meeting.kind.in_(COUNTED_KINDS), meeting.status.in_(COUNTED_STATUSES))
