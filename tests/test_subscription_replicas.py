"""Two `parley serve` processes on one PostgreSQL: a meeting recorded through one reaches a
graphql-transport-ws subscriber of the other within a second (LISTEN/NOTIFY)."""

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api import migrations
from api.models import Scope
from api.services import seed, tokens
from tests.conftest import POSTGRES_URL, scratch_engine
from tests.graphql_ws import websocket
from tests.test_shutdown import _free_port

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason="PARLEY_TEST_DATABASE_URL not set")

PARLEY = str(Path(sys.executable).with_name("parley"))
SUBSCRIBE = "subscription { meetingRecorded { title mechanism { slug } } }"
RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { meeting { title } userErrors { code } }
}
"""
TITLE = "Recorded through the other replica"


@pytest.fixture
async def replica_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[str, str]]:
    assert POSTGRES_URL is not None
    async with scratch_engine(POSTGRES_URL, tmp_path_factory, suffix="replicas") as engine:
        await migrations.upgrade(engine)
        async with AsyncSession(engine) as session:
            await seed.load(session)
            token, _ = await tokens.create(session, name="replica-writer", scope=Scope.WRITE)
            await session.commit()
        yield engine.url.render_as_string(hide_password=False), token


@contextlib.contextmanager
def _serving(database_url: str) -> Iterator[str]:
    """A `parley serve` process of its own on a free port; its address."""
    port = _free_port()
    env = {**os.environ, "PARLEY_DATABASE_URL": database_url, "PARLEY_ACCESS_LOG": "false"}
    server = subprocess.Popen(
        [PARLEY, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _ready(address: str) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=f"http://{address}") as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise AssertionError(f"parley serve at {address} did not become ready")


async def test_a_meeting_recorded_on_one_replica_reaches_a_subscriber_on_the_other(
    replica_database: tuple[str, str],
) -> None:
    url, token = replica_database
    with _serving(url) as first, _serving(url) as second:
        await asyncio.gather(_ready(first), _ready(second))
        async with websocket(first) as ws:
            assert (await ws.init())["type"] == "connection_ack"
            await ws.subscribe("1", SUBSCRIBE)
            await asyncio.sleep(0.5)  # the first subscriber opens the replica's LISTEN
            async with httpx.AsyncClient(base_url=f"http://{second}") as client:
                response = await client.post(
                    "/graphql",
                    json={
                        "query": RECORD,
                        "variables": {
                            "input": {
                                "title": TITLE,
                                "mechanismSlug": "commercial-issues-working-group",
                            }
                        },
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
            assert response.json()["data"]["recordMeeting"]["userErrors"] == []
            message = await ws.receive(within=1.0)  # the bound: within one second
    assert message["type"] == "next"
    recorded = message["payload"]["data"]["meetingRecorded"]
    assert recorded == {"title": TITLE, "mechanism": {"slug": "commercial-issues-working-group"}}
