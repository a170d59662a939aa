"""The outermost guard: whatever fails below it, an error reaches the client as JSON with a code.

Everything inside Parley answers errors in JSON with ``extensions.code``; this middleware keeps
that true for what slips through: an exception no layer caught (Starlette would answer a
plain-text 500 and uvicorn log a traceback per request), an app that returned without
answering, a 5xx body without a code, or a plain-text error page (a static file's 404).
Responses under 400 and JSON 4xx pass untouched; a 5xx is held until its body is complete
(they are rare and small) to check its code.
"""

import http
import json
import logging
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("parley.http")

REQUEST_ID_KEY = "parley.request_id"
"""Where the request-context middleware leaves the request id in the ASGI scope."""

MASKED_MESSAGE = "Internal server error; quote the requestId when reporting it."
CODE_BY_STATUS = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    429: "TOO_MANY_REQUESTS",
    503: "SERVICE_UNAVAILABLE",
    504: "TIMEOUT",
}
# A replacement keeps what the client or a browser still needs from the original headers.
KEPT_HEADERS = ("x-request-id", "retry-after", "allow", "www-authenticate", "vary")


def code_for(status: int) -> str:
    """The ``extensions.code`` of an error response with this status."""
    if status in CODE_BY_STATUS:
        return CODE_BY_STATUS[status]
    return "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST"


def has_codes(body: bytes) -> bool:
    """Whether ``body`` is a GraphQL error response whose every error has a code."""
    try:
        errors = json.loads(body).get("errors")
    except (ValueError, AttributeError, RecursionError):
        return False
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(isinstance(e, dict) and (e.get("extensions") or {}).get("code") for e in errors)
    )


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _is_json(headers: Headers) -> bool:
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class LastResortMiddleware:
    """Errors in JSON with ``extensions.code``, always (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(scope, receive, send)
        try:
            await self.app(scope, exchange.receive, exchange.send)
        except Exception:
            logger.exception(
                "unhandled error in %s %s (request %s)",
                scope.get("method"),
                scope.get("path"),
                scope.get(REQUEST_ID_KEY),
            )
            await exchange.fail()
            return
        if not exchange.started and not exchange.disconnected:
            logger.error("no response to %s %s", scope.get("method"), scope.get("path"))
            await exchange.fail()


class _Exchange:
    """One request's messages, with the error responses rewritten as needed."""

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.started = False  # a response start reached the client
        self.disconnected = False
        self._held: Message | None = None  # a 5xx start, held while its body arrives
        self._held_body: list[bytes] = []
        self._replacing = False  # the app's error body is being dropped for ours

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self._start(message)
        elif message["type"] == "http.response.body" and (self._held or self._replacing):
            await self._body(message)
        else:
            await self._send(message)

    async def _start(self, message: Message) -> None:
        status = int(message["status"])
        headers = Headers(raw=message.get("headers", []))
        if status < 400 or (status < 500 and _is_json(headers)):
            self.started = True
            await self._send(message)
        elif _is_json(headers):
            self._held = message  # a JSON 5xx: its code is checked once the body is complete
        else:
            self._replacing = True
            await self._answer(status, headers)

    async def _body(self, message: Message) -> None:
        if message.get("more_body", False):
            if self._held is not None:
                self._held_body.append(message.get("body", b""))
            return
        held, self._held = self._held, None
        if held is None:
            return  # the end of a replaced body: ours was sent whole
        body = b"".join([*self._held_body, message.get("body", b"")])
        if has_codes(body):
            self.started = True
            headers = MutableHeaders(raw=list(held.get("headers", [])))
            headers["content-length"] = str(len(body))
            await self._send({**held, "headers": headers.raw})
            await self._send({"type": "http.response.body", "body": body})
            return
        await self._answer(int(held["status"]), Headers(raw=held.get("headers", [])))

    async def fail(self) -> None:
        """Answer 500 when nothing reached the client yet; else the connection just ends."""
        if self.started or self.disconnected:
            return
        self._held = None
        await self._answer(500, Headers(raw=[]))

    async def _answer(self, status: int, original: Headers) -> None:
        code = code_for(status)
        extensions: dict[str, Any] = {"code": code}
        if code == "INTERNAL_SERVER_ERROR":
            message = MASKED_MESSAGE
            extensions["requestId"] = self.scope.get(REQUEST_ID_KEY)
        else:
            message = _phrase(status)
        body = json.dumps({"errors": [{"message": message, "extensions": extensions}]}).encode()
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in original.items()
            if name in KEPT_HEADERS
        ]
        if "x-request-id" not in original and self.scope.get(REQUEST_ID_KEY):
            headers.append((b"x-request-id", str(self.scope[REQUEST_ID_KEY]).encode("latin-1")))
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        self.started = True
        await self._send({"type": "http.response.start", "status": status, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})
