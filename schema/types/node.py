"""The base of every entity type: a Relay ``Node`` backed by one SQLAlchemy model."""

from collections.abc import Iterable
from typing import Any, ClassVar

from graphql import GraphQLResolveInfo
from strawberry import relay

from api.models import Scope
from schema.auth import require
from schema.context import Info
from schema.ids import row_id


class ModelNode(relay.Node):
    """Resolves Relay nodes by id through the request's loader for ``__model__``.

    Resolvers hand back ORM rows; ``is_type_of`` accepts them as this type. A type whose list
    needs a scope names it in ``__scope__``: ``node``/``nodes`` then ask for the same token the
    list does, so a global id is no way around it.
    """

    __model__: ClassVar[Any]
    __scope__: ClassVar[Scope | None] = None

    @classmethod
    def is_type_of(cls, obj: Any, _info: GraphQLResolveInfo[Any]) -> bool:
        return isinstance(obj, cls.__model__ | cls)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        if cls.__scope__ is not None:
            await require(info, cls.__scope__)
        # An id no row can have is looked up as -1, which finds nothing: the node is null.
        ids = [row_id(node_id) or -1 for node_id in node_ids]
        return list(await info.context.loaders.by_id(cls.__model__).load_many(ids))


async def load(info: Info, entity: Any, key: int | None) -> Any:
    """The ``entity`` row with id ``key`` (None when the key is None)."""
    if key is None:
        return None
    return await info.context.loaders.by_id(entity).load(key)


async def load_many(info: Info, entity: Any, keys: list[int]) -> list[Any]:
    """The ``entity`` rows with these ids, in the same order."""
    return list(await info.context.loaders.by_id(entity).load_many(keys))


async def children(info: Info, entity: Any, column: Any, key: Any, *order_by: Any) -> list[Any]:
    """The ``entity`` rows whose ``column`` equals ``key``."""
    return list(await info.context.loaders.children(entity, column, order_by=order_by).load(key))
