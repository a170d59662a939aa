"""The GraphQL adapter: types, loaders and resolvers over ``api.services``."""

from strawberry.extensions import ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.auth import Authentication
from schema.compiled import CompiledReads
from schema.guard import OperationGuard, ParleySchema, SubscriptionLimits
from schema.mutations import Mutation
from schema.persisted import PersistedQueries
from schema.queries import Query
from schema.scalars import SCALARS
from schema.subscriptions import Subscription
from schema.throttle import MutationRateLimit
from schema.types.audit import AuditEntry
from schema.types.commitment import Commitment
from schema.types.country import Country
from schema.types.measure import PolicyMeasure
from schema.types.mechanism import Mechanism
from schema.types.meeting import Meeting, Participation, TopicRaised
from schema.types.people import Organization, Person, Position
from schema.types.source import Citation, Source
from schema.types.statement import Statement
from schema.types.topic import Topic

schema = ParleySchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # Every Node type, so `node(id:)` can resolve any of them even if no field returns it.
    types=[
        AuditEntry,
        Citation,
        Commitment,
        Country,
        Mechanism,
        Meeting,
        Organization,
        Participation,
        Person,
        PolicyMeasure,
        Position,
        Source,
        Statement,
        Topic,
        TopicRaised,
    ],
    config=StrawberryConfig(scalar_map=SCALARS),
    # OperationGuard next: it parses (with a cache of its own) and sets the rules the
    # validation cache keys on. The cache is a factory; it lives at module level.
    extensions=[
        PersistedQueries,  # first: the guard parses the text it finds for an id
        OperationGuard,
        lambda: ValidationCache(maxsize=256),
        SubscriptionLimits,
        Authentication,
        MutationRateLimit,  # after the guard and the token check: refusals are not counted
        CompiledReads,
    ],
)

__all__ = ["schema"]
