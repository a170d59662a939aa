"""The filter and ordering of statement lists (the root `statements` and nested ones)."""

import enum

import strawberry
from strawberry import relay

from api.partial_date import PartialDate
from api.services.statements import StatementFilter
from schema.inputs import checked_range, ids_of, search_field


@strawberry.input(description="Which statements to list; every condition is optional.")
class StatementFilterInput:
    sides: list[str] | None = strawberry.field(
        default=None, description="Said for any of these sides (ISO 3166 alpha-2: US, CN)."
    )
    person_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Said by any of these people (ids)."
    )
    person_slugs: list[str] | None = strawberry.field(
        default=None, description="Said by any of these people (slugs)."
    )
    speaker: str | None = strawberry.field(
        default=None,
        description="The speaker's name, in any language or as the source reports it, "
        'contains this ("Wang", "official").',
    )
    organization_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Said by or for any of these organizations (ids)."
    )
    meeting_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Said at any of these meetings (ids)."
    )
    meeting_slugs: list[str] | None = strawberry.field(
        default=None, description="Said at any of these meetings (slugs)."
    )
    mechanism_slugs: list[str] | None = strawberry.field(
        default=None, description="About any of these mechanisms (slugs)."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="In any of these languages (BCP 47: en, zh-Hans)."
    )
    verbatim: bool | None = strawberry.field(
        default=None, description="true: only the speakers' own words; false: only paraphrases."
    )
    attribution_doubtful: bool | None = strawberry.field(
        default=None, description="true: only statements whose attribution is in doubt."
    )
    translations: bool | None = strawberry.field(
        default=None, description="true: only translations; false: only the statements as made."
    )
    said_from: PartialDate | None = strawberry.field(
        default=None, description="Could have been said on or after this date."
    )
    said_to: PartialDate | None = strawberry.field(
        default=None, description="Could have been said on or before this date."
    )

    search: str | None = search_field(
        "a statement: the words, the speaker (known or as reported), date phrase and notes"
    )

    def to_service(self) -> StatementFilter:
        said_from, said_to = checked_range(self.said_from, self.said_to, "saidFrom/saidTo")
        return StatementFilter(
            side_codes=self.sides,
            person_ids=ids_of("Person", self.person_ids),
            person_slugs=self.person_slugs,
            speaker=self.speaker,
            organization_ids=ids_of("Organization", self.organization_ids),
            meeting_ids=ids_of("Meeting", self.meeting_ids),
            meeting_slugs=self.meeting_slugs,
            mechanism_slugs=self.mechanism_slugs,
            languages=self.languages,
            verbatim=self.verbatim,
            attribution_doubtful=self.attribution_doubtful,
            translations=self.translations,
            said_from=said_from,
            said_to=said_to,
            search=self.search,
        )


@strawberry.enum(description="Orderings of statements.")
class StatementOrder(enum.Enum):
    SAID_ASC = strawberry.enum_value("SAID_ASC", description="Earliest said first (undated last).")
    SAID_DESC = strawberry.enum_value("SAID_DESC", description="Latest said first (undated last).")
