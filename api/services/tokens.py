"""API tokens: created once and shown once, stored as a hash, checked on every request."""

import dataclasses
import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import ApiToken, Scope
from api.services.errors import AuthenticationError, NotFoundError, UserInputError
from api.services.fields import Field, Kind, clean

TOKEN_PREFIX = "parley_"  # noqa: S105  (a marker that helps secret scanners, not a secret)
_NAME = {"name": Field(Kind.LINE, required=True, max_length=300)}
# What each scope may do; admin includes write.
_GRANTS = {Scope.WRITE: {Scope.WRITE}, Scope.ADMIN: {Scope.WRITE, Scope.ADMIN}}


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who is writing: the token, by id and name, and its scope."""

    token_id: int
    name: str
    scope: Scope

    def may(self, scope: Scope) -> bool:
        """Whether this actor's scope includes ``scope``."""
        return scope in _GRANTS[self.scope]


def _hash(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is as good as a slow password hash.
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def create(
    session: AsyncSession, *, name: str, scope: Scope, expires_in: dt.timedelta | None = None
) -> tuple[str, ApiToken]:
    """A new token; returns the token itself (shown once, never stored) and its record."""
    cleaned = clean({"name": name}, _NAME)
    if await session.scalar(select(ApiToken.id).where(ApiToken.name == cleaned["name"])):
        raise UserInputError.one(["name"], "DUPLICATE", f"A token named {name!r} exists.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        name=cleaned["name"],
        scope=scope,
        token_hash=_hash(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=_now() + expires_in if expires_in else None,
    )
    session.add(record)
    await session.flush()
    return token, record


async def authenticate(session: AsyncSession, token: str) -> Actor:
    """The actor a bearer token stands for; AuthenticationError if it is not usable."""
    record = await session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if record is None:
        raise AuthenticationError("The token is not valid.")
    if record.revoked_at is not None:
        raise AuthenticationError("The token has been revoked.")
    if record.expires_at is not None and _aware(record.expires_at) <= _now():
        raise AuthenticationError("The token has expired.")
    return Actor(token_id=record.id, name=record.name, scope=record.scope)


async def list_all(session: AsyncSession) -> list[ApiToken]:
    """Every token, newest first."""
    return list(await session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


async def revoke(session: AsyncSession, *, name: str) -> ApiToken:
    """Revoke the token called ``name``; requests with it fail from now on."""
    record = await session.scalar(select(ApiToken).where(ApiToken.name == name))
    if record is None:
        raise NotFoundError(f"No token is named {name!r}.")
    if record.revoked_at is None:
        record.revoked_at = _now()
        await session.flush()
    return record


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
