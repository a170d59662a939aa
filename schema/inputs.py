"""Filter inputs and ordering enums of the root connections, converted to service filters."""

import datetime
import enum
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry import relay

from api.partial_date import PartialDate
from api.services import counting, positions
from api.services.commitments import CommitmentFilter
from api.services.measures import MeasureFilter
from api.services.mechanisms import MechanismFilter
from api.services.meetings import MeetingFilter
from api.services.participations import ParticipationFilter
from api.services.people import OrganizationFilter, PersonFilter
from api.services.sources import SourceFilter
from api.services.topics import TopicFilter
from schema import enums
from schema.as_of import as_of_or_today
from schema.errors import bad_user_input
from schema.ids import row_id
from schema.scalars import checked
from schema.time_enums import ActivityVerdict, ComplianceVerdict


def ids_of(type_name: str, ids: Sequence[relay.GlobalID] | None) -> list[int] | None:
    """Database ids from global ids, which must all name ``type_name`` records."""
    if ids is None:
        return None
    result = []
    for global_id in ids:
        key = row_id(global_id.node_id)
        if global_id.type_name != type_name or key is None:
            raise bad_user_input(f"{global_id} is not the id of a {type_name}.")
        result.append(key)
    return result


def search_field(what: str) -> Any:
    """A filter's ``search``: the root search's syntax, over what it indexes for ``what``."""
    return strawberry.field(
        default=None,
        description="Matches the syntax of the root `search` field (words with English "
        'stemming, "phrases", OR, -word; Chinese anywhere in a word) against what search '
        f"indexes for {what}.",
    )


def checked_range(
    start: PartialDate | None, end: PartialDate | None, what: str
) -> tuple[PartialDate | None, PartialDate | None]:
    """The range's two ends, each a real partial date, the end not before the start."""
    first, last = checked(start), checked(end)
    if first is not None and last is not None and last.latest < first.earliest:
        raise bad_user_input(f"{what}: the end ({last}) lies before the start ({first}).")
    return first, last


def order_names(order_by: Sequence[enum.Enum] | None, default: Sequence[str]) -> list[str]:
    """Service order names from the GraphQL ordering list (the default when none given)."""
    return [item.value for item in order_by] if order_by else list(default)


@strawberry.input(description="Which mechanisms to list; every condition is optional.")
class MechanismFilterInput:
    kinds: list[enums.MechanismKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    statuses: list[enums.MechanismStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    levels: list[enums.MechanismLevel] | None = strawberry.field(
        default=None, description="Any of these levels."
    )
    party_countries: list[str] | None = strawberry.field(
        default=None, description="A party is one of these countries (ISO 3166 alpha-2: US, CN)."
    )
    name: str | None = strawberry.field(
        default=None, description="A name in any language contains this text."
    )
    activity: list[ActivityVerdict] | None = strawberry.field(
        default=None,
        description="Its activity as of `asOf` is any of these (computed in the same SQL "
        "statement as the list; see ActivityVerdict for the rules).",
    )
    as_of: datetime.date | None = strawberry.field(
        default=None, description="The date `activity` is judged as of (UTC); today by default."
    )

    search: str | None = search_field(
        "a mechanism: names in every language, acronym, cadence, summary, note"
    )

    def to_service(self) -> MechanismFilter:
        return MechanismFilter(
            kinds=self.kinds,
            statuses=self.statuses,
            levels=self.levels,
            party_country_codes=self.party_countries,
            name=self.name,
            search=self.search,
            activity=self.activity,
            as_of=as_of_or_today(self.as_of),
        )


@strawberry.enum(description="Orderings of mechanisms.")
class MechanismOrder(enum.Enum):
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By name, A to Z.")
    NAME_DESC = strawberry.enum_value("NAME_DESC", description="By name, Z to A.")
    ESTABLISHED_ASC = strawberry.enum_value(
        "ESTABLISHED_ASC", description="Earliest established first (undated last)."
    )
    ESTABLISHED_DESC = strawberry.enum_value(
        "ESTABLISHED_DESC", description="Latest established first (undated last)."
    )


@strawberry.input(description="Which meetings to list; every condition is optional.")
class MeetingFilterInput:
    mechanism_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Held under any of these mechanisms (ids)."
    )
    mechanism_slugs: list[str] | None = strawberry.field(
        default=None, description="Held under any of these mechanisms (slugs)."
    )
    ad_hoc: bool | None = strawberry.field(
        default=None, description="true: only meetings outside any mechanism; false: only inside."
    )
    parent_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Part of any of these visits or larger meetings (ids)."
    )
    date_from: PartialDate | None = strawberry.field(
        default=None,
        description="Could have taken place on or after this date (partial dates overlap: "
        "a meeting in 2024-05 matches dateFrom 2024-05-31).",
    )
    date_to: PartialDate | None = strawberry.field(
        default=None, description="Could have taken place on or before this date."
    )
    host_countries: list[str] | None = strawberry.field(
        default=None, description="Hosted by any of these countries (ISO 3166 alpha-2)."
    )
    topic_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Any of these topics was raised (ids)."
    )
    topic_slugs: list[str] | None = strawberry.field(
        default=None, description="Any of these topics was raised (slugs)."
    )
    participant_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Any of these people took part (ids)."
    )
    participant_name: str | None = strawberry.field(
        default=None, description="Someone took part whose name, in any language, contains this."
    )
    statuses: list[enums.MeetingStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    formats: list[enums.MeetingFormat] | None = strawberry.field(
        default=None, description="Any of these formats."
    )
    kinds: list[enums.MeetingKind] | None = strawberry.field(
        default=None, description="Any of these kinds (meeting, visit, preparatory, sideline)."
    )
    counted: bool | None = strawberry.field(
        default=None,
        description="true: only meetings that count in counts and compliance; false: only "
        "those that do not. " + counting.RULE,
    )
    search: str | None = search_field(
        "the meeting: title, sequence, place, summary, note, notes on topics raised"
    )

    def to_service(self) -> MeetingFilter:
        date_from, date_to = checked_range(self.date_from, self.date_to, "dateFrom/dateTo")
        return MeetingFilter(
            mechanism_ids=ids_of("Mechanism", self.mechanism_ids),
            mechanism_slugs=self.mechanism_slugs,
            ad_hoc=self.ad_hoc,
            parent_ids=ids_of("Meeting", self.parent_ids),
            date_from=date_from,
            date_to=date_to,
            host_country_codes=self.host_countries,
            topic_ids=ids_of("Topic", self.topic_ids),
            topic_slugs=self.topic_slugs,
            participant_ids=ids_of("Person", self.participant_ids),
            participant_name=self.participant_name,
            statuses=self.statuses,
            formats=self.formats,
            kinds=self.kinds,
            counted=self.counted,
            search=self.search,
        )


@strawberry.enum(description="Orderings of meetings.")
class MeetingOrder(enum.Enum):
    START_DATE_ASC = strawberry.enum_value(
        "START_DATE_ASC",
        description="Earliest first, by the earliest day each may have begun (undated last).",
    )
    START_DATE_DESC = strawberry.enum_value(
        "START_DATE_DESC",
        description="Latest first, by the earliest day each may have begun (undated last).",
    )
    TITLE_ASC = strawberry.enum_value("TITLE_ASC", description="By title, A to Z.")
    TITLE_DESC = strawberry.enum_value("TITLE_DESC", description="By title, Z to A.")


@strawberry.input(description="Which people to list; every condition is optional.")
class PersonFilterInput:
    name: str | None = strawberry.field(
        default=None,
        description="A name in any language contains this text: 王文涛 and wang wentao both "
        "find Wang Wentao.",
    )
    countries: list[str] | None = strawberry.field(
        default=None, description="Of any of these countries (ISO 3166 alpha-2)."
    )
    organization_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Held a position in any of these organizations (ids)."
    )
    holding_position_on: PartialDate | None = strawberry.field(
        default=None,
        description="Held a position on this date (with minRank: a position of that rank or "
        "higher). " + positions.RULE + " A partial date matches when the position may have "
        "been held on any of its days.",
    )
    min_rank: enums.Rank | None = strawberry.field(
        default=None,
        description="Held a position of this rank or higher (on holdingPositionOn, when given).",
    )

    search: str | None = search_field("a person: names in every language, position titles, note")

    def to_service(self) -> PersonFilter:
        return PersonFilter(
            name=self.name,
            country_codes=self.countries,
            organization_ids=ids_of("Organization", self.organization_ids),
            search=self.search,
            holding_position_on=checked(self.holding_position_on),
            min_rank=self.min_rank,
        )


@strawberry.input(description="Which participations to list; every condition is optional.")
class ParticipationFilterInput:
    sides: list[str] | None = strawberry.field(
        default=None,
        description="For any of these sides (ISO 3166 alpha-2 country codes: US, CN).",
    )
    min_rank: enums.Rank | None = strawberry.field(
        default=None,
        description="The person held a position of this rank or higher on the meeting's date "
        "(any day of it, for a meeting over several days or dated partially). "
        + positions.MEETING_RULE
        + " Reported names without a known person, and undated meetings, never match.",
    )
    roles: list[enums.ParticipantRole] | None = strawberry.field(
        default=None, description="In any of these roles."
    )
    person_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Of any of these people (ids)."
    )
    meeting: MeetingFilterInput | None = strawberry.field(
        default=None,
        description="At a meeting matching this (the meetings list's filter: dates, "
        "mechanisms, kinds, counted ...).",
    )

    def to_service(self) -> ParticipationFilter:
        return ParticipationFilter(
            side_country_codes=self.sides,
            min_rank=self.min_rank,
            roles=self.roles,
            person_ids=ids_of("Person", self.person_ids),
            meeting=self.meeting.to_service() if self.meeting is not None else None,
        )


@strawberry.enum(description="Orderings of participations.")
class ParticipationOrder(enum.Enum):
    MEETING_DATE_DESC = strawberry.enum_value(
        "MEETING_DATE_DESC", description="Latest meeting first (undated meetings last)."
    )
    MEETING_DATE_ASC = strawberry.enum_value(
        "MEETING_DATE_ASC", description="Earliest meeting first (undated meetings last)."
    )


@strawberry.input(description="Which organizations to list; every condition is optional.")
class OrganizationFilterInput:
    name: str | None = strawberry.field(
        default=None, description="A name in any language contains this text (商务部, MOFCOM)."
    )
    kinds: list[enums.OrganizationKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    countries: list[str] | None = strawberry.field(
        default=None, description="Of any of these countries (ISO 3166 alpha-2)."
    )
    parent_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Part of any of these organizations (ids)."
    )

    search: str | None = search_field("an organization: names in every language, acronym, note")

    def to_service(self) -> OrganizationFilter:
        return OrganizationFilter(
            name=self.name,
            kinds=self.kinds,
            country_codes=self.countries,
            parent_ids=ids_of("Organization", self.parent_ids),
            search=self.search,
        )


@strawberry.enum(description="Orderings by name.")
class NameOrder(enum.Enum):
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By name, A to Z.")
    NAME_DESC = strawberry.enum_value("NAME_DESC", description="By name, Z to A.")


@strawberry.input(description="Which topics to list; every condition is optional.")
class TopicFilterInput:
    name: str | None = strawberry.field(
        default=None, description="A name in any language contains this text."
    )
    parent_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Narrower topics of any of these topics (ids)."
    )

    search: str | None = search_field("a topic: names in every language, description")

    def to_service(self) -> TopicFilter:
        return TopicFilter(
            name=self.name, parent_ids=ids_of("Topic", self.parent_ids), search=self.search
        )


@strawberry.input(description="Which policy measures to list; every condition is optional.")
class MeasureFilterInput:
    name: str | None = strawberry.field(
        default=None, description="A name in any language contains this text."
    )
    kinds: list[enums.MeasureKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    statuses: list[enums.MeasureStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    countries: list[str] | None = strawberry.field(
        default=None, description="Issued by any of these countries (ISO 3166 alpha-2)."
    )
    topic_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Covers any of these topics (ids)."
    )
    topic_slugs: list[str] | None = strawberry.field(
        default=None, description="Covers any of these topics (slugs)."
    )

    search: str | None = search_field("a policy measure: names, instrument, summary, note")

    def to_service(self) -> MeasureFilter:
        return MeasureFilter(
            name=self.name,
            kinds=self.kinds,
            statuses=self.statuses,
            country_codes=self.countries,
            topic_ids=ids_of("Topic", self.topic_ids),
            topic_slugs=self.topic_slugs,
            search=self.search,
        )


@strawberry.enum(description="Orderings of policy measures.")
class MeasureOrder(enum.Enum):
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By name, A to Z.")
    NAME_DESC = strawberry.enum_value("NAME_DESC", description="By name, Z to A.")
    ANNOUNCED_ASC = strawberry.enum_value(
        "ANNOUNCED_ASC", description="Earliest announced first (undated last)."
    )
    ANNOUNCED_DESC = strawberry.enum_value(
        "ANNOUNCED_DESC", description="Latest announced first (undated last)."
    )


@strawberry.input(description="Which commitments to list; every condition is optional.")
class CommitmentFilterInput:
    statuses: list[enums.CommitmentStatus] | None = strawberry.field(
        default=None,
        description="Any of these hand-set statuses.",
        deprecation_reason="Hand-set statuses describe the end of 2024; use `compliance`.",
    )
    compliance: list[ComplianceVerdict] | None = strawberry.field(
        default=None,
        description="Its overall compliance as of `asOf` is any of these (computed in the same "
        "SQL statement as the list; see ComplianceVerdict for the rules).",
    )
    as_of: datetime.date | None = strawberry.field(
        default=None, description="The date `compliance` is judged as of (UTC); today by default."
    )
    mechanism_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Made for any of these mechanisms (ids)."
    )
    meeting_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Made at any of these meetings (ids)."
    )
    due_from: PartialDate | None = strawberry.field(
        default=None, description="Could fall due on or after this date."
    )
    due_to: PartialDate | None = strawberry.field(
        default=None, description="Could fall due on or before this date."
    )

    search: str | None = search_field(
        "a commitment: title, text, due phrase, recurrence, status note"
    )

    def to_service(self) -> CommitmentFilter:
        due_from, due_to = checked_range(self.due_from, self.due_to, "dueFrom/dueTo")
        return CommitmentFilter(
            statuses=self.statuses,
            mechanism_ids=ids_of("Mechanism", self.mechanism_ids),
            meeting_ids=ids_of("Meeting", self.meeting_ids),
            due_from=due_from,
            due_to=due_to,
            search=self.search,
            compliance=self.compliance,
            as_of=as_of_or_today(self.as_of),
        )


@strawberry.enum(description="Orderings of commitments.")
class CommitmentOrder(enum.Enum):
    DUE_ASC = strawberry.enum_value("DUE_ASC", description="Earliest due first (no due date last).")
    DUE_DESC = strawberry.enum_value("DUE_DESC", description="Latest due first (no due date last).")
    TITLE_ASC = strawberry.enum_value("TITLE_ASC", description="By title, A to Z.")


@strawberry.input(description="Which sources to list; every condition is optional.")
class SourceFilterInput:
    kinds: list[enums.SourceKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="In any of these languages (BCP 47: en, zh-Hans)."
    )
    publisher: str | None = strawberry.field(
        default=None, description="The publisher contains this text."
    )
    url: str | None = strawberry.field(default=None, description="The URL contains this text.")
    published_from: PartialDate | None = strawberry.field(
        default=None, description="Could have been published on or after this date."
    )
    published_to: PartialDate | None = strawberry.field(
        default=None, description="Could have been published on or before this date."
    )

    search: str | None = search_field("a source: title, publisher, address, note, quotes citing it")

    def to_service(self) -> SourceFilter:
        published_from, published_to = checked_range(
            self.published_from, self.published_to, "publishedFrom/publishedTo"
        )
        return SourceFilter(
            kinds=self.kinds,
            languages=self.languages,
            publisher=self.publisher,
            url=self.url,
            published_from=published_from,
            published_to=published_to,
            search=self.search,
        )


@strawberry.enum(description="Orderings of sources.")
class SourceOrder(enum.Enum):
    PUBLISHED_ASC = strawberry.enum_value(
        "PUBLISHED_ASC", description="Earliest published first (undated last)."
    )
    PUBLISHED_DESC = strawberry.enum_value(
        "PUBLISHED_DESC", description="Latest published first (undated last)."
    )
    URL_ASC = strawberry.enum_value("URL_ASC", description="By URL, in code-point order.")


@strawberry.enum(description="Orderings of countries.")
class CountryOrder(enum.Enum):
    CODE_ASC = strawberry.enum_value("CODE_ASC", description="By ISO code, A to Z.")
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By English name, A to Z.")
