"""The hot path answers a repeated anonymous read exactly as the standard path did.

The first request of a document takes the standard path, which plans it; the same document
again is answered by the hot path (api/http/hot_path.py) — the same status, headers and body
bytes, the same access-log fields, the same response-cache behaviour — and anything it does
not answer (a token, a mutation, an unknown document, bad variables, a cost over the limit,
a persisted query, a failing read) gets the standard path's answer, unchanged. Every test
counts what the hot path answered, so it fails if the hot path stops serving.
"""

import asyncio
import hashlib
import json
import logging
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import models
from api.db import statement_log
from api.http.router import TIMEOUT_MESSAGE
from api.main import create_app
from api.settings import Settings
from bench import operations
from schema.compiled import STATS
from schema.compiled.executor import Executor
from schema.compiled.hot import HotStats
from tests.test_compiled_equivalence import ANALYST_QUERIES, PAGED, Generator, _samples

GRAPHQL_RESPONSE = "application/graphql-response+json"
CASES = 120
SQL = ("SELECT", "WITH")
Request = dict[str, Any]


class Parley:
    """A client of an app, and what its hot path answered."""

    def __init__(self, app: Any, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client

    @property
    def stats(self) -> HotStats:
        stats: HotStats = self.app.state.hot_plans.stats
        return stats

    async def send(self, request: Request) -> httpx.Response:
        return await self.client.request(**request)


@pytest.fixture
def make_parley(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> Callable[..., Parley]:
    def make(**overrides: Any) -> Parley:
        app = create_app(settings.model_copy(update=overrides), session_factory=session_factory)
        transport = httpx.ASGITransport(app=app)
        return Parley(app, httpx.AsyncClient(transport=transport, base_url="http://parley.test"))

    return make


@pytest.fixture
async def hot(make_parley: Callable[..., Parley]) -> AsyncIterator[Parley]:
    parley = make_parley()
    async with parley.client:
        yield parley


@pytest.fixture
async def plain(make_parley: Callable[..., Parley]) -> AsyncIterator[Parley]:
    """The same app without the hot path: the standard path's answers."""
    parley = make_parley(hot_path=False)
    async with parley.client:
        yield parley


def post(query: str, variables: dict[str, Any] | None = None, **headers: str) -> Request:
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    return {"method": "POST", "url": "/graphql", "json": payload, "headers": headers}


def get(query: str, variables: dict[str, Any] | None = None, **headers: str) -> Request:
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    return {"method": "GET", "url": "/graphql", "params": params, "headers": headers}


def _seen(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """What a client sees of a response, but its request id."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, headers, response.content


def _access(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The access-log fields of each request, but its id and duration."""
    lines = [r for r in caplog.records if r.name == "parley.access"]
    caplog.clear()
    fields: list[dict[str, Any]] = [dict(getattr(r, "fields", {})) for r in lines]
    for line in fields:
        line.pop("request_id", None)
        line.pop("duration_ms", None)
    return fields


async def _twice(parley: Parley, request: Request) -> bool:
    """Send ``request`` twice; assert the second answer is the first's; whether the hot path
    answered the second."""
    first = await parley.send(request)
    answered = parley.stats.answered
    second = await parley.send(request)
    assert _seen(second) == _seen(first), request
    return parley.stats.answered == answered + 1


def _shaped(rng: random.Random, query: str, variables: dict[str, Any]) -> Request:
    """The request as a JSON POST, the same asking for the GraphQL media type, or a GET."""
    shape = rng.choice(["post", "post", "modern", "get"])
    if shape == "get":
        return get(query, variables)
    if shape == "modern":
        return post(query, variables, accept=GRAPHQL_RESPONSE)
    return post(query, variables)


async def test_generated_reads_are_answered_again_by_the_hot_path_byte_for_byte(
    hot: Parley, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    # given generated queries over the whole read schema, and the seed's ids
    ids, slugs = await _samples(session)
    generator = Generator(11, ids, slugs)
    rng = random.Random(11)
    caplog.set_level(logging.INFO, logger="parley.access")
    hot_answers = 0

    for _ in range(CASES):
        query, variables = generator.operation()
        request = _shaped(rng, query, variables)
        # when each is sent once (the standard path), then again
        handled = STATS.handled
        first = await hot.send(request)
        compiled = STATS.handled == handled + 1
        answered = hot.stats.answered
        second = await hot.send(request)
        # then the second answer is the first, byte for byte, and so is its log line
        assert _seen(second) == _seen(first), query
        first_line, second_line = _access(caplog)
        assert second_line == first_line, query
        # and the hot path answered every repeat the compiled path can answer, no other
        assert hot.stats.answered - answered == (1 if compiled else 0), query
        hot_answers += compiled

    assert hot_answers > CASES // 4


KNOWN = [
    (operations.PARLEY_NODE, "node"),
    (operations.PARLEY_FLAT, "flat"),
    (operations.PARLEY_TREE, {"first": 5}),
    (operations.PARLEY_SEARCH, {"from": "2000", "to": "2030", "text": "meeting", "first": 20}),
    (PAGED, {"first": 3, "order": ["TITLE_DESC", "START_DATE_DESC"]}),
    (PAGED, {"last": 2}),
    *((query, {}) for query in ANALYST_QUERIES if "Counts" not in query),
    ('{ country(code: "CN") { code name } topics(first: 0) { totalCount } }', {}),
    (
        "query Two { a: meetings(first: 2) { nodes { title } } }\n"
        "query One { topics { totalCount } }",
        "One",
    ),
]


@pytest.mark.parametrize(("query", "variables"), KNOWN)
@pytest.mark.parametrize("shape", ["post", "modern", "get"])
async def test_known_reads_are_answered_again_by_the_hot_path_byte_for_byte(
    hot: Parley, session: AsyncSession, query: str, variables: Any, shape: str
) -> None:
    meeting = await session.scalar(select(models.Meeting.id).order_by(models.Meeting.id))
    mechanism = await session.scalar(select(models.Mechanism.id).order_by(models.Mechanism.id))
    operation_name = None
    if variables == "node":
        variables = {"id": operations.parley_id("Meeting", meeting or 0)}
    elif variables == "flat":
        variables = {"mechanism": operations.parley_id("Mechanism", mechanism or 0), "first": 50}
    elif isinstance(variables, str):
        operation_name, variables = variables, {}
    request = {"post": post, "modern": post, "get": get}[shape](query, variables)
    if shape == "modern":
        request["headers"] = {"accept": GRAPHQL_RESPONSE}
    if operation_name:
        key = "json" if shape != "get" else "params"
        request[key]["operationName"] = operation_name

    assert await _twice(hot, request)
    # and a third time too: the statement then comes from its plan
    third = await hot.send(request)
    assert third.status_code == 200
    assert "errors" not in third.json()


async def test_a_hot_read_is_one_statement_and_logs_what_the_standard_path_logs(
    hot: Parley, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley.access")
    query = "query Topics($n: Int) { topics(first: $n) { totalCount nodes { name } } }"
    await hot.send(post(query, {"n": 3}))
    [standard] = _access(caplog)
    answered = hot.stats.answered

    with statement_log(engine) as seen:
        response = await hot.send(post(query, {"n": 3}))
    [line] = _access(caplog)

    assert hot.stats.answered == answered + 1
    assert response.json()["data"]["topics"]["nodes"]
    assert len([s for s in seen if s.lstrip().upper().startswith(SQL)]) == 1
    assert line == standard
    assert line["operation_name"] == "Topics"
    assert line["operation_type"] == "query"
    assert line["cost"] == 1 + 3 * (1 + 1 + 1)  # topics, then 3 × (totalCount, nodes, name)


# --- what the hot path leaves to the standard path ------------------------------------------

READ = "query Meetings($n: Int) { meetings(first: $n) { totalCount nodes { title } } }"


async def _alike(hot: Parley, plain: Parley, request: Request, *, answered: bool) -> None:
    """``request`` gets the same answer with and without the hot path; whether it answered."""
    before = hot.stats.answered
    response = await hot.send(request)
    expected = await plain.send(request)
    assert hot.stats.answered == before + answered, request
    status, headers, body = _seen(response)
    if b'"requestId"' in body:
        body = json.dumps(_without_request_ids(json.loads(body))).encode()
        expected_body = json.dumps(_without_request_ids(expected.json())).encode()
        assert (status, body) == (expected.status_code, expected_body)
    else:
        assert (status, headers, body) == _seen(expected), request


def _without_request_ids(body: dict[str, Any]) -> dict[str, Any]:
    for error in body.get("errors") or []:
        (error.get("extensions") or {}).pop("requestId", None)
    return body


@pytest.fixture
async def planned(hot: Parley) -> Parley:
    """The hot path, with READ planned."""
    response = await hot.send(post(READ, {"n": 2}))
    assert "errors" not in response.json()
    return hot


async def test_a_request_with_a_token_takes_the_standard_path(
    planned: Parley, plain: Parley, write_token: str
) -> None:
    good = {"authorization": f"Bearer {write_token}"}
    await _alike(planned, plain, post(READ, {"n": 2}, **good), answered=False)
    await _alike(planned, plain, post(READ, {"n": 2}, authorization="Bearer nope"), answered=False)
    await _alike(planned, plain, post(READ, {"n": 2}, authorization=""), answered=False)
    await _alike(planned, plain, get(READ, {"n": 2}, authorization="Bearer nope"), answered=False)
    # and without one, the hot path
    await _alike(planned, plain, post(READ, {"n": 2}), answered=True)


async def test_reads_requiring_a_token_have_no_hot_path(
    make_parley: Callable[..., Parley],
) -> None:
    parley = make_parley(read_requires_token=True)
    async with parley.client:
        for _ in range(2):
            response = await parley.send(post(READ, {"n": 2}))
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert parley.app.state.hot_plans is None


async def test_mutations_and_unknown_documents_take_the_standard_path(
    planned: Parley, plain: Parley
) -> None:
    mutation = 'mutation { deleteMeeting(input: {id: "TWVldGluZzox"}) { userErrors { code } } }'
    await _alike(planned, plain, post(mutation), answered=False)
    await _alike(planned, plain, post(mutation), answered=False)
    await _alike(planned, plain, get(mutation), answered=False)  # 405
    await _alike(planned, plain, post("{ topics { totalCount } }"), answered=False)
    await _alike(planned, plain, post("{ nosuchfield }"), answered=False)
    await _alike(planned, plain, post("{ topics {"), answered=False)
    # the same text under another operation name is another document
    await _alike(
        planned, plain, post(READ) | {"json": {"query": READ, "operationName": "X"}}, answered=False
    )


@pytest.mark.parametrize(
    "variables",
    [
        {"n": "ten"},  # not an Int
        {"n": 2**40},  # out of Int's range
        {"n": 1.5},
        {"n": 2, "unused": "\x00"},  # a control character: refused for a read
    ],
)
async def test_bad_variables_get_the_standard_paths_error(
    planned: Parley, plain: Parley, variables: dict[str, Any]
) -> None:
    declined = planned.stats.declined
    await _alike(planned, plain, post(READ, variables), answered=False)
    await _alike(planned, plain, post(READ, variables, accept=GRAPHQL_RESPONSE), answered=False)
    await _alike(planned, plain, get(READ, variables), answered=False)
    assert planned.stats.declined == declined + 3


async def test_an_operation_over_the_cost_limit_gets_the_standard_paths_refusal(
    make_parley: Callable[..., Parley],
) -> None:
    hot, plain = make_parley(max_cost=50), make_parley(max_cost=50, hot_path=False)
    async with hot.client, plain.client:
        await hot.send(post(READ, {"n": 2}))  # planned; costs 1 + n × 3
        await _alike(hot, plain, post(READ, {"n": 60}), answered=False)
        await _alike(hot, plain, post(READ, {"n": 60}, accept=GRAPHQL_RESPONSE), answered=False)
        await _alike(hot, plain, post(READ, {"n": 16}), answered=True)


async def test_persisted_queries_and_other_request_shapes_take_the_standard_path(
    planned: Parley, plain: Parley
) -> None:
    digest = hashlib.sha256(READ.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    with_hash = {"query": READ, "variables": {"n": 2}, "extensions": apq}
    await _alike(planned, plain, post(READ) | {"json": with_hash}, answered=False)
    await _alike(planned, plain, post(READ) | {"json": {"extensions": apq}}, answered=False)
    by_id = {"query": READ, "variables": {"n": 2}, "documentId": digest}
    await _alike(planned, plain, post(READ) | {"json": by_id}, answered=False)
    # a batch, a form, a body that is no JSON object, variables that are no object
    await _alike(planned, plain, post(READ) | {"json": [{"query": READ}]}, answered=False)
    form = {"method": "POST", "url": "/graphql", "data": {"query": READ}}
    await _alike(planned, plain, form, answered=False)
    raw = {
        "method": "POST",
        "url": "/graphql",
        "content": b"[1,",
        "headers": {"content-type": "application/json"},
    }
    await _alike(planned, plain, raw, answered=False)
    listed = {"query": READ, "variables": [2]}
    await _alike(planned, plain, post(READ) | {"json": listed}, answered=False)
    twice = {"method": "GET", "url": f"/graphql?query={READ}&query={READ}"}
    await _alike(planned, plain, twice, answered=False)
    # while extensions that name no stored document, and GET, are answered
    other = {"query": READ, "variables": {"n": 2}, "extensions": {"client": "x"}}
    await _alike(planned, plain, post(READ) | {"json": other}, answered=True)
    await _alike(planned, plain, get(READ, {"n": 2}), answered=True)


async def test_a_failed_hot_read_is_answered_by_the_standard_executor_once(
    planned: Parley,
    plain: Parley,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a compiled read that fails (a database error, say)
    async def failing(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Executor, "read", failing)
    fell_back = STATS.fell_back
    caplog.set_level(logging.INFO, logger="parley")

    # when the planned read comes again, then Strawberry's executor answers it, as it does
    # without the hot path
    await _alike(planned, plain, post(READ, {"n": 2}), answered=False)
    failures = [r for r in caplog.records if "compiled read failed" in r.getMessage()]
    assert len(failures) == 2  # once per app: the hot path does not try it twice
    assert STATS.fell_back == fell_back + 2
    hot_line, plain_line = _access(caplog)
    assert hot_line == plain_line


async def test_a_slow_hot_read_times_out_as_the_standard_path_does(
    make_parley: Callable[..., Parley],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hot, plain = make_parley(request_timeout=0.2), make_parley(request_timeout=0.2, hot_path=False)
    caplog.set_level(logging.INFO, logger="parley.access")
    async with hot.client, plain.client:
        await hot.send(post(READ, {"n": 2}))
        caplog.clear()
        read = Executor.read

        async def slow(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0.5)
            return await read(*args, **kwargs)

        monkeypatch.setattr(Executor, "read", slow)
        hot_answer = await hot.send(post(READ, {"n": 2}))
        plain_answer = await plain.send(post(READ, {"n": 2}))
        await asyncio.sleep(0.6)  # the reads run out in the background

    assert hot_answer.status_code == 504
    assert _seen(hot_answer) == _seen(plain_answer)
    # and so is the log line, but for the statements counted by then: the standard path
    # answers once its (shielded) read has run out, the hot path at the timeout itself
    hot_line, plain_line = (line | {"sql_statements": None} for line in _access(caplog)[:2])
    assert hot_line == plain_line
    assert hot_answer.elapsed < plain_answer.elapsed
    assert hot_answer.json()["errors"][0]["extensions"] == {"code": "TIMEOUT"}


async def test_the_response_cache_wraps_the_hot_path_as_it_wraps_the_standard_path(
    make_parley: Callable[..., Parley],
) -> None:
    hot = make_parley(response_cache_size=16)
    async with hot.client:
        await hot.send(post(READ, {"n": 1}))  # planned on the standard path
        answered = hot.stats.answered
        # a miss answered by the hot path, cached, then a hit with the same bytes
        miss = await hot.send(post(READ, {"n": 2}))
        hit = await hot.send(post(READ, {"n": 2}))
        assert hot.stats.answered == answered + 1
        assert (miss.headers["x-parley-cache"], hit.headers["x-parley-cache"]) == ("miss", "hit")
        assert hit.content == miss.content
        # a GET: its ETag, then 304 for it
        fresh = await hot.send(get(READ, {"n": 3}))
        assert hot.stats.answered == answered + 2
        assert fresh.headers["x-parley-cache"] == "miss"
        tag = fresh.headers["etag"]
        again = await hot.send(get(READ, {"n": 3}, **{"if-none-match": tag}))
        assert again.status_code == 304
        assert hot.stats.answered == answered + 2


async def test_the_app_without_an_injected_session_reads_on_its_own_engine(
    seeded_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # given the app as `parley serve` runs it: its lifespan makes the engines (on PostgreSQL,
    # the hot path's reads go straight to asyncpg from a pool of their own)
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, response_cache_size=0))
    caplog.set_level(logging.INFO, logger="parley.access")
    request = post(READ, {"n": 4}, accept=GRAPHQL_RESPONSE)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
            parley = Parley(app, client)
            first = await parley.send(request)
            # when it comes again: SQLAlchemy runs it once more, then the driver alone
            answers = [await parley.send(request) for _ in range(3)]
            assert parley.stats.answered == 3
            reads = app.state.driver_reads
            on_postgres = reads is not None
            assert reads is None or reads.direct == 2  # the first repeat went through SQLAlchemy
    # then every answer is the first, and so is every log line (one statement each)
    assert all(_seen(answer) == _seen(first) for answer in answers)
    lines = _access(caplog)
    assert all(line == lines[0] for line in lines)
    assert lines[0]["sql_statements"] == (1 if on_postgres else 2)  # SQLite counts its BEGIN
    assert on_postgres == (seeded_engine.dialect.name == "postgresql")


async def test_the_response_cache_reads_the_data_version_on_the_apps_own_engine(
    seeded_engine: AsyncEngine,
) -> None:
    # given the app as `parley serve` runs it, with its response cache
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, response_cache_size=16))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
            parley = Parley(app, client)
            # when a read is planned, then answered by the hot path, then from the cache
            planned = await parley.send(post(READ, {"n": 1}))
            miss = await parley.send(post(READ, {"n": 2}))
            hits = [await parley.send(post(READ, {"n": 2})) for _ in range(3)]
            reads = app.state.driver_reads
    # then each answer is marked as before, the hits are the miss
    assert planned.headers["x-parley-cache"] == miss.headers["x-parley-cache"] == "miss"
    assert parley.stats.answered == 1
    assert all(hit.headers["x-parley-cache"] == "hit" for hit in hits)
    assert all(hit.content == miss.content for hit in hits)
    # and on PostgreSQL the version checks after the first went straight to the driver
    assert (reads is not None) == (seeded_engine.dialect.name == "postgresql")
    assert reads is None or reads.direct >= 4


async def test_a_slow_read_on_the_driver_is_cut_short_at_the_timeout(
    seeded_engine: AsyncEngine,
) -> None:
    if seeded_engine.dialect.name != "postgresql":
        pytest.skip("the driver reads are PostgreSQL's")
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, response_cache_size=0, request_timeout=0.3))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
            parley = Parley(app, client)
            # given a plan whose statement the driver now runs itself
            expected = [await parley.send(post(READ, {"n": 2})) for _ in range(3)]
            reads = app.state.driver_reads
            [(key, (statement, sql, parameters))] = reads._sent.items()
            # when that statement takes longer than the request may (here: made to sleep)
            slow = f"SELECT ({sql}) FROM pg_sleep(2)"
            reads._sent[key] = (statement, slow, parameters)
            timed_out = await parley.send(post(READ, {"n": 2}))
            reads._sent[key] = (statement, sql, parameters)
            # then it is answered TIMEOUT at once, and the next read is served as before
            after = await parley.send(post(READ, {"n": 2}))
    assert timed_out.status_code == 504
    assert timed_out.json() == {
        "data": None,
        "errors": [{"message": TIMEOUT_MESSAGE, "extensions": {"code": "TIMEOUT"}}],
    }
    assert timed_out.elapsed.total_seconds() < 1.9  # before the statement (2 s) would end
    assert _seen(after) == _seen(expected[0])
    assert parley.stats.answered == 3
