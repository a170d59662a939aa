"""The ASGI application: /graphql (with GraphiQL), /healthz and /readyz."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket

from api.db import create_engine, create_session_factory, is_sqlite
from api.driver import DriverReads
from api.feed import ChangeFeed
from api.graphiql import mount_graphiql_assets
from api.http import install_middleware
from api.http.cache import ResponseCache, ResponseCacheMiddleware
from api.http.exports import install_exports
from api.http.hot_path import HotPathMiddleware
from api.http.router import ParleyGraphQLRouter
from api.logs import configure_logging
from api.rate_limit import close_limiter
from api.settings import Settings, get_settings
from api.tuning import tune_gc
from schema import schema
from schema.auth import authenticate_connection
from schema.compiled.hot import HotPlans
from schema.context import Context, Database, KnownDocuments
from schema.loaders import Loaders

SessionFactory = Callable[[], AsyncSession]


def _closer(connection: HTTPConnection) -> Callable[[int, str], Awaitable[None]] | None:
    """How a subscription closes its WebSocket (with a code and reason); None over HTTP."""
    if not isinstance(connection, WebSocket):
        return None
    websocket = connection

    async def close(code: int, reason: str) -> None:
        await websocket.close(code, reason)

    return close


def _graphql_router(
    settings: Settings, get_context: Callable[..., AsyncIterator[Context]]
) -> ParleyGraphQLRouter[Context, None]:
    """/graphql over HTTP and WebSocket."""
    return ParleyGraphQLRouter(
        schema,
        request_timeout=settings.request_timeout,
        context_getter=get_context,  # a yield dependency, as FastAPI allows
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=True,
        # WebSockets: pages on other origins connect only from the CORS origins.
        allowed_origins=settings.cors_origins,
        on_connect=authenticate_connection,
        max_connections=settings.websocket_connections,
        max_subscriptions_per_connection=settings.subscriptions_per_connection,
        connection_init_wait_timeout=dt.timedelta(seconds=settings.connection_init_timeout),
        keepalive=settings.websocket_keepalive,
        keep_alive=True,  # graphql-ws's "ka" messages
        keep_alive_interval=settings.websocket_keepalive,
    )


def _hot_plans(settings: Settings) -> HotPlans | None:
    """The documents answered without the framework once the standard path has planned them
    (api/http/hot_path.py): anonymous reads only, so none where reads need a token, and none
    in trusted mode (where every text is checked against the stored documents)."""
    if (
        not (settings.hot_path and settings.compiled_reads)
        or settings.read_requires_token
        or settings.persisted_queries == "trusted"
    ):
        return None
    return HotPlans(schema, settings)


def _engine(settings: Settings, *, autocommit: bool = False) -> AsyncEngine:
    return create_engine(
        settings.database_url,
        echo=settings.sql_echo,
        statement_timeout=settings.statement_timeout,
        connect_timeout=settings.database_connect_timeout,
        busy_timeout=settings.sqlite_busy_timeout,
        autocommit=autocommit,
    )


def _driver_reads(settings: Settings, hot_plans: HotPlans | None) -> DriverReads | None:
    """The hot path's reads on PostgreSQL: a pool of their own, one statement each, with
    neither a transaction nor a ping around it, straight on the driver (api/driver.py); not
    when SQL is echoed (SQLAlchemy echoes what it sends)."""
    if hot_plans is None or is_sqlite(settings.database_url) or settings.sql_echo:
        return None
    return DriverReads(_engine(settings, autocommit=True))


def _install_reads(app: FastAPI, settings: Settings, hot_plans: HotPlans | None) -> None:
    """The innermost middleware of /graphql, inside the request id, CORS and body limit: the
    hot path, and the response cache around it (so it sees the hot path as /graphql)."""
    app.state.hot_plans = hot_plans
    if hot_plans is not None:
        app.add_middleware(
            HotPathMiddleware, planner=hot_plans, request_timeout=settings.request_timeout
        )
    # Off when reads need a token: only anonymous reads are cached, and then none is answered.
    if (
        settings.response_cache_size
        and settings.response_cache_bytes
        and not settings.read_requires_token
    ):
        cache = app.state.response_cache = ResponseCache(
            settings.response_cache_size, settings.response_cache_bytes
        )
        app.add_middleware(ResponseCacheMiddleware, cache=cache, path="/graphql")


def create_app(
    settings: Settings | None = None, *, session_factory: SessionFactory | None = None
) -> FastAPI:
    """Build the app; ``session_factory`` replaces the engine the lifespan would create."""
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if session_factory is not None:
            app.state.session_factory = session_factory
            yield
            await close_limiter(app.state.rate_limiter)
            return
        engine = _engine(settings)
        app.state.session_factory = create_session_factory(engine)
        reads = app.state.driver_reads = _driver_reads(settings, app.state.hot_plans)
        tune_gc()
        try:
            yield
        finally:
            await app.state.changes.close()
            await close_limiter(app.state.rate_limiter)
            await engine.dispose()
            if reads is not None:
                await reads.engine.dispose()

    known_documents = KnownDocuments()
    hot_plans = _hot_plans(settings)

    async def get_context(connection: HTTPConnection) -> AsyncIterator[Context]:
        # An HTTP request, or a WebSocket (one context for the whole connection).
        db = Database(connection.app.state.session_factory)
        try:
            yield Context(
                db=db,
                loaders=Loaders(db),
                settings=settings,
                authorization=connection.headers.get("authorization"),
                changes=connection.app.state.changes,
                known_documents=known_documents,
                drop_connection=_closer(connection),
                hot_plans=hot_plans,
            )
        finally:
            await db.close()

    app = FastAPI(
        title="Parley", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.changes = ChangeFeed(
        settings.database_url,
        queue_size=settings.subscription_queue_size,
        connect_timeout=settings.database_connect_timeout,
    )
    if session_factory is not None:  # tests drive the app without running its lifespan
        app.state.session_factory = session_factory
    _install_reads(app, settings, hot_plans)
    install_middleware(app, settings)
    router = _graphql_router(settings, get_context)
    app.include_router(router, prefix="/graphql")
    install_exports(app, settings)
    if settings.graphiql:
        mount_graphiql_assets(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request, response: Response) -> dict[str, object]:
        try:
            async with asyncio.timeout(settings.readiness_timeout):
                async with request.app.state.session_factory() as session:
                    await session.execute(text("SELECT 1"))
        except Exception:
            response.status_code = 503
            # Coded like every other 5xx Parley sends (api/http/last_resort.py).
            error = {
                "message": "The database is unavailable.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
            return {"status": "unavailable", "errors": [error]}
        return {"status": "ready"}

    return app
