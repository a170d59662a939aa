"""Relay cursor connections: ``edges``, ``nodes``, ``pageInfo`` and a lazy ``totalCount``."""

from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated, Any, Generic, TypeVar

import strawberry

from api.services import listing
from api.services.errors import ServiceError
from api.services.listing import Listing
from api.services.pagination import Page, PageRequest, page_request
from schema.context import Info
from schema.errors import from_service

NodeT = TypeVar("NodeT")

DEFAULT_PAGE_SIZE = 20


@strawberry.type(description="Where a page sits in the whole list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Items precede this page (known when paging with `after` or `last`)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item.")


@strawberry.type(description="An item in a connection, with the cursor that points at it.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Pass it as `after` or `before` to page on.")


@strawberry.type(description="A page of a list, with cursors to page on and the total count.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items, each with its cursor.")
    page_info: PageInfo = strawberry.field(description="How to get the next or previous page.")
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="How many items the whole list has, all pages together "
        "(counted only when asked for)."
    )
    async def total_count(self) -> int:
        return await self.count_total()


def connection(page: Page[Any], count_total: Callable[[], Awaitable[int]]) -> Connection[Any]:
    """Wrap a page of rows (ORM objects, resolved by the node types) as a connection."""
    edges: list[Edge[Any]] = [Edge(node=row, cursor=cursor) for row, cursor in page.items]
    info = PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, count_total=count_total)


First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Return the first n items (0 to the configured maximum, 100 by default; "
        f"{DEFAULT_PAGE_SIZE} when neither `first` nor `last` is given)."
    ),
]
After = Annotated[str | None, strawberry.argument(description="Return items after this cursor.")]
Last = Annotated[
    int | None,
    strawberry.argument(description="Return the last n items (0 to the configured maximum)."),
]
Before = Annotated[str | None, strawberry.argument(description="Return items before this cursor.")]


def request_page(
    info: Info, first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    """Validated pagination arguments; a bad value is a BAD_USER_INPUT error."""
    try:
        return page_request(
            first=first,
            after=after,
            last=last,
            before=before,
            default_size=DEFAULT_PAGE_SIZE,
            max_size=info.context.settings.max_page_size,
        )
    except ServiceError as exc:
        raise from_service(exc) from exc


async def root_connection(
    info: Info,
    rows: Listing,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """A page of a root list; the total is counted only if ``totalCount`` is selected."""
    request = request_page(info, first, after, last, before)
    db = info.context.db
    try:
        page = await db.run(listing.page, rows, request)
    except ServiceError as exc:
        raise from_service(exc) from exc
    return connection(page, lambda: db.run(listing.total, rows))


async def nested_connection(
    info: Info,
    *,
    key: Hashable,
    rows: Listing,
    parent: Any,
    parent_id: int,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """A page of a parent's list, loaded for all parents at once (``key`` names the list)."""
    request = request_page(info, first, after, last, before)
    loaders = info.context.loaders
    try:
        page = await loaders.pages(key, rows, parent, request).load(parent_id)
    except ServiceError as exc:
        raise from_service(exc) from exc
    totals = loaders.totals(key, rows, parent)
    return connection(page, lambda: totals.load(parent_id))
