"""Configuration, read from the environment (prefix ``PARLEY_``) and an optional ``.env`` file."""

from functools import lru_cache
from pathlib import Path

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
    graphiql: bool = Field(default=True, description="Serve the GraphiQL IDE at /graphql.")
    max_page_size: int = Field(
        default=100, ge=1, description="Largest `first`/`last` a connection accepts."
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once on first use (never at import time)."""
    return Settings()
