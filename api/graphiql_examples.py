"""The README's example queries as GraphiQL tabs, one operation per tab.

The README is the one place the examples are written; GraphiQL opens them as tabs so an
analyst can run each as it stands. A ```graphql block may hold several anonymous operations
(each with the comment above it): GraphiQL could run none of them together, so each becomes a
tab of its own, headed by its comment. Mutations get a header template for the write token.
"""

import dataclasses
import re
from functools import cache
from pathlib import Path

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse

from api.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
_BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)
AUTHORIZATION_TEMPLATE = (
    '{\n  "Authorization": "Bearer <a write token: parley tokens create --scope write>"\n}'
)


@dataclasses.dataclass(frozen=True)
class Tab:
    """One GraphiQL tab: the operation's text (its comment first) and, for writes, headers."""

    query: str
    operation: OperationType
    headers: str | None = None

    def as_graphiql(self) -> dict[str, str]:
        """The tab as GraphiQL's ``defaultTabs`` takes it."""
        tab = {"query": self.query}
        if self.headers is not None:
            tab["headers"] = self.headers
        return tab


def operations_of(block: str) -> list[Tab]:
    """Each operation of one ```graphql block, with the comment lines written above it."""
    try:
        document = parse(block)
    except GraphQLError:
        return []  # a block that is not a document is prose, not an example to run
    tabs: list[Tab] = []
    start = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode) or definition.loc is None:
            continue
        text = block[start : definition.loc.end].strip("\n")
        start = definition.loc.end
        headers = AUTHORIZATION_TEMPLATE if definition.operation is OperationType.MUTATION else None
        tabs.append(Tab(text + "\n", definition.operation, headers))
    return tabs


def readme_tabs(readme: Path = README) -> list[Tab]:
    """Every example operation in the README, in the README's order (none without a README)."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return []
    return [tab for block in _BLOCK.findall(text) for tab in operations_of(block)]


@cache
def default_tabs() -> list[dict[str, str]]:
    """The tabs GraphiQL opens with (read once per process)."""
    return [tab.as_graphiql() for tab in readme_tabs()]
