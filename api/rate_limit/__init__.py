"""The mutation rate limit, shared by every replica: a GCRA token bucket per client.

Each client (a hash of its token, else its address) may send ``limit`` mutations per
``window`` seconds, in a burst or spread out, refilled continuously. The state is one number
per client, its *theoretical arrival time* (GCRA): a hit is allowed while that time, advanced
by one emission interval (``window / limit``), stays within ``window`` of now.

Where the numbers live decides what "shared" means: the database by default
(:mod:`api.rate_limit.database`, every replica on one database shares them), Redis when
``PARLEY_REDIS_URL`` is set (:mod:`api.rate_limit.redis_store`), or this process's memory
(:mod:`api.rate_limit.memory`, for tests and embedding). Each answers a hit with one atomic
step, so concurrent replicas can never both take the last slot.
"""

import dataclasses
import math
from collections.abc import Callable
from typing import Any, Protocol


class RateLimiter(Protocol):
    """Counts hits per key against a shared limit.

    A limiter that ``uses_database`` counts in the session it is handed (the request's own,
    in a short write transaction of its own that the caller commits), so a request never
    holds one pooled connection while it waits for another; without one it opens its own.
    """

    limit: int
    window: float
    uses_database: bool

    async def hit(self, key: str, *, session: Any = None) -> float | None:
        """Take one slot for ``key``: ``None`` if allowed, else seconds until one is free."""
        ...


class RateLimitStoreError(Exception):
    """The rate limit's store (Redis) cannot be reached: the request is refused, not let by."""


@dataclasses.dataclass(frozen=True)
class Gcra:
    """The arithmetic of one limit: ``limit`` hits per ``window`` seconds."""

    limit: int
    window: float

    @property
    def interval(self) -> float:
        """Seconds one hit takes up: the window shared by the limit."""
        return self.window / self.limit

    def advance(self, tat: float | None, now: float) -> tuple[float, float | None]:
        """The key's new arrival time and the wait (``None``: allowed) after a hit at ``now``."""
        start = now if tat is None else max(tat, now)
        new = start + self.interval
        if new - now <= self.window:
            return new, None
        assert tat is not None
        return tat, new - self.window - now


def retry_after_header(seconds: float) -> str:
    """The ``Retry-After`` value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


async def close_limiter(limiter: RateLimiter) -> None:
    """Release what ``limiter`` holds (a Redis connection pool), if anything."""
    close = getattr(limiter, "close", None)
    if close is not None:
        await close()


def create_limiter(settings: Any, session_factory: Callable[[], Any]) -> RateLimiter:
    """The limiter ``settings`` ask for: Redis when ``redis_url`` is set, else the database
    behind ``session_factory()`` (a callable, as the app's factory exists only once it runs)."""
    gcra = Gcra(settings.mutation_rate_limit, settings.mutation_rate_window)
    if settings.redis_url:
        from api.rate_limit.redis_store import RedisRateLimiter  # noqa: PLC0415  (optional)

        return RedisRateLimiter(gcra, settings.redis_url, prefix=settings.redis_key_prefix)
    from api.rate_limit.database import DatabaseRateLimiter  # noqa: PLC0415

    return DatabaseRateLimiter(gcra, session_factory)
