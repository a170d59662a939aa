"""Organizations, people and the positions they hold."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from api import models
from api.models.columns import span
from api.partial_date import PartialDate
from api.services import participations
from api.services.listing import Listing
from schema.compiled.fields import Children, NestedConnection, ToOne, compiled
from schema.context import Info
from schema.enums import OrganizationKind, Rank
from schema.pagination import After, Before, Connection, First, Last
from schema.types.audit import history_of
from schema.types.country import Country
from schema.types.names import names_of
from schema.types.node import ModelNode, children, load
from schema.types.source import citations_of
from schema.types.statement_lists import statements_field

if TYPE_CHECKING:
    from schema.types.meeting import Participation

ParticipationType = Annotated["Participation", strawberry.lazy("schema.types.meeting")]

POSITION_START = span(models.Position, "start").earliest


def _participations_listing(_arguments: Mapping[str, Any]) -> Listing:
    """A person's participations, as ``Person.participations`` pages them."""
    return participations.list_participations()


@strawberry.type(description="A ministry, department, agency, bureau or other body.")
class Organization(ModelNode):
    __model__: ClassVar = models.Organization

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("organization")
    slug: str = strawberry.field(description="Human-friendly unique key, e.g. `mofcom`.")
    name: str = strawberry.field(description="English name.")
    acronym: str | None = strawberry.field(description="Acronym, e.g. BIS, MOFCOM.")
    kind: OrganizationKind = strawberry.field(description="What kind of body it is.")
    note: str | None = strawberry.field(description="Remarks.")
    names = names_of("organization_id")
    citations = citations_of("organization_id")
    statements = statements_field("organization", "organization_id")

    @strawberry.field(
        description="The country it belongs to.", metadata=compiled(ToOne("Country", "country_id"))
    )
    async def country(
        self, root: strawberry.Parent[models.Organization], info: Info
    ) -> Country | None:
        return await load(info, models.Country, root.country_id)

    @strawberry.field(
        description="The organization it is part of.",
        metadata=compiled(ToOne("Organization", "parent_id")),
    )
    async def parent(
        self, root: strawberry.Parent[models.Organization], info: Info
    ) -> "Organization | None":
        return await load(info, models.Organization, root.parent_id)

    @strawberry.field(
        description="Its parts (bureaus of a department ...).",
        metadata=compiled(Children("Organization", "parent_id", (models.Organization.name,))),
    )
    async def units(
        self, root: strawberry.Parent[models.Organization], info: Info
    ) -> list["Organization"]:
        return await children(
            info,
            models.Organization,
            models.Organization.parent_id,
            root.id,
            models.Organization.name,
        )

    @strawberry.field(
        description="Positions held in it, by anyone, at any time.",
        metadata=compiled(Children("Position", "organization_id", (POSITION_START,))),
    )
    async def positions(
        self, root: strawberry.Parent[models.Organization], info: Info
    ) -> list["Position"]:
        return await children(
            info,
            models.Position,
            models.Position.organization_id,
            root.id,
            span(models.Position, "start").earliest,
        )


@strawberry.type(description="A person who took part in meetings, with the positions held.")
class Person(ModelNode):
    __model__: ClassVar = models.Person

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("person")
    slug: str = strawberry.field(description="Human-friendly unique key, e.g. `wang-wentao`.")
    name: str = strawberry.field(
        description="Name in English usage (family name first for Chinese names)."
    )
    note: str | None = strawberry.field(description="Remarks.")
    names = names_of("person_id")
    citations = citations_of("person_id")
    statements = statements_field("person", "person_id")

    @strawberry.field(
        description="The country the person serves or belongs to.",
        metadata=compiled(ToOne("Country", "country_id")),
    )
    async def country(self, root: strawberry.Parent[models.Person], info: Info) -> Country | None:
        return await load(info, models.Country, root.country_id)

    @strawberry.field(
        description="Titles the person held, earliest first.",
        metadata=compiled(Children("Position", "person_id", (POSITION_START,))),
    )
    async def positions(
        self, root: strawberry.Parent[models.Person], info: Info
    ) -> list["Position"]:
        return await children(
            info,
            models.Position,
            models.Position.person_id,
            root.id,
            span(models.Position, "start").earliest,
        )

    @strawberry.field(
        description="The meetings the person took part in, latest first.",
        metadata=compiled(NestedConnection("Participation", "person_id", _participations_listing)),
    )
    async def participations(
        self,
        root: strawberry.Parent[models.Person],
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ParticipationType]:
        from schema.types.meeting import person_participations  # noqa: PLC0415  (cycle)

        return await person_participations(info, root.id, first, after, last, before)


@strawberry.type(description="A title a person held in an organization, over a period.")
class Position(ModelNode):
    __model__: ClassVar = models.Position

    id: relay.NodeID[int]
    version: int = strawberry.field(
        description="Increases with every change; pass it as expectedVersion to update."
    )
    history = history_of("position")
    title: str = strawberry.field(description="The title, e.g. Secretary of Commerce.")
    rank: Rank | None = strawberry.field(
        description="Its rank on the scale both sides share; null when not ranked (e.g. an "
        "ambassador) or unknown."
    )
    start: PartialDate | None = strawberry.field(
        description="When the person took it up, as far as known; null when no source gives "
        "it (the position then never counts as held on a given date)."
    )
    end: PartialDate | None = strawberry.field(
        description="When the person left it; null while held or when no source gives it."
    )
    note: str | None = strawberry.field(description="Remarks.")
    citations = citations_of("position_id")

    @strawberry.field(description="Who held it.", metadata=compiled(ToOne("Person", "person_id")))
    async def person(self, root: strawberry.Parent[models.Position], info: Info) -> Person:
        return await load(info, models.Person, root.person_id)

    @strawberry.field(
        description="Where it was held.",
        metadata=compiled(ToOne("Organization", "organization_id")),
    )
    async def organization(
        self, root: strawberry.Parent[models.Position], info: Info
    ) -> Organization | None:
        return await load(info, models.Organization, root.organization_id)
