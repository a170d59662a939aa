"""``python -m bench``: build the database, start both servers, check, time, report."""

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from api import migrations
from api.db import create_engine, create_session_factory, statement_log
from api.main import create_app
from api.models import Scope
from api.services import tokens
from api.settings import Settings
from bench import database, generate, openloop, operations, report, servers, shapes
from bench.operations import Operation, Params

RESULTS = servers.BENCH_DIR / "results"
WRK_SCRIPT = servers.BENCH_DIR / "wrk.lua"
PARLEY_PORT = 8601
POSTGRAPHILE_PORT = 8602
COUNTING_PORT = 8603
STATS_PORT = 8604
PARLEY_CACHED_PORT = 8605
MAX_SECONDS_PER_RUN = 120  # every load run is bounded in time, whatever the arguments say
ROWID_BLOCK = 1_000_000  # meeting ids reserved for PostGraphile's createMeeting per run
FIXED_RATE_SHARE = 0.5  # the open-loop runs load each server at half its measured maximum
FIXED_RATE_OPERATIONS = ("node", "flat")
# Parley's settings for the benchmark: mutations are rate-limited per token (60 a minute by
# default); the benchmark's token may send as many as the server can take.
PARLEY_BENCH_SETTINGS = {
    "PARLEY_MUTATION_RATE_LIMIT": "1000000000",
    "PARLEY_MUTATION_RATE_WINDOW": "1",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="M")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per timed run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per operation")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    parser.add_argument("--parley-workers", type=int, default=2)
    parser.add_argument(
        "--parley-server",
        choices=("uvicorn", "granian"),
        default="uvicorn",
        help="the ASGI server Parley runs under (compare both; serve with the faster)",
    )
    parser.add_argument("--postgraphile-workers", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="operation names to time (default: all)")
    parser.add_argument(
        "--fixed-rate-seconds",
        type=float,
        default=10.0,
        help="seconds of each fixed-rate run at half the maximum rate (0: skip them)",
    )
    parser.add_argument(
        "--reuse-database", action="store_true", help="skip rebuilding an existing database"
    )
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_SECONDS_PER_RUN)
    args.warmup = min(args.warmup, MAX_SECONDS_PER_RUN)
    args.fixed_rate_seconds = min(args.fixed_rate_seconds, MAX_SECONDS_PER_RUN)
    args.rounds = max(1, min(args.rounds, 5))
    return args


async def _params(db: database.Database, run: str) -> Params:
    connection = await asyncpg.connect(db.libpq_url)
    try:
        meeting = await connection.fetchval(
            "SELECT id FROM meeting WHERE slug = $1", operations.NODE_MEETING_SLUG
        )
        mechanism = await connection.fetchval(
            "SELECT id FROM mechanism WHERE slug = $1", operations.FLAT_MECHANISM_SLUG
        )
        people = await connection.fetch("SELECT id FROM person ORDER BY id LIMIT 4")
        countries = await connection.fetch(
            "SELECT code, id FROM country WHERE code IN ('US', 'CN')"
        )
    finally:
        await connection.close()
    if meeting is None or mechanism is None:
        raise RuntimeError(f"{db.name} holds no generated data; run without --reuse-database")
    return Params(
        meeting_id=int(meeting),
        mechanism_id=int(mechanism),
        person_ids=tuple(int(row["id"]) for row in people),
        country_ids={row["code"]: int(row["id"]) for row in countries},
        run=run,
    )


async def _upgrade(db: database.Database) -> None:
    """Bring a reused database to Parley's latest migration."""
    engine = create_engine(db.sqlalchemy_url)
    try:
        await migrations.upgrade(engine)
    finally:
        await engine.dispose()


async def _write_token(db: database.Database, name: str) -> str:
    """A write token for this run (api.services.tokens, as `parley tokens create` does)."""
    engine = create_engine(db.sqlalchemy_url)
    try:
        async with create_session_factory(engine)() as session:
            token, _ = await tokens.create(session, name=name, scope=Scope.WRITE)
            await session.commit()
    finally:
        await engine.dispose()
    return token


async def _reserve_meeting_ids(db: database.Database, block: int) -> int:
    """Take ``block`` ids from meeting_id_seq for PostGraphile's createMeeting; the first."""
    connection = await asyncpg.connect(db.libpq_url)
    try:
        first = int(await connection.fetchval("SELECT nextval('meeting_id_seq')"))
        await connection.execute("SELECT setval('meeting_id_seq', $1::bigint)", first + block)
    finally:
        await connection.close()
    return first


@dataclasses.dataclass
class Feed:
    """What the load generator sends one server for one operation.

    A read repeats one body. A mutation's body is a template (see operations.instantiate):
    ``next`` is the counter of the next request, ``rowid_base`` PostGraphile's reserved ids.
    """

    body_file: Path
    template: bool = False
    authorization: str | None = None
    rowid_base: int = 0
    next: int = 1

    def body(self) -> bytes:
        """The next single request's body (and advance the counter)."""
        raw = self.body_file.read_bytes()
        if not self.template:
            return raw
        n, self.next = self.next, self.next + 1
        return operations.instantiate(raw, n, self.rowid_base)

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        return headers

    def env(self) -> dict[str, str]:
        env = {"BENCH_BODY_FILE": str(self.body_file)}
        if self.authorization:
            env["BENCH_AUTHORIZATION"] = self.authorization
        if self.template:
            if self.next >= ROWID_BLOCK:
                raise RuntimeError("the reserved block of meeting ids is used up")
            env["BENCH_SEQ_START"] = str(self.next - 1)
            env["BENCH_ROWID_BASE"] = str(self.rowid_base)
        return env

    def advance(self, summary: dict[str, Any]) -> None:
        if self.template:
            self.next = max(self.next, int(summary["last_sequence"]) + 1)


async def _database_exists(db: database.Database) -> bool:
    try:
        connection = await asyncpg.connect(db.libpq_url)
    except asyncpg.InvalidCatalogNameError:
        return False
    await connection.close()
    return True


async def count_statements(
    url: str, ops: list[Operation], feeds: dict[str, dict[str, Feed]]
) -> dict[str, int]:
    """SQL statements per request, counted inside Parley (one request each, in-process):
    reads with the response cache off, cached reads served from it (the request before is
    the miss that fills it), the mutation with the run's token and a fresh input."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    apps = {
        cached: create_app(
            Settings(
                database_url=url,
                graphiql=False,
                mutation_rate_limit=10**9,
                response_cache_size=1024 if cached else 0,
            ),
            session_factory=factory,
        )
        for cached in (False, True)
    }
    logging.getLogger("parley").setLevel(logging.WARNING)  # no access log lines in the output
    counts: dict[str, int] = {}
    try:
        for op in ops:
            transport = httpx.ASGITransport(app=apps[op.cached])
            feed = feeds[op.name]["parley"]
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                # warm: import, compile, plan (and fill the cache)
                await client.post("/graphql", content=feed.body(), headers=feed.headers())
                with statement_log(engine) as seen:
                    response = await client.post(
                        "/graphql", content=feed.body(), headers=feed.headers()
                    )
            body = response.json()
            written = not op.mutation or not body["data"]["recordMeeting"]["userErrors"]
            if response.status_code == 200 and "errors" not in body and written:
                counts[op.name] = len(seen)
    finally:
        await engine.dispose()
    return counts


def resolve_cursors(db: database.Database, ops: list[Operation], log: Path) -> list[Operation]:
    """Paged shapes with the cursor each server handed out for their first page."""
    paged = [op for op in ops if op.cursor is not None and op.postgraphile is not None]
    if not paged:
        return ops
    mine = asyncio.run(_parley_cursors(db.sqlalchemy_url, paged))
    peer = servers.start_postgraphile(db.libpq_url, port=COUNTING_PORT, workers=1, log=log)
    theirs: dict[str, str] = {}
    with servers.running(peer):
        for op in paged:
            assert op.cursor is not None
            assert op.postgraphile is not None
            data = _post(peer.url, op.postgraphile.body()).json()["data"]
            theirs[op.name] = op.cursor.postgraphile_path(data)
    return [_paged(op, mine, theirs) for op in ops]


def _paged(op: Operation, mine: dict[str, str], theirs: dict[str, str]) -> Operation:
    if op.name not in mine or op.cursor is None or op.postgraphile is None:
        return op
    return dataclasses.replace(
        op,
        parley=shapes.paged(op.parley, op.cursor, mine[op.name]),
        postgraphile=shapes.paged(op.postgraphile, op.cursor, theirs[op.name]),
    )


async def _parley_cursors(url: str, ops: list[Operation]) -> dict[str, str]:
    engine = create_engine(url)
    app = create_app(
        Settings(database_url=url, graphiql=False, response_cache_size=0),
        session_factory=create_session_factory(engine),
    )
    found: dict[str, str] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for op in ops:
                assert op.cursor is not None
                response = await client.post(
                    "/graphql",
                    content=op.parley.body(),
                    headers={"Content-Type": "application/json"},
                )
                found[op.name] = op.cursor.parley_path(response.json()["data"])
    finally:
        await engine.dispose()
    return found


def count_peer_statements(
    db: database.Database, ops: list[Operation], feeds: dict[str, dict[str, Feed]], log: Path
) -> dict[str, int]:
    """SQL statements per request inside PostGraphile (a counting instance, one process)."""
    stats = f"http://{servers.HOST}:{STATS_PORT}/"
    peer = servers.start_postgraphile(
        db.libpq_url, port=COUNTING_PORT, workers=1, log=log, stats_port=STATS_PORT
    )
    counts: dict[str, int] = {}
    with servers.running(peer):
        for op in ops:
            if op.postgraphile is None:
                continue
            feed = feeds[op.name]["postgraphile"]
            _post(peer.url, feed.body())
            before = httpx.get(stats).json()["statements"]
            response = _post(peer.url, feed.body())
            if response.status_code == 200 and "errors" not in response.json():
                counts[op.name] = httpx.get(stats).json()["statements"] - before
    return counts


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    headers = headers or {"Content-Type": "application/json"}
    return httpx.post(url, content=body, headers=headers, timeout=60)


def has_mutation(url: str, name: str) -> bool:
    query = b'{"query":"{ __schema { mutationType { fields { name } } } }"}'
    mutation_type = _post(url, query).json()["data"]["__schema"]["mutationType"]
    return mutation_type is not None and any(f["name"] == name for f in mutation_type["fields"])


def verify(
    op: Operation,
    parley: servers.Server,
    peer: servers.Server,
    feeds: dict[str, Feed],
    uncached: servers.Server | None = None,
) -> dict[str, Any]:
    """Both responses, normalized, must be equal before the operation is timed.

    For a cached read (``uncached`` is Parley with its cache off), Parley is asked twice: the
    second answer must be a cache hit, byte-for-byte the first, and equal (normalized) to the
    uncached server's answer and to PostGraphile's.
    """
    parley_feed, peer_feed = feeds["parley"], feeds["postgraphile"]
    mine = _post(parley.url, parley_feed.body(), parley_feed.headers())
    theirs = _post(peer.url, peer_feed.body(), peer_feed.headers())
    result: dict[str, Any] = {
        "bytes": {"parley": len(mine.content), "postgraphile": len(theirs.content)}
    }
    responses = {"parley": mine, "postgraphile": theirs}
    if uncached is not None:
        # The cache is per worker process: ask twice on one keep-alive connection (one worker)
        with httpx.Client(timeout=60) as client:
            first = client.post(
                parley.url, content=parley_feed.body(), headers=parley_feed.headers()
            )
            mine = client.post(
                parley.url, content=parley_feed.body(), headers=parley_feed.headers()
            )
        responses["parley"] = mine
        responses["parley (cache off)"] = _post(uncached.url, parley_feed.body())
        result["cache"] = {
            "second_request": mine.headers.get("x-parley-cache"),
            "hit_equals_miss_bytes": mine.content == first.content,
            "hit_equals_cache_off_bytes": mine.content == responses["parley (cache off)"].content,
            "cache_off_header": responses["parley (cache off)"].headers.get("x-parley-cache"),
        }
    for name, response in responses.items():
        body = response.json()
        if response.status_code != 200 or body.get("errors") or body.get("data") is None:
            result["equal"] = False
            result["problem"] = f"{name}: HTTP {response.status_code} {str(body)[:500]}"
            return result
    left = op.normalize_parley(mine.json()["data"])
    right = op.normalize_postgraphile(theirs.json()["data"])
    result["equal"] = left == right
    result["items"] = _size(left)
    if left != right:
        result["problem"] = f"responses differ: parley {str(left)[:300]} / peer {str(right)[:300]}"
    if uncached is not None:
        cache = result["cache"]
        plain = op.normalize_parley(responses["parley (cache off)"].json()["data"])
        cache["hit_equals_cache_off_normalized"] = plain == left
        if not (cache["second_request"] == "hit" and cache["hit_equals_miss_bytes"]):
            result["equal"] = False
            result["problem"] = f"the repeated request was not a byte-identical hit: {cache}"
        elif plain != left or cache["cache_off_header"] is not None:
            result["equal"] = False
            result["problem"] = f"the cached answer differs from the uncached one: {cache}"
    return result


def _size(value: Any) -> int:
    """How many leaf values a normalized response holds (a sanity check that it is not empty)."""
    if isinstance(value, list):
        return sum(_size(item) for item in value)
    return 1


def wrk(url: str, feed: Feed, *, seconds: float, concurrency: int) -> dict[str, Any]:
    """One wrk run (one thread, ``concurrency`` connections); its JSON summary."""
    env = {**os.environ, **feed.env()}
    command = [
        "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    done = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            summary: dict[str, Any] = json.loads(line.removeprefix("BENCH_RESULT "))
            feed.advance(summary)
            return summary
    raise RuntimeError(f"wrk printed no summary: {done.stdout}\n{done.stderr}")


def timed_run(server: servers.Server, feed: Feed, args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then one measured run: throughput, latency, CPU per request, peak memory."""
    wrk(server.url, feed, seconds=args.warmup, concurrency=args.concurrency)
    pg_pids = servers.postgres_pids()
    cpu_before = servers.cpu_seconds(server.pids())
    pg_before = servers.cpu_seconds(pg_pids)
    started = time.perf_counter()
    with servers.MemorySampler(server) as memory:
        summary = wrk(server.url, feed, seconds=args.duration, concurrency=args.concurrency)
    elapsed = time.perf_counter() - started
    requests = max(1, summary["requests"])
    errors = sum(summary[k] for k in ("connect_errors", "read_errors", "write_errors"))
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "max_ms": summary["max_us"] / 1000,
        "server_cpu_ms": 1000 * (servers.cpu_seconds(server.pids()) - cpu_before) / requests,
        "postgres_cpu_ms": 1000 * (servers.cpu_seconds(pg_pids) - pg_before) / requests,
        "peak_rss_worker_mib": memory.peak_worker / 2**20,
        "peak_rss_total_mib": memory.peak_total / 2**20,
        "errors": errors + summary["status_errors"] + summary["timeouts"] + summary["body_errors"],
        "cache_hits": summary["cache_hits"],
        "cache_misses": summary["cache_misses"],
        "wall_s": elapsed,
    }


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Rounds of one operation on one server: medians of rates and latencies, peaks of memory."""
    total = sum(r["requests"] for r in runs)
    return {
        "rounds": len(runs),
        "requests": total,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "server_cpu_ms": sum(r["server_cpu_ms"] * r["requests"] for r in runs) / max(1, total),
        "postgres_cpu_ms": sum(r["postgres_cpu_ms"] * r["requests"] for r in runs) / max(1, total),
        "peak_rss_worker_mib": max(r["peak_rss_worker_mib"] for r in runs),
        "peak_rss_total_mib": max(r["peak_rss_total_mib"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "cache_hits": sum(r["cache_hits"] for r in runs),
        "cache_misses": sum(r["cache_misses"] for r in runs),
        "runs": runs,
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915  (one run, step by step)
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: run `make bench-setup` (installs Debian's wrk)", file=sys.stderr)
        return 2
    if not servers.NODE.exists():
        print("Node 24 is missing: run `make bench-setup`", file=sys.stderr)
        return 2
    scale = generate.SCALES[args.scale]
    db = database.for_scale(scale)
    started = time.perf_counter()
    if args.reuse_database and asyncio.run(_database_exists(db)):
        asyncio.run(_upgrade(db))
        loaded: dict[str, Any] = {"database": db.name, "reused": True}
    else:
        print(f"building {db.name} (scale {scale.name}) ...", flush=True)
        loaded = asyncio.run(database.build(scale))
        print(f"  {loaded['rows']} in {loaded['seconds']} s", flush=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    params = asyncio.run(_params(db, stamp.lower()))
    ops = operations.operations(params)
    if args.only:
        ops = [op for op in ops if op.name in args.only]
    logs = RESULTS / "logs"
    ops = resolve_cursors(db, ops, logs / f"postgraphile-cursors-{stamp}.log")
    tmp_dir = tempfile.TemporaryDirectory()
    tmp = Path(tmp_dir.name)
    token = asyncio.run(_write_token(db, f"bench-{stamp}"))
    rowid_base = asyncio.run(_reserve_meeting_ids(db, ROWID_BLOCK))
    feeds = {op.name: _feeds(op, tmp, token=token, rowid_base=rowid_base) for op in ops}
    statements = asyncio.run(count_statements(db.sqlalchemy_url, ops, feeds))
    peer_statements = count_peer_statements(
        db, ops, feeds, logs / f"postgraphile-count-{stamp}.log"
    )
    results: dict[str, Any] = {}
    fixed: dict[str, Any] = {}
    parley = servers.start_parley(
        db.sqlalchemy_url,
        port=PARLEY_PORT,
        workers=args.parley_workers,
        log=logs / f"parley-{stamp}.log",
        settings=PARLEY_BENCH_SETTINGS,
        server=args.parley_server,
    )
    with tmp_dir, servers.running(parley):
        cached_parley = servers.start_parley(
            db.sqlalchemy_url,
            port=PARLEY_CACHED_PORT,
            workers=args.parley_workers,
            log=logs / f"parley-cached-{stamp}.log",
            cache_size=1024,
            settings=PARLEY_BENCH_SETTINGS,
            server=args.parley_server,
        )
        with servers.running(cached_parley):
            peer = servers.start_postgraphile(
                db.libpq_url,
                port=POSTGRAPHILE_PORT,
                workers=args.postgraphile_workers,
                log=logs / f"postgraphile-{stamp}.log",
            )
            with servers.running(peer):
                for op in ops:
                    if op.mutation and args.fixed_rate_seconds > 0:
                        # before the mutation: it adds rows (none the reads return, but still)
                        fixed = fixed_rate_runs(results, parley, peer, feeds, args)
                    mine = cached_parley if op.cached else parley
                    uncached = parley if op.cached else None
                    results[op.name] = run_operation(
                        op, mine, peer, feeds[op.name], args, uncached=uncached
                    )
                    results[op.name]["statements"] = {
                        "parley": statements.get(op.name),
                        "postgraphile": peer_statements.get(op.name),
                    }
                    print(report.row_summary(op.name, results[op.name]), flush=True)
                if not fixed and args.fixed_rate_seconds > 0:
                    fixed = fixed_rate_runs(results, parley, peer, feeds, args)
                configs = {
                    "parley": parley.config,
                    "parley_cached": cached_parley.config,
                    "postgraphile": peer.config,
                }

    output = {
        "when": stamp,
        "scale": dataclasses_dict(scale),
        "database": loaded,
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "concurrency": args.concurrency,
            "fixed_rate_seconds": args.fixed_rate_seconds,
            "fixed_rate_share": FIXED_RATE_SHARE,
            "load_generator": "wrk 4.1.0, 1 thread",
            "parley_env": PARLEY_BENCH_SETTINGS,
        },
        "servers": configs,
        "operations": {op.name: op.description for op in ops},
        "mutation_compared": MUTATION_COMPARED,
        "results": results,
        "fixed_rate": fixed,
        "seconds": round(time.perf_counter() - started, 1),
    }
    output["targets"] = report.targets(output)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{scale.name}-{stamp}.json"
    path.write_text(json.dumps(output, indent=2) + "\n")
    (RESULTS / f"latest-{scale.name}.json").write_text(json.dumps(output, indent=2) + "\n")
    print()
    print(report.table(output))
    print(f"\nwrote {path.relative_to(servers.BENCH_DIR.parent)} ({output['seconds']} s)")
    return 0


MUTATION_COMPARED = (
    "Parley: one recordMeeting (a meeting and 4 participations of existing people, by id, in one "
    "transaction, with validation, an audit entry and a data-version bump), Bearer write token. "
    "PostGraphile (amber, no nested inserts): one request of five root mutation fields run in "
    "order, createMeeting with a client-chosen rowId (from a block of meeting_id_seq reserved by "
    "the benchmark) and 4 createParticipation naming it. Fresh slug and title per request on "
    "both sides; the responses return the meeting's title and date and each participation's "
    "role, title and person's name."
)


def _feeds(op: Operation, tmp: Path, *, token: str, rowid_base: int) -> dict[str, Feed]:
    """The bodies each server gets for ``op``, written to files wrk reads."""
    safe = op.name.replace(" ", "-").replace("(", "").replace(")", "")
    feeds: dict[str, Feed] = {}
    for side, request in (("parley", op.parley), ("postgraphile", op.postgraphile)):
        if request is None:
            continue
        path = tmp / f"{safe}-{side}.json"
        path.write_bytes(request.body())
        feeds[side] = Feed(
            path,
            template=op.mutation,
            authorization=f"Bearer {token}" if op.mutation and side == "parley" else None,
            rowid_base=rowid_base if side == "postgraphile" else 0,
        )
    return feeds


def fixed_rate_runs(
    results: dict[str, Any],
    parley: servers.Server,
    peer: servers.Server,
    feeds: dict[str, dict[str, Feed]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Latency at a fixed rate of half each server's measured maximum (open loop)."""
    fixed: dict[str, Any] = {}
    for name in FIXED_RATE_OPERATIONS:
        measured = results.get(name)
        if not measured or "skipped" in measured:
            continue
        fixed[name] = {}
        for server in (parley, peer):
            rate = FIXED_RATE_SHARE * measured[server.name]["rps"]
            feed = feeds[name][server.name]
            run = openloop.fixed_rate(
                server.url, feed.body(), rate=rate, seconds=args.fixed_rate_seconds
            )
            fixed[name][server.name] = run
            print(
                f"{name:>14}: {server.name} at {rate:,.0f} req/s (half its maximum) for "
                f"{args.fixed_rate_seconds:g} s: p50 {run['p50_ms'] or 0:.1f} ms, "
                f"p99 {run['p99_ms'] or 0:.1f} ms, errors {run['errors']}",
                flush=True,
            )
    return fixed


def dataclasses_dict(scale: generate.Scale) -> dict[str, Any]:
    return {
        "name": scale.name,
        "mechanisms": scale.mechanisms,
        "meetings": scale.meetings,
        "participations": scale.participations,
        "people": scale.people,
    }


def run_operation(
    op: Operation,
    parley: servers.Server,
    peer: servers.Server,
    feeds: dict[str, Feed],
    args: argparse.Namespace,
    *,
    uncached: servers.Server | None = None,
) -> dict[str, Any]:
    """Check, then time the operation on both servers, alternating which goes first."""
    if op.mutation and not has_mutation(parley.url, "recordMeeting"):
        return {"skipped": "not available: Parley's schema has no `recordMeeting` mutation"}
    check = verify(op, parley, peer, feeds, uncached=uncached)
    if not check["equal"]:
        return {"skipped": "responses differ; not timed", "check": check}
    runs: dict[str, list[dict[str, Any]]] = {"parley": [], "postgraphile": []}
    for round_ in range(args.rounds):
        order = [parley, peer] if round_ % 2 == 0 else [peer, parley]
        for server in order:
            runs[server.name].append(timed_run(server, feeds[server.name], args))
    result: dict[str, Any] = {"check": check}
    for name, measured in runs.items():
        result[name] = combine(measured)
        result[name]["response_bytes"] = check["bytes"][name]
    result["ratio_rps"] = result["parley"]["rps"] / result["postgraphile"]["rps"]
    parley_result = result["parley"]
    if op.cached:
        answered = parley_result["cache_hits"] + parley_result["cache_misses"]
        parley_result["cache_hit_share"] = parley_result["cache_hits"] / max(1, answered)
    return result
