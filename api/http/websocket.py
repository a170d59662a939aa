"""GraphQL over WebSocket on /graphql: ``graphql-transport-ws``, and the legacy ``graphql-ws``.

Strawberry speaks both protocols; Parley adds:

- a limit on connections per process: past it a new connection is closed at once with 1013
  ("try again later"), which clients retry, perhaps on another replica;
- a limit on operations running at once per connection, refused with a coded error
  (TOO_MANY_REQUESTS) for that operation only;
- keep-alive: a ``ping`` message every ``keepalive`` seconds on graphql-transport-ws (``ka``
  on graphql-ws), so proxies keep an idle connection open and dead ones are noticed.

This module is HTTP only: it never imports ``schema``.
"""

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    SubscribeMessage,
)

TRY_AGAIN_LATER = 1013


class TextFrames(ASGIWebSocketAdapter):
    """Sends each message as a text frame: the router encodes JSON to bytes (orjson), and
    graphql-ws clients in browsers refuse binary frames ("Message is missing the 'type'
    property")."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        """Encode ``message`` and send it as text."""
        encoded = self.view.encode_json(message)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


def operations_limit_error(limit: int) -> GraphQLFormattedError:
    """The error payload refusing an operation over the per-connection limit."""
    return GraphQLError(
        f"This connection already runs {limit} operations; complete one first.",
        extensions={"code": "TOO_MANY_REQUESTS", "subcode": "SUBSCRIPTIONS_PER_CONNECTION"},
    ).formatted


class TransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws with coded limits and server pings (see the module docstring)."""

    _pinger: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """Acknowledge (or refuse) the connection; once acknowledged, start pinging."""
        await super().handle_connection_init(message)
        interval = getattr(self.view, "keepalive", None)
        if self.connection_acknowledged and interval and self._pinger is None:
            self._pinger = asyncio.create_task(self._ping(interval))

    async def _ping(self, interval: float) -> None:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(interval)
                await self.send_message({"type": "ping"})

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Start the operation, unless the connection already runs its limit of them."""
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message.get("id") not in self.operations
            and len(self.operations) >= limit
        ):
            refusal: ErrorMessage = {
                "id": message["id"],
                "type": "error",
                "payload": [operations_limit_error(limit)],
            }
            await self.send_message(refusal)
            return
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        """Stop pinging, then end every operation."""
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
        await super().shutdown()
