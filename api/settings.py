"""Configuration, read from the environment (prefix ``PARLEY_``) and an optional ``.env`` file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob Parley has; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{PROJECT_ROOT / 'parley.db'}",
        description="SQLAlchemy async URL (sqlite+aiosqlite:// or postgresql+asyncpg://).",
    )
    host: str = Field(default="127.0.0.1", description="Address `parley serve` binds to.")
    port: int = Field(default=8000, description="Port `parley serve` listens on.")
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Browser origins allowed to call the API, as JSON: ["https://a.example"].',
    )
    cors_allow_headers: list[str] = Field(
        default_factory=lambda: ["*"],
        description='Request headers allowed origins may send, as JSON; ["*"] allows whatever '
        "a preflight asks for.",
    )
    cors_max_age: int = Field(
        default=600, ge=0, description="Seconds a browser may cache a preflight's answer."
    )
    graphiql: bool = Field(default=True, description="Serve the GraphiQL IDE at /graphql.")
    max_page_size: int = Field(
        default=100, ge=1, description="Largest `first`/`last` a connection accepts."
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")
    response_cache_size: int = Field(
        default=1024,
        ge=0,
        description="Responses to anonymous queries kept per process (0 turns the cache off).",
    )
    response_cache_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=0,
        description="Bytes of responses the cache keeps per process, at most (0 turns it off).",
    )
    read_requires_token: bool = Field(
        default=False, description="Require a token for reads too (writes always need one)."
    )

    # Hardening: see the README's "Limits and errors".
    env: Literal["development", "production"] = Field(
        default="development",
        description="production: no field suggestions in error messages, no debug output.",
    )
    introspection: bool = Field(default=True, description="Answer introspection queries.")
    compiled_reads: bool = Field(
        default=True,
        description="Answer covered queries through the compiled read path (schema/compiled).",
    )
    hot_path: bool = Field(
        default=True,
        description="Answer planned anonymous reads without FastAPI's and Strawberry's "
        "per-request machinery (api/http/hot_path.py).",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines as text or as one JSON object per line."
    )
    max_depth: int = Field(default=10, ge=1, description="Deepest selection nesting allowed.")
    max_aliases: int = Field(default=15, ge=0, description="Most aliases in one operation.")
    max_tokens: int = Field(default=2000, ge=1, description="Most lexical tokens in a document.")
    max_mutation_root_fields: int = Field(
        default=5, ge=1, description="Most root fields in one mutation operation."
    )
    max_cost: int = Field(
        default=50_000,
        ge=1,
        description="Largest cost of an operation: 1 per field, a list's page size "
        "multiplies its children's cost.",
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body, in bytes (HTTP 413)."
    )
    max_header_bytes: int = Field(
        default=32 * 1024,
        ge=1024,
        description="Largest request line and headers, in bytes (HTTP 431); `parley serve`.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a request's line and headers may take to arrive (HTTP 408); "
        "`parley serve`.",
    )
    body_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a request's body may take to arrive after its headers (HTTP 408); "
        "`parley serve`.",
    )
    keep_alive_timeout: int = Field(
        default=5, ge=1, description="Seconds an idle keep-alive connection stays open."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Open connections one `parley serve` process accepts; past it, HTTP 503.",
    )
    mutation_rate_limit: int = Field(
        default=60, ge=1, description="Mutations a token (or client address) may send per window."
    )
    mutation_rate_window: float = Field(
        default=60.0, gt=0, description="The rate-limit window, in seconds."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for the shared mutation rate limit (redis://host:6379/0); "
        "unset: the database holds it.",
    )
    redis_key_prefix: str = Field(
        default="parley:", description="Prefix of every key Parley writes in Redis."
    )
    request_timeout: float = Field(
        default=15.0, gt=0, description="Seconds a GraphQL operation may run (TIMEOUT)."
    )
    statement_timeout: float = Field(
        default=5.0, gt=0, description="Seconds one SQL statement may run (TIMEOUT)."
    )
    database_connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a new database connection."
    )
    readiness_timeout: float = Field(
        default=2.0, gt=0, description="Seconds /readyz waits for the database."
    )
    sqlite_busy_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a SQLite write waits for another's lock (then SERVICE_UNAVAILABLE).",
    )
    shutdown_timeout: int = Field(
        default=30,
        ge=1,
        description="Seconds `parley serve` gives in-flight requests after SIGTERM; "
        "then they are cancelled.",
    )
    persisted_queries: Literal["automatic", "trusted", "off"] = Field(
        default="automatic",
        description="automatic: Apollo's automatic persisted queries; trusted: run only "
        "documents pushed with `parley documents push`; off: no persisted queries.",
    )
    persisted_query_limit: int = Field(
        default=10_000,
        ge=0,
        description="Most automatic persisted queries stored (beyond it they run unstored).",
    )
    # Subscriptions (graphql-transport-ws and graphql-ws on /graphql): see the README.
    websocket_connections: int = Field(
        default=1000, ge=1, description="Most WebSocket connections one process holds (1013)."
    )
    subscriptions_per_connection: int = Field(
        default=20, ge=1, description="Most operations running at once on one WebSocket."
    )
    subscription_queue_size: int = Field(
        default=100,
        ge=1,
        description="Events a subscriber may have waiting; past it the connection is closed "
        "(4008) so a slow client never holds up anyone else.",
    )
    websocket_keepalive: float = Field(
        default=15.0, gt=0, description="Seconds between keep-alive pings on a WebSocket."
    )
    connection_init_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a WebSocket client has to send connection_init."
    )
    access_log: bool = Field(
        default=True,
        description="One log line per request (parley.access); off saves CPU under load.",
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once on first use (never at import time)."""
    return Settings()
