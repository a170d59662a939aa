"""graphql-http's audit of the GraphQL-over-HTTP specification (every MUST, SHOULD and MAY
item) against a real server, run twice: the second time with the response cache warm, so
cached answers are held to the same rules."""

import asyncio
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.main import create_app
from api.settings import PROJECT_ROOT, Settings
from tests.servers import serve_in_loop

AUDIT = PROJECT_ROOT / "scripts" / "graphql-http-audit.mjs"
INSTALLED = PROJECT_ROOT / "node_modules" / "graphql-http" / "package.json"


async def _audit(url: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None, "node is needed (make setup installs graphql-http with npm)"
    process = await asyncio.create_subprocess_exec(
        node, str(AUDIT), url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    results = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    assert results, err.decode()
    return results


@pytest.mark.skipif(
    not Path(INSTALLED).exists() and not os.environ.get("CI"), reason="run make setup (npm ci)"
)
async def test_every_audit_passes_cold_and_with_the_cache_warm(
    settings: Settings, session_factory: Callable[[], AsyncSession]
) -> None:
    app = create_app(
        settings.model_copy(update={"response_cache_size": 256}), session_factory=session_factory
    )
    async with serve_in_loop(app) as address:
        cold = await _audit(f"http://{address}/graphql")
        assert len(app.state.response_cache) > 0  # the audit's queries were cached
        warm = await _audit(f"http://{address}/graphql")
    for results in (cold, warm):
        failed = [result for result in results if result["status"] != "ok"]
        assert failed == [], failed
    assert len(warm) == len(cold) >= 50
    assert {result["name"].split()[0] for result in warm} >= {"MUST", "SHOULD", "MAY"}
