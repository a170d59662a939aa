"""GraphiQL is served by Parley itself: no CDN, every asset same-origin, and it really runs.

These tests use a one-field schema of their own, so they depend only on ``api.graphiql``.
"""

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import strawberry
from fastapi import FastAPI

from api import graphiql
from api.graphiql import (
    ASSETS,
    ASSETS_PATH,
    GraphQLRouter,
    graphiql_html,
    mount_graphiql_assets,
)
from tests.servers import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CDN_MARKERS = ("http://", "https://", "//cdn", "unpkg", "jsdelivr", "esm.sh", "googleapis")


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def make_app() -> FastAPI:
    app = FastAPI()
    router: GraphQLRouter[None, None] = GraphQLRouter(strawberry.Schema(query=Query))
    app.include_router(router, prefix="/graphql")
    mount_graphiql_assets(app)
    return app


class _References(HTMLParser):
    """Collects every URL the page makes the browser load (script src, link href, img src)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def referenced_urls(page: str) -> list[str]:
    parser = _References()
    parser.feed(page)
    return [url for url in parser.urls if not url.startswith("data:")]


@pytest.fixture
def installed() -> None:
    missing = graphiql.missing_assets()
    if missing:
        pytest.fail(f"GraphiQL assets are not installed ({missing[0]} …): run `make setup`")


@pytest.fixture
def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app()), base_url="http://t")


@pytest.mark.usefixtures("installed")
async def test_page_loads_only_same_origin_assets_that_are_served(
    client: httpx.AsyncClient,
) -> None:
    page = graphiql_html("/graphql")

    assert "<title>Parley — GraphiQL</title>" in page
    # the example tabs are text for the editor (their queries name sources' addresses)
    code = re.sub(r"defaultTabs: \[.*?\],\n", "", page)
    assert code != page
    for marker in CDN_MARKERS:
        assert marker not in code.lower(), f"external reference {marker!r} in the GraphiQL page"
    assert "shouldPersistHeaders: false" in page
    assert "isHeadersEditorEnabled: true" in page
    assert "mechanisms(first: 5)" in page

    urls = referenced_urls(page)
    assert len(urls) == len(ASSETS)
    on_disk = {asset.url(): asset.path for asset in ASSETS}
    async with client:
        for url in urls:
            assert url.startswith(f"{ASSETS_PATH}/"), url
            assert on_disk[url].is_file(), url
            response = await client.get(url)
            assert response.status_code == 200, url
            assert response.content == on_disk[url].read_bytes()
            kind = "text/css" if url.endswith(".css") else "javascript"
            assert kind in response.headers["content-type"], url
            assert "immutable" in response.headers["cache-control"]

            revalidated = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
            assert revalidated.status_code == 304


@pytest.mark.usefixtures("installed")
async def test_only_the_listed_files_are_served(client: httpx.AsyncClient) -> None:
    graphiql_js = graphiql.GRAPHIQL_JS.url()
    assert graphiql_js is not None
    async with client:
        for path in [
            f"{ASSETS_PATH}/graphiql/graphiql.min.js",  # unversioned
            f"{ASSETS_PATH}/graphiql@0.0.1/graphiql.min.js",  # not the installed version
            graphiql_js.replace("graphiql.min.js", "package.json"),
            graphiql_js.replace("graphiql.min.js", "../react/package.json"),
            f"{ASSETS_PATH}/../package.json",
            f"{ASSETS_PATH}/",
        ]:
            response = await client.get(path)
            assert response.status_code == 404, path
        assert (await client.post(graphiql_js)).status_code == 405


@pytest.mark.usefixtures("installed")
async def test_endpoint_serves_the_page_to_browsers_and_answers_queries(
    client: httpx.AsyncClient,
) -> None:
    async with client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        result = await client.post("/graphql", json={"query": "{ hello }"})

    assert page.status_code == 200
    assert "<title>Parley — GraphiQL</title>" in page.text
    assert 'var endpoint = "/graphql";' in page.text
    assert result.json() == {"data": {"hello": "world"}}


def test_endpoint_and_query_cannot_break_out_of_the_script() -> None:
    page = graphiql_html("/x</script><script>alert(1)//", default_query="</script>")
    assert page.count("</script>") == page.count("<script")


async def test_missing_assets_explain_how_to_install_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(graphiql, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.setattr(graphiql, "PROJECT_ROOT", tmp_path)
    app = make_app()  # builds fine without node_modules
    assert "make setup" in caplog.text

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        result = await client.post("/graphql", json={"query": "{ hello }"})
        asset = await client.get(f"{ASSETS_PATH}/graphiql@3.9.0/graphiql.min.js")

    assert page.status_code == 503
    assert "<code>make setup</code>" in page.text
    assert "node_modules/graphiql/graphiql.min.js" in page.text
    assert referenced_urls(page.text) == []
    assert result.json() == {"data": {"hello": "world"}}
    assert asset.status_code == 404


# --- the real thing: headless Chromium against a running server -------------------------------


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """A uvicorn server on a free 127.0.0.1 port, in a background thread."""
    with serve_in_thread(make_app(), lifespan="off") as url:
        yield url


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh` as root"
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.browser
@pytest.mark.usefixtures("installed")
def test_graphiql_runs_a_query_offline_in_chromium(server_url: str, tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import (  # noqa: PLC0415 - only once Chromium is known to exist
        ConsoleMessage,
        Error,
        Request,
        Route,
        expect,
        sync_playwright,
    )

    requests: list[Request] = []
    problems: list[str] = []
    screenshot = tmp_path / "graphiql.png"

    def only_local(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.hostname == "127.0.0.1" or url.scheme in ("data", "blob"):
            route.continue_()
        else:
            route.abort()

    def on_request(request: Request) -> None:
        requests.append(request)

    def on_page_error(error: Error) -> None:
        problems.append(f"page error: {error}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.set_default_timeout(10_000)
            page.route("**/*", only_local)
            page.on("request", on_request)
            page.on("pageerror", on_page_error)
            page.on("console", on_console)

            response = page.goto(f"{server_url}/graphql")
            assert response is not None
            assert response.status == 200
            assert page.title() == "Parley — GraphiQL"

            editor = page.locator(".graphiql-query-editor .CodeMirror")
            expect(editor).to_contain_text("mechanisms(first: 5)")  # the default query
            expect(page.get_by_text("Headers", exact=True)).to_be_visible()

            editor.click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.insert_text("{ hello }")
            page.get_by_role("button", name=re.compile("Execute query")).click()
            expect(page.locator(".graphiql-response")).to_contain_text('"world"')

            page.get_by_role("button", name="Show GraphiQL Explorer").click()
            expect(page.locator(".graphiql-explorer-root")).to_contain_text("hello")
        finally:
            page.screenshot(path=str(screenshot))  # kept for a look: `pytest -s` prints where
            print(f"GraphiQL screenshot: {screenshot}")
            browser.close()

    hosts = {urlsplit(request.url).hostname for request in requests}
    assert hosts <= {"127.0.0.1", None, ""}, f"requests left the machine: {sorted(map(str, hosts))}"
    posts = [r for r in requests if r.method == "POST" and urlsplit(r.url).path == "/graphql"]
    assert any("hello" in (r.post_data or "") for r in posts), "the query was never POSTed"
    assert all("application/json" in r.headers.get("content-type", "") for r in posts)
    assert not problems, problems
