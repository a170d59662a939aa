"""The domain's closed vocabularies, registered as GraphQL enums (values are the upper names)."""

import enum

import strawberry

from api.models.enums import (
    CommitmentStatus,
    MeasureKind,
    MeasureStatus,
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    MeetingFormat,
    MeetingStatus,
    OrganizationKind,
    ParticipantRole,
    Period,
    SourceKind,
    Stance,
)

_DESCRIPTIONS: dict[type[enum.Enum], str] = {
    MechanismKind: "What kind of channel.",
    MechanismLevel: "The rank of the officials who lead a mechanism.",
    MechanismStatus: "Whether a mechanism still meets.",
    Period: "The period a cadence or recurrence counts over.",
    MeetingFormat: "How a meeting was held.",
    MeetingStatus: "Whether a meeting took place, is planned or fell through.",
    ParticipantRole: "The part someone played at a meeting.",
    Stance: "How a side brought a topic up: as a concern, a request ...",
    CommitmentStatus: "Whether a commitment has been kept.",
    OrganizationKind: "What an organization is.",
    MeasureKind: "What kind of policy measure.",
    MeasureStatus: "Whether a measure applies.",
    SourceKind: "What kind of public source.",
}
for _enum, _description in _DESCRIPTIONS.items():
    strawberry.enum(_enum, description=_description)

__all__ = [
    "CommitmentStatus",
    "MeasureKind",
    "MeasureStatus",
    "MechanismKind",
    "MechanismLevel",
    "MechanismStatus",
    "MeetingFormat",
    "MeetingStatus",
    "OrganizationKind",
    "ParticipantRole",
    "Period",
    "SourceKind",
    "Stance",
]
