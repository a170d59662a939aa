"""A real HTTP server for tests that need one (a browser, a subprocess client)."""

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import uvicorn

PARLEY = str(Path(sys.executable).with_name("parley"))


@contextlib.contextmanager
def serve_in_thread(
    app: Any,
    *,
    lifespan: Literal["on", "off"] = "on",
    timeout: float = 10,
    ws: Literal["none", "auto"] = "none",
    **options: Any,
) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port; yield its base URL.

    ``options`` go to uvicorn's Config (e.g. ``api.http.protocol.uvicorn_options``).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, ws=ws, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, f"uvicorn did not start within {timeout} s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)
        sock.close()


@contextlib.asynccontextmanager
async def serve_in_loop(app: Any, *, within: float = 10) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn (WebSockets too) in the running event loop, so it shares the
    test's database fixtures; yield its ``127.0.0.1:port``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="auto")
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    deadline = time.monotonic() + within
    while not server.started:
        assert not task.done(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, f"uvicorn did not start within {within} s"
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, within)
        sock.close()


@dataclass(frozen=True)
class ServerProcess:
    """A running `parley serve`: where it listens and its process (one worker: the server)."""

    base: str
    process: subprocess.Popen[bytes]

    def rss_bytes(self) -> int:
        """The server's resident memory now."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024


@contextlib.contextmanager
def parley_serve(env: dict[str, str], cwd: Path, *, timeout: float = 30) -> Iterator[ServerProcess]:
    """Run `parley serve` on a free port with ``env`` added to the environment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [PARLEY, "serve", "--port", str(port)],
        env={**os.environ, **env},
        cwd=cwd,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, "parley serve exited while starting"
            assert time.monotonic() < deadline, f"parley serve did not start within {timeout} s"
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            time.sleep(0.1)
        yield ServerProcess(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
