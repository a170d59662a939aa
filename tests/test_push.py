"""`parley push`: a data steward's file recorded over HTTP; running it again records nothing."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from typer.testing import CliRunner

from api.cli import app
from api.main import create_app
from api.models import Commitment, Meeting, Person, Scope, Statement
from api.services import tokens
from api.settings import Settings
from tests.servers import serve_in_thread

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "readouts.yaml"
runner = CliRunner()


@pytest.fixture
async def token(seeded_engine: AsyncEngine) -> str:
    async with AsyncSession(seeded_engine) as session:
        created, _ = await tokens.create(session, name="steward", scope=Scope.WRITE)
        await session.commit()
    return created


@pytest.fixture
def server(seeded_engine: AsyncEngine) -> Iterator[str]:
    """Parley over the seeded scratch database, in a thread with its own loop and engine."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    with serve_in_thread(create_app(Settings(database_url=url))) as base:
        yield f"{base}/graphql"


async def _count(engine: AsyncEngine, model: object) -> int:
    async with AsyncSession(engine) as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


async def test_pushing_the_example_twice_records_it_once(
    seeded_engine: AsyncEngine, server: str, token: str
) -> None:
    before = {m: await _count(seeded_engine, m) for m in (Meeting, Person, Commitment, Statement)}

    first = runner.invoke(app, ["push", str(EXAMPLE), "--url", server, "--token", token])
    assert first.exit_code == 0, first.output
    assert "recorded 4, already there 0, failed 0" in first.output

    second = runner.invoke(app, ["push", str(EXAMPLE), "--url", server, "--token", token])
    assert second.exit_code == 0, second.output
    assert "nothing to record: all 4 records are already there" in second.output

    after = {m: await _count(seeded_engine, m) for m in (Meeting, Person, Commitment, Statement)}
    # the meeting and commitment, the listed person and the note-taker added by name, and
    # the meeting's two statements with the translation of one of them
    assert after == {
        Meeting: before[Meeting] + 1,
        Person: before[Person] + 2,
        Commitment: before[Commitment] + 1,
        Statement: before[Statement] + 3,
    }


def test_a_failing_record_is_reported_and_the_exit_code_says_so(
    tmp_path: Path, server: str, token: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "meetings:\n"
        "  - {slug: bad-date, title: A meeting, start: 2023-02-29}\n"
        "  - {slug: bad-ref, title: Another, participants: [{person: nobody-at-all, side: US}]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["push", str(bad), "--url", server, "--token", token])
    assert result.exit_code == 1
    assert "failed: meeting bad-date" in result.output
    assert "start: INVALID_DATE" in result.output
    assert "no person has the slug 'nobody-at-all'" in result.output
    assert "recorded 0, already there 0, failed 2" in result.output


def test_a_malformed_file_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"meetings": [{"title": "no slug"}]}', encoding="utf-8")
    result = runner.invoke(
        app, ["push", str(bad), "--url", "http://127.0.0.1:9/graphql", "--token", "t"]
    )
    assert result.exit_code == 2
    assert "meetings.0.slug: Field required" in result.output


def test_the_readme_script_records_one_meeting_once(server: str, token: str) -> None:
    script = Path(__file__).resolve().parent.parent / "examples" / "record_meeting.py"
    env = {**os.environ, "PARLEY_URL": server, "PARLEY_TOKEN": token}
    runs = [
        subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, check=False
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    slug = "2025-02-03-example-phone-call-between-the-commerce-ministers"
    assert runs[0].stdout.strip() == f"recorded: {slug} (version 1)"
    assert runs[1].stdout.strip() == f"already recorded: {slug} (version 1)"
