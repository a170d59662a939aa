"""Closed vocabularies, stored as text with a CHECK constraint (portable across databases)."""

import enum
from typing import Any

from sqlalchemy import Enum


class MechanismKind(enum.StrEnum):
    INFORMATION_EXCHANGE = "information_exchange"
    WORKING_GROUP = "working_group"
    TECHNICAL_DISCUSSION = "technical_discussion"
    MINISTERIAL_CHANNEL = "ministerial_channel"
    DIALOGUE = "dialogue"
    COMMISSION = "commission"
    SUMMIT = "summit"


class MechanismLevel(enum.StrEnum):
    LEADERS = "leaders"
    MINISTERIAL = "ministerial"
    VICE_MINISTERIAL = "vice_ministerial"
    ASSISTANT_SECRETARY = "assistant_secretary"
    EXPERT = "expert"


class MechanismStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    DORMANT = "dormant"
    ENDED = "ended"


class Period(enum.StrEnum):
    """The period a cadence or recurrence counts over."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class ComplianceVerdict(enum.StrEnum):
    """Whether a commitment (or one period of a recurring one) was kept, as of a date."""

    KEPT = "kept"
    KEPT_LATE = "kept_late"
    MISSED = "missed"
    OVERDUE = "overdue"
    PENDING = "pending"
    UNKNOWN = "unknown"


class ActivityVerdict(enum.StrEnum):
    """Whether a mechanism meets as its cadence says, as of a date (computed, never stored)."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    DUE = "due"
    OVERDUE = "overdue"
    DORMANT = "dormant"
    ENDED = "ended"


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    CALL = "call"
    VIDEO = "video"
    HYBRID = "hybrid"
    UNKNOWN = "unknown"


class MeetingKind(enum.StrEnum):
    """What a meeting record is: a meeting, a visit grouping meetings, a preparatory call ..."""

    MEETING = "meeting"
    VISIT = "visit"
    PREPARATORY = "preparatory"
    SIDELINE = "sideline"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class Rank(enum.StrEnum):
    """The rank of a position on one scale for both sides, highest first (see ``RANKS``)."""

    HEAD_OF_STATE = "head_of_state"
    HEAD_OF_GOVERNMENT = "head_of_government"
    VICE_PREMIER_STATE_COUNCILOR = "vice_premier_state_councilor"
    MINISTER = "minister"
    VICE_MINISTER = "vice_minister"
    ASSISTANT_MINISTER = "assistant_minister"
    DIRECTOR_GENERAL = "director_general"
    WORKING_LEVEL = "working_level"


RANKS: tuple[Rank, ...] = tuple(Rank)
"""Every rank, highest first: the order the scale defines."""


def at_or_above(rank: Rank) -> tuple[Rank, ...]:
    """The ranks as high as ``rank`` or higher."""
    return RANKS[: RANKS.index(rank) + 1]


class ParticipantRole(enum.StrEnum):
    HEAD_OF_DELEGATION = "head_of_delegation"
    CO_CHAIR = "co_chair"
    PARTICIPANT = "participant"
    HOST = "host"


class Stance(enum.StrEnum):
    CONCERN = "concern"
    REQUEST = "request"
    COOPERATION = "cooperation"
    INFORMATION = "information"


class CommitmentStatus(enum.StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    OVERDUE = "overdue"
    LAPSED = "lapsed"
    UNKNOWN = "unknown"


class NameOrigin(enum.StrEnum):
    """Where a name in another language comes from."""

    RECORD = "record"
    SOURCE = "source"
    TRANSLITERATION = "transliteration"
    EDITOR = "editor"
    UNVERIFIED = "unverified"


class OrganizationKind(enum.StrEnum):
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    DEPARTMENT = "department"
    AGENCY = "agency"
    BUREAU = "bureau"
    OFFICE = "office"
    LEGISLATURE = "legislature"
    COMPANY = "company"
    ASSOCIATION = "association"
    OTHER = "other"


class MeasureKind(enum.StrEnum):
    EXPORT_CONTROL = "export_control"
    EXECUTIVE_ORDER = "executive_order"
    INVESTMENT_RESTRICTION = "investment_restriction"
    SANCTION = "sanction"
    TARIFF = "tariff"
    PROCUREMENT_BAN = "procurement_ban"
    REGULATION = "regulation"
    OTHER = "other"


class MeasureStatus(enum.StrEnum):
    PROPOSED = "proposed"
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class SourceKind(enum.StrEnum):
    OFFICIAL_READOUT = "official_readout"
    PRESS_RELEASE = "press_release"
    FACT_SHEET = "fact_sheet"
    LEGAL_TEXT = "legal_text"
    NEWS = "news"
    SECONDARY_MIRROR = "secondary_mirror"
    OTHER = "other"


def enum_column(enum_class: type[enum.StrEnum]) -> Any:
    """A portable enum column type: VARCHAR plus a CHECK constraint named after the enum."""
    name = "".join(f"_{c.lower()}" if c.isupper() else c for c in enum_class.__name__).lstrip("_")
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
