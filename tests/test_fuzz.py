"""Fuzzing the whole schema in-process: every root query and mutation with arbitrary arguments.

hypothesis-graphql builds documents from the schema (queries over every root field, mutations
with a write token so they really write); schemathesis does the same per operation through its
own ASGI client. Both run on a migrated, seeded database of their own where writes commit, on
SQLite and PostgreSQL. See :mod:`tests.fuzzing` for what a sound answer is.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.main import create_app
from api.models import Scope
from api.services import seed, tokens
from api.settings import PROJECT_ROOT, Settings
from tests.conftest import scratch_engine
from tests.fuzzing import CUSTOM_SCALARS, FUZZ_SETTINGS, printed_with_user_errors, problems

SDL = (PROJECT_ROOT / "schema.graphql").read_text(encoding="utf-8")
QUERY_EXAMPLES = 150
MUTATION_EXAMPLES = 250
SCHEMATHESIS_EXAMPLES = 8  # per root field


class FuzzTarget:
    """A committed, seeded database, settings that do not rate-limit, and tokens."""

    def __init__(self, settings: Settings, write_token: str, admin_token: str) -> None:
        self.settings = settings
        self.write = {"Authorization": f"Bearer {write_token}"}
        self.admin = {"Authorization": f"Bearer {admin_token}"}


@pytest.fixture(scope="module")
async def target(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FuzzTarget]:
    async with scratch_engine(database_url, tmp_path_factory, suffix="fuzz") as engine:
        await migrations.upgrade(engine)
        async with AsyncSession(engine, expire_on_commit=False) as session:
            await seed.load(session)
            write, _ = await tokens.create(session, name="fuzz-writer", scope=Scope.WRITE)
            admin, _ = await tokens.create(session, name="fuzz-admin", scope=Scope.ADMIN)
            await session.commit()
        settings = Settings(
            database_url=engine.url.render_as_string(hide_password=False),
            mutation_rate_limit=1_000_000,
        )
        yield FuzzTarget(settings, write, admin)
        asgi.shutdown_lifespans()  # schemathesis keeps the apps it served running


class FuzzClient:
    """An HTTP client of the app, and its engine's pool (to see connections left out)."""

    def __init__(self, client: httpx.AsyncClient, engine: AsyncEngine) -> None:
        self.client = client
        self.pool = engine.pool

    async def send(self, query: str, headers: dict[str, str], *, mutation: bool) -> None:
        response = await self.client.post("/graphql", json={"query": query}, headers=headers)
        found = problems(response.status_code, response.json(), mutation=mutation)
        if self.pool.checkedout():  # type: ignore[attr-defined]
            found.append("a database connection was not returned to the pool")
        assert not found, f"{query}\n-> {found}"


@pytest.fixture(scope="module")
async def fuzz_client(target: FuzzTarget) -> AsyncIterator[FuzzClient]:
    app = create_app(target.settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as c:
            yield FuzzClient(c, app.state.session_factory.kw["bind"])


@settings(FUZZ_SETTINGS, max_examples=QUERY_EXAMPLES)
@given(query=queries(SDL, custom_scalars=CUSTOM_SCALARS))
async def test_any_query_is_answered_soundly(
    fuzz_client: FuzzClient, target: FuzzTarget, query: str
) -> None:
    await fuzz_client.send(query, target.admin, mutation=False)


@settings(FUZZ_SETTINGS, max_examples=MUTATION_EXAMPLES)
@given(query=mutations(SDL, custom_scalars=CUSTOM_SCALARS, print_ast=printed_with_user_errors))
async def test_any_mutation_fails_only_with_user_errors(
    fuzz_client: FuzzClient, target: FuzzTarget, query: str
) -> None:
    await fuzz_client.send(query, target.write, mutation=True)


def test_schemathesis_over_every_root_field(target: FuzzTarget) -> None:
    app = create_app(target.settings)  # schemathesis serves it in an event loop of its own
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    for name, strategy in CUSTOM_SCALARS.items():
        schemathesis.graphql.scalar(name, strategy)
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), target)  # type: ignore[union-attr]  # Err fails here


def _fuzz_operation(operation: Any, target: FuzzTarget) -> None:
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    cases = st.one_of([operation.as_strategy(generation_mode=mode) for mode in modes])

    @settings(FUZZ_SETTINGS, max_examples=SCHEMATHESIS_EXAMPLES)
    @given(case=cases)
    def fuzz(case: Any) -> None:
        mutation = case.operation.definition.is_mutation
        response = case.call(headers=target.write if mutation else target.admin)
        case.validate_response(response, checks=[not_a_server_error])
        found = problems(response.status_code, response.json(), mutation=mutation)
        assert not found, f"{case.operation.label}: {case.body}\n-> {found}"

    fuzz()
