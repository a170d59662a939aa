"""SIGTERM: `parley serve` lets an in-flight mutation finish and commit, then exits 0.

A real server process on a scratch SQLite file. The test makes the mutation slow without any
hook in Parley: it holds the database's write lock (BEGIN IMMEDIATE), so the mutation waits
for it; SIGTERM arrives meanwhile; then the lock is released.
"""

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api import migrations
from api.db import create_engine
from api.services import seed

PARLEY = str(Path(sys.executable).with_name("parley"))
RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { meeting { slug } userErrors { code message } }
}
"""
TITLE = "Recorded while the server was shutting down"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _seeded(path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrations.upgrade(engine)
        async with AsyncSession(engine) as session:
            await seed.load(session)
            await session.commit()
    finally:
        await engine.dispose()


async def _token(env: dict[str, str], cwd: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        PARLEY, "tokens", "create", "--name", "shutdown-test", env=env, cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip().splitlines()[-1]


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock (readers go on, writers wait) inside the block."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield holder
        holder.execute("ROLLBACK")
    finally:
        holder.close()


async def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            assert server.poll() is None, "parley serve exited while starting"
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise AssertionError("parley serve did not start within 20 s")


async def test_sigterm_lets_an_in_flight_mutation_commit(tmp_path: Path) -> None:
    # given: a migrated, seeded database, a write token, a server
    path = tmp_path / "parley.db"
    await _seeded(path)
    port = _free_port()
    env = {
        **os.environ,
        "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "PARLEY_SHUTDOWN_TIMEOUT": "20",
    }
    token = await _token(env, tmp_path)
    server = subprocess.Popen(  # noqa: ASYNC220  (a server runs beside the test)
        [PARLEY, "serve", "--port", str(port)], env=env, cwd=tmp_path, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_until_up(base, server)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            with _write_lock(path):
                # when: a mutation is waiting for the lock, and SIGTERM arrives
                request = asyncio.create_task(
                    client.post(
                        "/graphql",
                        json={"query": RECORD, "variables": {"input": {"title": TITLE}}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                )
                await asyncio.sleep(1.0)
                assert not request.done()
                server.send_signal(signal.SIGTERM)
                await asyncio.sleep(1.0)
                assert server.poll() is None, "the server quit with a request in flight"
            # then: with the lock released, the mutation commits and is answered
            response = await request
        exit_code = await asyncio.to_thread(server.wait, 15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["recordMeeting"]
    assert payload["userErrors"] == []
    assert exit_code == 0, server.stderr.read().decode() if server.stderr else ""
    with contextlib.closing(sqlite3.connect(path)) as check:
        titles = [
            row[0] for row in check.execute("SELECT title FROM meeting WHERE title = ?", [TITLE])
        ]
    assert titles == [TITLE]
