"""The web example (examples/web) in headless Chromium against a real `parley serve`.

The page is the built bundle (`npm run build` in examples/web; `make test` builds it), served
from another origin than the API, as a dashboard would be. It loads the first page of
meetings, pages twice, shows a meeting recorded through another client as it is committed
(a graphql-ws subscription), and sends its queries as automatic persisted queries: a hash
first, the text only when the server asks for it.
"""

import contextlib
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.test_graphiql import CHROMIUM, CHROMIUM_ARGS, require_chromium

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "examples" / "web" / "dist"
PARLEY = str(Path(sys.executable).with_name("parley"))
PAGE_SIZE = 5  # examples/web/src/main.ts
EXPECTED_400 = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
RECORD = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
  meeting { id title } userErrors { field code } } }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _parley(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [PARLEY, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextlib.contextmanager
def _parley_serve(env: dict[str, str], cwd: Path, port: int) -> Iterator[str]:
    log = (cwd / "serve.log").open("wb")
    server = subprocess.Popen(
        [PARLEY, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (cwd / "serve.log").read_text()
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            assert time.monotonic() < deadline, "parley serve did not start within 30 s"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@contextlib.contextmanager
def _static(directory: Path) -> Iterator[str]:
    """The built bundle on its own origin (another port than the API's)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not (DIST / "index.html").exists():
        pytest.fail("examples/web is not built: run `make test` (or `npm run build` there)")
    return DIST


@pytest.fixture(scope="module")
def site(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A seeded SQLite database, `parley serve` on it, a write token, the page's origin."""
    cwd = tmp_path_factory.mktemp("web")
    with _static(bundle) as origin:
        env = {
            **os.environ,
            "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'parley.db'}",
            "PARLEY_CORS_ORIGINS": json.dumps([origin]),
        }
        _parley(env, cwd, "db", "upgrade")
        _parley(env, cwd, "seed")
        token = _parley(env, cwd, "tokens", "create", "--name", "web-test").strip().splitlines()[-1]
        with _parley_serve(env, cwd, _free_port()) as api:
            yield {"api": api, "origin": origin, "token": token}


def _record(api: str, token: str, title: str) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql",
        json={"query": RECORD, "variables": {"input": {"title": title, "start": "2030-01"}}},
        headers={"Authorization": f"Bearer {token}"},
    )
    payload: dict[str, Any] = response.json()["data"]["recordMeeting"]
    assert payload["userErrors"] == []
    return payload


def _graphql_exchanges(exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in exchanges if urlsplit(e["url"]).path == "/graphql"]


def _sent_query(exchange: dict[str, Any]) -> bool:
    """Whether the request carried the document's text (not only its hash)."""
    if exchange["method"] == "GET":
        return "query" in parse_qs(urlsplit(exchange["url"]).query)
    return '"query"' in (exchange["body"] or "")


@pytest.mark.browser
def _total(api: str) -> int:
    response = httpx.post(f"{api}/graphql", json={"query": "{ meetings { totalCount } }"})
    total: int = response.json()["data"]["meetings"]["totalCount"]
    return total


def test_the_web_example_pages_and_shows_meetings_recorded_elsewhere(
    site: dict[str, str], tmp_path: Path
) -> None:
    require_chromium()
    from playwright.sync_api import (  # noqa: PLC0415 - only once Chromium is known to exist
        ConsoleMessage,
        Error,
        Response,
        Route,
        expect,
        sync_playwright,
    )

    api, origin, token = site["api"], site["origin"], site["token"]
    seeded = _total(api)  # the seed's meetings, however many it holds
    exchanges: list[dict[str, Any]] = []
    problems: list[str] = []

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def on_response(response: Response) -> None:
        request = response.request
        body = None
        with contextlib.suppress(Error):
            body = response.text()
        exchanges.append(
            {
                "url": request.url,
                "method": request.method,
                "body": request.post_data,
                "status": response.status,
                "response": body,
                "headers": response.headers,
            }
        )

    def on_console(message: ConsoleMessage) -> None:
        # The browser logs every 4xx; the one 400 expected (the first hash) is checked below.
        if message.type == "error" and message.text != EXPECTED_400:
            problems.append(f"console error: {message.text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.set_default_timeout(15_000)
            page.route("**/*", only_local)
            page.on("response", on_response)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", on_console)
            url = f"{origin}/index.html?api={api}/graphql"

            # load: the first page, the total, the live connection
            page.goto(url)
            meetings = page.get_by_test_id("meetings").locator("li")
            expect(meetings).to_have_count(PAGE_SIZE)
            expect(page.get_by_test_id("total")).to_have_text(str(seeded))
            expect(page.get_by_test_id("status")).to_have_attribute("data-live", "true")
            first_page = meetings.all_inner_texts()

            # page twice: Relay-style pagination appends pages in the cache
            for pages in (2, 3):
                page.get_by_test_id("more").click()
                expect(meetings).to_have_count(PAGE_SIZE * pages)
            ids = [m.get_attribute("data-id") for m in meetings.all()]
            assert len(set(ids)) == len(ids) == 3 * PAGE_SIZE
            assert meetings.all_inner_texts()[:PAGE_SIZE] == first_page

            # a meeting recorded through another client appears, live
            recorded = _record(api, token, "Recorded elsewhere, seen live")
            live = page.get_by_test_id("live").locator("li")
            expect(live).to_have_count(1, timeout=5_000)
            expect(live.first).to_contain_text("Recorded elsewhere, seen live")
            expect(live.first).to_contain_text("2030-01")
            assert live.first.get_attribute("data-id") == recorded["meeting"]["id"]

            # reload: the server knows the document by its hash now
            before_reload = len(exchanges)
            page.reload()
            expect(meetings).to_have_count(PAGE_SIZE)
            expect(page.get_by_test_id("total")).to_have_text(str(seeded + 1))
            after_reload = _graphql_exchanges(exchanges[before_reload:])
        finally:
            page.screenshot(path=str(tmp_path / "web.png"))
            browser.close()

    # the persisted-query round trip: hash only, asked for the text once, then hash only
    graphql = _graphql_exchanges(exchanges)
    first = graphql[0]
    assert (first["method"], _sent_query(first)) == ("GET", False), first
    assert "PERSISTED_QUERY_NOT_FOUND" in (first["response"] or ""), first
    assert [e["status"] for e in graphql].count(400) == 1, "only the first hash was unknown"
    assert _sent_query(graphql[1]), "the client sent the text when asked"
    hashed = [e for e in graphql[2:] if e["method"] == "GET" and not _sent_query(e)]
    assert len(hashed) >= 2, "the two next pages went as hashes"
    assert all(e["status"] == 200 and '"errors"' not in e["response"] for e in hashed)
    assert after_reload, "the reload queried the API"
    assert not any(_sent_query(e) for e in after_reload), "after the reload: hashes only"
    assert all("etag" in e["headers"] for e in after_reload if e["method"] == "GET")
    assert not problems, problems
