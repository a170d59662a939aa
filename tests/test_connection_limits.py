"""Connection limits before authentication, on a real server (issue 8, item 2).

Found by a hostile test: no limit on request header size (ten connections each sending
2,600 × 8 KB headers held 120 MiB) and no header or body read timeout (300 idle or slowloris
connections were all still open after 55 s). These drive uvicorn with the protocol and options
`parley serve` uses, over raw sockets.
"""

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import uvicorn

from api import cli
from api.http.protocol import ParleyProtocol, uvicorn_options
from api.main import create_app
from api.settings import Settings, get_settings
from tests.servers import serve_in_thread

GET = b"GET /healthz HTTP/1.1\r\nHost: parley.test\r\n"
MAX_CONNECTIONS = 8


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """A real server with small limits, as `parley serve` would run it; its host and port."""
    settings = Settings(
        database_url="sqlite+aiosqlite:///:memory:",
        access_log=False,
        max_header_bytes=4096,
        header_timeout=1.0,
        body_timeout=1.0,
        keep_alive_timeout=1,
        max_connections=MAX_CONNECTIONS,
    )
    with serve_in_thread(create_app(settings), **uvicorn_options(settings)) as base:
        host, port = base.removeprefix("http://").split(":")
        yield host, int(port)


@contextlib.contextmanager
def connect(server: tuple[str, int]) -> Iterator[socket.socket]:
    sock = socket.create_connection(server, timeout=5)
    try:
        yield sock
    finally:
        _LEFT.pop(sock.fileno(), None)
        sock.close()


_LEFT: dict[int, bytes] = {}  # bytes read past a response, by socket: the next one's


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body of the next response (the connection may then close)."""
    data = _LEFT.pop(sock.fileno(), b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed without a response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    _LEFT[sock.fileno()] = body[length:]
    return int(status_line.split()[1]), headers, body[:length]


def closed_within(sock: socket.socket, seconds: float) -> float:
    """Seconds until the server closed ``sock`` (reading whatever it sent); fails past them."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"the connection was still open after {seconds} s")
    return time.monotonic() - started


def coded(body: bytes) -> dict[str, Any]:
    extensions: dict[str, Any] = json.loads(body)["errors"][0]["extensions"]
    return extensions


def test_headers_over_the_limit_are_431_and_the_connection_closes(
    server: tuple[str, int],
) -> None:
    with connect(server) as sock:
        sock.sendall(GET + b"X-Pad: " + b"a" * 5000 + b"\r\n\r\n")
        status, headers, body = read_response(sock)
        assert status == 431
        assert headers["content-type"] == "application/json"
        assert coded(body) == {"code": "BAD_REQUEST", "subcode": "HEADERS_TOO_LARGE"}
        closed_within(sock, 2)


def test_megabytes_of_headers_are_cut_off_early(server: tuple[str, int]) -> None:
    # 2,600 headers of 8 KB, as the hostile test sent: the server stops reading long before
    sent = 0
    with connect(server) as sock:
        sock.sendall(GET)
        header = b"X-Pad: " + b"a" * 8192 + b"\r\n"
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for _ in range(2600):
                sock.sendall(header)
                sent += len(header)
        assert sent < 2600 * len(header)


def test_headers_just_under_the_limit_pass(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        pad = 4096 - len(GET) - len(b"X-Pad: \r\n\r\n")
        sock.sendall(GET + b"X-Pad: " + b"a" * pad + b"\r\n\r\n")
        status, _, body = read_response(sock)
        assert status == 200
        assert json.loads(body) == {"status": "ok"}


def test_slowloris_headers_are_408_within_the_timeout(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        sock.sendall(GET)
        started = time.monotonic()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for index in range(30):  # a header line every 0.2 s, for up to 6 s
                sock.sendall(b"X-Slow-%d: 1\r\n" % index)
                time.sleep(0.2)
                sock.settimeout(0.01)
                with contextlib.suppress(TimeoutError):
                    if sock.recv(1, socket.MSG_PEEK):
                        break
        sock.settimeout(5)
        status, _, body = read_response(sock)
        assert status == 408
        assert coded(body) == {"code": "BAD_REQUEST", "subcode": "HEADER_TIMEOUT"}
        assert time.monotonic() - started < 3


def test_an_idle_connection_closes_within_the_header_timeout(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        assert closed_within(sock, 3) >= 0.5


def test_a_slow_body_is_408_within_the_timeout(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: parley.test\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query":'
        )
        started = time.monotonic()
        status, _, body = read_response(sock)
        assert status == 408
        assert coded(body) == {"code": "BAD_REQUEST", "subcode": "BODY_TIMEOUT"}
        assert time.monotonic() - started < 3
        closed_within(sock, 2)


def test_an_idle_keep_alive_connection_closes(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        sock.sendall(GET + b"\r\n")
        assert read_response(sock)[0] == 200
        assert closed_within(sock, 3) >= 0.5


def test_keep_alive_pipelining_and_large_bodies_still_work(server: tuple[str, int]) -> None:
    query = json.dumps({"query": "{ __typename }", "variables": {"pad": "a" * 200_000}}).encode()
    post = (
        b"POST /graphql HTTP/1.1\r\nHost: parley.test\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(query)
    ) + query
    with connect(server) as sock:
        sock.sendall(post + GET + b"\r\n")  # a body far over the header limit, then another
        status, _, body = read_response(sock)
        assert (status, json.loads(body)["data"]) == (200, {"__typename": "Query"})
        assert read_response(sock)[0] == 200
        for _ in range(3):  # the same connection, request after request
            sock.sendall(GET + b"\r\n")
            assert read_response(sock)[0] == 200


def test_connections_past_the_limit_are_503(server: tuple[str, int]) -> None:
    with contextlib.ExitStack() as stack:
        held = [stack.enter_context(connect(server)) for _ in range(MAX_CONNECTIONS)]
        time.sleep(0.2)
        with connect(server) as extra:
            extra.sendall(GET + b"\r\n")
            status, headers, body = read_response(extra)
        assert status == 503
        assert headers["retry-after"] == "1"
        assert coded(body) == {"code": "SERVICE_UNAVAILABLE", "subcode": "TOO_MANY_CONNECTIONS"}
        del held
    time.sleep(0.2)
    with connect(server) as sock:  # once they are gone, a connection is served again
        sock.sendall(GET + b"\r\n")
        assert read_response(sock)[0] == 200


def test_an_unparsable_request_is_a_coded_400(server: tuple[str, int]) -> None:
    with connect(server) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        status, headers, body = read_response(sock)
        assert status == 400
        assert headers["content-type"] == "application/json"
        assert coded(body)["code"] == "BAD_REQUEST"


def test_parley_serve_runs_with_these_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_MAX_HEADER_BYTES", "8192")
    monkeypatch.setenv("PARLEY_KEEP_ALIVE_TIMEOUT", "7")
    get_settings.cache_clear()
    try:
        with mock.patch.object(uvicorn, "run") as run:
            cli.serve(host=None, port=None, workers=1)
    finally:
        get_settings.cache_clear()
    options = run.call_args.kwargs
    assert options["http"].func is ParleyProtocol
    assert options["http"].keywords["limits"].max_header_bytes == 8192
    assert options["timeout_keep_alive"] == 7
