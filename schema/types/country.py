"""Countries."""

from typing import ClassVar

import strawberry
from strawberry import relay

from api import models
from schema.types.node import ModelNode


@strawberry.type(description="A country, identified by its ISO 3166-1 alpha-2 code.")
class Country(ModelNode):
    __model__: ClassVar = models.Country

    id: relay.NodeID[int]
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. US, CN.")
    name: str = strawberry.field(description="Short English name.")
