"""The ASGI application: /graphql (with GraphiQL), /healthz and /readyz."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import create_engine, create_session_factory
from api.graphiql import mount_graphiql_assets
from api.http import install_middleware
from api.http.cache import ResponseCache, ResponseCacheMiddleware
from api.http.exports import install_exports
from api.http.router import ParleyGraphQLRouter
from api.logs import configure_logging
from api.settings import Settings, get_settings
from api.tuning import tune_gc
from schema import schema
from schema.context import Context, Database
from schema.loaders import Loaders

SessionFactory = Callable[[], AsyncSession]


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
            return
        engine = create_engine(
            settings.database_url,
            echo=settings.sql_echo,
            statement_timeout=settings.statement_timeout,
            connect_timeout=settings.database_connect_timeout,
            busy_timeout=settings.sqlite_busy_timeout,
        )
        app.state.session_factory = create_session_factory(engine)
        tune_gc()
        yield
        await engine.dispose()

    async def get_context(request: Request) -> AsyncIterator[Context]:
        db = Database(request.app.state.session_factory)
        try:
            yield Context(
                db=db,
                loaders=Loaders(db),
                settings=settings,
                authorization=request.headers.get("authorization"),
            )
        finally:
            await db.close()

    app = FastAPI(
        title="Parley", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    if session_factory is not None:  # tests drive the app without running its lifespan
        app.state.session_factory = session_factory
    if settings.response_cache_size:  # innermost: inside the request id, CORS and body limit
        cache = ResponseCache(settings.response_cache_size)
        app.add_middleware(ResponseCacheMiddleware, cache=cache, path="/graphql")
    install_middleware(app, settings)
    router: ParleyGraphQLRouter[Context, None] = ParleyGraphQLRouter(
        schema,
        request_timeout=settings.request_timeout,
        context_getter=get_context,  # a yield dependency, as FastAPI allows
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=True,
    )
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
