"""The README's examples open in GraphiQL as tabs, and each runs as written."""

import json
import re
from pathlib import Path

import httpx
import pytest
from graphql import OperationType, parse, validate

from api.graphiql import graphiql_html
from api.graphiql_examples import (
    AUTHORIZATION_TEMPLATE,
    README,
    Tab,
    operations_of,
    readme_tabs,
)
from schema import schema
from tests.graphql import execute

TABS = readme_tabs()
QUERIES = [tab.query for tab in TABS if tab.operation is OperationType.QUERY]


def test_every_readme_example_is_a_tab() -> None:
    # every ```graphql block of the README gives at least one tab
    blocks = re.findall(r"```graphql\n", README.read_text(encoding="utf-8"))
    assert len(TABS) >= len(blocks) >= 10
    kinds = {tab.operation for tab in TABS}
    assert kinds == {OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION}


def test_a_block_of_several_operations_gives_a_tab_each_with_its_comment() -> None:
    block = "# first\n{ a: __typename }\n\n# second, and\n# more\n{ b: __typename }\n"

    tabs = operations_of(block)

    assert [tab.query for tab in tabs] == [
        "# first\n{ a: __typename }\n",
        "# second, and\n# more\n{ b: __typename }\n",
    ]


def test_mutations_carry_a_token_header_template() -> None:
    (tab,) = operations_of('mutation { deleteMeeting(input: {id: "x"}) { deletedId } }')
    assert tab.as_graphiql()["headers"] == AUTHORIZATION_TEMPLATE
    assert all("headers" not in tab.as_graphiql() for tab in operations_of("{ __typename }"))


def test_no_readme_means_no_tabs(tmp_path: Path) -> None:
    assert readme_tabs(tmp_path / "missing.md") == []


@pytest.mark.parametrize("tab", TABS, ids=lambda tab: tab.query.splitlines()[0][:60])
def test_every_tab_is_valid_against_the_schema(tab: Tab) -> None:
    query = tab.query
    assert validate(schema._schema, parse(query)) == []


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.splitlines()[0][:60])
async def test_every_query_tab_answers_without_errors(
    client: httpx.AsyncClient, query: str
) -> None:
    body = await execute(client, query)

    assert "errors" not in body, body
    assert any(body["data"].values())


def test_the_page_opens_with_the_tabs() -> None:
    page = graphiql_html("/graphql")

    found = re.search(r"defaultTabs: (\[.*?\]),\n", page)
    assert found is not None
    tabs = json.loads(found.group(1))
    # the welcome query first, then the README's examples in order
    assert [tab["query"] for tab in tabs[1:]] == [tab.query for tab in TABS]
    assert "Welcome to Parley" in tabs[0]["query"]
