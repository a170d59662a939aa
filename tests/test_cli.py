"""The `parley` command: migrate, seed idempotently, export the schema."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from tests.test_schema_contract import SDL_FILE

runner = CliRunner()


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PARLEY_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_database")
def test_upgrade_then_seed_twice_adds_nothing_the_second_time() -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    first = runner.invoke(app, ["seed"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("seed data loaded:")
    second = runner.invoke(app, ["seed"])
    assert second.exit_code == 0, second.output
    assert second.output.strip() == "seed data already loaded; nothing to add"


def test_export_schema_matches_the_committed_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = runner.invoke(app, ["export-schema", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == SDL_FILE.read_text(encoding="utf-8")


@pytest.mark.usefixtures("fresh_database")
def test_downgrade_refuses_to_drop_the_seed_unless_forced() -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["seed"]).exit_code == 0
    refused = runner.invoke(app, ["db", "downgrade", "base"])
    assert refused.exit_code == 1
    assert "would drop data: table " in refused.output
    assert "--force" in refused.output
    assert runner.invoke(app, ["seed"]).output.strip() == "seed data already loaded; nothing to add"
    forced = runner.invoke(app, ["db", "downgrade", "base", "--force"])
    assert forced.exit_code == 0, forced.output
    assert forced.output.strip() == "database at base"


def test_coverage_reports_the_compiled_share_and_gates_it() -> None:
    # when the coverage command runs with the default gate, then with an impossible one
    passing = runner.invoke(app, ["coverage"])
    failing = runner.invoke(app, ["coverage", "--minimum", "1.01"])

    # then it prints the share, and fails (listing what is not covered) below the gate
    assert passing.exit_code == 0, passing.output
    assert "read fields" in passing.output
    assert failing.exit_code == 1
    assert "not covered: Query.auditLog" in failing.output
