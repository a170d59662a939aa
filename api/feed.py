"""The change feed of one process: committed writes, fanned out to its subscribers.

Where changes come from:

- PostgreSQL: every write sends a ``NOTIFY`` inside its transaction
  (:func:`api.services.changes.record_write`); each process keeps one ``LISTEN`` connection
  (asyncpg), opened when its first subscriber arrives, so a write through any replica reaches
  the subscribers of every replica, and only once it has committed. A lost listening
  connection is reopened; the subscribers of the meantime are dropped (close code 1013) so
  their clients reconnect and read again what they may have missed.
- SQLite: one process; the writer hands its change over after the commit (:meth:`committed`).

Fan-out never waits: each subscriber has a bounded queue, and one that is full is dropped
(its ``on_overflow`` closes its connection), so a slow client cannot slow writers or others.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import asyncpg
from sqlalchemy import make_url

from api.services.changes import CHANNEL, Change

logger = logging.getLogger("parley.feed")

RECONNECT_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)
"""Seconds between attempts to reopen the listening connection (the last one repeats)."""

SLOW_CONSUMER = 4008
"""Close code for a client that fell more than the queue size behind (clients reconnect)."""
FEED_INTERRUPTED = 1013
"""Close code ("try again later") when this process stopped hearing about changes."""

Drop = Callable[[int, str], None]
"""Told a close code and reason when a subscriber is dropped."""


class FeedUnavailableError(Exception):
    """The listening connection could not be opened in time."""


class Subscriber:
    """One subscription's queue of changes (only those ``wants`` accepts)."""

    def __init__(
        self,
        wants: Callable[[Change], bool],
        on_drop: Drop,
        queue_size: int,
    ) -> None:
        self.wants = wants
        self.on_drop = on_drop
        # None wakes a consumer waiting for a change when the subscriber is dropped.
        self.queue: asyncio.Queue[Change | None] = asyncio.Queue(maxsize=queue_size)
        self.dropped = False
        self.reason = ""

    def offer(self, change: Change) -> None:
        """Queue ``change`` if wanted; drop this subscriber when it is too far behind."""
        if self.dropped or not self.wants(change):
            return
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            self.drop(SLOW_CONSUMER, f"slow consumer: over {self.queue.maxsize} events behind")

    def drop(self, code: int, reason: str) -> None:
        """Stop delivering, and tell the connection why (once)."""
        if self.dropped:
            return
        self.dropped, self.reason = True, reason
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)
        self.on_drop(code, reason)

    async def __aiter__(self) -> AsyncIterator[Change]:
        """The changes, in commit order, until the subscriber is dropped."""
        while not self.dropped:
            change = await self.queue.get()
            if change is None or self.dropped:
                return
            yield change


class ChangeFeed:
    """This process's subscribers, and (on PostgreSQL) its listening connection."""

    def __init__(
        self, database_url: str, *, queue_size: int = 100, connect_timeout: float = 5.0
    ) -> None:
        url = make_url(database_url)
        self.postgres = url.get_backend_name() == "postgresql"
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.queue_size = queue_size
        self.connect_timeout = connect_timeout
        self._subscribers: set[Subscriber] = set()
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @property
    def subscribers(self) -> int:
        """How many subscriptions this process serves now."""
        return len(self._subscribers)

    def committed(self, change: Change) -> None:
        """A write committed in this process: on SQLite, deliver it (PostgreSQL does it)."""
        if not self.postgres:
            self.dispatch(change)

    def dispatch(self, change: Change) -> None:
        """Offer ``change`` to every subscriber of this process; never waits."""
        for subscriber in list(self._subscribers):
            subscriber.offer(change)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, wants: Callable[[Change], bool], on_drop: Drop
    ) -> AsyncIterator[Subscriber]:
        """A subscriber for the block; changes committed after it returns reach it.

        Raises :class:`FeedUnavailableError` when PostgreSQL cannot be listened to in time.
        """
        subscriber = Subscriber(wants, on_drop, self.queue_size)
        self._subscribers.add(subscriber)
        try:
            if self.postgres:
                await self._ensure_listening()
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)

    async def _ensure_listening(self) -> None:
        if self._listener is None or self._listener.done():
            self._listening.clear()
            self._listener = asyncio.create_task(self._listen(), name="parley-change-listener")
        try:
            await asyncio.wait_for(self._listening.wait(), self.connect_timeout)
        except TimeoutError:
            raise FeedUnavailableError(
                "cannot listen for changes: the database is unavailable"
            ) from None

    async def _listen(self) -> None:
        attempt = 0
        while True:
            try:
                connection = await asyncpg.connect(self._dsn)
            except (OSError, asyncpg.PostgresError) as error:
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                logger.warning(
                    "cannot open the listening connection (%s); retry in %ss", error, delay
                )
                attempt += 1
                await asyncio.sleep(delay)
                continue
            attempt = 0
            lost = asyncio.Event()
            connection.add_termination_listener(_setter(lost))
            try:
                await connection.add_listener(CHANNEL, self._notified)
                self._listening.set()
                await lost.wait()
            except (OSError, asyncpg.PostgresError) as error:
                logger.warning("the listening connection failed: %s", error)
            finally:
                await _close_quietly(connection)
            self._listening.clear()
            logger.warning("the listening connection was lost; dropping its subscribers")
            for subscriber in list(self._subscribers):
                subscriber.drop(FEED_INTERRUPTED, "the change feed was interrupted; reconnect")

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        change = Change.decode(payload)
        if change is not None:
            self.dispatch(change)

    async def close(self) -> None:
        """Stop listening (at shutdown)."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None


def _setter(event: asyncio.Event) -> Callable[[object], None]:
    return lambda _connection: event.set()


async def _close_quietly(connection: asyncpg.Connection) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(connection.close(), timeout=2)
