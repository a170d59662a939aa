"""The response cache is bounded by bytes, not only by entries (issue 8, item 7).

An undeclared variable makes every request a new entry; with large answers, a cache bounded
by entry count alone grew a worker from 107 to 500 MiB.
"""

import os
import subprocess
from pathlib import Path

import httpx
import pytest
from graphql import get_introspection_query

from api.http.cache import ENTRY_OVERHEAD, Entry, ResponseCache
from api.settings import Settings
from tests.servers import PARLEY, parley_serve

MiB = 1024 * 1024


@pytest.fixture
def migrated_sqlite(tmp_path: Path) -> Path:
    """A migrated SQLite file (no seed: the requests below read only the schema)."""
    path = tmp_path / "parley.db"
    env = {**os.environ, "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    subprocess.run([PARLEY, "db", "upgrade"], env=env, cwd=tmp_path, check=True)
    return path


def _entry(size: int, version: int = 1) -> Entry:
    return Entry(version, b"x" * (size - ENTRY_OVERHEAD), 200, "application/json")


def test_the_least_recently_used_go_first_when_bytes_run_out() -> None:
    cache = ResponseCache(size=100, max_bytes=10_000)
    for name in "abcde":
        cache.put(name, _entry(2_000))
    assert cache.get("a", 1) is not None  # used: now the most recent
    cache.put("f", _entry(2_000))
    assert cache.get("b", 1) is None  # the least recently used went
    assert [cache.get(name, 1) is not None for name in "acdef"] == [True] * 5
    assert cache.bytes == 10_000
    assert len(cache) == 5


def test_a_replaced_entry_gives_its_bytes_back() -> None:
    cache = ResponseCache(size=100, max_bytes=10_000)
    cache.put("a", _entry(2_000, version=1))
    cache.put("a", _entry(1_000, version=2))
    assert cache.bytes == 1_000
    assert cache.get("a", 1) is None
    assert cache.get("a", 2) is not None


def test_an_entry_over_a_quarter_of_the_budget_is_not_kept() -> None:
    cache = ResponseCache(size=100, max_bytes=10_000)
    cache.put("small", _entry(2_000))
    cache.put("large", _entry(2_501))
    assert cache.get("large", 1) is None
    assert cache.get("small", 1) is not None
    assert cache.bytes == 2_000


def test_the_entry_count_still_bounds_it() -> None:
    cache = ResponseCache(size=3, max_bytes=10**9)
    for name in "abcd":
        cache.put(name, _entry(1_000))
    assert len(cache) == 3
    assert cache.get("a", 1) is None


def test_the_default_budget_is_at_most_64_mib() -> None:
    assert 0 < Settings().response_cache_bytes <= 64 * MiB


def test_a_server_stays_within_its_budget_under_padded_requests(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    # given a real server whose cache may hold 1 MiB
    env = {
        "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{migrated_sqlite}",
        "PARLEY_RESPONSE_CACHE_BYTES": str(MiB),
        "PARLEY_ACCESS_LOG": "false",
    }
    query = get_introspection_query()  # a 200 KB answer, the same for every request
    with parley_serve(env, tmp_path) as server, httpx.Client(base_url=server.base) as client:

        def send(pads: range) -> None:
            for pad in pads:
                body = {"query": query, "variables": {"pad": pad}}
                assert client.post("/graphql", json=body).headers["X-Parley-Cache"] == "miss"

        send(range(60))  # the budget fills; the allocator settles (measured: by 60 requests)
        before = server.rss_bytes()
        # when 80 more distinct requests each leave a 200 KB answer (16 MB if all were kept:
        # an entry-count bound of 1,024 kept them all, and memory grew by as much)
        send(range(60, 140))
        grown = server.rss_bytes() - before
    # then memory no longer grows with the requests
    assert grown < 8 * MiB, f"RSS grew by {grown / MiB:.1f} MiB"
