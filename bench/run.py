"""``python -m bench``: build the database, start both servers, check, time, report."""

import argparse
import asyncio
import datetime as dt
import json
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

import asyncpg  # type: ignore[import-untyped]
import httpx

from api.db import create_engine, create_session_factory, statement_log
from api.main import create_app
from api.settings import Settings
from bench import database, generate, operations, report, servers
from bench.operations import Operation, Params

RESULTS = servers.BENCH_DIR / "results"
WRK_SCRIPT = servers.BENCH_DIR / "wrk.lua"
PARLEY_PORT = 8601
POSTGRAPHILE_PORT = 8602
COUNTING_PORT = 8603
STATS_PORT = 8604
MAX_SECONDS_PER_RUN = 120  # every load run is bounded in time, whatever the arguments say


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="M")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per timed run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per operation")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    parser.add_argument("--parley-workers", type=int, default=2)
    parser.add_argument("--postgraphile-workers", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="operation names to time (default: all)")
    parser.add_argument(
        "--reuse-database", action="store_true", help="skip rebuilding an existing database"
    )
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_SECONDS_PER_RUN)
    args.warmup = min(args.warmup, MAX_SECONDS_PER_RUN)
    args.rounds = max(1, min(args.rounds, 5))
    return args


async def _params(db: database.Database) -> Params:
    connection = await asyncpg.connect(db.libpq_url)
    try:
        meeting = await connection.fetchval(
            "SELECT id FROM meeting WHERE slug = $1", operations.NODE_MEETING_SLUG
        )
        mechanism = await connection.fetchval(
            "SELECT id FROM mechanism WHERE slug = $1", operations.FLAT_MECHANISM_SLUG
        )
    finally:
        await connection.close()
    if meeting is None or mechanism is None:
        raise RuntimeError(f"{db.name} holds no generated data; run without --reuse-database")
    return Params(meeting_id=int(meeting), mechanism_id=int(mechanism))


async def _database_exists(db: database.Database) -> bool:
    try:
        connection = await asyncpg.connect(db.libpq_url)
    except asyncpg.InvalidCatalogNameError:
        return False
    await connection.close()
    return True


async def count_statements(url: str, ops: list[Operation]) -> dict[str, int]:
    """SQL statements per request, counted inside Parley (one request each, in-process)."""
    engine = create_engine(url)
    app = create_app(
        Settings(database_url=url, graphiql=False), session_factory=create_session_factory(engine)
    )
    counts: dict[str, int] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.bench") as client:
            for op in ops:
                if op.mutation:
                    continue
                payload = {"query": op.parley.query, "variables": op.parley.variables}
                await client.post("/graphql", json=payload)  # warm: import, compile, plan
                with statement_log(engine) as seen:
                    response = await client.post("/graphql", json=payload)
                if response.status_code == 200 and "errors" not in response.json():
                    counts[op.name] = len(seen)
    finally:
        await engine.dispose()
    return counts


def count_peer_statements(db: database.Database, ops: list[Operation], log: Path) -> dict[str, int]:
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
            body = op.postgraphile.body()
            _post(peer.url, body)
            before = httpx.get(stats).json()["statements"]
            response = _post(peer.url, body)
            if response.status_code == 200 and "errors" not in response.json():
                counts[op.name] = httpx.get(stats).json()["statements"] - before
    return counts


def _post(url: str, body: bytes) -> httpx.Response:
    return httpx.post(url, content=body, headers={"Content-Type": "application/json"}, timeout=60)


def has_mutation(url: str, name: str) -> bool:
    query = b'{"query":"{ __schema { mutationType { fields { name } } } }"}'
    mutation_type = _post(url, query).json()["data"]["__schema"]["mutationType"]
    return mutation_type is not None and any(f["name"] == name for f in mutation_type["fields"])


def verify(op: Operation, parley: servers.Server, peer: servers.Server) -> dict[str, Any]:
    """Both responses, normalized, must be equal before the operation is timed."""
    assert op.postgraphile is not None
    mine = _post(parley.url, op.parley.body())
    theirs = _post(peer.url, op.postgraphile.body())
    result: dict[str, Any] = {
        "bytes": {"parley": len(mine.content), "postgraphile": len(theirs.content)}
    }
    for name, response in (("parley", mine), ("postgraphile", theirs)):
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
    return result


def _size(value: Any) -> int:
    """How many leaf values a normalized response holds (a sanity check that it is not empty)."""
    if isinstance(value, list):
        return sum(_size(item) for item in value)
    return 1


def wrk(url: str, body_file: Path, *, seconds: float, concurrency: int) -> dict[str, Any]:
    """One wrk run (one thread, ``concurrency`` connections); its JSON summary."""
    env = {**os.environ, "BENCH_BODY_FILE": str(body_file)}
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
            return summary
    raise RuntimeError(f"wrk printed no summary: {done.stdout}\n{done.stderr}")


def timed_run(server: servers.Server, body_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then one measured run: throughput, latency, CPU per request, peak memory."""
    wrk(server.url, body_file, seconds=args.warmup, concurrency=args.concurrency)
    pg_pids = servers.postgres_pids()
    cpu_before = servers.cpu_seconds(server.pids())
    pg_before = servers.cpu_seconds(pg_pids)
    started = time.perf_counter()
    with servers.MemorySampler(server) as memory:
        summary = wrk(server.url, body_file, seconds=args.duration, concurrency=args.concurrency)
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
        "errors": errors + summary["status_errors"] + summary["timeouts"],
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


def main(argv: list[str] | None = None) -> int:
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
        loaded: dict[str, Any] = {"database": db.name, "reused": True}
    else:
        print(f"building {db.name} (scale {scale.name}) ...", flush=True)
        loaded = asyncio.run(database.build(scale))
        print(f"  {loaded['rows']} in {loaded['seconds']} s", flush=True)
    params = asyncio.run(_params(db))
    ops = operations.operations(params)
    if args.only:
        ops = [op for op in ops if op.name in args.only]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    logs = RESULTS / "logs"
    statements = asyncio.run(count_statements(db.sqlalchemy_url, ops))
    peer_statements = count_peer_statements(db, ops, logs / f"postgraphile-count-{stamp}.log")
    parley = servers.start_parley(
        db.sqlalchemy_url,
        port=PARLEY_PORT,
        workers=args.parley_workers,
        log=logs / f"parley-{stamp}.log",
    )
    results: dict[str, Any] = {}
    with servers.running(parley):
        peer = servers.start_postgraphile(
            db.libpq_url,
            port=POSTGRAPHILE_PORT,
            workers=args.postgraphile_workers,
            log=logs / f"postgraphile-{stamp}.log",
        )
        with servers.running(peer), tempfile.TemporaryDirectory() as tmp:
            for op in ops:
                results[op.name] = run_operation(op, parley, peer, Path(tmp), args)
                results[op.name]["statements"] = {
                    "parley": statements.get(op.name),
                    "postgraphile": peer_statements.get(op.name),
                }
                print(report.row_summary(op.name, results[op.name]), flush=True)
            configs = {"parley": parley.config, "postgraphile": peer.config}

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
            "load_generator": "wrk 4.1.0, 1 thread",
        },
        "servers": configs,
        "operations": {op.name: op.description for op in ops},
        "results": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{scale.name}-{stamp}.json"
    path.write_text(json.dumps(output, indent=2) + "\n")
    (RESULTS / f"latest-{scale.name}.json").write_text(json.dumps(output, indent=2) + "\n")
    print()
    print(report.table(output))
    print(f"\nwrote {path.relative_to(servers.BENCH_DIR.parent)}")
    return 0


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
    tmp: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Check, then time the operation on both servers, alternating which goes first."""
    if op.mutation:
        field = "recordMeeting"
        if not has_mutation(parley.url, field):
            return {"skipped": f"not available: Parley's schema has no `{field}` mutation yet"}
        return {
            "skipped": f"not timed yet: `{field}` exists, but timing it needs a write token, a "
            "fresh input per request and PostGraphile's createMeeting + createParticipation"
        }
    check = verify(op, parley, peer)
    if not check["equal"]:
        return {"skipped": "responses differ; not timed", "check": check}
    assert op.postgraphile is not None
    bodies = {"parley": tmp / f"{op.name}-parley.json", "postgraphile": tmp / f"{op.name}-pg.json"}
    bodies["parley"].write_bytes(op.parley.body())
    bodies["postgraphile"].write_bytes(op.postgraphile.body())
    runs: dict[str, list[dict[str, Any]]] = {"parley": [], "postgraphile": []}
    for round_ in range(args.rounds):
        order = [parley, peer] if round_ % 2 == 0 else [peer, parley]
        for server in order:
            runs[server.name].append(timed_run(server, bodies[server.name], args))
    result: dict[str, Any] = {"check": check}
    for name, measured in runs.items():
        result[name] = combine(measured)
        result[name]["response_bytes"] = check["bytes"][name]
    result["ratio_rps"] = result["parley"]["rps"] / result["postgraphile"]["rps"]
    return result
