"""ASGI middleware: a request id, state and access log per request; a request-body limit."""

import hashlib
import json
import logging
import re
import time
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.last_resort import REQUEST_ID_KEY
from api.rate_limit import RateLimiter
from api.request_state import RequestState, serving

access_logger = logging.getLogger("parley.access")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_key(scope: Scope) -> str:
    """Who sent the request, for rate limiting: a hash of its bearer token, else its address.

    Only a digest of the token is kept, so neither the limiter nor a log ever holds a secret.
    """
    authorization = Headers(scope=scope).get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        digest = hashlib.sha256(credentials.strip().encode("utf-8")).hexdigest()[:16]
        return f"token:{digest}"
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"


class RequestContextMiddleware:
    """Opens the request's :class:`RequestState`, returns its id, logs one line at the end
    (unless ``access_log`` is off).

    A client's own ``X-Request-ID`` is kept when it is short and plain, so a trace can span
    a proxy and Parley; otherwise Parley makes one.
    """

    def __init__(
        self, app: ASGIApp, *, limiter: RateLimiter | None = None, access_log: bool = True
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = RequestState(client_key=client_key(scope), limiter=self.limiter)
        offered = Headers(scope=scope).get(REQUEST_ID_HEADER.lower(), "")
        if _SAFE_REQUEST_ID.match(offered):
            state.request_id = offered
        scope[REQUEST_ID_KEY] = state.request_id  # for the last-resort guard outside
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, state.request_id)
            await send(message)

        with serving(state):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                if self.access_log:
                    _log_access(scope, state, status, time.perf_counter() - started)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One state for a whole WebSocket connection: its operations (run in tasks that
        inherit it) share its id and the client's mutation rate limit; one line at the end,
        status 101 once accepted (403 if refused)."""
        state = RequestState(client_key=client_key(scope), limiter=self.limiter)
        status = 403
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "websocket.accept":
                status = 101
                headers = [
                    *message.get("headers", []),
                    (b"x-request-id", state.request_id.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        with serving(state):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                if self.access_log:
                    _log_access(scope, state, status, time.perf_counter() - started)


def _log_access(scope: Scope, state: RequestState, status: int, seconds: float) -> None:
    fields: dict[str, Any] = {
        "request_id": state.request_id,
        "method": scope.get("method", "WEBSOCKET"),
        "path": scope.get("path"),  # never the query string: it may carry variables
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "operation_name": state.operation_name,
        "operation_type": state.operation_type,
        "sql_statements": state.sql_statements,
        "cost": state.cost,
        "error_codes": state.error_codes or None,
    }
    access_logger.info(
        "%s %s %s %.1fms",
        fields["method"],
        fields["path"],
        status,
        fields["duration_ms"],
        extra={"fields": {key: value for key, value in fields.items() if value is not None}},
    )


class BodyLimitMiddleware:
    """Answers 413 to a request body over ``max_bytes``, before anything parses it.

    A declared ``Content-Length`` over the limit is refused at once; a chunked body is
    counted as it arrives and refused the moment it passes the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, replay_body(b"".join(chunks), receive), send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "errors": [
                    {
                        "message": f"The request body is larger than {self.max_bytes} bytes.",
                        "extensions": {
                            "code": "BAD_REQUEST",
                            "subcode": "BODY_TOO_LARGE",
                            "limit": self.max_bytes,
                        },
                    }
                ]
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
