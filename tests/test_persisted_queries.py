"""Persisted queries: Apollo's APQ round trip (GET and POST), stored for every replica; trusted
documents from a manifest; and both with the response cache and ETags."""

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from api.cli import app as cli
from api.main import create_app
from api.services import documents
from api.services.errors import InvalidArgumentError
from api.settings import Settings, get_settings

QUERY = '{ mechanism(slug: "commercial-issues-working-group") { name } }'
HASH = documents.sha256(QUERY)
NAME = "US-China Commercial Issues Working Group"
APQ = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://parley.test")


@pytest.fixture
def make_client(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> Callable[..., httpx.AsyncClient]:
    """A client of a new app (a replica of its own) on the test's database."""

    def make(**changes: Any) -> httpx.AsyncClient:
        return _client(
            create_app(settings.model_copy(update=changes), session_factory=session_factory)
        )

    return make


@pytest.fixture
async def apq(make_client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as client:
        yield client


def _get_params(extensions: dict[str, Any], **fields: str) -> dict[str, str]:
    return {"extensions": json.dumps(extensions), **fields}


async def test_an_unknown_hash_asks_for_the_text_then_the_hash_alone_runs(
    apq: httpx.AsyncClient,
) -> None:
    unknown = await apq.post("/graphql", json={"extensions": APQ})
    assert unknown.status_code == 200
    assert unknown.json() == {
        "data": None,
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ],
    }
    registered = await apq.post("/graphql", json={"query": QUERY, "extensions": APQ})
    assert registered.json()["data"]["mechanism"]["name"] == NAME
    by_post = await apq.post("/graphql", json={"extensions": APQ})
    by_get = await apq.get("/graphql", params=_get_params(APQ), headers={"Accept": "*/*"})
    assert by_post.json()["data"] == registered.json()["data"]
    assert by_get.status_code == 200
    assert by_get.json()["data"] == registered.json()["data"]


async def test_a_hash_only_get_is_never_answered_with_graphiql(apq: httpx.AsyncClient) -> None:
    response = await apq.get(
        "/graphql", params=_get_params(APQ), headers={"Accept": "text/html,*/*"}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_graphql_response_clients_get_a_4xx(apq: httpx.AsyncClient) -> None:
    response = await apq.post(
        "/graphql", json={"extensions": APQ}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotFound"


async def test_a_hash_that_is_not_the_texts_is_refused_and_nothing_stored(
    apq: httpx.AsyncClient,
) -> None:
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    refused = await apq.post("/graphql", json={"query": QUERY, "extensions": wrong})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"] == {
        "code": "BAD_REQUEST",
        "subcode": "PERSISTED_QUERY_HASH_MISMATCH",
    }
    still_unknown = await apq.post("/graphql", json={"extensions": wrong})
    assert still_unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_malformed_persisted_query_is_a_bad_request(apq: httpx.AsyncClient) -> None:
    bad = {"persistedQuery": {"version": 2, "sha256Hash": HASH}}
    response = await apq.post("/graphql", json={"extensions": bad})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["subcode"] == "PERSISTED_QUERY_INVALID"


async def test_only_valid_documents_are_stored(apq: httpx.AsyncClient) -> None:
    invalid = "{ mechanism { nope } }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": documents.sha256(invalid)}}
    failed = await apq.post("/graphql", json={"query": invalid, "extensions": extensions})
    assert failed.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    again = await apq.post("/graphql", json={"extensions": extensions})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_query_registered_through_one_replica_runs_on_another(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client() as first, make_client() as second:
        await first.post("/graphql", json={"query": QUERY, "extensions": APQ})
        response = await second.post("/graphql", json={"extensions": APQ})
    assert response.json()["data"]["mechanism"]["name"] == NAME


async def test_beyond_the_limit_queries_run_but_are_not_stored(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client(persisted_query_limit=0) as client:
        ran = await client.post("/graphql", json={"query": QUERY, "extensions": APQ})
        again = await client.post("/graphql", json={"extensions": APQ})
    assert ran.json()["data"]["mechanism"]["name"] == NAME
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_off_refuses_ids_and_runs_texts(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client(persisted_queries="off") as client:
        by_id = await client.post("/graphql", json={"extensions": APQ})
        by_text = await client.post("/graphql", json={"query": QUERY})
    assert by_id.json()["errors"][0] == {
        "message": "PersistedQueryNotSupported",
        "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
    }
    assert by_text.json()["data"]["mechanism"]["name"] == NAME


TOPICS = "query Topics { topics(first: 2) { edges { node { slug } } } }"
TOPICS_ID = "relay-topics-1"


async def _push(session: AsyncSession, manifest: Any) -> tuple[int, int]:
    result = await documents.push(session, documents.parse_manifest(manifest))
    await session.commit()
    return result


async def test_trusted_mode_runs_pushed_documents_only(
    make_client: Callable[..., httpx.AsyncClient], session: AsyncSession
) -> None:
    apollo = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": HASH, "name": None, "type": "query", "body": QUERY}],
    }
    assert await _push(session, apollo) == (1, 0)
    assert await _push(session, {TOPICS_ID: TOPICS}) == (1, 0)
    assert await _push(session, {TOPICS_ID: TOPICS}) == (0, 1)
    async with make_client(persisted_queries="trusted") as client:
        by_hash = await client.post("/graphql", json={"extensions": APQ})
        by_prefixed_id = await client.post("/graphql", json={"documentId": f"sha256:{HASH}"})
        by_relay_id = await client.get("/graphql", params={"doc_id": TOPICS_ID})
        by_text = await client.post("/graphql", json={"query": QUERY})
        other = await client.post("/graphql", json={"query": "{ __typename }"})
        other_apq = {"persistedQuery": {"version": 1, "sha256Hash": documents.sha256("{ a }")}}
        registering = await client.post(
            "/graphql", json={"query": "{ a }", "extensions": other_apq}
        )
        unknown = await client.post("/graphql", json={"documentId": "nope"})
    for response in (by_hash, by_prefixed_id, by_text):
        assert response.json()["data"]["mechanism"]["name"] == NAME
    assert len(by_relay_id.json()["data"]["topics"]["edges"]) == 2
    for refused in (other, registering):
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_automatic_queries_are_not_trusted(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client() as automatic:
        await automatic.post("/graphql", json={"query": QUERY, "extensions": APQ})
    async with make_client(persisted_queries="trusted") as trusted:
        response = await trusted.post("/graphql", json={"extensions": APQ})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ({"format": "apollo-persisted-query-manifest", "version": 2}, "version"),
        ({"format": "apollo-persisted-query-manifest", "version": 1}, "operations"),
        ([QUERY], "not a persisted-document manifest"),
        ({"0" * 64: QUERY}, "not the SHA-256"),
    ],
)
def test_manifests_that_cannot_be_pushed(manifest: Any, problem: str) -> None:
    with pytest.raises(InvalidArgumentError, match=problem):
        documents.parse_manifest(manifest)


async def test_an_id_keeps_its_text(session: AsyncSession) -> None:
    await _push(session, {TOPICS_ID: TOPICS})
    with pytest.raises(InvalidArgumentError, match="another text"):
        await _push(session, {TOPICS_ID: "{ __typename }"})


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str] | Any:
    url = f"sqlite+aiosqlite:///{tmp_path / 'documents.db'}"
    monkeypatch.setenv("PARLEY_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_database")
def test_parley_documents_push(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({HASH: QUERY, TOPICS_ID: TOPICS}), encoding="utf-8")
    pushed = runner.invoke(cli, ["documents", "push", str(manifest)])
    again = runner.invoke(cli, ["documents", "push", str(manifest)])
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"x": "{ nope }"}), encoding="utf-8")
    refused = runner.invoke(cli, ["documents", "push", str(broken)])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.strip() == "2 documents: 2 added, 0 already there"
    assert again.output.strip() == "2 documents: 0 added, 2 already there"
    assert refused.exit_code == 1
    assert "Cannot query field 'nope'" in refused.output


async def test_persisted_queries_are_cached_and_revalidate_with_etags(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with make_client(response_cache_size=16) as client:
        missing = await client.get("/graphql", params=_get_params(APQ))
        missing_again = await client.get("/graphql", params=_get_params(APQ))
        await client.post("/graphql", json={"query": QUERY, "extensions": APQ})
        first = await client.get("/graphql", params=_get_params(APQ))
        second = await client.get("/graphql", params=_get_params(APQ))
        unchanged = await client.get(
            "/graphql", params=_get_params(APQ), headers={"If-None-Match": first.headers["ETag"]}
        )
        wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
        mismatch = await client.post("/graphql", json={"query": QUERY, "extensions": wrong})
    assert missing_again.headers.get("X-Parley-Cache") != "hit"
    assert missing_again.json() == missing.json()
    assert (first.headers["X-Parley-Cache"], second.headers["X-Parley-Cache"]) == ("miss", "hit")
    assert second.json()["data"]["mechanism"]["name"] == NAME
    assert unchanged.status_code == 304
    assert mismatch.status_code == 400
