"""The rate limit held in this process's memory: one replica's view only (tests, embedding)."""

import time
from collections.abc import Callable

from api.rate_limit import Gcra

MAX_KEYS = 10_000


class MemoryRateLimiter:
    """Allow ``limit`` hits per ``window`` seconds per key, in this process."""

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._gcra = Gcra(limit, window)
        self._clock = clock
        self._tats: dict[str, float] = {}

    uses_database = False

    async def hit(self, key: str, *, session: object = None) -> float | None:
        """Take one slot for ``key``: ``None`` if allowed, else seconds until one is free."""
        return self.hit_now(key)

    def hit_now(self, key: str) -> float | None:
        """:meth:`hit`, synchronously."""
        now = self._clock()
        if key not in self._tats:
            self._forget_idle(now)
        self._tats[key], wait = self._gcra.advance(self._tats.get(key), now)
        return wait

    def _forget_idle(self, now: float) -> None:
        # A time in the past and a missing key behave alike, so dropping them bounds memory.
        if len(self._tats) < MAX_KEYS:
            return
        for key in [key for key, tat in self._tats.items() if tat <= now]:
            del self._tats[key]
