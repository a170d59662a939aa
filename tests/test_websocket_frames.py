"""Browsers' GraphQL-over-WebSocket clients read text frames only: every message is sent as one.

graphql-ws (the browser client of the web example) closes the connection with 4004 on the
first binary frame; the router encodes JSON as bytes for HTTP, so the WebSocket side must turn
them into text. Python clients accept either, so this is checked frame by frame.
"""

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.testclient import TestClient

from api.main import create_app
from api.settings import Settings


@pytest.mark.parametrize(
    ("protocol", "init", "ack"),
    [
        ("graphql-transport-ws", {"type": "connection_init"}, "connection_ack"),
        ("graphql-ws", {"type": "connection_init", "payload": {}}, "connection_ack"),
    ],
)
def test_messages_go_out_as_text_frames(
    database_url: str,
    session_factory: Callable[[], AsyncSession],
    protocol: str,
    init: dict[str, object],
    ack: str,
) -> None:
    app = create_app(Settings(database_url=database_url), session_factory=session_factory)
    with (
        TestClient(app) as client,
        client.websocket_connect("/graphql", subprotocols=[protocol]) as ws,
    ):
        ws.send_json(init)
        message = ws.receive()
        assert message["type"] == "websocket.send"
        assert message.get("bytes") is None
        assert '"type":"' + ack + '"' in message["text"].replace(" ", "")
