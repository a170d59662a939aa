"""The domain's closed vocabularies, registered as GraphQL enums (values are the upper names).

The enums live in ``api.models.enums`` (which knows nothing of GraphQL); their descriptions,
and one for every value, live here.
"""

import enum
from collections.abc import Mapping

import strawberry

from api.models.enums import (
    CommitmentStatus,
    MeasureKind,
    MeasureStatus,
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    NameOrigin,
    OrganizationKind,
    ParticipantRole,
    Period,
    Rank,
    SourceKind,
    Stance,
)

_DESCRIPTIONS: dict[type[enum.Enum], tuple[str, Mapping[str, str]]] = {
    MechanismKind: (
        "What kind of channel.",
        {
            "INFORMATION_EXCHANGE": "Officials exchange information on a subject (e.g. export-"
            "control enforcement); no negotiation mandate.",
            "WORKING_GROUP": "A standing group that works through a list of issues and reports "
            "to its principals (e.g. the Commercial Issues Working Group).",
            "TECHNICAL_DISCUSSION": "Talks between subject-matter experts on a narrow technical "
            "question (e.g. protecting trade secrets in licensing).",
            "MINISTERIAL_CHANNEL": "Regular contact between two ministers, by meeting or call.",
            "DIALOGUE": "A broad, recurring dialogue of several tracks (e.g. the S&ED).",
            "COMMISSION": "A joint commission with a plenary and working groups (e.g. the JCCT).",
            "SUMMIT": "A recurring summit or conference of authorities and industry (e.g. the "
            "tourism leadership summit).",
        },
    ),
    MechanismLevel: (
        "The rank of the officials who lead a mechanism.",
        {
            "LEADERS": "Heads of state or government.",
            "MINISTERIAL": "Ministers, secretaries, vice premiers or state councilors.",
            "VICE_MINISTERIAL": "Vice ministers and under secretaries.",
            "ASSISTANT_SECRETARY": "Assistant ministers and assistant secretaries.",
            "EXPERT": "Working-level officials and subject-matter experts.",
        },
    ),
    MechanismStatus: (
        "Whether a mechanism still meets, as recorded by an editor (a recorded fact, not "
        "computed from its meetings).",
        {
            "PROPOSED": "Agreed or announced, but not known to have met yet.",
            "ACTIVE": "Established and, as far as recorded, still meeting.",
            "DORMANT": "Not formally ended, but no longer known to meet.",
            "ENDED": "Formally ended, replaced or abandoned.",
        },
    ),
    Period: (
        "The period a cadence or recurrence counts over.",
        {
            "MONTH": "A calendar month.",
            "QUARTER": "A calendar quarter (Q1 = January to March).",
            "HALF_YEAR": "A calendar half-year (H1 = January to June).",
            "YEAR": "A calendar year.",
        },
    ),
    MeetingFormat: (
        "How a meeting was held.",
        {
            "IN_PERSON": "The participants met face to face.",
            "CALL": "By telephone.",
            "VIDEO": "By video conference.",
            "HYBRID": "Some participants in person, others remotely.",
            "UNKNOWN": "The sources do not say how it was held.",
        },
    ),
    MeetingKind: (
        "What a meeting record is, apart from how it was held (format) and whether it took "
        "place (status). Only MEETING and SIDELINE records that were HELD count in counts, "
        "aggregates and compliance.",
        {
            "MEETING": "A meeting between the sides: of a mechanism or ad hoc, in person or "
            "remote. Counts when held.",
            "VISIT": "A trip or visit that groups the meetings held during it (its parts). Not "
            "counted itself: its parts are.",
            "PREPARATORY": "A preparatory or working-level call or meeting that prepares a "
            "meeting of a mechanism. Not counted.",
            "SIDELINE": "A bilateral meeting on the sidelines of a larger event (a summit, "
            "APEC ...). Counts when held.",
        },
    ),
    MeetingStatus: (
        "Whether a meeting took place, is planned or fell through.",
        {
            "PLANNED": "Announced or agreed for a date, but not known to have taken place "
            "(whether or not that date has passed).",
            "HELD": "A source reports that it took place.",
            "POSTPONED": "Put off to a later, possibly unknown, date.",
            "CANCELLED": "Called off.",
            "UNKNOWN": "The sources do not say whether it took place.",
        },
    ),
    ParticipantRole: (
        "The part someone played at a meeting.",
        {
            "HEAD_OF_DELEGATION": "Led their side's delegation.",
            "CO_CHAIR": "Co-chaired the meeting or mechanism with the other side's lead.",
            "PARTICIPANT": "Took part without leading.",
            "HOST": "Hosted the meeting (e.g. received the other side).",
        },
    ),
    Rank: (
        "The rank of a position, on one scale for both sides, highest first. A filter's "
        "minimum rank matches that rank and every higher one.",
        {
            "HEAD_OF_STATE": "Head of state: the US President, the PRC President.",
            "HEAD_OF_GOVERNMENT": "Head of government: the PRC Premier.",
            "VICE_PREMIER_STATE_COUNCILOR": "A PRC Vice Premier or State Councilor (no US "
            "equivalent; above a minister).",
            "MINISTER": "A minister or cabinet secretary: PRC Minister of Commerce, US "
            "Secretary of Commerce, of State, of the Treasury; the US Trade Representative.",
            "VICE_MINISTER": "A vice minister, deputy secretary or under secretary: PRC Vice "
            "Minister of Commerce, US Under Secretary for International Trade.",
            "ASSISTANT_MINISTER": "An assistant minister or assistant secretary: US Assistant "
            "Secretary for Export Enforcement.",
            "DIRECTOR_GENERAL": "A director-general, deputy assistant secretary or office "
            "director.",
            "WORKING_LEVEL": "Working-level officials and experts below director-general.",
        },
    ),
    Stance: (
        "How a side brought a topic up: as a concern, a request ...",
        {
            "CONCERN": "Raised as a concern or complaint about the other side's policy.",
            "REQUEST": "Asked the other side to do something.",
            "COOPERATION": "Proposed or agreed cooperation on it.",
            "INFORMATION": "Informed or briefed about it, without a demand.",
        },
    ),
    CommitmentStatus: (
        "Whether a commitment has been kept, as recorded by an editor.",
        {
            "PENDING": "Not yet due, or due and not yet known to be kept.",
            "FULFILLED": "Kept.",
            "PARTIALLY_FULFILLED": "Kept in part, or kept late.",
            "OVERDUE": "Past its due date and not known to be kept.",
            "LAPSED": "No longer expected to be kept (abandoned or superseded).",
            "UNKNOWN": "The record cannot tell whether it was kept.",
        },
    ),
    NameOrigin: (
        "Where a name of a record comes from.",
        {
            "RECORD": "The record's own name or acronym (its citations support it).",
            "SOURCE": "A source gives this name (see the name's source).",
            "TRANSLITERATION": "An editor's transliteration or transcription, not found in a "
            "source (e.g. a US official's name in Chinese characters).",
            "EDITOR": "An editor's addition, not found in a stored source: an alias, a "
            "translation, or a person's name in their own script.",
            "UNVERIFIED": "Recorded without saying where it comes from (names added before "
            "provenance was kept, or through the API).",
        },
    ),
    OrganizationKind: (
        "What an organization is.",
        {
            "GOVERNMENT": "A national government or its cabinet (e.g. the State Council).",
            "MINISTRY": "A ministry or cabinet department (e.g. MOFCOM).",
            "DEPARTMENT": "A department of the US federal government (e.g. Commerce).",
            "AGENCY": "An agency or administration within or beside a department (e.g. ITA).",
            "BUREAU": "A bureau within a department (e.g. BIS).",
            "OFFICE": "An office (e.g. USTR, a ministry's office).",
            "LEGISLATURE": "A legislature or one of its committees.",
            "COMPANY": "A company.",
            "ASSOCIATION": "A business or industry association.",
            "OTHER": "Any other kind of body.",
        },
    ),
    MeasureKind: (
        "What kind of policy measure.",
        {
            "EXPORT_CONTROL": "Controls or licensing requirements on exports.",
            "EXECUTIVE_ORDER": "A presidential executive order.",
            "INVESTMENT_RESTRICTION": "Limits on or review of inbound or outbound investment.",
            "SANCTION": "Sanctions or entity listings against companies or people.",
            "TARIFF": "Tariffs or other duties.",
            "PROCUREMENT_BAN": "A ban on buying certain products (e.g. in critical "
            "infrastructure).",
            "REGULATION": "Any other rule or regulation.",
            "OTHER": "Any other measure.",
        },
    ),
    MeasureStatus: (
        "Whether a measure applies.",
        {
            "PROPOSED": "Announced or proposed, not yet in force.",
            "IN_FORCE": "In force.",
            "AMENDED": "In force in an amended form.",
            "REVOKED": "Withdrawn or revoked.",
            "EXPIRED": "Ended at the end of its term.",
            "UNKNOWN": "The sources do not say whether it applies.",
        },
    ),
    SourceKind: (
        "What kind of public source.",
        {
            "OFFICIAL_READOUT": "A government's own readout of a meeting or call.",
            "PRESS_RELEASE": "A government's press release or statement.",
            "FACT_SHEET": "A government fact sheet.",
            "LEGAL_TEXT": "A law, order, regulation or announcement with legal force.",
            "NEWS": "A news report.",
            "SECONDARY_MIRROR": "A repost or copy of another source (see its original).",
            "OTHER": "Any other source.",
        },
    ),
}


def describe(
    enum_class: type[enum.Enum], description: str, values: Mapping[str, str]
) -> type[enum.Enum]:
    """Register ``enum_class`` as a GraphQL enum, with a description for each of its values."""
    missing = {member.name for member in enum_class} - set(values)
    if missing:
        raise ValueError(f"{enum_class.__name__}: no description for {sorted(missing)}")
    strawberry.enum(enum_class, description=description)
    for value in enum_class.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]
    return enum_class


for _enum, (_description, _values) in _DESCRIPTIONS.items():
    describe(_enum, _description, _values)

__all__ = [
    "CommitmentStatus",
    "MeasureKind",
    "MeasureStatus",
    "MechanismKind",
    "MechanismLevel",
    "MechanismStatus",
    "MeetingFormat",
    "MeetingKind",
    "MeetingStatus",
    "NameOrigin",
    "OrganizationKind",
    "ParticipantRole",
    "Period",
    "Rank",
    "SourceKind",
    "Stance",
    "describe",
]
