"""The analyst questions in README.md run as written, on both databases, within the limits."""

import re
from pathlib import Path

import httpx
import pytest

from tests.graphql import execute

README = Path(__file__).resolve().parent.parent / "README.md"


def _analyst_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Analyst questions, one query each", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```graphql\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_has_the_analyst_questions() -> None:
    assert len(_analyst_queries()) >= 4


@pytest.mark.parametrize("query", _analyst_queries())
async def test_a_readme_query_answers(client: httpx.AsyncClient, query: str) -> None:
    body = await execute(client, query)

    assert "errors" not in body, body
    assert any(body["data"].values())
