"""The ``parley`` command: serve, migrate, seed, export the schema."""

import asyncio
import datetime as dt
import json
import re
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn, TypeVar

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.db import create_engine, create_session_factory
from api.http.protocol import uvicorn_options
from api.models import Scope
from api.push import document as push_document
from api.push import runner as push_runner
from api.push.client import GraphQLClient, PushError
from api.services import documents, idempotency, tokens, versions
from api.services import seed as seed_data
from api.services.errors import ServiceError
from api.settings import get_settings

R = TypeVar("R")

app = typer.Typer(help="Parley: a GraphQL API for government dialogue mechanisms.")
db_app = typer.Typer(help="Database migrations.")
app.add_typer(db_app, name="db")
tokens_app = typer.Typer(help="API tokens for scripts and people who write.")
app.add_typer(tokens_app, name="tokens")
keys_app = typer.Typer(help="Idempotency keys.")
app.add_typer(keys_app, name="idempotency")
documents_app = typer.Typer(help="Trusted documents (persisted queries) from a client build.")
app.add_typer(documents_app, name="documents")

_DURATION = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def _duration(text: str | None) -> dt.timedelta | None:
    if text is None:
        return None
    match = _DURATION.match(text.strip())
    if match is None:
        raise typer.BadParameter("use a number and a unit: 90d, 12h, 30m")
    return dt.timedelta(**{_UNITS[match[2]]: int(match[1])})


async def _in_session(action: Callable[[AsyncSession], Awaitable[R]]) -> R:
    """Run ``action`` in one transaction on the configured database, and commit."""
    engine = create_engine(get_settings().database_url)
    try:
        async with create_session_factory(engine)() as session:
            result = await action(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


def _fail(error: ServiceError) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(code=1)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Option(help="Who or what uses it, e.g. readout-bot.")],
    scope: Annotated[
        Scope, typer.Option(help="write: record data; admin: also read the audit log.")
    ] = Scope.WRITE,
    expires_in: Annotated[
        str | None, typer.Option(help="Lifetime: 90d, 12h, 30m (default: none).")
    ] = None,
) -> None:
    """Create a token and print it once; only its hash is stored."""
    lifetime = _duration(expires_in)
    try:
        token, record = asyncio.run(
            _in_session(lambda s: tokens.create(s, name=name, scope=scope, expires_in=lifetime))
        )
    except ServiceError as exc:
        _fail(exc)
    expiry = f", expires {record.expires_at:%Y-%m-%d %H:%M} UTC" if record.expires_at else ""
    typer.echo(f"token {record.name!r} ({record.scope.value}{expiry}); shown once, keep it safe:")
    typer.echo(token)


@tokens_app.command("list")
def tokens_list() -> None:
    """List tokens (names, scopes, state; never the tokens themselves)."""
    records = asyncio.run(_in_session(tokens.list_all))
    for record in records:
        state = "revoked" if record.revoked_at else "active"
        expiry = f" expires {record.expires_at:%Y-%m-%d}" if record.expires_at else ""
        typer.echo(f"{record.name}\t{record.scope.value}\t{record.prefix}…\t{state}{expiry}")


@tokens_app.command("revoke")
def tokens_revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke a token: requests with it fail from now on."""
    try:
        asyncio.run(_in_session(lambda s: tokens.revoke(s, name=name)))
    except ServiceError as exc:
        _fail(exc)
    typer.echo(f"token {name!r} revoked")


@keys_app.command("purge")
def idempotency_purge() -> None:
    """Delete idempotency keys older than the retention period (24 hours)."""
    removed = asyncio.run(_in_session(idempotency.purge))
    typer.echo(f"{removed} idempotency keys purged")


@documents_app.command("push")
def documents_push(
    manifest: Annotated[
        Path,
        typer.Argument(
            help="An Apollo persisted-query manifest, or a map of id to text (Relay, "
            "GraphQL Codegen's persisted documents)."
        ),
    ],
) -> None:
    """Store a manifest's operations as trusted documents (checked against the schema first)."""
    try:
        found = documents.parse_manifest(json.loads(manifest.read_text("utf-8")))
    except (OSError, ValueError) as exc:
        typer.echo(f"error: cannot read {manifest}: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    except ServiceError as exc:
        _fail(exc)
    problems = _invalid_documents(found)
    if problems:
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(code=1)
    try:
        added, present = asyncio.run(_in_session(lambda s: documents.push(s, found)))
    except ServiceError as exc:
        _fail(exc)
    typer.echo(f"{len(found)} documents: {added} added, {present} already there")


def _invalid_documents(found: list[documents.Document]) -> list[str]:
    """Why documents of a manifest could not run against this schema."""
    from graphql import GraphQLError, parse, validate  # noqa: PLC0415

    from schema import schema  # noqa: PLC0415  (only this command needs the GraphQL layer)

    problems = []
    for document in found:
        try:
            errors = validate(schema._schema, parse(document.body))
        except GraphQLError as exc:
            errors = [exc]
        problems += [f"document {document.id}: {error.message}" for error in errors]
    return problems


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (PARLEY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (PARLEY_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the API and GraphiQL at /graphql."""
    settings = get_settings()
    # uvicorn re-raises SIGTERM once its graceful shutdown is done; handled, it ends the
    # command with status 0 (a shutdown that went as planned), not death by signal.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
        # SIGTERM: stop accepting, let in-flight requests (a mutation) finish, then exit.
        timeout_graceful_shutdown=settings.shutdown_timeout,
        access_log=False,  # Parley writes its own (parley.access, PARLEY_ACCESS_LOG)
        # Header size, header and body deadlines, connection limit: api/http/protocol.py.
        **uvicorn_options(settings),
    )


def _exit_cleanly(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database (PARLEY_DATABASE_URL) up to a revision."""
    asyncio.run(_with_engine(lambda engine: migrations.upgrade(engine, revision)))
    typer.echo(f"database at {revision}")


_Force = Annotated[
    bool, typer.Option("--force", help="Drop the tables and columns that hold data too.")
]


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision (base: no tables).")],
    force: _Force = False,  # noqa: FBT002  (a flag: typer reads options from the signature)
) -> None:
    """Migrate the database down to a revision; refused if that drops data, unless --force."""
    try:
        asyncio.run(
            _with_engine(lambda engine: migrations.downgrade(engine, revision, force=force))
        )
    except migrations.DataLossError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"database at {revision}")


@app.command()
def seed() -> None:
    """Load the seed data set; records already there are left as they are."""
    created = asyncio.run(_in_session(_load_seed))
    total = sum(created.values())
    if total == 0:
        typer.echo("seed data already loaded; nothing to add")
        return
    details = ", ".join(f"{table} {n}" for table, n in sorted(created.items()) if n)
    typer.echo(f"seed data loaded: {total} records ({details})")


async def _load_seed(session: AsyncSession) -> dict[str, int]:
    created = await seed_data.load(session)
    if any(created.values()):
        await versions.bump(session)  # servers' cached reads do not show the new records
    return created


@app.command("push")
def push_file(
    file: Annotated[Path, typer.Argument(help="A YAML or JSON file of meetings (see examples/).")],
    url: Annotated[
        str, typer.Option(envvar="PARLEY_URL", help="The GraphQL endpoint.")
    ] = "http://127.0.0.1:8000/graphql",
    token: Annotated[
        str, typer.Option(envvar="PARLEY_TOKEN", help="A write token (or PARLEY_TOKEN).")
    ] = "",
) -> None:
    """Record the file's people, topics, meetings and commitments; re-running it is a no-op."""
    if not token:
        raise typer.BadParameter("give --token or set PARLEY_TOKEN", param_hint="--token")
    try:
        document = push_document.load(file)
    except push_document.DocumentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    total = len(document.people + document.topics + document.meetings + document.commitments)
    with (
        GraphQLClient(url, token) as client,
        Progress(console=Console(stderr=True), transient=True) as progress,
    ):
        task = progress.add_task(f"pushing {file.name}", total=total)
        try:
            results = push_runner.push(
                document, client, advance=lambda _result: progress.advance(task)
            )
        except PushError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
    _report(results, round_trips=client.round_trips)


def _report(results: list[push_runner.Result], *, round_trips: int) -> None:
    counts = {status: sum(r.status == status for r in results) for status in _STATUSES}
    for result in results:
        if result.status == "failed":
            typer.echo(f"failed: {result.kind} {result.slug}", err=True)
            for problem in result.problems:
                typer.echo(f"  {problem}", err=True)
    if counts["recorded"] == counts["failed"] == 0:
        typer.echo(f"nothing to record: all {len(results)} records are already there")
    else:
        typer.echo(
            f"recorded {counts['recorded']}, already there {counts['present']}, "
            f"failed {counts['failed']} ({round_trips} requests)"
        )
    if counts["failed"]:
        raise typer.Exit(code=1)


_STATUSES = ("recorded", "present", "failed")


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


COVERAGE_GATE = 0.99
"""The share of read fields the compiled path must answer (the CI gate; the target is 95%)."""


@app.command("coverage")
def coverage(
    minimum: Annotated[
        float, typer.Option(help="Fail (exit 1) below this share of read fields.")
    ] = COVERAGE_GATE,
    verbose: Annotated[bool, typer.Option(help="List the fields not covered.")] = False,  # noqa: FBT002
) -> None:
    """Print the share of read fields the compiled read path answers in one SQL statement."""
    from schema import schema  # noqa: PLC0415  (only this command needs the GraphQL layer)
    from schema.compiled.coverage import report  # noqa: PLC0415

    found = report(schema._schema)
    total = len(found.covered) + len(found.uncovered)
    typer.echo(
        f"compiled read path: {len(found.covered)} of {total} read fields "
        f"({found.share:.1%}); gate {minimum:.0%}"
    )
    if verbose or found.share < minimum:
        for name in found.uncovered:
            typer.echo(f"  not covered: {name}")
    if found.share < minimum:
        raise typer.Exit(code=1)


async def _with_engine(action: Callable[[AsyncEngine], Awaitable[None]]) -> None:
    engine = create_engine(get_settings().database_url)
    try:
        await action(engine)
    finally:
        await engine.dispose()
