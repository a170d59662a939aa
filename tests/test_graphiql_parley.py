"""GraphiQL on Parley itself: a browser explores the seeded data with no internet access."""

import asyncio
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api import migrations
from api.db import create_engine, create_session_factory
from api.main import create_app
from api.models import Scope
from api.services import seed, tokens
from api.settings import Settings
from tests.servers import serve_in_thread
from tests.test_graphiql import CHROMIUM, CHROMIUM_ARGS, require_chromium

FIRST_QUERY = """{
  mechanisms(filter: { partyCountries: ["CN"], statuses: [ACTIVE] }) {
    totalCount
    edges { node { name cadence { text } } }
  }
}"""


async def _seeded(url: str) -> None:
    engine = create_engine(url)
    await migrations.upgrade(engine)
    async with create_session_factory(engine)() as session:
        await seed.load(session)
        await session.commit()
    await engine.dispose()


@pytest.fixture(scope="module")
def parley_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`make serve` in miniature: a migrated, seeded SQLite file served by uvicorn."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('graphiql') / 'parley.db'}"
    asyncio.run(_seeded(url))
    os.environ["PARLEY_GRAPHIQL_TEST_TOKEN"] = asyncio.run(_token(url))
    with serve_in_thread(create_app(Settings(database_url=url)), ws="auto") as base:
        yield base


async def _token(url: str) -> str:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        token, _ = await tokens.create(session, name="graphiql-writer", scope=Scope.WRITE)
        await session.commit()
    await engine.dispose()
    return token


@pytest.mark.browser
def test_an_analyst_runs_the_readme_query_in_graphiql(parley_url: str, tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import Request, Route, expect, sync_playwright  # noqa: PLC0415

    hosts: set[str | None] = set()

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def on_request(request: Request) -> None:
        hosts.add(urlsplit(request.url).hostname)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.set_default_timeout(15_000)
            page.route("**/*", only_local)
            page.on("request", on_request)
            page.goto(f"{parley_url}/graphql")
            editor = page.locator(".graphiql-query-editor .CodeMirror")
            editor.click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.insert_text(FIRST_QUERY)
            page.get_by_role("button", name=re.compile("Execute query")).click()
            response = page.locator(".graphiql-response")
            expect(response).to_contain_text("US-China Commercial Issues Working Group")
            expect(response).to_contain_text("twice annually")
        finally:
            page.screenshot(path=str(tmp_path / "parley-graphiql.png"))
            browser.close()

    assert hosts <= {"127.0.0.1"}, f"requests left the machine: {hosts}"


@pytest.mark.browser
def test_a_subscription_in_graphiql_shows_a_meeting_recorded_elsewhere(
    parley_url: str, tmp_path: Path
) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    title = "Recorded while GraphiQL was listening"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.set_default_timeout(15_000)
            page.goto(f"{parley_url}/graphql")
            editor = page.locator(".graphiql-query-editor .CodeMirror")
            editor.click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.insert_text("subscription Live { meetingRecorded { title } }")
            page.get_by_role("button", name=re.compile("Execute query")).click()
            page.wait_for_timeout(1000)  # the WebSocket is open and the subscription started
            response = httpx.post(
                f"{parley_url}/graphql",
                json={
                    "query": "mutation($t: String!) { recordMeeting(input: {title: $t}) "
                    "{ userErrors { code } } }",
                    "variables": {"t": title},
                },
                headers={"Authorization": f"Bearer {os.environ['PARLEY_GRAPHIQL_TEST_TOKEN']}"},
            )
            assert response.json()["data"]["recordMeeting"]["userErrors"] == []
            expect(page.locator(".graphiql-response")).to_contain_text(title)
        finally:
            page.screenshot(path=str(tmp_path / "parley-graphiql-subscription.png"))
            browser.close()
