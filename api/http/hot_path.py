"""The hot path: a planned anonymous read answered from the socket to the database and back,
without FastAPI's routing and dependencies or Strawberry's per-request machinery.

The standard path remembers each document it answered on the compiled read path (a
:class:`Planner`, schema/compiled/hot.py). When a later request to /graphql — a JSON POST, or a
GET with query parameters — sends that document without credentials, this middleware reads
the body, lets the planner coerce and check the variables and cost, runs the one statement on
a pooled connection (no ORM session; on PostgreSQL no transaction around it) and writes the
response the standard path would write: the same status, media type, headers and bytes. It
sits inside the request id and access log, CORS, the body limit and the response cache, which
see it as they see the standard path; it fills in the request state (operation, cost) the
access log and the cache read.

Anything else goes on to the app unchanged, the body replayed: a token, an unknown document,
a request shape it does not handle (persisted queries, batches, other media types), variables
that fail their checks, a cost over the limit, a plan the database refuses or a statement that
fails. A read that outlasts ``request_timeout`` gets the standard path's TIMEOUT answer.

This module is HTTP only; it never imports ``schema``.
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from sqlalchemy import Dialect
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.driver import DriverReads
from api.http.cache import GRAPHQL_RESPONSE, JSON, engine_of, wants_graphql_response
from api.http.payload import load_json
from api.http.router import TIMEOUT_MESSAGE, encode_json
from api.request_state import RequestState, current

logger = logging.getLogger("parley.http")

REQUEST_FIELDS = frozenset({"query", "variables", "operationName", "extensions"})
"""What a request the hot path answers may hold; a persisted query's id, say, goes on."""
PERSISTED_FIELDS = ("persistedQuery", "documentId")
"""``extensions`` naming a stored document: schema/persisted.py answers those."""


class Statements(Protocol):
    """Where a read's statement runs: a connection, or the driver reads (api/driver.py)."""

    @property
    def dialect(self) -> Dialect:
        """The database's dialect."""
        ...

    async def scalar(self, statement: Any) -> Any:
        """The first column of the statement's first row."""
        ...


Connect = Callable[[], AbstractAsyncContextManager[Statements]]


class Read(Protocol):
    """One request's checked read (schema.compiled.hot.Ready)."""

    operation_name: str | None
    cost: int
    extensions: dict[str, Any]

    async def data(self, connect: Connect) -> dict[str, Any] | None:
        """The response's ``data``, read on a connection from ``connect``; None when the
        standard path must answer."""
        ...


class Planner(Protocol):
    """Who knows the documents the hot path may answer (schema.compiled.hot.HotPlans)."""

    def plan(
        self, query: str, operation_name: str | None, variables: dict[str, Any] | None
    ) -> Read | None:
        """The read of this request, or None when the standard path must answer it."""
        ...


@dataclasses.dataclass
class _Request:
    query: str
    operation_name: str | None
    variables: dict[str, Any] | None


class HotPathMiddleware:
    """Answers planned anonymous reads at ``path`` (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, planner: Planner, request_timeout: float, path: str = "/graphql"
    ) -> None:
        self.app = app
        self.planner = planner
        self.request_timeout = request_timeout
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        headers = _headers(scope) if method in ("GET", "POST") else None
        if headers is None:
            await self.app(scope, receive, send)
            return
        accept, content_type = headers
        request: _Request | None
        if method == "POST":
            messages = await _read_body(receive)
            receive = _replay(messages, receive)
            body = _body(messages)
            request = None if body is None or not _is_json(content_type) else _posted(body)
        else:
            request = _query_params(scope["query_string"])
        read = None
        if request is not None:
            try:
                read = self.planner.plan(request.query, request.operation_name, request.variables)
            except Exception:  # a fault of this path must not cost the request its answer
                logger.exception("hot path: planning failed; the standard path answers")
        if read is None:
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send, read, accept)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, read: Read, accept: str
    ) -> None:
        state = current()
        before = _Snapshot.of(state)
        if state is not None:  # what the guard records for the access log and the cache
            state.operation_name = read.operation_name
            state.operation_type = "query"
            state.cost = read.cost
        media = GRAPHQL_RESPONSE if wants_graphql_response(accept) else JSON
        try:
            data = await self._read(read, scope["app"].state)
        except TimeoutError:
            timeout = {"message": TIMEOUT_MESSAGE, "extensions": {"code": "TIMEOUT"}}
            await _respond(send, 504, media, encode_json({"data": None, "errors": [timeout]}))
            return
        if data is None:
            before.restore(state)
            await self.app(scope, receive, send)
            return
        await _respond(send, 200, media, encode_json({"data": data, "extensions": read.extensions}))

    async def _read(self, read: Read, app_state: Any) -> dict[str, Any] | None:
        """The read's data within ``request_timeout``; TimeoutError past it."""
        driver_reads: DriverReads | None = getattr(app_state, "driver_reads", None)
        if driver_reads is not None:
            # Cancelled at the timeout: the driver reads close a connection whose statement
            # was cut short (api/driver.py), so nothing unusable goes back to the pool.
            async with asyncio.timeout(self.request_timeout):
                return await read.data(lambda: _driver(driver_reads))
        # Never cancelled, as the standard path's session calls are shielded: SQLAlchemy
        # cannot return a connection whose statement was cut short. Past the timeout it runs
        # out in the background.
        task = asyncio.ensure_future(read.data(lambda: _connection(app_state)))
        task.add_done_callback(_consume_outcome)
        done, _ = await asyncio.wait({task}, timeout=self.request_timeout)
        if not done:
            raise TimeoutError
        return task.result()


@dataclasses.dataclass(frozen=True)
class _Snapshot:
    """The request state's fields the hot path sets, as they were."""

    operation_name: str | None
    operation_type: str | None
    cost: int | None

    @classmethod
    def of(cls, state: RequestState | None) -> "_Snapshot":
        if state is None:
            return cls(None, None, None)
        return cls(state.operation_name, state.operation_type, state.cost)

    def restore(self, state: RequestState | None) -> None:
        if state is not None:
            state.operation_name = self.operation_name
            state.operation_type = self.operation_type
            state.cost = self.cost


def _headers(scope: Scope) -> tuple[str, str] | None:
    """``Accept`` and ``Content-Type`` (the first of each, as Starlette reads them); None for a
    request with credentials, which the standard path checks."""
    accept = content_type = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            return None
        if name == b"accept" and accept is None:
            accept = value.decode("latin-1")
        elif name == b"content-type" and content_type is None:
            content_type = value.decode("latin-1")
    return accept or "", content_type or ""


def _is_json(content_type: str) -> bool:
    return content_type.split(";", maxsplit=1)[0].strip() == JSON


async def _read_body(receive: Receive) -> list[Message]:
    """The request's messages up to the end of its body (or the client going away)."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _body(messages: list[Message]) -> bytes | None:
    if messages[-1]["type"] != "http.request":
        return None
    return b"".join(message.get("body", b"") for message in messages)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands over ``messages`` again, then defers to the real one."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _posted(body: bytes) -> _Request | None:
    try:
        payload = load_json(body)  # the standard path's reader, so the same values
    except ValueError:
        return None
    return _request(payload) if isinstance(payload, dict) else None


def _query_params(query_string: bytes) -> _Request | None:
    params = QueryParams(query_string)
    items = params.multi_items()
    if len(items) != len(params):  # a parameter given twice
        return None
    payload: dict[str, Any] = dict(items)
    for name in ("variables", "extensions"):
        if name in payload:
            try:
                payload[name] = load_json(payload[name])
            except ValueError:
                return None
    return _request(payload)


def _request(payload: dict[str, Any]) -> _Request | None:
    """The request's fields, when they are all of a shape the hot path answers."""
    if not REQUEST_FIELDS.issuperset(payload):
        return None
    query = payload.get("query")
    operation_name = payload.get("operationName")
    variables = payload.get("variables")
    extensions = payload.get("extensions")
    if (
        not isinstance(query, str)
        or not isinstance(operation_name, str | None)
        or not isinstance(variables, dict | None)
        or not isinstance(extensions, dict | None)
        or (extensions and any(name in extensions for name in PERSISTED_FIELDS))
    ):
        return None
    return _Request(query, operation_name, variables)


@contextlib.asynccontextmanager
async def _driver(driver_reads: DriverReads) -> AsyncIterator[DriverReads]:
    """The read's statement goes straight to the driver (the app's autocommit read engine on
    PostgreSQL, api/driver.py), which checks a connection out for it alone."""
    yield driver_reads


@contextlib.asynccontextmanager
async def _connection(app_state: Any) -> AsyncIterator[Statements]:
    """Where the read's statement runs without the driver reads: on a bare connection from the
    app's engine, else (a test's session factory, bound to the test's own connection) on a
    session's."""
    engine = engine_of(app_state.session_factory)
    if engine is None:
        async with app_state.session_factory() as session:
            yield await session.connection()
        return
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            yield connection
        else:  # one statement: no transaction around it
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")


async def _respond(send: Send, status: int, media: str, body: bytes) -> None:
    """The response as the standard path's router sends it (api/http/router.py)."""
    headers = [
        (b"content-length", str(len(body)).encode()),
        (b"content-type", f"{media}; charset=utf-8".encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _consume_outcome(task: "asyncio.Future[Any]") -> None:
    # A read whose request timed out has nobody to hand its outcome to.
    if not task.cancelled():
        task.exception()
