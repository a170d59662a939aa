"""A token-bucket rate limiter, keyed by client, held in this process's memory.

Each replica keeps its own buckets: with N replicas behind a load balancer a client may send
up to N times the limit. That is the price of needing no shared store; see the README.
"""

import dataclasses
import math
import time
from collections.abc import Callable

MAX_KEYS = 10_000


@dataclasses.dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allow ``limit`` hits per ``window`` seconds per key, refilled continuously."""

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._rate = limit / window
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def hit(self, key: str) -> float | None:
        """Take one token for ``key``: ``None`` if allowed, else seconds until one is free."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(tokens=self.limit, updated=now)
        bucket.tokens = min(self.limit, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self._rate

    def _forget_idle(self, now: float) -> None:
        # A full bucket and a missing one behave alike, so dropping them bounds memory.
        if len(self._buckets) < MAX_KEYS:
            return
        idle = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.updated) * self._rate >= self.limit
        ]
        for key in idle:
            del self._buckets[key]


def retry_after_header(seconds: float) -> str:
    """The ``Retry-After`` value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
