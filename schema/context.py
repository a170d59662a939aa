"""The typed per-request context: one database session used one call at a time, and loaders."""

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from api.settings import Settings
from schema.loaders import Loaders

P = ParamSpec("P")
R = TypeVar("R")


class Database:
    """The request's session, created on first use.

    Strawberry resolves sibling fields and loader batches concurrently, and an AsyncSession
    is not safe across concurrent tasks; a lock makes every call take its turn.
    """

    def __init__(self, session_factory: Callable[[], AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()

    async def run(
        self,
        call: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Await ``call(session, *args, **kwargs)`` once no other call is using the session."""
        async with self._lock:
            if self._session is None:
                self._session = self._session_factory()
            return await call(self._session, *args, **kwargs)

    async def close(self) -> None:
        """Release the session (and its connection) at the end of the request."""
        if self._session is not None:
            await self._session.close()
            self._session = None


@dataclasses.dataclass
class Context(BaseContext):
    """What every resolver can reach through ``info.context``."""

    db: Database
    loaders: Loaders
    settings: Settings

    def __post_init__(self) -> None:
        super().__init__()


Info = strawberry.Info[Context, Any]
