"""API tokens, and the idempotency keys that make a script's retries safe."""

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import NAME_LENGTH, Keyed
from api.models.enums import enum_column


class Scope(enum.StrEnum):
    """What a token may do: ``write`` records data, ``admin`` also reads the audit log."""

    WRITE = "write"
    ADMIN = "admin"


class ApiToken(Keyed, Base):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_token"

    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    scope: Mapped[Scope] = mapped_column(enum_column(Scope))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so people can tell their tokens apart in `parley tokens list`.
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]


class IdempotencyKey(Keyed, Base):
    """A creating mutation already carried out for this token and key.

    The unique constraint, not a check before inserting, decides between concurrent
    duplicates: the second insert waits for the first transaction and then fails.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(60))
    request_hash: Mapped[str] = mapped_column(String(64))
    # What the first call produced: enough to answer a replay with the same record.
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)
