"""What the fuzz tests share: value strategies for Parley's scalars and the response oracle.

Generated documents are valid GraphQL with arbitrary arguments. Whatever they carry, Parley
must answer without a 5xx and without INTERNAL_SERVER_ERROR; every error must have a code;
a mutation reports an expected failure as a ``userError``, so its only top-level errors are
the ones raised before anything runs (a document over a limit, or not valid).
"""

import dataclasses
from typing import Any

import graphql
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from strawberry import relay

# Deterministic, bounded and quiet: the fuzz tests run in CI on every push.
FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)

NODE_TYPES = (
    "Mechanism",
    "Meeting",
    "Person",
    "Organization",
    "Topic",
    "PolicyMeasure",
    "Commitment",
    "Source",
    "Country",
)

# Mostly ids of records that exist (the seed numbers its rows from 1), so updates and
# lookups reach the services; sometimes a wrong kind, a missing record or plain junk.
global_ids = st.one_of(
    st.builds(
        relay.to_base64,
        st.sampled_from(NODE_TYPES),
        st.one_of(st.integers(1, 12), st.sampled_from(["US", "CN", "0", "-1", "9" * 30, ""])),
    ),
    st.text(max_size=40),
)

partial_dates = st.one_of(
    st.sampled_from(
        ["2024", "2024-H1", "2024-Q2", "2024-05", "2024-05-21", "2023-02-29", "0000", "9999-12-31"]
    ),
    st.dates().map(lambda day: day.isoformat()),
    st.text(max_size=20),
)

date_times = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.text(max_size=30),
)

CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "ID": global_ids.map(nodes.String),
    "PartialDate": partial_dates.map(nodes.String),
    "DateTime": date_times.map(nodes.String),
    "JSON": st.text(max_size=20).map(nodes.String),
}

# Errors that stop an operation before it runs: the document itself is refused.
DOCUMENT_CODES = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"})
# A query may also be refused an argument at run time (`first: 1000`, a malformed id).
QUERY_CODES = DOCUMENT_CODES | {"BAD_USER_INPUT"}


def problems(status: int, body: Any, *, mutation: bool) -> list[str]:
    """Why a response to a generated operation is wrong; empty when it is sound."""
    if status >= 500:
        return [f"HTTP {status}"]
    if not isinstance(body, dict):
        return [f"not a GraphQL response: {body!r}"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        ran = "path" in error
        # An argument refused before anything runs (an invalid literal in a nested read of the
        # payload) writes nothing either: a mutation may be refused that way too.
        allowed = DOCUMENT_CODES if mutation and ran else QUERY_CODES
        if code not in allowed or (mutation and ran):
            found.append(f"{code}: {error.get('message')} at {error.get('path')}")
    return found


_USER_ERRORS = graphql.parse("{ userErrors { field code message } }").definitions[0]


def printed_with_user_errors(document: graphql.DocumentNode) -> str:
    """The mutation, each root field also selecting ``userErrors`` (so the oracle sees them)."""
    extra = tuple(_USER_ERRORS.selection_set.selections)  # type: ignore[attr-defined]

    def widen(root: graphql.SelectionNode) -> graphql.SelectionNode:
        if not isinstance(root, graphql.FieldNode) or root.selection_set is None:
            return root
        selections = (*root.selection_set.selections, *extra)
        return dataclasses.replace(
            root, selection_set=dataclasses.replace(root.selection_set, selections=selections)
        )

    definitions = [
        dataclasses.replace(
            definition,
            selection_set=dataclasses.replace(
                definition.selection_set,
                selections=tuple(widen(root) for root in definition.selection_set.selections),
            ),
        )
        if isinstance(definition, graphql.OperationDefinitionNode)
        else definition
        for definition in document.definitions
    ]
    return graphql.print_ast(dataclasses.replace(document, definitions=tuple(definitions)))
