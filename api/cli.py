"""The ``parley`` command: serve, migrate, seed, export the schema."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrations
from api.db import create_engine, create_session_factory
from api.services import seed as seed_data
from api.settings import get_settings

app = typer.Typer(help="Parley: a GraphQL API for government dialogue mechanisms.")
db_app = typer.Typer(help="Database migrations.")
app.add_typer(db_app, name="db")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (PARLEY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (PARLEY_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the API and GraphiQL at /graphql."""
    settings = get_settings()
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database (PARLEY_DATABASE_URL) up to a revision."""
    asyncio.run(_with_engine(lambda engine: migrations.upgrade(engine, revision)))
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Migrate the database down to a revision (``base`` empties it)."""
    asyncio.run(_with_engine(lambda engine: migrations.downgrade(engine, revision)))
    typer.echo(f"database at {revision}")


@app.command()
def seed() -> None:
    """Load the seed data set; records already there are left as they are."""
    created = asyncio.run(_seed())
    total = sum(created.values())
    if total == 0:
        typer.echo("seed data already loaded; nothing to add")
        return
    details = ", ".join(f"{table} {n}" for table, n in sorted(created.items()) if n)
    typer.echo(f"seed data loaded: {total} records ({details})")


@app.command("export-schema")
def export_schema(
    output: Annotated[
        Path | None, typer.Option(help="Write the SDL to this file instead of stdout.")
    ] = None,
) -> None:
    """Print (or write) the GraphQL schema in SDL, as committed in schema.graphql."""
    from schema import schema  # noqa: PLC0415  (only this command needs the GraphQL layer)

    sdl = schema.as_str() + "\n"
    if output is None:
        typer.echo(sdl, nl=False)
    else:
        output.write_text(sdl, encoding="utf-8")
        typer.echo(f"wrote {output}")


async def _with_engine(action: Callable[[AsyncEngine], Awaitable[None]]) -> None:
    engine = create_engine(get_settings().database_url)
    try:
        await action(engine)
    finally:
        await engine.dispose()


async def _seed() -> dict[str, int]:
    engine = create_engine(get_settings().database_url)
    try:
        async with create_session_factory(engine)() as session:
            created = await seed_data.load(session)
            await session.commit()
            return created
    finally:
        await engine.dispose()
