"""The typed per-request context: one database session used one call at a time, and loaders."""

import asyncio
import collections
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.fastapi import BaseContext

from api.db import WRITE_OPTION
from api.feed import ChangeFeed
from api.services import tokens
from api.services.errors import AuthenticationError
from api.services.tokens import Actor
from api.settings import Settings
from schema.loaders import Loaders

if TYPE_CHECKING:  # schema.compiled imports this module
    from schema.compiled.hot import HotPlans

logger = logging.getLogger("parley.db")

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
        self._closed = False
        # On PostgreSQL the request keeps one connection from its first use to its end (a
        # session bound to the engine gives its connection back at every commit, and each
        # checkout costs a ping), and reads on it outside a transaction: see _open.
        self._engine = _held_engine(session_factory)
        self._connection: AsyncConnection | None = None

    async def run(
        self,
        call: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Await ``call(session, *args, **kwargs)`` once no other call is using the session.

        The call is shielded from cancellation. graphql-core cancels a failed field's siblings
        (and the request timeout cancels everything); a statement cancelled half-way leaves
        its connection unusable, so SQLAlchemy throws it away behind the session's back and
        closing the session then fails. A cancelled caller returns at once; the call finishes
        (within the statement timeout) while holding the lock, and :meth:`close` waits for it.
        """
        task = asyncio.ensure_future(self._run(call, *args, **kwargs))
        task.add_done_callback(_consume_outcome)
        return await asyncio.shield(task)

    async def _run(
        self,
        call: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        async with self._lock:
            return await call(await self._open(), *args, **kwargs)

    async def _open(self) -> AsyncSession:
        # A call whose caller was cancelled may only get here after close(): it must not open
        # a session nobody would close (its connection would leak until garbage collection).
        if self._closed:
            raise RuntimeError("the request is over; its database session is closed")
        if self._session is None:
            if self._engine is not None:
                try:
                    self._connection = await self._engine.connect()
                except Exception:
                    # Unreachable: the request goes on with a session of its own, whose every
                    # use fails (and is reported) as it would have without a held connection.
                    self._session = self._session_factory()
                    raise
                # Reads run outside a transaction: each statement reads the latest commit, as
                # it would in a read-committed transaction, without a BEGIN and a ROLLBACK
                # around them. Writes open a transaction (see writing).
                self._connection = await self._connection.execution_options(
                    isolation_level="AUTOCOMMIT"
                )
                self._session = self._session_factory(bind=self._connection)  # type: ignore[call-arg]
            else:
                self._session = self._session_factory()
        return self._session

    @contextlib.asynccontextmanager
    async def writing(self, *, statement: bool = False) -> AsyncIterator[AsyncSession]:
        """The session, alone, in a fresh transaction for one write; the caller commits.

        Whatever the request read before (its token, say) is rolled back first (on PostgreSQL
        its reads took no transaction: nothing to send), so the write sees the database as it
        is now; anything left uncommitted is rolled back after. ``statement``: the write is
        one statement, atomic by itself; on PostgreSQL it then takes no transaction either and
        commits as it ends — no BEGIN or COMMIT, and a row it locks (the rate limit's) is free
        again at once, not a client's round trip later.
        """
        async with self._lock:
            session = await self._open()
            if session.in_transaction():
                await session.rollback()
            session.expire_all()  # the write starts from what the database holds now
            connection = self._connection if not statement else None
            if connection is not None:
                await connection.execution_options(isolation_level=_isolation(connection))
            elif self._connection is None:  # the option is SQLite's (BEGIN IMMEDIATE)
                await session.connection(execution_options={WRITE_OPTION: True})
            try:
                yield session
            finally:
                if session.in_transaction():
                    await session.rollback()
                if connection is not None:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")

    async def close(self) -> None:
        """Release the session (and its connection) at the end of the request.

        Waits for a call still running; a connection that cannot be closed cleanly (a write
        cancelled half-way) is discarded instead of going back to the pool.
        """
        async with self._lock:
            self._closed = True
            await self._release()

    async def release(self) -> None:
        """Give the connection back to the pool between uses (a subscription's events); the
        next call opens a new session. Shielded like :meth:`run`: a subscription cancelled
        meanwhile (its client left) must not leave the connection half returned."""
        task = asyncio.ensure_future(self._release_in_turn())
        task.add_done_callback(_consume_outcome)
        await asyncio.shield(task)

    async def _release_in_turn(self) -> None:
        async with self._lock:
            await self._release()

    async def _release(self) -> None:
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        if session is None:
            return
        try:
            await session.close()
            if connection is not None:
                await connection.close()
        except Exception:
            logger.warning("discarding a database connection that failed to close", exc_info=True)
            await session.invalidate()
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.invalidate()
                    await connection.close()


class KnownDocuments:
    """Documents this process has looked up: an id names one text forever, so they need no
    second look (only "trusted" may change, from false to true)."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._texts: collections.OrderedDict[str, tuple[str, bool]] = collections.OrderedDict()

    def get(self, document_id: str) -> tuple[str, bool] | None:
        found = self._texts.get(document_id)
        if found is not None:
            self._texts.move_to_end(document_id)
        return found

    def put(self, document_id: str, body: str, *, trusted: bool) -> None:
        self._texts[document_id] = (body, trusted)
        self._texts.move_to_end(document_id)
        while len(self._texts) > self.size:
            self._texts.popitem(last=False)


def _held_engine(session_factory: Callable[[], AsyncSession]) -> AsyncEngine | None:
    """The PostgreSQL engine the factory's sessions are bound to, if it is the app's factory."""
    bind = getattr(session_factory, "kw", {}).get("bind")
    if isinstance(session_factory, async_sessionmaker) and isinstance(bind, AsyncEngine):
        return bind if bind.dialect.name == "postgresql" else None
    return None


def _isolation(connection: AsyncConnection) -> str:
    """The isolation level of the database's transactions (read committed by default)."""
    return str(connection.sync_engine.dialect.default_isolation_level or "READ COMMITTED")


def _consume_outcome(task: "asyncio.Future[Any]") -> None:
    # A call whose caller was cancelled has nobody to hand its outcome to.
    if not task.cancelled():
        task.exception()


@dataclasses.dataclass
class Context(BaseContext):
    """What every resolver can reach through ``info.context``."""

    db: Database
    loaders: Loaders
    settings: Settings
    # The request's `Authorization` header, checked on first use by `actor()`.
    authorization: str | None = None
    # This process's change feed, for subscriptions and for writes to announce themselves.
    changes: ChangeFeed | None = None
    # Document texts by id (persisted queries), shared by the process's requests.
    known_documents: KnownDocuments = dataclasses.field(default_factory=KnownDocuments)
    # Over a WebSocket: closes the connection with a code and reason (a dropped subscriber).
    drop_connection: Callable[[int, str], Awaitable[None]] | None = None
    # The app's hot-path plans: the compiled read path remembers the documents it answered.
    hot_plans: "HotPlans | None" = None
    _actor: Actor | None = dataclasses.field(default=None, init=False)
    _actor_error: AuthenticationError | None = dataclasses.field(default=None, init=False)
    _checked: bool = dataclasses.field(default=False, init=False)

    def __post_init__(self) -> None:
        super().__init__()

    async def actor(self) -> Actor | None:
        """Who sends this request: None without a token; AuthenticationError for a bad one."""
        if not self._checked:
            token = bearer_token(self.authorization)
            if token is not None:
                try:
                    self._actor = await self.db.run(tokens.authenticate, token)
                except AuthenticationError as exc:
                    self._actor_error = exc
            # Only now: a lookup that failed otherwise (an outage) must not leave the request
            # looking anonymous to the next caller.
            self._checked = True
        if self._actor_error is not None:
            raise self._actor_error
        return self._actor

    @property
    def over_websocket(self) -> bool:
        """Whether the request is a WebSocket connection (where subscriptions run)."""
        return self.drop_connection is not None

    def use_authorization(self, authorization: str) -> None:
        """Authenticate as ``authorization`` from now on (a WebSocket's connection_init)."""
        self.authorization = authorization
        self._actor, self._actor_error, self._checked = None, None, False

    def forget_loaded(self) -> None:
        """Drop what loaders hold, after a write changed it."""
        self.loaders = Loaders(self.db)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; raises if it is malformed."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Send the token as `Authorization: Bearer <token>`.")
    return token.strip()


Info = strawberry.Info[Context, Any]
