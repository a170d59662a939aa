"""Who may write: tokens, scopes, expiry and revocation; a refused write changes nothing."""

import datetime as dt
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.models import Scope
from api.services import tokens
from api.settings import Settings
from tests.graphql import data

CREATE_TOPIC = """
mutation { createTopic(input: { name: "Rare earths" }) { topic { slug } userErrors { code } } }
"""
AUDIT_LOG = "{ auditLog(first: 5) { totalCount } }"
TOPIC_COUNT = '{ topics(filter: { name: "Rare earths" }) { totalCount } }'


async def _send(
    client: httpx.AsyncClient, query: str, authorization: str | None
) -> dict[str, object]:
    headers = {"Authorization": authorization} if authorization else {}
    body: dict[str, object] = (
        await client.post("/graphql", json={"query": query}, headers=headers)
    ).json()
    return body


def _code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list)
    return str(errors[0]["extensions"]["code"])


async def test_writing_needs_a_token(client: httpx.AsyncClient) -> None:
    body = await _send(client, CREATE_TOPIC, None)
    assert body["data"] is None
    assert _code(body) == "UNAUTHENTICATED"
    assert (await data(client, TOPIC_COUNT))["topics"]["totalCount"] == 0


@pytest.mark.parametrize(
    "authorization",
    ["Bearer parley_not-a-token", "Basic dXNlcjpwYXNz", "Bearer ", "parley_no-scheme"],
)
async def test_a_bad_token_fails_even_a_read(client: httpx.AsyncClient, authorization: str) -> None:
    for query in (CREATE_TOPIC, TOPIC_COUNT):
        body = await _send(client, query, authorization)
        assert body["data"] is None
        assert _code(body) == "UNAUTHENTICATED"


async def test_expired_and_revoked_tokens_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    expired, _ = await tokens.create(
        session, name="expired", scope=Scope.WRITE, expires_in=dt.timedelta(seconds=-1)
    )
    revoked, _ = await tokens.create(session, name="revoked", scope=Scope.WRITE)
    await tokens.revoke(session, name="revoked")
    await session.commit()
    for token, reason in ((expired, "expired"), (revoked, "revoked")):
        body = await _send(client, CREATE_TOPIC, f"Bearer {token}")
        assert _code(body) == "UNAUTHENTICATED"
        assert reason in str(body["errors"])
    assert (await data(client, TOPIC_COUNT))["topics"]["totalCount"] == 0


async def test_scopes(client: httpx.AsyncClient, write_token: str, admin_token: str) -> None:
    # a write token writes but may not read the audit log
    written = await _send(client, CREATE_TOPIC, f"Bearer {write_token}")
    assert written["data"] == {"createTopic": {"topic": {"slug": "rare-earths"}, "userErrors": []}}
    refused = await _send(client, AUDIT_LOG, f"Bearer {write_token}")
    assert _code(refused) == "FORBIDDEN"
    # an admin token may do both
    audited = await _send(client, AUDIT_LOG, f"Bearer {admin_token}")
    assert audited["data"] == {"auditLog": {"totalCount": 1}}


async def test_reads_are_public_unless_configured_otherwise(
    client: httpx.AsyncClient,
    write_token: str,
    database_url: str,
    session_factory: Callable[[], AsyncSession],
) -> None:
    assert "errors" not in await _send(client, TOPIC_COUNT, None)
    settings = Settings(database_url=database_url, read_requires_token=True)
    app = create_app(settings, session_factory=session_factory)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://parley.test"
    ) as private:
        assert _code(await _send(private, TOPIC_COUNT, None)) == "UNAUTHENTICATED"
        allowed = await _send(private, TOPIC_COUNT, f"Bearer {write_token}")
        assert allowed["data"] == {"topics": {"totalCount": 0}}
