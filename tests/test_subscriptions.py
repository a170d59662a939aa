"""Subscriptions over WebSocket: what a dashboard sees as writes commit, and the limits.

A real uvicorn server in the test's event loop, on a migrated and seeded database of this
module's own where writes commit for real (on PostgreSQL a NOTIFY is only delivered on commit).
"""

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import parse, validate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api import migrations
from api.db import statement_log
from api.main import create_app
from api.models import Scope
from api.services import seed, tokens
from api.services.changes import Change, ChangeKind
from api.settings import PROJECT_ROOT, Settings
from schema import schema
from tests.conftest import scratch_engine
from tests.graphql_ws import websocket
from tests.servers import serve_in_loop

RECORDED = """
subscription($filter: MeetingFilterInput) {
  meetingRecorded(filter: $filter) { title mechanism { slug } participations { person { name } } }
}
"""
CHANGED = """
subscription($types: [RecordType!], $kinds: [ChangeKind!]) {
  recordChanged(types: $types, kinds: $kinds) {
    kind recordType id record { id ... on Meeting { title version } }
  }
}
"""
RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { meeting { id version } userErrors { field code } }
}
"""
UPDATE = """
mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) { meeting { version } userErrors { code } }
}
"""
DELETE = """
mutation($input: DeleteMeetingInput!) { deleteMeeting(input: $input) { userErrors { code } } }
"""


@pytest.fixture(scope="module")
async def live_database(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[str, str]]:
    """A seeded database of this module's own (its URL) and a write token for it."""
    async with scratch_engine(database_url, tmp_path_factory, suffix="live") as engine:
        await migrations.upgrade(engine)
        async with AsyncSession(engine) as session:
            await seed.load(session)
            token, _ = await tokens.create(session, name="live-writer", scope=Scope.WRITE)
            await session.commit()
        yield engine.url.render_as_string(hide_password=False), token


@pytest.fixture
def live_settings(live_database: tuple[str, str]) -> Settings:
    return Settings(database_url=live_database[0], websocket_keepalive=60)


@pytest.fixture
def token(live_database: tuple[str, str]) -> str:
    return live_database[1]


@pytest.fixture
async def server(live_settings: Settings) -> AsyncIterator[str]:
    async with serve_in_loop(create_app(live_settings)) as address:
        yield address


async def _post(
    address: str, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=f"http://{address}") as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def _record(address: str, token: str, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await _post(address, RECORD, {"input": fields}, token))[
        "recordMeeting"
    ]
    return payload


def _title() -> str:
    return f"Live meeting {secrets.token_hex(4)}"


async def test_a_recorded_meeting_reaches_a_subscriber(server: str, token: str) -> None:
    title = _title()
    async with websocket(server) as ws:
        assert (await ws.init())["type"] == "connection_ack"
        await ws.subscribe("1", RECORDED)
        await asyncio.sleep(0.1)  # the subscription is registered once its task has run
        await _record(
            server,
            token,
            title=title,
            mechanismSlug="commercial-issues-working-group",
            participants=[{"name": "无名代表", "side": "CN"}],
        )
        message = await ws.receive(within=1)
    assert (message["id"], message["type"]) == ("1", "next")
    assert message["payload"]["data"] == {
        "meetingRecorded": {
            "title": title,
            "mechanism": {"slug": "commercial-issues-working-group"},
            "participations": [{"person": {"name": "无名代表"}}],
        }
    }


async def test_the_filter_leaves_out_meetings_it_would_not_list(server: str, token: str) -> None:
    wanted = _title()
    async with websocket(server) as ws:
        await ws.init()
        filter_ = {"mechanismSlugs": ["commercial-issues-working-group"]}
        await ws.subscribe("f", RECORDED, {"filter": filter_})
        await asyncio.sleep(0.1)
        await _record(server, token, title=_title())  # ad hoc: not listed by the filter
        await _record(server, token, title=wanted, mechanismSlug="commercial-issues-working-group")
        message = await ws.receive(within=2)
    assert message["payload"]["data"]["meetingRecorded"]["title"] == wanted


async def test_record_changed_reports_creates_updates_and_deletes(server: str, token: str) -> None:
    title = _title()
    async with websocket(server) as ws:
        await ws.init()
        await ws.subscribe("c", CHANGED, {"types": ["MEETING"]})
        await asyncio.sleep(0.1)
        recorded = (await _record(server, token, title=title))["meeting"]
        created = (await ws.receive(within=2))["payload"]["data"]["recordChanged"]
        update = {"id": recorded["id"], "expectedVersion": 1, "place": "Geneva"}
        await _post(server, UPDATE, {"input": update}, token)
        updated = (await ws.receive(within=2))["payload"]["data"]["recordChanged"]
        delete = {"id": recorded["id"], "expectedVersion": 2}
        await _post(server, DELETE, {"input": delete}, token)
        deleted = (await ws.receive(within=2))["payload"]["data"]["recordChanged"]
    meeting_id = recorded["id"]
    assert created == {
        "kind": "CREATED",
        "recordType": "MEETING",
        "id": meeting_id,
        "record": {"id": meeting_id, "title": title, "version": 1},
    }
    assert updated["kind"] == "UPDATED"
    assert updated["record"] == {"id": meeting_id, "title": title, "version": 2}
    assert deleted == {"kind": "DELETED", "recordType": "MEETING", "id": meeting_id, "record": None}


async def test_refused_writes_and_other_types_are_not_announced(server: str, token: str) -> None:
    async with websocket(server) as ws:
        await ws.init()
        await ws.subscribe("c", CHANGED, {"types": ["MEETING"], "kinds": ["CREATED"]})
        await asyncio.sleep(0.1)
        refused = await _record(server, token, title="", start="not a date")
        assert refused["userErrors"]
        await _post(
            server,
            'mutation { createTopic(input: {name: "Live topic"}) { userErrors { code } } }',
            {},
            token,
        )
        title = _title()
        await _record(server, token, title=title)
        message = await ws.receive(within=2)
    assert message["payload"]["data"]["recordChanged"]["record"]["title"] == title


async def test_a_bad_token_in_connection_init_is_refused(server: str) -> None:
    async with websocket(server) as ws:
        await ws.send({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        assert (await ws.closed())[0] == 4403


async def test_a_good_token_is_accepted_as_payload_or_header(server: str, token: str) -> None:
    async with websocket(server) as ws:
        assert (await ws.init({"token": token}))["type"] == "connection_ack"
    async with websocket(server, headers={"Authorization": f"Bearer {token}"}) as ws:
        assert (await ws.init())["type"] == "connection_ack"


async def test_reads_requiring_a_token_refuse_a_connection_without_one(
    live_settings: Settings, token: str
) -> None:
    app = create_app(live_settings.model_copy(update={"read_requires_token": True}))
    async with serve_in_loop(app) as address:
        async with websocket(address) as ws:
            await ws.send({"type": "connection_init", "payload": {}})
            assert (await ws.closed())[0] == 4403
        async with websocket(address) as ws:
            init = {"Authorization": f"Bearer {token}"}
            assert (await ws.init(init))["type"] == "connection_ack"


async def test_operations_per_connection_and_connections_per_process_are_limited(
    live_settings: Settings,
) -> None:
    limits = {"subscriptions_per_connection": 1, "websocket_connections": 1}
    app = create_app(live_settings.model_copy(update=limits))
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init()
        await ws.subscribe("1", RECORDED)
        await ws.subscribe("2", RECORDED)
        refusal = await ws.receive()
        async with websocket(address) as second:
            code, _reason = await second.closed()
    assert refusal["id"] == "2"
    assert refusal["type"] == "error"
    assert refusal["payload"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert code == 1013


async def test_operation_limits_apply_to_subscriptions(live_settings: Settings) -> None:
    app = create_app(live_settings.model_copy(update={"max_depth": 3, "max_cost": 3}))
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init()
        deep = "subscription { meetingRecorded { mechanism { meetings { totalCount } } } }"
        await ws.subscribe("deep", deep)
        too_deep = await ws.receive()
        costly = "subscription { meetingRecorded { title slug place mechanism { name } } }"
        await ws.subscribe("costly", costly)
        too_costly = await ws.receive()
    assert too_deep["type"] == too_costly["type"] == "error"
    assert too_deep["payload"][0]["extensions"]["subcode"] == "MAX_DEPTH_EXCEEDED"
    assert too_costly["payload"][0]["extensions"]["subcode"] == "MAX_COST_EXCEEDED"


async def test_a_slow_consumer_is_dropped_without_holding_up_the_feed(
    live_settings: Settings,
) -> None:
    app = create_app(live_settings.model_copy(update={"subscription_queue_size": 2}))
    async with serve_in_loop(app) as address, websocket(address) as slow:
        await slow.init()
        await slow.subscribe("s", CHANGED)
        await asyncio.sleep(0.1)
        # Five changes at once, faster than any client reads: the feed never waits.
        for record_id in range(5):
            app.state.changes.dispatch(Change(ChangeKind.DELETED, "meeting", record_id + 10**6))
        code, reason = await slow.closed()
        assert app.state.changes.subscribers == 0
    assert code == 4008
    assert reason is not None
    assert "slow consumer" in reason


async def test_keep_alive_pings(live_settings: Settings) -> None:
    app = create_app(live_settings.model_copy(update={"websocket_keepalive": 0.1}))
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init()
        await ws.subscribe("1", RECORDED)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await ws.receive()  # answers each ping with a pong; nothing else comes
    assert ws.pings >= 2


async def test_the_legacy_graphql_ws_protocol_works_too(server: str, token: str) -> None:
    title = _title()
    async with websocket(server, protocol="graphql-ws") as ws:
        await ws.send({"type": "connection_init", "payload": {}})
        ack = await ws.receive()
        await ws.send({"id": "1", "type": "start", "payload": {"query": RECORDED}})
        await asyncio.sleep(0.1)
        await _record(server, token, title=title)
        message = await ws.receive(within=2)
        while message["type"] == "ka":
            message = await ws.receive(within=2)
    assert ack["type"] == "connection_ack"
    assert message["type"] == "data"
    assert message["payload"]["data"]["meetingRecorded"]["title"] == title


async def test_pages_from_other_origins_connect_only_when_allowed(
    live_settings: Settings,
) -> None:
    allowed = live_settings.model_copy(update={"cors_origins": ["https://app.example"]})
    async with serve_in_loop(create_app(allowed)) as address:
        async with websocket(address, origin="https://app.example") as ws:
            assert (await ws.init())["type"] == "connection_ack"
        with pytest.raises(Exception, match="403"):
            async with websocket(address, origin="https://evil.example"):
                pass


def test_the_readmes_subscriptions_are_valid() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    blocks = [block.split("```")[0] for block in readme.split("```graphql")[1:]]
    parts = [part for block in blocks for part in block.split("\n# ")]
    subscriptions = [
        part[part.index("subscription {") :] for part in parts if "subscription {" in part
    ]
    assert len(subscriptions) >= 2
    for block in subscriptions:
        assert validate(schema._schema, parse(block)) == []


async def test_mutations_over_a_websocket_count_against_the_rate_limit(
    live_settings: Settings, token: str
) -> None:
    app = create_app(live_settings.model_copy(update={"mutation_rate_limit": 1}))
    mutation = 'mutation { createTopic(input: {name: "%s"}) { userErrors { code } } }'
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init({"token": token})
        await ws.subscribe("1", mutation % _title())
        first = await ws.receive()
        assert await ws.receive() == {"id": "1", "type": "complete"}
        await ws.subscribe("2", mutation % _title())
        second = await ws.receive()
    assert first["payload"]["data"]["createTopic"]["userErrors"] == []
    assert second["payload"]["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"


async def test_an_idle_subscription_holds_no_database_connection(
    live_settings: Settings, token: str
) -> None:
    app = create_app(live_settings)
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init({"token": token})
        await ws.subscribe("1", RECORDED)
        await ws.subscribe("2", CHANGED)
        await asyncio.sleep(0.1)
        await _record(address, token, title=_title())
        await ws.receive()
        await ws.receive()
        await asyncio.sleep(0.1)
        pool = app.state.session_factory.kw["bind"].pool
        assert pool.checkedout() == 0


async def test_a_lost_listening_connection_drops_subscribers_and_recovers(
    live_settings: Settings, token: str, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: the LISTEN connection")
    app = create_app(live_settings)
    async with serve_in_loop(app) as address:
        async with websocket(address) as ws:
            await ws.init()
            await ws.subscribe("1", RECORDED)
            await asyncio.sleep(0.3)  # listening
            engine = app.state.session_factory.kw["bind"]
            async with engine.connect() as connection:
                await connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
                    )
                )
                await connection.commit()
            code, _reason = await ws.closed()
        assert code == 1013
        title = _title()
        async with websocket(address) as ws:
            await ws.init()
            await ws.subscribe("2", RECORDED)
            await asyncio.sleep(0.5)  # the listening connection is reopened
            await _record(address, token, title=title)
            message = await ws.receive(within=2)
    assert message["payload"]["data"]["meetingRecorded"]["title"] == title


@pytest.mark.parametrize(
    "accept", ["application/json", "application/graphql-response+json", "multipart/mixed"]
)
async def test_a_subscription_over_http_is_refused_with_a_code(server: str, accept: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{server}") as client:
        response = await client.post(
            "/graphql", json={"query": RECORDED}, headers={"Accept": accept}
        )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "subcode": "SUBSCRIPTION_NEEDS_WEBSOCKET"}


@pytest.mark.parametrize(("selection", "loads"), [("kind id", False), ("kind record { id }", True)])
async def test_the_record_is_loaded_only_when_asked_for(
    live_settings: Settings, token: str, selection: str, loads: bool
) -> None:
    app = create_app(live_settings)
    create = 'mutation { createTopic(input: {name: "%s"}) { userErrors { code } } }'
    async with serve_in_loop(app) as address, websocket(address) as ws:
        await ws.init()
        subscription = "subscription { recordChanged(types: [TOPIC]) { " + selection + " } }"
        await ws.subscribe("1", subscription)
        await asyncio.sleep(0.1)
        engine = app.state.session_factory.kw["bind"]
        with statement_log(engine) as seen:
            await _post(address, create % _title(), {}, token)
            await ws.receive()
    lookups = [s for s in seen if "topic.id IN" in s]
    assert bool(lookups) is loads
