"""The HTTP/1.1 connection limits `parley serve` enforces before any request reaches the app.

uvicorn's httptools protocol holds a request's headers in memory without a size limit, and
waits for them (and for the body) as long as a client cares to trickle them: ten connections
sending megabytes of headers, or hundreds sending a byte now and then (slowloris), hold memory
and connections without ever authenticating. :class:`ParleyProtocol` adds, per connection:

- a header size limit: more than ``max_header_bytes`` before the headers end is HTTP 431;
- a header deadline: a request's line and headers must arrive within ``header_timeout``
  seconds of its first byte (or of the connection opening); else HTTP 408 and the connection
  closes (silently when nothing at all was sent, as a browser's spare connection may be);
- a body deadline: the body must arrive within ``body_timeout`` seconds of the headers; else
  the app sees the client go away, and the client gets HTTP 408;
- a connection limit: a connection past ``max_connections`` open ones is answered HTTP 503
  and closed at once, so what waiting requests can hold is bounded too (connections times
  the header limit).

Every refusal is JSON with ``extensions.code``, like the rest of Parley; so is uvicorn's
answer to a request it cannot parse. Idle keep-alive connections close after
``keep_alive_timeout`` (uvicorn's own timer).
"""

import asyncio
import dataclasses
import functools
import http
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.settings import Settings


@dataclasses.dataclass(frozen=True)
class ConnectionLimits:
    """The limits of :class:`ParleyProtocol` (from the settings of the same names)."""

    max_header_bytes: int
    header_timeout: float
    body_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> "ConnectionLimits":
        """The limits ``settings`` ask for."""
        return cls(
            max_header_bytes=settings.max_header_bytes,
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
            max_connections=settings.max_connections,
        )


def error_response(status: int, message: str, code: str, subcode: str | None = None) -> bytes:
    """A whole HTTP/1.1 response that closes the connection, its body a coded GraphQL error."""
    extensions = {"code": code, **({"subcode": subcode} if subcode else {})}
    body = json.dumps({"errors": [{"message": message, "extensions": extensions}]}).encode()
    retry = "retry-after: 1\r\n" if status == 503 else ""
    head = (
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n{retry}"
        "connection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ParleyProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with Parley's connection limits (see the module)."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._in_headers = True  # reading a request line and headers (or waiting for one)
        self._header_bytes = 0
        self._received = False  # any byte of the current request arrived
        self._deadline: asyncio.TimerHandle | None = None

    # --- deadlines --------------------------------------------------------------------------

    def _arm(self, seconds: float, expired: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_late(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._received:
            self.transport.write(
                error_response(
                    408,
                    f"The request headers took longer than {self.limits.header_timeout:g} s.",
                    "BAD_REQUEST",
                    "HEADER_TIMEOUT",
                )
            )
        self.transport.close()

    def _body_late(self) -> None:
        self._deadline = None
        cycle = self.cycle
        if self.transport.is_closing() or cycle is None:
            return
        if not cycle.response_started:
            self.transport.write(
                error_response(
                    408,
                    f"The request body took longer than {self.limits.body_timeout:g} s.",
                    "BAD_REQUEST",
                    "BODY_TIMEOUT",
                )
            )
        # The app, waiting for the rest of the body, hears that the client left.
        cycle.disconnected = True
        cycle.message_event.set()
        self.transport.close()

    # --- the protocol -----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self.transport.write(
                error_response(
                    503,
                    "The server has too many connections; try again shortly.",
                    "SERVICE_UNAVAILABLE",
                    "TOO_MANY_CONNECTIONS",
                )
            )
            self.transport.close()
            return
        self._arm(self.limits.header_timeout, self._headers_late)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        while data and not self.transport.is_closing():
            if not self._in_headers:
                super().data_received(data)
                return
            # Feed no more than the header budget allows: a body in the same read is fed
            # once the headers are known to have ended.
            room = self.limits.max_header_bytes - self._header_bytes
            if room <= 0:
                self._refuse_headers()
                return
            piece, data = data[:room], data[room:]
            self._header_bytes += len(piece)
            self._received = True
            super().data_received(piece)

    def _refuse_headers(self) -> None:
        self._disarm()
        self.transport.write(
            error_response(
                431,
                f"The request headers are larger than {self.limits.max_header_bytes} bytes.",
                "BAD_REQUEST",
                "HEADERS_TOO_LARGE",
            )
        )
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """A request uvicorn cannot parse: answered in JSON, as every error is."""
        self._disarm()
        self.transport.write(error_response(400, msg, "BAD_REQUEST", "INVALID_HTTP"))
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a keep-alive connection's next request
            self._arm(self.limits.header_timeout, self._headers_late)

    def on_headers_complete(self) -> None:
        self._in_headers = False
        self._arm(self.limits.body_timeout, self._body_late)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        # What follows is the next request's: its headers are counted from here.
        self._in_headers = True
        self._header_bytes = 0
        self._received = False
        super().on_message_complete()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What `parley serve` (and the tests' real servers) hand uvicorn for these limits."""
    protocol = functools.partial(ParleyProtocol, limits=ConnectionLimits.of(settings))
    return {
        "http": protocol,
        "timeout_keep_alive": settings.keep_alive_timeout,
    }
