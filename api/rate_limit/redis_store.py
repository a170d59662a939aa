"""The rate limit kept in Redis (``PARLEY_REDIS_URL``): every replica using it shares it.

A hit is one Lua script, which Redis runs atomically: read the key's arrival time, advance it
if the hit fits, and let the key expire when its time has passed (it then holds nothing).
"""

import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.rate_limit import Gcra, RateLimitStoreError

# KEYS[1]: the key; ARGV: now, the interval, the window (seconds). Returns {allowed, wait}.
HIT = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local new = tat + interval
if new - now > window then
  return {0, tostring(new - window - now)}
end
redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil((new - now) * 1000))
return {1, '0'}
"""


class RedisRateLimiter:
    """Allow ``limit`` hits per ``window`` seconds per key, counted in Redis."""

    def __init__(
        self,
        gcra: Gcra,
        url: str,
        *,
        prefix: str = "parley:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = gcra.limit
        self.window = gcra.window
        self._gcra = gcra
        self._url = url
        self._prefix = f"{prefix}rate:"
        self._clock = clock
        self._client: Redis | None = None
        self._script: Any = None

    def _connected(self) -> Any:
        if self._client is None:
            # A short timeout: a mutation should not wait long on a store that is gone.
            self._client = Redis.from_url(self._url, socket_timeout=2, socket_connect_timeout=2)
            self._script = self._client.register_script(HIT)
        return self._script

    uses_database = False

    async def hit(self, key: str, *, session: object = None) -> float | None:
        """Take one slot for ``key``: ``None`` if allowed, else seconds until one is free."""
        script = self._connected()
        args = [self._clock(), self._gcra.interval, self.window]
        try:
            allowed, wait = await script(keys=[self._prefix + key], args=args)
        except (RedisError, OSError) as exc:
            raise RateLimitStoreError(str(exc)) from exc
        return None if int(allowed) else max(float(wait), 0.001)

    async def close(self) -> None:
        """Close the connection pool (the app's shutdown)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
