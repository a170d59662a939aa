"""A fixed-rate (open-loop) load generator: latency at a given request rate, not at saturation.

Request i is due at ``start + i / rate`` whether or not earlier ones have been answered, and its
latency is measured from that due time (so a stalled server is not hidden by a waiting client:
no coordinated omission). Requests go over a bounded pool of keep-alive HTTP/1.1 connections
to 127.0.0.1, written and parsed by hand (a few tens of microseconds per request, so the
generator takes little of the CPU the servers share with it). Bounded in time and in count.
"""

import asyncio
import contextlib
import dataclasses
import statistics
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

MAX_CONNECTIONS = 64
MAX_REQUESTS = 50_000
DRAIN_SECONDS = 10.0


@dataclasses.dataclass
class _Pool:
    host: str
    port: int
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]
    free: asyncio.Semaphore
    opened: int = 0

    async def take(self) -> tuple[tuple[asyncio.StreamReader, asyncio.StreamWriter], bool]:
        """A connection (an idle one if any, else a new one) and whether it was idle."""
        await self.free.acquire()
        if self.idle:
            return self.idle.pop(), True
        try:
            return await self.connect(), False
        except BaseException:
            self.free.release()
            raise

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.opened += 1
        return await asyncio.open_connection(self.host, self.port)

    def give(self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
        if connection is not None:
            self.idle.append(connection)
        self.free.release()

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


def _request(url: str, body: bytes) -> tuple[str, int, bytes]:
    """Host, port and the bytes of a keep-alive POST of ``body``."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return host, port, head.encode() + body


async def _exchange(
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
) -> int:
    reader, writer = connection
    writer.write(request)
    return await _read_response(reader)


async def _run(url: str, body: bytes, *, rate: float, seconds: float) -> dict[str, Any]:
    host, port, request = _request(url, body)
    count = min(MAX_REQUESTS, max(1, round(rate * seconds)))
    pool = _Pool(host, port, [], asyncio.Semaphore(MAX_CONNECTIONS))
    latencies: list[float] = []
    failures = 0
    loop = asyncio.get_running_loop()

    async def one(due: float) -> None:
        nonlocal failures
        try:
            connection, reused = await pool.take()
        except OSError:
            failures += 1
            return
        try:
            try:
                status = await _exchange(connection, request)
            except (OSError, asyncio.IncompleteReadError):
                if not reused:
                    raise
                # the server closed an idle keep-alive connection: once more on a new one
                connection[1].close()
                connection = await pool.connect()
                status = await _exchange(connection, request)
            if status != 200:
                failures += 1
            latencies.append(loop.time() - due)
            pool.give(connection)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            failures += 1
            connection[1].close()
            pool.give(None)
        except asyncio.CancelledError:
            connection[1].close()
            pool.give(None)
            raise

    tasks: list[asyncio.Task[None]] = []
    start = loop.time() + 0.05
    for i in range(count):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    sent_for = loop.time() - start
    _, pending = await asyncio.wait(tasks, timeout=DRAIN_SECONDS)
    for task in pending:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*pending, return_exceptions=True)
    pool.close()
    return {
        "target_rps": rate,
        "achieved_rps": len(latencies) / max(sent_for, 1e-9),
        "requests": count,
        "completed": len(latencies),
        "errors": failures,
        "unfinished": len(pending),
        "connections": pool.opened,
        **_percentiles(latencies),
        "seconds": seconds,
    }


def _percentiles(latencies: list[float]) -> dict[str, float | None]:
    ordered = sorted(latencies)

    def pct(q: float) -> float | None:
        if not ordered:
            return None
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
        "mean_ms": 1000 * statistics.fmean(ordered) if ordered else None,
    }


def fixed_rate(url: str, body: bytes, *, rate: float, seconds: float) -> dict[str, Any]:
    """POST ``body`` to ``url`` (127.0.0.1 only) at ``rate`` requests per second for
    ``seconds`` (at most MAX_REQUESTS requests); latency percentiles in ms."""
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
        raise ValueError("the open-loop generator only loads 127.0.0.1")
    try:
        import uvloop  # noqa: PLC0415  (optional: a faster event loop, as the servers use)

        factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    except ImportError:  # pragma: no cover
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(_run(url, body, rate=rate, seconds=seconds))
