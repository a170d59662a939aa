"""The root Query: Relay node lookups, slug lookups and a connection per entity."""

from typing import Annotated, Any

import strawberry
from strawberry import relay

from api import models
from api.models import Scope
from api.services import (
    audit,
    commitments,
    measures,
    mechanisms,
    meetings,
    people,
    sources,
    topics,
)
from api.services.listing import Listing
from schema.auth import require
from schema.context import Info
from schema.inputs import (
    CommitmentFilterInput,
    CommitmentOrder,
    CountryOrder,
    MeasureFilterInput,
    MeasureOrder,
    MechanismFilterInput,
    MechanismOrder,
    MeetingFilterInput,
    MeetingOrder,
    NameOrder,
    OrganizationFilterInput,
    PersonFilterInput,
    SourceFilterInput,
    SourceOrder,
    TopicFilterInput,
    order_names,
)
from schema.pagination import After, Before, Connection, First, Last, root_connection
from schema.types.audit import AuditEntry
from schema.types.commitment import Commitment
from schema.types.country import Country
from schema.types.measure import PolicyMeasure
from schema.types.mechanism import Mechanism
from schema.types.meeting import Meeting
from schema.types.people import Organization, Person
from schema.types.source import Source
from schema.types.topic import Topic

Slug = Annotated[str, strawberry.argument(description="The record's slug.")]


async def _by_slug(info: Info, entity: Any, column: Any, key: str) -> Any:
    return await info.context.loaders.by_unique(entity, column).load(key)


async def _page(
    info: Info,
    rows: Listing,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    return await root_connection(info, rows, first, after, last, before)


@strawberry.type(description="Everything Parley records, to read.")
class Query:
    node: relay.Node | None = relay.node(description="Any record, by its global id.")
    nodes: list[relay.Node | None] = relay.node(
        description="Several records by global id, in the order given (null where not found)."
    )

    @strawberry.field(description="A mechanism by slug.")
    async def mechanism(self, info: Info, slug: Slug) -> Mechanism | None:
        return await _by_slug(info, models.Mechanism, models.Mechanism.slug, slug)

    @strawberry.field(description="A meeting by slug.")
    async def meeting(self, info: Info, slug: Slug) -> Meeting | None:
        return await _by_slug(info, models.Meeting, models.Meeting.slug, slug)

    @strawberry.field(description="A person by slug.")
    async def person(self, info: Info, slug: Slug) -> Person | None:
        return await _by_slug(info, models.Person, models.Person.slug, slug)

    @strawberry.field(description="An organization by slug.")
    async def organization(self, info: Info, slug: Slug) -> Organization | None:
        return await _by_slug(info, models.Organization, models.Organization.slug, slug)

    @strawberry.field(description="A topic by slug.")
    async def topic(self, info: Info, slug: Slug) -> Topic | None:
        return await _by_slug(info, models.Topic, models.Topic.slug, slug)

    @strawberry.field(description="A policy measure by slug.")
    async def measure(self, info: Info, slug: Slug) -> PolicyMeasure | None:
        return await _by_slug(info, models.PolicyMeasure, models.PolicyMeasure.slug, slug)

    @strawberry.field(description="A commitment by slug.")
    async def commitment(self, info: Info, slug: Slug) -> Commitment | None:
        return await _by_slug(info, models.Commitment, models.Commitment.slug, slug)

    @strawberry.field(description="A source by its URL.")
    async def source(
        self, info: Info, url: Annotated[str, strawberry.argument(description="The exact URL.")]
    ) -> Source | None:
        return await _by_slug(info, models.Source, models.Source.url, url)

    @strawberry.field(description="A country by ISO 3166-1 alpha-2 code.")
    async def country(
        self, info: Info, code: Annotated[str, strawberry.argument(description="e.g. US, CN.")]
    ) -> Country | None:
        return await _by_slug(info, models.Country, models.Country.code, code.upper())

    @strawberry.field(description="Dialogue mechanisms.")
    async def mechanisms(
        self,
        info: Info,
        filter: Annotated[
            MechanismFilterInput | None,
            strawberry.argument(description="Only mechanisms matching this."),
        ] = None,
        order_by: Annotated[
            list[MechanismOrder] | None,
            strawberry.argument(description="Sort order; NAME_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Mechanism]:
        rows = mechanisms.list_mechanisms(
            filter.to_service() if filter else None,
            order_names(order_by, mechanisms.DEFAULT_ORDER),
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Meetings, of every mechanism and ad hoc.")
    async def meetings(
        self,
        info: Info,
        filter: Annotated[
            MeetingFilterInput | None,
            strawberry.argument(description="Only meetings matching this."),
        ] = None,
        order_by: Annotated[
            list[MeetingOrder] | None,
            strawberry.argument(description="Sort order; START_DATE_DESC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Meeting]:
        rows = meetings.list_meetings(
            filter.to_service() if filter else None, order_names(order_by, meetings.DEFAULT_ORDER)
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="People.")
    async def people(
        self,
        info: Info,
        filter: Annotated[
            PersonFilterInput | None, strawberry.argument(description="Only people matching this.")
        ] = None,
        order_by: Annotated[
            list[NameOrder] | None,
            strawberry.argument(description="Sort order; NAME_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Person]:
        rows = people.list_people(
            filter.to_service() if filter else None, order_names(order_by, ["NAME_ASC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Organizations.")
    async def organizations(
        self,
        info: Info,
        filter: Annotated[
            OrganizationFilterInput | None,
            strawberry.argument(description="Only organizations matching this."),
        ] = None,
        order_by: Annotated[
            list[NameOrder] | None,
            strawberry.argument(description="Sort order; NAME_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Organization]:
        rows = people.list_organizations(
            filter.to_service() if filter else None, order_names(order_by, ["NAME_ASC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Topics.")
    async def topics(
        self,
        info: Info,
        filter: Annotated[
            TopicFilterInput | None, strawberry.argument(description="Only topics matching this.")
        ] = None,
        order_by: Annotated[
            list[NameOrder] | None,
            strawberry.argument(description="Sort order; NAME_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Topic]:
        rows = topics.list_topics(
            filter.to_service() if filter else None, order_names(order_by, ["NAME_ASC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Policy measures.")
    async def measures(
        self,
        info: Info,
        filter: Annotated[
            MeasureFilterInput | None,
            strawberry.argument(description="Only measures matching this."),
        ] = None,
        order_by: Annotated[
            list[MeasureOrder] | None,
            strawberry.argument(description="Sort order; ANNOUNCED_DESC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PolicyMeasure]:
        rows = measures.list_measures(
            filter.to_service() if filter else None, order_names(order_by, ["ANNOUNCED_DESC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Commitments.")
    async def commitments(
        self,
        info: Info,
        filter: Annotated[
            CommitmentFilterInput | None,
            strawberry.argument(description="Only commitments matching this."),
        ] = None,
        order_by: Annotated[
            list[CommitmentOrder] | None,
            strawberry.argument(description="Sort order; DUE_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Commitment]:
        rows = commitments.list_commitments(
            filter.to_service() if filter else None, order_names(order_by, ["DUE_ASC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Sources.")
    async def sources(
        self,
        info: Info,
        filter: Annotated[
            SourceFilterInput | None, strawberry.argument(description="Only sources matching this.")
        ] = None,
        order_by: Annotated[
            list[SourceOrder] | None,
            strawberry.argument(description="Sort order; PUBLISHED_DESC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Source]:
        rows = sources.list_sources(
            filter.to_service() if filter else None, order_names(order_by, ["PUBLISHED_DESC"])
        )
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Countries.")
    async def countries(
        self,
        info: Info,
        codes: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these ISO 3166-1 alpha-2 codes."),
        ] = None,
        order_by: Annotated[
            list[CountryOrder] | None,
            strawberry.argument(description="Sort order; CODE_ASC by default."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Country]:
        rows = topics.list_countries(codes, order_names(order_by, ["CODE_ASC"]))
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(description="Every write, newest first. Needs a token with the admin scope.")
    async def audit_log(
        self,
        info: Info,
        record_types: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these kinds of record (meeting, person ...)."),
        ] = None,
        token_names: Annotated[
            list[str] | None, strawberry.argument(description="Only writes by these tokens.")
        ] = None,
        operations: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these mutations (recordMeeting ...)."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEntry]:
        await require(info, Scope.ADMIN)
        rows = audit.list_entries(
            audit.AuditFilter(
                record_types=record_types, token_names=token_names, operations=operations
            )
        )
        return await _page(info, rows, first, after, last, before)
