"""A response cache for repeated reads, exact across writes and replicas, and ETags for GET.

A read is served from the cache only while the data version (a number every committed write
increases, kept in the database) is the one it was cached under; one small query per request
checks it, so a write on any replica invalidates every replica's entries at once. GET
responses that could be cached carry an ETag, a digest of the version and the request (it
reveals neither), so a client revalidating with If-None-Match gets 304 without the operation
running; only a tag this replica holds a cached answer for is honoured (never ``*``), so a
304 never stands in for a mutation, an error or a refused request.

Only anonymous queries answered without errors are cached: a request with an Authorization
header always runs (and with PARLEY_READ_REQUIRES_TOKEN the cache is off: no anonymous read
is answered). The cache is bounded by entries and by bytes (PARLEY_RESPONSE_CACHE_BYTES).

:class:`ResponseCacheMiddleware` does all this in front of FastAPI's routing, so a hit (or a
304) costs neither dependency solving nor a GraphQL context; it sits inside the request-id,
CORS and body-limit middleware, so a hit carries the same headers and is logged the same way.
The version is read on a bare connection when the app has an engine (no ORM session and, on
PostgreSQL, no BEGIN/ROLLBACK around the one statement; with the hot path's driver reads,
api/driver.py, one round trip and no ping), and concurrent requests share reads
(:class:`VersionReader`): a request waits for the next read that *starts* after it arrived, so
it still sees every write committed before it came.
"""

import asyncio
import collections
import contextvars
import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import clock
from api.driver import DriverReads
from api.http.middleware import replay_body
from api.http.payload import load_json
from api.request_state import current
from api.services import versions

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"


ENTRY_OVERHEAD = 512
"""Bytes an entry takes beside its body: the key, the entry and bytes objects, the map's node."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """A cached response: its body, status and media type, under one data version."""

    version: int
    body: bytes
    status: int
    media_type: str
    # What the guard recorded for the access log when the answer was made, told again on a hit
    operation_name: str | None = None
    operation_type: str | None = None
    cost: int | None = None

    def tell(self) -> None:
        """Record this answer's operation in the request state, as the guard did for the miss."""
        state = current()
        if state is not None:
            state.operation_name = self.operation_name
            state.operation_type = self.operation_type
            state.cost = self.cost

    @property
    def size(self) -> int:
        """The memory it holds, in bytes (roughly: its body plus a fixed overhead)."""
        return len(self.body) + ENTRY_OVERHEAD


class ResponseCache:
    """A least-recently-used map from request keys to responses, bounded by entries and bytes.

    An entry larger than a quarter of the byte budget is not kept: it would push out many.
    """

    def __init__(self, size: int, max_bytes: int) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: collections.OrderedDict[str, Entry] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, version: int) -> Entry | None:
        """The entry for ``key`` if it was cached under ``version``."""
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Remember ``entry``, forgetting the least recently used beyond either bound."""
        if entry.size > self.max_bytes // 4:
            return
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self.bytes -= replaced.size
        self._entries[key] = entry
        self.bytes += entry.size
        while len(self._entries) > self.size or self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= evicted.size


async def request_key(request: Request, *, media: str) -> str | None:
    """A key for a cacheable request (an anonymous GraphQL request), or None.

    The key covers everything that can change the uncached answer — the method, the
    ``Accept`` and ``Content-Type`` headers as sent, and every parameter or body field (the
    ``extensions`` and a persisted document's id included, whatever their type) — so a
    request is served from the cache only where the uncached path gave the same request a
    200: never one it would refuse.
    """
    if "authorization" in request.headers:
        return None
    fields = await _graphql_fields(request)
    if fields is None:
        return None
    headers = [request.headers.get(name, "").strip() for name in ("accept", "content-type")]
    # Verdicts are computed as of today (UTC) unless asked otherwise: a new day, a new answer.
    canonical = json.dumps(
        [media, request.method, clock.today().isoformat(), *headers, fields],
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


QUERY_FIELDS = ("query", "extensions", "documentId", "doc_id")
"""A request naming none of these is no GraphQL operation (GraphiQL's page, say)."""


async def _graphql_fields(request: Request) -> Any:
    """Every parameter of a GET, or the whole JSON object of a JSON POST; None otherwise."""
    if request.method == "GET":
        params = request.query_params
        if not any(name in params for name in QUERY_FIELDS):
            return None
        return sorted(params.multi_items())
    if request.method == "POST" and _is_json(request.headers.get("content-type", "")):
        try:
            payload = load_json(await request.body())
        except ValueError:  # PayloadError too: the uncached path answers it
            return None
        if isinstance(payload, dict) and any(name in payload for name in QUERY_FIELDS):
            return payload
    return None


def _is_json(content_type: str) -> bool:
    return content_type.split(";", maxsplit=1)[0].strip().lower() == JSON


async def read_version(session_factory: Any) -> int:
    """The committed data version: one statement through ``session_factory``."""
    engine = engine_of(session_factory)
    if engine is None:
        async with session_factory() as session:
            return await versions.current(session)
    async with engine.connect() as connection:
        bare = connection
        if engine.dialect.name != "sqlite":  # one statement: no transaction around it
            bare = await connection.execution_options(isolation_level="AUTOCOMMIT")
        result = await bare.exec_driver_sql(VERSION_SQL)
        return int(result.scalar() or 0)


VERSION = text(VERSION_SQL)


async def _read_on_driver(reads: DriverReads, _session_factory: Any) -> int:
    """The committed data version, read by the driver reads (autocommit, one statement)."""
    return int(await reads.scalar(VERSION) or 0)


def engine_of(session_factory: Any) -> AsyncEngine | None:
    """The engine a session factory binds to, when it is a plain engine-bound sessionmaker
    (a test's factory bound to one connection and its transaction keeps using sessions)."""
    if isinstance(session_factory, async_sessionmaker):
        bind = session_factory.kw.get("bind")
        if isinstance(bind, AsyncEngine):
            return bind
    return None


class VersionReader:
    """Reads of the data version shared by concurrent requests, without losing exactness.

    A request arriving while no read runs starts one. A request arriving while a read runs
    must not take that read's answer (it began before the request, so it may miss a write
    committed in between): it waits for the next read, which starts as soon as the running
    one ends and is shared by every request that arrived meanwhile. Each read's statement is
    counted in the log line of one request that waited for it.
    """

    def __init__(
        self, session_factory: Any, read: Callable[[Any], Coroutine[Any, Any, int]] | None = None
    ) -> None:
        self.session_factory = session_factory
        self._read = read or read_version
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future[int] | None = None
        self._next: asyncio.Future[int] | None = None
        self._next_context: contextvars.Context | None = None

    async def current(self) -> int:
        """A data version read entirely after this call began."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): nothing of the old one holds
            self._loop, self._running, self._next = loop, None, None
        if self._running is None:
            future = self._start(contextvars.copy_context())
        else:
            if self._next is None:
                self._next = loop.create_future()
                self._next_context = contextvars.copy_context()
            future = self._next
        # Shielded: a cancelled request must not cancel a read other requests wait for.
        return await asyncio.shield(future)

    def _start(self, context: contextvars.Context) -> "asyncio.Future[int]":
        assert self._loop is not None
        task = self._loop.create_task(self._read(self.session_factory), context=context)
        self._running = task
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: "asyncio.Future[int]") -> None:
        if not task.cancelled():
            task.exception()  # retrieved: its waiters (if any are left) get it too
        if self._running is not task:  # left over from another event loop
            return
        self._running = None
        waiting, context = self._next, self._next_context
        self._next = self._next_context = None
        if waiting is None or context is None:
            return
        _chain(self._start(context), waiting)


def _chain(source: "asyncio.Future[int]", target: "asyncio.Future[int]") -> None:
    """Settle ``target`` as ``source`` settles."""

    def settle(done: "asyncio.Future[int]") -> None:
        if target.done():
            return
        if done.cancelled():
            target.cancel()
        elif (error := done.exception()) is not None:
            target.set_exception(error)
        else:
            target.set_result(done.result())

    source.add_done_callback(settle)
    target.add_done_callback(_retrieve)


def _retrieve(future: "asyncio.Future[int]") -> None:
    if not future.cancelled():
        future.exception()


def etag(version: int, key: str) -> str:
    """The ETag of a response: weak, as equal bodies may differ in formatting; a digest, so
    it tells nothing of the data version (how many writes, or when)."""
    digest = hashlib.sha256(f"{version}:{key}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def matches(request: Request, tag: str) -> bool:
    """Whether the client's If-None-Match names ``tag`` itself (``*`` is not honoured)."""
    header = request.headers.get("if-none-match", "")
    return any(part.strip() == tag for part in header.split(","))


def cacheable(status: int) -> bool:
    """Whether the response being sent answers a query without any error."""
    state = current()
    return (
        status == 200
        and state is not None
        and state.operation_type == "query"
        and not state.error_codes
    )


def has_errors(body: bytes) -> bool:
    """Whether a JSON response body has top-level ``errors`` (a value cannot look like the
    key: a string followed by a colon is always a key)."""
    return body.startswith(b'{"errors":') or b',"errors":' in body


def wants_graphql_response(accept: str) -> bool:
    """True when an ``Accept`` header accepts ``application/graphql-response+json``."""
    for part in accept.split(","):
        media, *params = (item.strip() for item in part.split(";"))
        if media.lower() == GRAPHQL_RESPONSE and "q=0" not in params:
            return True
    return False


class ResponseCacheMiddleware:
    """Serves GraphQL reads at ``path`` from ``cache`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, cache: ResponseCache, path: str = "/graphql") -> None:
        self.app = app
        self.cache = cache
        self.path = path
        self._reader: VersionReader | None = None

    def _version_reader(self, app_state: Any) -> VersionReader:
        session_factory = app_state.session_factory
        reader = self._reader
        if reader is None or reader.session_factory is not session_factory:
            # Where the app has the hot path's driver reads (PostgreSQL), the version is one
            # round trip there, not a checkout with a ping (api/driver.py).
            reads: DriverReads | None = getattr(app_state, "driver_reads", None)
            read = None if reads is None else functools.partial(_read_on_driver, reads)
            reader = self._reader = VersionReader(session_factory, read)
        return reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "POST")
            or scope["path"] != self.path
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        accept = request.headers.get("accept", "")
        media = GRAPHQL_RESPONSE if wants_graphql_response(accept) else JSON
        key = await request_key(request, media=media)
        if scope["method"] == "POST":  # the body was read: hand it over again
            receive = replay_body(await request.body(), receive)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            reader = self._version_reader(scope["app"].state)
            version = await reader.current()
        except Exception:
            await self.app(scope, receive, send)
            return
        tag = etag(version, key)
        get = scope["method"] == "GET"
        entry = self.cache.get(key, version)
        if entry is not None:
            entry.tell()
        if entry is not None and get and matches(request, tag):
            await Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache"})(
                scope, receive, send
            )
            return
        if entry is not None:
            response = Response(entry.body, status_code=entry.status, media_type=entry.media_type)
            response.headers["X-Parley-Cache"] = "hit"
            if get:
                response.headers["ETag"] = tag
                response.headers["Cache-Control"] = "no-cache"
            await response(scope, receive, send)
            return
        await self._miss(scope, receive, send, key, version, tag)

    async def _miss(  # noqa: PLR0917
        self, scope: Scope, receive: Receive, send: Send, key: str, version: int, tag: str
    ) -> None:
        keep = False
        content_type = ""
        chunks: list[bytes] = []

        async def send_marked(message: Message) -> None:
            nonlocal keep, content_type
            if message["type"] == "http.response.start":
                keep = cacheable(message["status"])
                headers = MutableHeaders(scope=message)
                content_type = headers.get("content-type", "")
                headers["X-Parley-Cache"] = "miss"
                if keep and scope["method"] == "GET":
                    headers["ETag"] = tag
                    headers["Cache-Control"] = "no-cache"  # revalidate: the ETag makes it cheap
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, send_marked)
        body = b"".join(chunks)
        if keep and not has_errors(body):
            state = current()
            told = (state.operation_name, state.operation_type, state.cost) if state else ()
            self.cache.put(key, Entry(version, body, 200, content_type, *told))
