"""What Parley knows about the request being served, reachable from any layer.

The HTTP middleware opens a :class:`RequestState` per request; the GraphQL layer records the
operation in it and the database engine counts statements into it, so one log line can tell
the whole story. It is a context variable: each request (each asyncio task) sees its own.
"""

import contextlib
import contextvars
import dataclasses
import secrets
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from api.rate_limit import RateLimiter


@dataclasses.dataclass
class RequestState:
    """One request: its id, who sent it (hashed) and what it turned out to be."""

    request_id: str = dataclasses.field(default_factory=lambda: secrets.token_hex(8))
    client_key: str = "anonymous"
    limiter: RateLimiter | None = None
    operation_name: str | None = None
    operation_type: str | None = None
    cost: int | None = None
    sql_statements: int = 0
    error_codes: list[str] = dataclasses.field(default_factory=list)
    # The hot path's compiled read failed (a database error, logged): the standard path lets
    # Strawberry's executor answer without trying the same statement again.
    compiled_read_failed: bool = False


_current: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar(
    "parley_request_state", default=None
)


def current() -> RequestState | None:
    """The state of the request being served, if any (none in scripts and most tests)."""
    return _current.get()


@contextlib.contextmanager
def serving(state: RequestState) -> Iterator[RequestState]:
    """Make ``state`` the current request's state inside the block."""
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def count_statement(*_args: Any) -> None:
    """Count one SQL statement into the current request's state (the engines' listener; and
    statements sent to the driver directly, api/driver.py)."""
    state = _current.get()
    if state is not None:
        state.sql_statements += 1


def count_statements() -> None:
    """Count every SQL statement of every engine into the current request's state."""
    if not event.contains(Engine, "before_cursor_execute", count_statement):
        event.listen(Engine, "before_cursor_execute", count_statement)
