"""A tiny schema with a mutation, a slow field and a failing one, behind Parley's HTTP layer.

Parley's own schema has no mutation yet (and no field that fails on purpose); this one lets
the tests prove the rate limiter, the mutation limits, the timeout and the masking.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import strawberry
from fastapi import FastAPI
from strawberry.fastapi import BaseContext

from api.http import install_middleware
from api.http.router import ParleyGraphQLRouter
from api.rate_limit.memory import MemoryRateLimiter
from api.settings import Settings
from schema.guard import OperationGuard, ParleySchema
from schema.throttle import MutationRateLimit

SECRET = "password=hunter2"


@dataclasses.dataclass
class ToyContext(BaseContext):
    settings: Settings
    calls: list[str]

    def __post_init__(self) -> None:
        super().__init__()


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, info: strawberry.Info[ToyContext, None]) -> str:
        info.context.calls.append("hello")
        return "hi"

    @strawberry.field
    async def slow(self, info: strawberry.Info[ToyContext, None], seconds: float) -> str:
        info.context.calls.append("slow")
        await asyncio.sleep(seconds)
        return "done"

    @strawberry.field
    def boom(self, info: strawberry.Info[ToyContext, None]) -> str | None:
        info.context.calls.append("boom")
        raise RuntimeError(f"internals leaked: {SECRET}")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def bump(self, info: strawberry.Info[ToyContext, None]) -> int:
        info.context.calls.append("bump")
        return len(info.context.calls)


toy_schema = ParleySchema(
    query=Query, mutation=Mutation, extensions=[OperationGuard, MutationRateLimit]
)


def toy_app(settings: Settings, calls: list[str]) -> FastAPI:
    """The toy schema served the way Parley serves its own."""

    async def get_context() -> AsyncIterator[ToyContext]:
        yield ToyContext(settings=settings, calls=calls)

    app = FastAPI()
    # No database here: the limiter counts in memory.
    limiter = MemoryRateLimiter(settings.mutation_rate_limit, settings.mutation_rate_window)
    install_middleware(app, settings, limiter=limiter)
    router: ParleyGraphQLRouter[ToyContext, None] = ParleyGraphQLRouter(
        toy_schema,
        request_timeout=settings.request_timeout,
        context_getter=get_context,
        allow_queries_via_get=True,
    )
    app.include_router(router, prefix="/graphql")
    return app
