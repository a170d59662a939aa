"""A small graphql-transport-ws client for tests, on the `websockets` library."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

TRANSPORT_WS = "graphql-transport-ws"


class GraphQLWebSocket:
    """One connection: send protocol messages, receive them (answering pings on the way)."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.pings = 0

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, within: float = 5.0) -> dict[str, Any]:
        """The next message other than a server ping (which is answered with a pong)."""
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), within)
            assert isinstance(raw, str), "a binary frame: browsers' graphql-ws clients refuse it"
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") == "ping":
                self.pings += 1
                await self.send({"type": "pong"})
                continue
            return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """connection_init; the server's answer (connection_ack, unless refused)."""
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def closed(self, within: float = 5.0) -> tuple[int | None, str | None]:
        """Wait for the server to close the connection; its close code and reason."""
        with contextlib.suppress(Exception):
            while True:
                await asyncio.wait_for(self.connection.recv(), within)
        return self.connection.close_code, self.connection.close_reason


@contextlib.asynccontextmanager
async def websocket(
    address: str,
    *,
    protocol: str = TRANSPORT_WS,
    headers: dict[str, str] | None = None,
    origin: str | None = None,
) -> AsyncIterator[GraphQLWebSocket]:
    """A WebSocket to ``ws://<address>/graphql`` speaking ``protocol``."""
    async with connect(
        f"ws://{address}/graphql",
        subprotocols=[protocol],  # type: ignore[list-item]
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
        open_timeout=5,
    ) as connection:
        yield GraphQLWebSocket(connection)
