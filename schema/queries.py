"""The root Query: Relay node lookups, slug lookups and a connection per entity."""

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api import models
from api.models import Scope
from api.services import aggregates, audit, search
from api.services.aggregates import CountOrder, MeetingDimension, TopicDimension
from api.services.commitments import list_commitments
from api.services.errors import ServiceError
from api.services.listing import Listing
from api.services.measures import list_measures
from api.services.mechanisms import DEFAULT_ORDER as MECHANISM_ORDER
from api.services.mechanisms import list_mechanisms
from api.services.meetings import DEFAULT_ORDER as MEETING_ORDER
from api.services.meetings import list_meetings
from api.services.participations import DEFAULT_ORDER as PARTICIPATION_ORDER
from api.services.participations import list_participations
from api.services.people import list_organizations, list_people
from api.services.sources import list_sources
from api.services.statements import DEFAULT_ORDER as STATEMENT_ORDER
from api.services.statements import list_statements
from api.services.topics import list_countries, list_topics
from schema.auth import require
from schema.compiled.fields import (
    Groups,
    Lookup,
    NodeLookup,
    OffsetConnection,
    OffsetPage,
    RootConnection,
    compiled,
)
from schema.context import Info
from schema.errors import from_service
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
    ParticipationFilterInput,
    ParticipationOrder,
    PersonFilterInput,
    SourceFilterInput,
    SourceOrder,
    TopicFilterInput,
    order_names,
)
from schema.pagination import (
    After,
    Before,
    Connection,
    Edge,
    First,
    Last,
    PageInfo,
    request_page,
    root_connection,
)
from schema.statement_inputs import StatementFilterInput, StatementOrder
from schema.types.aggregates import (
    COUNTED_RULE,
    YEAR_RULE,
    MeetingCount,
    TopicCount,
    TopicRaisedFilterInput,
    meeting_count,
    topic_count,
)
from schema.types.audit import AuditEntry
from schema.types.commitment import Commitment
from schema.types.country import Country
from schema.types.measure import PolicyMeasure
from schema.types.mechanism import Mechanism
from schema.types.meeting import Meeting, Participation
from schema.types.people import Organization, Person
from schema.types.search import SearchableType, SearchHit
from schema.types.source import Source
from schema.types.statement import Statement
from schema.types.topic import Topic

Slug = Annotated[str, strawberry.argument(description="The record's slug.")]


async def _aggregate(
    info: Info,
    grouping: Callable[[Mapping[str, Any]], aggregates.Grouping],
    arguments: Mapping[str, Any],
) -> list[aggregates.Group]:
    """The groups of a count, by the statement its declaration builds (as compiled reads do)."""
    try:
        return await info.context.db.run(aggregates.read_groups, grouping(arguments))
    except ServiceError as exc:
        raise from_service(exc) from exc


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


def _filtered(
    list_rows: Callable[[Any, Sequence[str]], Listing], default_order: Sequence[str]
) -> Callable[[Mapping[str, Any]], Listing]:
    """The listing a root connection pages, from its `filter` and `orderBy` arguments."""

    def rows(arguments: Mapping[str, Any]) -> Listing:
        found = arguments.get("filter")
        condition = found.to_service() if found else None
        return list_rows(condition, order_names(arguments.get("order_by"), default_order))

    return rows


def _countries(arguments: Mapping[str, Any]) -> Listing:
    return list_countries(
        arguments.get("codes"), order_names(arguments.get("order_by"), ["CODE_ASC"])
    )


def _meeting_groups(arguments: Mapping[str, Any]) -> aggregates.Grouping:
    found = arguments.get("filter")
    return aggregates.meeting_groups(
        group_by=arguments["group_by"],
        meeting_filter=found.to_service() if found else None,
        counted_only=arguments.get("counted_only", True),
        order=arguments.get("order_by") or [],
    )


def _topic_groups(arguments: Mapping[str, Any]) -> aggregates.Grouping:
    found = arguments.get("filter")
    return aggregates.topic_groups(
        group_by=arguments["group_by"],
        topic_filter=found.to_service() if found else None,
        counted_only=arguments.get("counted_only", True),
        order=arguments.get("order_by") or [],
    )


def _kinds(types: list[SearchableType] | None) -> list[str] | None:
    return [kind.value for kind in types] if types is not None else None


def _search_page(arguments: Mapping[str, Any], postgres: bool) -> OffsetPage:  # noqa: FBT001
    found = search.ranked(
        "postgresql" if postgres else "sqlite",
        query=arguments["query"],
        types=_kinds(arguments.get("types")),
        after=arguments.get("after"),
    )
    return OffsetPage(found.rows, search.rank_order, found.count, found.offset)


def _lookup(target: str, column: str = "slug", argument: str = "slug") -> Any:
    """Metadata of a lookup by a unique column, for the compiled read path."""
    return compiled(Lookup(target, column, argument))


def _root_list(
    list_rows: Callable[[Any, Sequence[str]], Listing],
    filter_input: type,
    order: type,
    node: type,
    description: str,
    what: str,
    default_order: Sequence[str],
) -> Any:
    """A root connection over a service listing, with its `filter` and `orderBy`."""
    listing = _filtered(list_rows, default_order)

    async def resolve(
        info: Info,
        filter: Any = None,
        order_by: Any = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        rows = listing({"filter": filter, "order_by": order_by})
        return await root_connection(info, rows, first, after, last, before)

    # Strawberry reads the GraphQL arguments and result from the annotations.
    resolve.__annotations__ = {
        "info": Info,
        "filter": Annotated[
            filter_input | None,
            strawberry.argument(description=f"Only {what} matching this."),
        ],
        "order_by": Annotated[
            list[order] | None,  # type: ignore[valid-type]
            strawberry.argument(description=f"Sort order; {default_order[0]} by default."),
        ],
        "first": First,
        "after": After,
        "last": Last,
        "before": Before,
        "return": Connection[node],  # type: ignore[valid-type]
    }
    target = node.__strawberry_definition__.name  # type: ignore[attr-defined]
    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled(RootConnection(target, listing)),
    )


@strawberry.type(description="Everything Parley records, to read.")
class Query:
    node: relay.Node | None = relay.node(
        description="Any record, by its global id.", metadata=compiled(NodeLookup())
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Several records by global id, in the order given (null where not found).",
        metadata=compiled(NodeLookup(many=True)),
    )

    @strawberry.field(description="A mechanism by slug.", metadata=_lookup("Mechanism"))
    async def mechanism(self, info: Info, slug: Slug) -> Mechanism | None:
        return await _by_slug(info, models.Mechanism, models.Mechanism.slug, slug)

    @strawberry.field(description="A meeting by slug.", metadata=_lookup("Meeting"))
    async def meeting(self, info: Info, slug: Slug) -> Meeting | None:
        return await _by_slug(info, models.Meeting, models.Meeting.slug, slug)

    @strawberry.field(description="A person by slug.", metadata=_lookup("Person"))
    async def person(self, info: Info, slug: Slug) -> Person | None:
        return await _by_slug(info, models.Person, models.Person.slug, slug)

    @strawberry.field(description="An organization by slug.", metadata=_lookup("Organization"))
    async def organization(self, info: Info, slug: Slug) -> Organization | None:
        return await _by_slug(info, models.Organization, models.Organization.slug, slug)

    @strawberry.field(description="A topic by slug.", metadata=_lookup("Topic"))
    async def topic(self, info: Info, slug: Slug) -> Topic | None:
        return await _by_slug(info, models.Topic, models.Topic.slug, slug)

    @strawberry.field(description="A policy measure by slug.", metadata=_lookup("PolicyMeasure"))
    async def measure(self, info: Info, slug: Slug) -> PolicyMeasure | None:
        return await _by_slug(info, models.PolicyMeasure, models.PolicyMeasure.slug, slug)

    @strawberry.field(description="A commitment by slug.", metadata=_lookup("Commitment"))
    async def commitment(self, info: Info, slug: Slug) -> Commitment | None:
        return await _by_slug(info, models.Commitment, models.Commitment.slug, slug)

    @strawberry.field(description="A statement by slug.", metadata=_lookup("Statement"))
    async def statement(self, info: Info, slug: Slug) -> Statement | None:
        return await _by_slug(info, models.Statement, models.Statement.slug, slug)

    @strawberry.field(description="A source by its URL.", metadata=_lookup("Source", "url", "url"))
    async def source(
        self, info: Info, url: Annotated[str, strawberry.argument(description="The exact URL.")]
    ) -> Source | None:
        return await _by_slug(info, models.Source, models.Source.url, url)

    @strawberry.field(
        description="A country by ISO 3166-1 alpha-2 code.",
        metadata=compiled(Lookup("Country", "code", "code", str.upper)),
    )
    async def country(
        self, info: Info, code: Annotated[str, strawberry.argument(description="e.g. US, CN.")]
    ) -> Country | None:
        return await _by_slug(info, models.Country, models.Country.code, code.upper())

    mechanisms = _root_list(
        list_mechanisms,
        MechanismFilterInput,
        MechanismOrder,
        Mechanism,
        "Dialogue mechanisms.",
        "mechanisms",
        MECHANISM_ORDER,
    )
    meetings = _root_list(
        list_meetings,
        MeetingFilterInput,
        MeetingOrder,
        Meeting,
        "Meetings, of every mechanism and ad hoc.",
        "meetings",
        MEETING_ORDER,
    )
    participations = _root_list(
        list_participations,
        ParticipationFilterInput,
        ParticipationOrder,
        Participation,
        "Who attended which meeting for which side, across all meetings: e.g. the US "
        "attendees at vice-minister rank or above.",
        "participations",
        PARTICIPATION_ORDER,
    )
    people = _root_list(
        list_people,
        PersonFilterInput,
        NameOrder,
        Person,
        "People.",
        "people",
        ("NAME_ASC",),
    )
    organizations = _root_list(
        list_organizations,
        OrganizationFilterInput,
        NameOrder,
        Organization,
        "Organizations.",
        "organizations",
        ("NAME_ASC",),
    )
    topics = _root_list(
        list_topics,
        TopicFilterInput,
        NameOrder,
        Topic,
        "Topics.",
        "topics",
        ("NAME_ASC",),
    )
    measures = _root_list(
        list_measures,
        MeasureFilterInput,
        MeasureOrder,
        PolicyMeasure,
        "Policy measures.",
        "measures",
        ("ANNOUNCED_DESC",),
    )
    commitments = _root_list(
        list_commitments,
        CommitmentFilterInput,
        CommitmentOrder,
        Commitment,
        "Commitments.",
        "commitments",
        ("DUE_ASC",),
    )
    sources = _root_list(
        list_sources,
        SourceFilterInput,
        SourceOrder,
        Source,
        "Sources.",
        "sources",
        ("PUBLISHED_DESC",),
    )
    statements = _root_list(
        list_statements,
        StatementFilterInput,
        StatementOrder,
        Statement,
        "What each side said: statements by people, organizations and sides, with their "
        "sources and translations.",
        "statements",
        STATEMENT_ORDER,
    )

    @strawberry.field(
        description="Full-text search over every kind of record, best matches first. "
        'Syntax: words (all must match, English stemming: "check" finds "checks"), '
        '"quoted phrases", OR between alternatives, -word or -"phrase" to exclude, '
        "parentheses to group. Chinese, Japanese and Korean text matches anywhere in a word "
        "(出口管制 finds 出口管制信息交流机制). Null, with a BAD_USER_INPUT error, when the "
        "search text cannot be parsed.",
        metadata=compiled(OffsetConnection("SearchHit", _search_page, '["search", ')),
    )
    async def search(
        self,
        info: Info,
        query: Annotated[
            str,
            strawberry.argument(
                description='What to find: national security, "end-use checks" -drones, '
                "出口管制 (at most 1,000 characters)."
            ),
        ],
        types: Annotated[
            list[SearchableType] | None,
            strawberry.argument(description="Only these kinds of record (all by default)."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[SearchHit] | None:
        request = request_page(info, first, after, None, None)
        assert request.first is not None  # the default page size when not given
        kinds = _kinds(types)
        db = info.context.db
        found = await db.run(
            search.search, query=query, types=kinds, first=request.first, after=after
        )
        edges = [Edge(node=SearchHit(hit=hit), cursor=cursor) for hit, cursor in found.hits]
        page_info = PageInfo(
            has_next_page=found.has_next_page,
            has_previous_page=found.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return Connection(
            edges=edges,
            page_info=page_info,
            count_total=lambda: db.run(search.count, query=query, types=kinds),
        )

    @strawberry.field(
        description="Countries.", metadata=compiled(RootConnection("Country", _countries))
    )
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
        rows = _countries({"codes": codes, "order_by": order_by})
        return await _page(info, rows, first, after, last, before)

    @strawberry.field(
        description="Meetings counted per group (by year, mechanism, host country, kind, "
        "format), answered by one GROUP BY statement. " + COUNTED_RULE + " " + YEAR_RULE,
        metadata=compiled(Groups("MeetingCount", _meeting_groups)),
    )
    async def meeting_counts(
        self,
        info: Info,
        *,
        group_by: Annotated[
            list[MeetingDimension],
            strawberry.argument(description="The dimensions to group by; none: one total."),
        ],
        filter: Annotated[
            MeetingFilterInput | None,
            strawberry.argument(description="Only meetings matching this (as in meetings)."),
        ] = None,
        counted_only: Annotated[
            bool,
            strawberry.argument(
                description="true (the default): only meetings that count; false: every "
                "meeting record matching the filter, visits and planned ones included."
            ),
        ] = True,
        order_by: Annotated[
            list[CountOrder] | None,
            strawberry.argument(description="Order of the groups; by grouped values if none."),
        ] = None,
    ) -> list[MeetingCount]:
        arguments = {
            "group_by": group_by,
            "filter": filter,
            "counted_only": counted_only,
            "order_by": order_by,
        }
        groups = await _aggregate(info, _meeting_groups, arguments)
        return [meeting_count(group) for group in groups]

    @strawberry.field(
        description="Topics raised counted per group (by topic, side, year, stance, mechanism): "
        "at how many meetings, answered by one GROUP BY statement. "
        + COUNTED_RULE
        + " "
        + YEAR_RULE,
        metadata=compiled(Groups("TopicCount", _topic_groups)),
    )
    async def topic_counts(
        self,
        info: Info,
        *,
        group_by: Annotated[
            list[TopicDimension],
            strawberry.argument(description="The dimensions to group by; none: one total."),
        ],
        filter: Annotated[
            TopicRaisedFilterInput | None,
            strawberry.argument(description="Only topics raised matching this."),
        ] = None,
        counted_only: Annotated[
            bool,
            strawberry.argument(
                description="true (the default): only at meetings that count; false: at every "
                "meeting record."
            ),
        ] = True,
        order_by: Annotated[
            list[CountOrder] | None,
            strawberry.argument(
                description="Order of the groups; by grouped values if none. The topics China "
                "raised most, by year: [YEAR_ASC, COUNT_DESC]."
            ),
        ] = None,
    ) -> list[TopicCount]:
        arguments = {
            "group_by": group_by,
            "filter": filter,
            "counted_only": counted_only,
            "order_by": order_by,
        }
        groups = await _aggregate(info, _topic_groups, arguments)
        return [topic_count(group) for group in groups]

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
