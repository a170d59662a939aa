"""Where Parley's time goes: one operation in-process under cProfile, on a benchmark database.

    .venv/bin/python -m bench.profile --scale M --operation tree

Needs the database ``make bench`` built (``parley_bench_<scale>``). Prints wall time per request,
the SQL statements with their time, and the functions with the most cumulative and own time.
"""

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import pstats
import time
from typing import Any

import httpx
from sqlalchemy import event

from api.db import create_engine, create_session_factory
from api.main import create_app
from api.settings import Settings
from bench import database, generate, operations
from bench.run import PARLEY_BENCH_SETTINGS, _params, _write_token

REPEAT = 5
CPU_REPEAT = 50  # requests timed without the profiler, for the CPU per request


async def _profile(scale: str, operation: str, top: int) -> None:
    db = database.for_scale(generate.SCALES[scale])
    stamp = time.strftime("%Y%m%d%H%M%S")  # in slugs: digits only
    params = await _params(db, f"profile{stamp}")
    op = next(o for o in operations.operations(params) if o.name == operation)
    # A mutation (recordMeeting) runs as the bench runs it: a write token, no rate limit to
    # speak of, a fresh input per request.
    token = await _write_token(db, f"profile-{stamp}") if op.mutation else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    engine = create_engine(db.sqlalchemy_url)
    sql_seconds: list[float] = []

    def before(conn: Any, *_args: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, *_args: Any) -> None:
        sql_seconds.append(time.perf_counter() - conn.info.pop("bench_started"))

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    app = create_app(
        Settings(
            database_url=db.sqlalchemy_url,
            graphiql=False,
            response_cache_size=0,
            mutation_rate_limit=int(PARLEY_BENCH_SETTINGS["PARLEY_MUTATION_RATE_LIMIT"]),
            mutation_rate_window=float(PARLEY_BENCH_SETTINGS["PARLEY_MUTATION_RATE_WINDOW"]),
        ),
        session_factory=create_session_factory(engine),
    )
    template = json.dumps({"query": op.parley.query, "variables": op.parley.variables}).encode()
    bodies = (operations.instantiate(template, n) for n in itertools.count(1))
    headers["Content-Type"] = "application/json"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.bench") as client:
        for _ in range(REPEAT):  # warm
            await client.post("/graphql", content=next(bodies), headers=headers)
        sql_seconds.clear()
        profiler = cProfile.Profile()
        cpu = time.process_time()
        for _ in range(CPU_REPEAT):
            await client.post("/graphql", content=next(bodies), headers=headers)
        cpu = (time.process_time() - cpu) / CPU_REPEAT
        sql_seconds.clear()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(REPEAT):
            response = await client.post("/graphql", content=next(bodies), headers=headers)
        profiler.disable()
        wall = (time.perf_counter() - started) / REPEAT
    await engine.dispose()
    assert "errors" not in response.json(), response.text[:500]
    assert '"userErrors":[{' not in response.text, response.text[:500]
    statements = len(sql_seconds) // REPEAT
    print(f"{operation} at scale {scale}: {wall * 1000:.1f} ms per request under cProfile, ")
    print(f"  {cpu * 1000:.1f} ms of CPU per request without it (this process: client and app)")
    print(
        f"  {statements} statements, {1000 * sum(sql_seconds) / REPEAT:.1f} ms in the database "
        f"driver (execute, before rows are fetched), {len(response.content):,} bytes"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="M")
    parser.add_argument("--operation", default="tree")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(_profile(args.scale, args.operation, args.top))


if __name__ == "__main__":
    main()
