"""Idempotency keys: a retried creating mutation returns its first result and writes nothing.

A key is scoped to the token that sent it and kept for ``RETENTION`` (then purged), long
enough for any retry loop; the README documents it.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import IdempotencyKey
from api.services.audit import jsonable
from api.services.errors import FieldError, UserInputError
from api.services.fields import Field, Kind, check, clean
from api.services.tokens import Actor

RETENTION = dt.timedelta(hours=24)
_KEY = {"idempotency_key": Field(Kind.LINE, required=True, max_length=200)}


def fingerprint(operation: str, request: Mapping[str, Any]) -> str:
    """A hash of the operation and its input (without the key), to spot a reused key."""
    canonical = json.dumps(
        [operation, jsonable(request)], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    """The key, cleaned; UserInputError if it is empty, too long or holds control characters."""
    return str(clean({"idempotency_key": key}, _KEY)["idempotency_key"])


def key_errors(key: str) -> list[FieldError]:
    """What is wrong with the key: empty, too long or holding control characters."""
    return check({"idempotency_key": key}, _KEY)[1]


async def claim(
    session: AsyncSession, actor: Actor, *, key: str, operation: str, request_hash: str
) -> IdempotencyKey:
    """Insert the key; raises IntegrityError (at flush) when it was claimed before.

    The token's keys past the retention period are purged on the way.
    """
    cutoff = dt.datetime.now(dt.UTC) - RETENTION
    await session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.token_id == actor.token_id, IdempotencyKey.created_at < cutoff
        )
    )
    claimed = IdempotencyKey(
        token_id=actor.token_id, key=key, operation=operation, request_hash=request_hash
    )
    session.add(claimed)
    await session.flush()
    return claimed


async def previous(
    session: AsyncSession, actor: Actor, *, key: str, request_hash: str
) -> dict[str, Any]:
    """The stored result of a key claimed earlier; IDEMPOTENCY_KEY_REUSED for another input."""
    found = await session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.token_id == actor.token_id, IdempotencyKey.key == key
        )
    )
    if found is None or found.result is None:
        raise UserInputError.one(
            ["idempotency_key"], "CONFLICT", "The key is being used by a request in progress."
        )
    if found.request_hash != request_hash:
        raise UserInputError.one(
            ["idempotency_key"],
            "IDEMPOTENCY_KEY_REUSED",
            "This key was used with a different input; use a new key for a new request.",
        )
    return dict(found.result)


async def purge(session: AsyncSession, *, now: dt.datetime | None = None) -> int:
    """Delete keys older than the retention period; returns how many."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - RETENTION
    result = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
