"""Inputs of the mutations. Every optional field left out of an update keeps its value; null
clears it. Dates are `PartialDate`s; an invalid one reaches the mutation (see schema.scalars),
which reports it as a user error with every other problem of the input."""

import datetime
from typing import Any

import strawberry
from strawberry import UNSET

from api.partial_date import PartialDate
from schema.enums import (
    CommitmentStatus,
    MeasureKind,
    MeasureStatus,
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OrganizationKind,
    ParticipantRole,
    Period,
    Rank,
    SourceKind,
    Stance,
)
from schema.time_enums import ComplianceVerdict

# Ids arrive as text and are decoded by schema.writes, so a malformed one is a user error on
# its field rather than a top-level error raised before the mutation runs.
ID = strawberry.ID
DATE = (
    " 2024, 2024-H1, 2024-Q2, 2024-05 or 2024-05-21; an invalid one is an INVALID_DATE user error."
)


def optional(description: str) -> Any:
    """An optional input field: left out, it is not set (or, in an update, not changed)."""
    return strawberry.field(default=UNSET, description=description)


KEY = (
    "Makes retries safe: the same key with the same input returns the first result and "
    "writes nothing; with another input it is IDEMPOTENCY_KEY_REUSED. Scoped to your token, "
    "kept 24 hours."
)


@strawberry.input(description="A name of the record in one language.")
class NameInput:
    text: str = strawberry.field(description="The name as written: 王文涛.")
    language: str = strawberry.field(description="BCP 47 tag: en, zh-Hans, zh-Latn-pinyin.")


@strawberry.input(
    description="A source supporting the record, with the passage that does. Give its full "
    "address, or — for a document with no address that works — its title and publisher (and "
    "date) to cite it bibliographically. A source already known (by address; without one, by "
    "title, publisher and date) is reused as it is; a new one is added."
)
class SourceCitationInput:
    url: str | None = optional(
        "The full http(s) address of the document, at most 2048 characters; never a bare site "
        'address nor one cut short with "…" (INVALID_URL). Leave out to cite by title.'
    )
    title: str | None = optional(
        "The source's headline or title; required without url (new sources only)."
    )
    publisher: str | None = optional("Who published it; required without url (new sources only).")
    as_cited_in: str | None = optional(
        'Where the source is cited, when read through another ("as cited in"; new sources only).'
    )
    kind: SourceKind | None = optional("What kind of source (new sources only); OTHER if left out.")
    language: str | None = optional("Its language, BCP 47 (new sources only).")
    published: PartialDate | None = optional("When it was published (new sources only)." + DATE)
    note: str | None = optional("Remarks on the source (new sources only).")
    quote: str | None = optional("The passage that supports the record.")
    verbatim: bool | None = optional(
        "true: the quote is the source's own words; false: a paraphrase (needs a quote)."
    )
    citation_note: str | None = optional("Remarks on this citation, e.g. how a date was derived.")


@strawberry.input(
    description="Someone at the meeting: a known person by id, or a name (a person with that "
    "name, in any language, is reused; otherwise one is added)."
)
class ParticipantInput:
    person_id: ID | None = optional("A known person.")
    name: str | None = optional("The person's name as reported, when no id is given.")
    title: str | None = optional("The title the source gives them at this meeting.")
    side: str = strawberry.field(description="The side they took part for: ISO code (US, CN).")
    role: ParticipantRole | None = optional("Their role; PARTICIPANT if left out.")
    organization_id: ID | None = optional("The organization they represented.")
    note: str | None = optional("Remarks.")


@strawberry.input(description="A topic raised at the meeting: by which side, with which stance.")
class TopicRaisedInput:
    topic_id: ID | None = optional("The topic, by id.")
    topic_slug: str | None = optional("The topic, by slug (export-controls).")
    raised_by: str | None = optional("The side that raised it (ISO code); null: both or unknown.")
    stance: Stance = strawberry.field(description="Concern, request, cooperation, information.")
    note: str | None = optional("What exactly was said.")


@strawberry.input(description="A policy measure discussed at the meeting.")
class MeasureDiscussedInput:
    measure_id: ID = strawberry.field(description="The measure.")
    note: str | None = optional("What was said about it.")


@strawberry.input(description="A commitment (made earlier) that the meeting fulfils.")
class FulfilsInput:
    commitment_id: ID = strawberry.field(description="The commitment.")
    note: str | None = optional("How, and how fully, the meeting fulfils it.")


@strawberry.input(
    description="A source given whole: its full address, or — for a document with no address "
    "that works — its title and publisher (and date). A source already known (by address; "
    "without one, by title, publisher and date) is reused as it is."
)
class SourceInput:
    url: str | None = optional(
        "The full http(s) address of the document; never a bare site address nor one cut short "
        'with "…" (INVALID_URL). Leave out to cite by title.'
    )
    title: str | None = optional("Its headline or title; required without url (new sources only).")
    publisher: str | None = optional("Who published it; required without url (new sources only).")
    as_cited_in: str | None = optional(
        'Where it is cited, when read through another ("as cited in").'
    )
    kind: SourceKind | None = optional("What kind of source (new sources only); OTHER if left out.")
    language: str | None = optional("Its language, BCP 47 (new sources only).")
    published: PartialDate | None = optional("When it was published (new sources only)." + DATE)
    note: str | None = optional("Remarks on the source (new sources only).")


@strawberry.input(description="A translation of a statement: a statement of its own, linked to it.")
class StatementTranslationInput:
    slug: str | None = optional("Its slug; made from the date and the words when left out.")
    text: str = strawberry.field(description="The translated words.")
    language: str = strawberry.field(description="Their language, BCP 47 (en, zh-Hans).")
    verbatim: bool | None = optional(
        "true only when the source itself gives the speaker's words in this language; false "
        "(the default) for a translation."
    )
    source: SourceInput | None = optional(
        "Where the translation appears; the statement's own source when left out."
    )
    note: str | None = optional("Remarks, e.g. who translated it.")


@strawberry.input(
    description="Something said at the meeting: by whom (a known person by id, a person's name — "
    "reused if known, added if not —, an organization, the speaker as the source names them, "
    "and/or a side), in which words, and on whose report. Give at least one of personId, name, "
    "organizationId, speakerAsReported or side."
)
class StatementInput:
    slug: str | None = optional("Its slug; made from the date and the words when left out.")
    text: str = strawberry.field(description="The words, as the source gives them.")
    language: str = strawberry.field(description="Their language, BCP 47 (en, zh-Hans).")
    verbatim: bool = strawberry.field(
        description="true: the speaker's own words as the source quotes them; false: the "
        "source's paraphrase."
    )
    source: SourceInput = strawberry.field(description="The source in which the words appear.")
    person_id: ID | None = optional("The person who said it.")
    name: str | None = optional("The person who said it, by name, when no id is given.")
    organization_id: ID | None = optional("The organization that said it, or that they spoke for.")
    speaker_as_reported: str | None = optional(
        'Who said it, as the source names them ("a senior U.S. commerce official").'
    )
    side: str | None = optional("The side it was said for (ISO code: US, CN).")
    mechanism_id: ID | None = optional("The mechanism the words are about.")
    mechanism_slug: str | None = optional("The mechanism the words are about, by slug.")
    said: PartialDate | None = optional(
        "When it was said; the meeting's start when left out." + DATE
    )
    date_phrase: str | None = optional('How the source dated it ("on Monday night").')
    attribution_doubtful: bool | None = optional(
        "true when there is reason to doubt who said it (say why in attributionNote)."
    )
    attribution_note: str | None = optional("Why the attribution is in doubt.")
    note: str | None = optional("Context: the occasion, what it was about.")
    translations: list[StatementTranslationInput] | None = optional(
        "Translations of the words, each recorded as a statement linked to this one."
    )


@strawberry.input(description="Record a meeting and everything that happened in it, in one call.")
class RecordMeetingInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the date and title when left out.")
    mechanism_id: ID | None = optional("The mechanism it belongs to; leave out for ad hoc.")
    mechanism_slug: str | None = optional("The mechanism, by slug.")
    parent_id: ID | None = optional("The visit or larger meeting it was part of.")
    title: str = strawberry.field(description="What the meeting was.")
    sequence_label: str | None = optional('Its place in a series: "second vice-ministerial".')
    kind: MeetingKind = strawberry.field(
        default=MeetingKind.MEETING,
        description="A meeting (the default), a visit grouping meetings, a preparatory call, a "
        "sideline.",
    )
    format: MeetingFormat = strawberry.field(
        default=MeetingFormat.UNKNOWN, description="How it was held."
    )
    status: MeetingStatus = strawberry.field(
        default=MeetingStatus.HELD, description="Held, planned ..."
    )
    start: PartialDate | None = optional("When it began or took place." + DATE)
    end: PartialDate | None = optional("When it ended, if over several days." + DATE)
    date_phrase: str | None = optional('How the source dated it ("next Tuesday").')
    place: str | None = optional("Where it took place.")
    host_country: str | None = optional("The host country (ISO code).")
    summary: str | None = optional("What happened, in brief.")
    note: str | None = optional("Remarks, e.g. what sources do not say.")
    participants: list[ParticipantInput] | None = optional("Who took part, for which side.")
    topics: list[TopicRaisedInput] | None = optional("Topics raised.")
    measures: list[MeasureDiscussedInput] | None = optional("Policy measures discussed.")
    fulfils: list[FulfilsInput] | None = optional("Commitments it fulfils.")
    statements: list[StatementInput] | None = optional("What was said at it, by whom.")
    sources: list[SourceCitationInput] | None = optional("The sources behind it.")


@strawberry.input(
    description="Change a meeting: the fields given are set, the lists given are added."
)
class UpdateMeetingInput:
    id: ID = strawberry.field(description="The meeting.")
    expected_version: int = strawberry.field(
        description="The version you read; if it changed since, CONFLICT and nothing is written."
    )
    slug: str | None = optional("A new slug.")
    mechanism_id: ID | None = optional("The mechanism it belongs to; null makes it ad hoc.")
    mechanism_slug: str | None = optional("The mechanism, by slug.")
    parent_id: ID | None = optional("The visit or larger meeting it was part of.")
    title: str | None = optional("What the meeting was.")
    sequence_label: str | None = optional("Its place in a series.")
    kind: MeetingKind | None = optional("Meeting, visit, preparatory call, sideline.")
    format: MeetingFormat | None = optional("How it was held.")
    status: MeetingStatus | None = optional("Held, planned, postponed ...")
    start: PartialDate | None = optional("When it began or took place." + DATE)
    end: PartialDate | None = optional("When it ended." + DATE)
    date_phrase: str | None = optional("How the source dated it.")
    place: str | None = optional("Where it took place.")
    host_country: str | None = optional("The host country (ISO code).")
    summary: str | None = optional("What happened, in brief.")
    note: str | None = optional("Remarks.")
    add_participants: list[ParticipantInput] | None = optional("More participants.")
    add_topics: list[TopicRaisedInput] | None = optional("More topics raised.")
    add_measures: list[MeasureDiscussedInput] | None = optional("More measures discussed.")
    add_fulfils: list[FulfilsInput] | None = optional("More commitments it fulfils.")
    add_statements: list[StatementInput] | None = optional("More of what was said at it.")
    add_sources: list[SourceCitationInput] | None = optional("More sources.")


@strawberry.input(description="Delete a meeting with its participations, topics and citations.")
class DeleteMeetingInput:
    id: ID = strawberry.field(description="The meeting.")
    expected_version: int = strawberry.field(description="The version you read.")


@strawberry.input(description="A country taking part in a mechanism, and who leads for it.")
class PartyInput:
    country: str = strawberry.field(description="ISO code: US, CN.")
    lead_organization_id: ID | None = optional("The organization leading for that country.")


@strawberry.input(
    description="An editor's review of a mechanism's record: every meeting the sources show "
    "between the two dates is recorded."
)
class RecordReviewInput:
    complete_from: datetime.date | None = optional(
        "First day the record is complete for; null: from the mechanism's start."
    )
    complete_through: datetime.date = strawberry.field(
        description="Last day the record is complete for."
    )
    reviewed_by: str = strawberry.field(description="Who reviewed it.")
    reviewed_on: datetime.date | None = optional("When they did.")
    sources_searched: str = strawberry.field(description="Which sources they searched.")
    note: str | None = optional("What they found, or did not.")


@strawberry.input(description="Create a dialogue mechanism.")
class CreateMechanismInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the name when left out.")
    name: str = strawberry.field(description="English name.")
    acronym: str | None = optional("Acronym (CIWG).")
    kind: MechanismKind = strawberry.field(description="What kind of channel.")
    level: MechanismLevel | None = optional("The rank of those who lead it.")
    status: MechanismStatus = strawberry.field(
        default=MechanismStatus.ACTIVE, description="Whether it meets."
    )
    established: PartialDate | None = optional("When it was agreed or founded." + DATE)
    ended: PartialDate | None = optional("When it ended." + DATE)
    cadence_text: str | None = optional('How often it is to meet, as worded ("twice annually").')
    cadence_times: int | None = optional("At least this many meetings per period ...")
    cadence_period: Period | None = optional("... per this period (give both or neither).")
    cadence_at_least: bool | None = optional('True: "at least" that many; false: exactly.')
    cadence_stated: bool | None = optional(
        "False: the sources were checked and state no cadence (give no count then)."
    )
    cadence_source_id: ID | None = optional("The source that states the cadence.")
    cadence_quote: str | None = optional("The passage of that source that states it.")
    cadence_note: str | None = optional("Remarks on the cadence: how it was read, what is missing.")
    summary: str | None = optional("What it is for.")
    note: str | None = optional("Remarks.")
    predecessor_id: ID | None = optional("The mechanism it replaced.")
    parent_id: ID | None = optional("The mechanism it is part of.")
    agreed_at_meeting_id: ID | None = optional("The meeting where it was agreed.")
    parties: list[PartyInput] | None = optional("The countries taking part.")
    record_reviews: list[RecordReviewInput] | None = optional(
        "Reviews of how complete its record is."
    )
    names: list[NameInput] | None = optional("Its names in other languages.")
    sources: list[SourceCitationInput] | None = optional("The sources behind it.")


@strawberry.input(description="Change a mechanism: fields given are set, lists given are added.")
class UpdateMechanismInput:
    id: ID = strawberry.field(description="The mechanism.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    name: str | None = optional("English name.")
    acronym: str | None = optional("Acronym.")
    kind: MechanismKind | None = optional("What kind of channel.")
    level: MechanismLevel | None = optional("The rank of those who lead it.")
    status: MechanismStatus | None = optional("Whether it meets.")
    established: PartialDate | None = optional("When it was agreed or founded." + DATE)
    ended: PartialDate | None = optional("When it ended." + DATE)
    cadence_text: str | None = optional("How often it is to meet, as worded.")
    cadence_times: int | None = optional("At least this many meetings per period ...")
    cadence_period: Period | None = optional("... per this period.")
    cadence_at_least: bool | None = optional('True: "at least" that many; false: exactly.')
    cadence_stated: bool | None = optional(
        "False: the sources were checked and state no cadence (give no count then)."
    )
    cadence_source_id: ID | None = optional("The source that states the cadence.")
    cadence_quote: str | None = optional("The passage of that source that states it.")
    cadence_note: str | None = optional("Remarks on the cadence: how it was read, what is missing.")
    summary: str | None = optional("What it is for.")
    note: str | None = optional("Remarks.")
    predecessor_id: ID | None = optional("The mechanism it replaced.")
    parent_id: ID | None = optional("The mechanism it is part of.")
    agreed_at_meeting_id: ID | None = optional("The meeting where it was agreed.")
    add_parties: list[PartyInput] | None = optional("Parties to add (or whose lead to change).")
    add_record_reviews: list[RecordReviewInput] | None = optional(
        "Reviews of how complete its record is, to add."
    )
    add_names: list[NameInput] | None = optional("Names to add.")
    add_sources: list[SourceCitationInput] | None = optional("Sources to add.")


@strawberry.input(description="A title a person held.")
class PositionInput:
    title: str = strawberry.field(description="The title.")
    organization_id: ID | None = optional("Where it was held.")
    rank: Rank | None = optional("Its rank on the scale both sides share.")
    start: PartialDate | None = optional("When they took it up." + DATE)
    end: PartialDate | None = optional("When they left it." + DATE)
    note: str | None = optional("Remarks.")


@strawberry.input(description="Create a person.")
class CreatePersonInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Their slug; made from the name when left out.")
    name: str = strawberry.field(description="Name in English usage.")
    country: str | None = optional("The country they serve (ISO code).")
    note: str | None = optional("Remarks.")
    names: list[NameInput] | None = optional("Their names in other languages.")
    positions: list[PositionInput] | None = optional("Titles they held.")
    sources: list[SourceCitationInput] | None = optional("The sources behind the record.")


@strawberry.input(description="Change a person: fields given are set, lists given are added.")
class UpdatePersonInput:
    id: ID = strawberry.field(description="The person.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    name: str | None = optional("Name in English usage.")
    country: str | None = optional("The country they serve (ISO code).")
    note: str | None = optional("Remarks.")
    add_names: list[NameInput] | None = optional("Names to add.")
    add_positions: list[PositionInput] | None = optional("Positions to add.")
    add_sources: list[SourceCitationInput] | None = optional("Sources to add.")


@strawberry.input(description="Create an organization.")
class CreateOrganizationInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the name when left out.")
    name: str = strawberry.field(description="English name.")
    acronym: str | None = optional("Acronym (BIS).")
    kind: OrganizationKind = strawberry.field(description="What kind of body.")
    country: str | None = optional("Its country (ISO code).")
    parent_id: ID | None = optional("The organization it is part of.")
    note: str | None = optional("Remarks.")
    names: list[NameInput] | None = optional("Its names in other languages.")
    sources: list[SourceCitationInput] | None = optional("The sources behind the record.")


@strawberry.input(description="Change an organization: fields given are set, lists are added.")
class UpdateOrganizationInput:
    id: ID = strawberry.field(description="The organization.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    name: str | None = optional("English name.")
    acronym: str | None = optional("Acronym.")
    kind: OrganizationKind | None = optional("What kind of body.")
    country: str | None = optional("Its country (ISO code).")
    parent_id: ID | None = optional("The organization it is part of.")
    note: str | None = optional("Remarks.")
    add_names: list[NameInput] | None = optional("Names to add.")
    add_sources: list[SourceCitationInput] | None = optional("Sources to add.")


@strawberry.input(description="Create a topic.")
class CreateTopicInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the name when left out.")
    name: str = strawberry.field(description="English name.")
    parent_id: ID | None = optional("The broader topic.")
    description: str | None = optional("What it covers.")
    names: list[NameInput] | None = optional("Its names in other languages.")


@strawberry.input(description="Change a topic: fields given are set, names given are added.")
class UpdateTopicInput:
    id: ID = strawberry.field(description="The topic.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    name: str | None = optional("English name.")
    parent_id: ID | None = optional("The broader topic.")
    description: str | None = optional("What it covers.")
    add_names: list[NameInput] | None = optional("Names to add.")


@strawberry.input(description="Create a policy measure.")
class CreatePolicyMeasureInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the name when left out.")
    name: str = strawberry.field(description="English name.")
    kind: MeasureKind = strawberry.field(description="What kind of measure.")
    country: str | None = optional("The issuing country (ISO code).")
    organization_id: ID | None = optional("The issuing organization.")
    instrument: str | None = optional('The legal instrument ("EO 14105").')
    announced: PartialDate | None = optional("When it was announced or signed." + DATE)
    effective: PartialDate | None = optional("When it took effect." + DATE)
    effective_phrase: str | None = optional('How the source dated the effect ("next year").')
    status: MeasureStatus = strawberry.field(
        default=MeasureStatus.IN_FORCE, description="Whether it applies."
    )
    summary: str | None = optional("What it does.")
    note: str | None = optional("Remarks.")
    topic_ids: list[ID] | None = optional("The topics it covers.")
    names: list[NameInput] | None = optional("Its names in other languages.")
    sources: list[SourceCitationInput] | None = optional("The sources behind it.")


@strawberry.input(description="Change a policy measure: fields given are set, lists are added.")
class UpdatePolicyMeasureInput:
    id: ID = strawberry.field(description="The measure.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    name: str | None = optional("English name.")
    kind: MeasureKind | None = optional("What kind of measure.")
    country: str | None = optional("The issuing country (ISO code).")
    organization_id: ID | None = optional("The issuing organization.")
    instrument: str | None = optional("The legal instrument.")
    announced: PartialDate | None = optional("When it was announced." + DATE)
    effective: PartialDate | None = optional("When it took effect." + DATE)
    effective_phrase: str | None = optional('How the source dated the effect ("next year").')
    status: MeasureStatus | None = optional("Whether it applies.")
    summary: str | None = optional("What it does.")
    note: str | None = optional("Remarks.")
    add_topic_ids: list[ID] | None = optional("Topics to add.")
    add_names: list[NameInput] | None = optional("Names to add.")
    add_sources: list[SourceCitationInput] | None = optional("Sources to add.")


@strawberry.input(description="Create a source.")
class CreateSourceInput:
    idempotency_key: str | None = optional(KEY)
    url: str | None = optional(
        "The full http(s) address of the document; no two sources share one. Never a bare site "
        'address nor one cut short with "…" (INVALID_URL). Leave out for a source cited '
        "bibliographically, which then needs title and publisher (REQUIRED)."
    )
    title: str | None = optional("Its headline or title.")
    publisher: str | None = optional("Who published it.")
    as_cited_in: str | None = optional(
        'Where it is cited, when read through another ("as cited in").'
    )
    kind: SourceKind = strawberry.field(description="What kind of source.")
    language: str | None = optional("Its language, BCP 47.")
    published: PartialDate | None = optional("When it was published." + DATE)
    original_id: ID | None = optional("For a mirror: the original it copies.")
    note: str | None = optional("Remarks.")


@strawberry.input(description="Change a source: the fields given are set.")
class UpdateSourceInput:
    id: ID = strawberry.field(description="The source.")
    expected_version: int = strawberry.field(description="The version you read.")
    url: str | None = optional(
        "The full http(s) address; null removes it (the source then needs title and publisher)."
    )
    title: str | None = optional("Its headline or title.")
    publisher: str | None = optional("Who published it.")
    as_cited_in: str | None = optional(
        'Where it is cited, when read through another ("as cited in").'
    )
    kind: SourceKind | None = optional("What kind of source.")
    language: str | None = optional("Its language, BCP 47.")
    published: PartialDate | None = optional("When it was published." + DATE)
    original_id: ID | None = optional("For a mirror: the original it copies.")
    note: str | None = optional("Remarks.")


@strawberry.input(
    description="An editor's link between a meeting and the commitment, overriding its rule."
)
class FulfilledByInput:
    meeting_id: ID = strawberry.field(description="The meeting.")
    note: str | None = optional("How, and how fully, it fulfils it (or why it does not).")
    counts: bool | None = optional(
        "True (the default): it fulfils the commitment whatever the rule says; false: it does "
        "not, though the rule matches it."
    )
    source_id: ID | None = optional("The source the editor relied on.")


@strawberry.input(description="What fulfils a commitment (see Commitment.compliance).")
class FulfillmentRuleInput:
    mechanism_id: ID | None = optional("A meeting of this mechanism; null: the commitment's own.")
    formats: list[MeetingFormat] | None = optional("Of one of these formats; null: any.")
    kinds: list[MeetingKind] | None = optional("Of one of these kinds; null: any that counts.")
    min_rank: Rank | None = optional("Each side had someone of this rank or higher; null: anyone.")
    both_sides: bool | None = optional("Each side (two at least) present; true by default.")
    note: str | None = optional("The rule in words, as the source has it.")
    source_id: ID | None = optional("The source the rule rests on.")


@strawberry.input(description="Record a commitment made at a meeting.")
class RecordCommitmentInput:
    idempotency_key: str | None = optional(KEY)
    slug: str | None = optional("Its slug; made from the title when left out.")
    title: str = strawberry.field(description="What was agreed, in brief.")
    text: str | None = optional("What was agreed, as the sources put it.")
    meeting_id: ID | None = optional("The meeting where it was agreed.")
    mechanism_id: ID | None = optional("The mechanism it concerns.")
    committed_by: str | None = optional("The side that committed (ISO code); null: both.")
    due: PartialDate | None = optional("When it falls due." + DATE)
    due_phrase: str | None = optional('How the source put the due date ("early 2024").')
    recurrence_text: str | None = optional(
        'A repeating commitment, as worded ("at least once a year").'
    )
    recurrence_times: int | None = optional("At least this many times per period ...")
    recurrence_period: Period | None = optional("... per this period (give both or neither).")
    status: CommitmentStatus = strawberry.field(
        default=CommitmentStatus.PENDING, description="Whether it has been kept."
    )
    status_note: str | None = optional("Why it has that status.")
    fulfilled_by: list[FulfilledByInput] | None = optional(
        "Editors' links: meetings that fulfil it (or do not, though its rule matches them)."
    )
    recurrence_from: PartialDate | None = optional(
        "The first period a recurring commitment counts (null: the period where it was "
        "agreed)." + DATE
    )
    assessed_verdict: ComplianceVerdict | None = optional(
        "An editor's own verdict, shown beside the computed one."
    )
    assessed_as_of: datetime.date | None = optional("The date the editor judged it as of.")
    assessed_note: str | None = optional("Why the editor judged so.")
    assessed_source_id: ID | None = optional("The source the editor relied on.")
    fulfillment_rule: FulfillmentRuleInput | None = optional(
        "What fulfils it (replaces any rule it had)."
    )
    sources: list[SourceCitationInput] | None = optional("The sources behind it.")


@strawberry.input(description="Change a commitment: fields given are set, lists are added.")
class UpdateCommitmentInput:
    id: ID = strawberry.field(description="The commitment.")
    expected_version: int = strawberry.field(description="The version you read.")
    slug: str | None = optional("A new slug.")
    title: str | None = optional("What was agreed, in brief.")
    text: str | None = optional("What was agreed, as the sources put it.")
    meeting_id: ID | None = optional("The meeting where it was agreed.")
    mechanism_id: ID | None = optional("The mechanism it concerns.")
    committed_by: str | None = optional("The side that committed (ISO code); null: both.")
    due: PartialDate | None = optional("When it falls due." + DATE)
    due_phrase: str | None = optional("How the source put the due date.")
    recurrence_text: str | None = optional("A repeating commitment, as worded.")
    recurrence_times: int | None = optional("At least this many times per period ...")
    recurrence_period: Period | None = optional("... per this period.")
    status: CommitmentStatus | None = optional("Whether it has been kept.")
    status_note: str | None = optional("Why it has that status.")
    add_fulfilled_by: list[FulfilledByInput] | None = optional(
        "Editors' links to add or change: meetings that fulfil it, or do not."
    )
    recurrence_from: PartialDate | None = optional(
        "The first period a recurring commitment counts (null: the period where it was "
        "agreed)." + DATE
    )
    assessed_verdict: ComplianceVerdict | None = optional(
        "An editor's own verdict, shown beside the computed one."
    )
    assessed_as_of: datetime.date | None = optional("The date the editor judged it as of.")
    assessed_note: str | None = optional("Why the editor judged so.")
    assessed_source_id: ID | None = optional("The source the editor relied on.")
    fulfillment_rule: FulfillmentRuleInput | None = optional(
        "What fulfils it (replaces any rule it had)."
    )
    add_sources: list[SourceCitationInput] | None = optional("Sources to add.")
