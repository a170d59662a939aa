"""The compiled read path answers exactly as Strawberry's executor does, or falls back.

A deterministic generator writes queries over the read schema: random selections of every
type's fields (covered or not), aliases, named and inline fragments, ``@include``/``@skip``
with variables, ``__typename``, nested connections with page arguments, node lookups of
every type, slug lookups, root connections with filters and orderings, pages after and
before cursors of previous pages, and error cases. Each runs on both paths; the response
bodies must be byte-identical (errors compared without request ids). Separate tests check
that the benchmark's shapes really are compiled, within 1 + depth statements.
"""

import datetime as dt
import json
import random
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import models
from api.db import statement_log
from bench import operations
from schema import schema
from schema.compiled import STATS
from schema.compiled.plans import PLANS

GRAPHQL = schema._schema
CASES = 320
SQL = ("SELECT", "WITH")


class _AnyOne:
    """Equal to any one statement (a list of it says: exactly one)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str)

    def __hash__(self) -> int:
        return 0


ANY_ONE = _AnyOne()
# Without a token this fails; see `arguments` on nested errors.
NEEDS_TOKEN = frozenset({"auditLog"})
# Dates verdicts are judged as of: before, between and after the seed's meetings and reviews
# (the verdicts differ between them), and the default, today.
AS_OF = ["2023-08-28", "2024-06-30", "2024-12-31", "2025-03-08", "2026-11-29", None]


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    return response.status_code, response.json(), response.content


def _comparable(body: dict[str, Any]) -> str:
    for error in body.get("errors") or []:
        (error.get("extensions") or {}).pop("requestId", None)
    return json.dumps(body)


async def _both(
    compiled: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
) -> dict[str, Any]:
    """Run on both paths; assert the same answer; return it."""
    status, body, raw = await _post(compiled, query, variables)
    expected_status, expected, expected_raw = await _post(standard, query, variables)
    assert status == expected_status, query
    if "errors" in expected:
        assert _comparable(body) == _comparable(expected), query
    else:
        assert raw == expected_raw, query
    result: dict[str, Any] = expected
    return result


# --- the generator --------------------------------------------------------------------------

FILTERS = {
    "MeetingFilterInput": [
        "{statuses: [HELD]}",
        '{search: "meeting"}',
        '{search: "end-use checks"}',
        '{search: "出口管制 OR security -tariffs"}',
        '{dateFrom: "2020", dateTo: "2024-H1"}',
        "{adHoc: false}",
        '{hostCountries: ["cn"]}',
        '{participantName: "wang"}',
        "{kinds: [VISIT, SIDELINE]}",
        "{counted: true}",
        '{dateFrom: "2024", dateTo: "2020"}',  # an error: the range is inverted
    ],
    "MechanismFilterInput": [
        '{activity: [DORMANT, OVERDUE], asOf: "2025-03-08"}',
        "{activity: [ACTIVE, DUE]}",
        "{statuses: [ACTIVE]}",
        '{name: "working"}',
        '{search: "出口管制"}',
        '{partyCountries: ["US"]}',
    ],
    "PersonFilterInput": [
        '{name: "wang"}',
        '{countries: ["CN"]}',
        '{holdingPositionOn: "2024-05-01", minRank: MINISTER}',
        '{search: "王文涛"}',
    ],
    "ParticipationFilterInput": [
        '{sides: ["US"], minRank: VICE_MINISTER}',
        "{meeting: {counted: true}, roles: [HEAD_OF_DELEGATION]}",
    ],
    "OrganizationFilterInput": ['{name: "commerce"}', "{kinds: [MINISTRY]}"],
    "TopicFilterInput": ['{name: "export"}'],
    "MeasureFilterInput": ["{}"],
    "CommitmentFilterInput": [
        '{compliance: [MISSED, UNKNOWN], asOf: "2024-12-31"}',
        "{compliance: [KEPT, PENDING]}",
        "{}",
    ],
    "SourceFilterInput": ["{}"],
    "StatementFilterInput": [
        '{sides: ["cn"]}',
        "{verbatim: true, attributionDoubtful: false}",
        '{speaker: "wang", languages: ["en"]}',
        '{saidFrom: "2024", saidTo: "2023"}',  # an error: the range is inverted
    ],
}


# Root lists whose records carry a verdict computed as of a date, and the verdict's field.
COMPUTED = [
    ("commitments", "Commitment", "compliance"),
    ("mechanisms", "Mechanism", "activity"),
]


class Generator:
    """Random but reproducible operations over the read schema."""

    def __init__(self, seed: int, ids: dict[str, list[int]], slugs: dict[str, list[str]]) -> None:
        self.rng = random.Random(seed)
        self.ids = ids
        self.slugs = slugs
        self.fragments: list[str] = []

    def operation(self) -> tuple[str, dict[str, Any]]:
        self.fragments = []
        root = self.rng.choice(
            [
                "node",
                "nodes",
                "lookup",
                "connection",
                "connection",
                "connection",
                "search",
                "counts",
            ]
        )
        selection = getattr(self, f"_{root}")()
        head = "query Generated($yes: Boolean! = true, $no: Boolean! = false)"
        body = f"{head} {{ __typename @include(if: $yes) @skip(if: $no) {selection} }}"
        variables = {"yes": True, "no": False} if self.rng.random() < 0.5 else {}
        return "\n".join([body, *self.fragments]), variables

    def _node(self) -> str:
        type_name = self.rng.choice(sorted(self.ids))
        row_id = self.rng.choice([*self.ids[type_name], 999_999])
        node_type = GRAPHQL.get_type(type_name)
        assert isinstance(node_type, GraphQLObjectType)
        inner = self.selection(node_type, 2)
        other = self.rng.choice(sorted(self.ids))
        other_type = GRAPHQL.get_type(other)
        assert isinstance(other_type, GraphQLObjectType)
        alias = "thing: " if self.rng.random() < 0.3 else ""
        global_id = operations.parley_id(type_name, row_id)
        if self.rng.random() < 0.05:
            global_id = "not-a-global-id"
        return (
            f'{alias}node(id: "{global_id}") {{ id __typename ... on {type_name} {{ {inner} }} '
            f"... on {other} {{ {self.selection(other_type, 1)} }} }}"
        )

    def _nodes(self) -> str:
        types = self.rng.sample(sorted(self.ids), k=2)
        ids = [
            operations.parley_id(type_name, self.rng.choice([*self.ids[type_name], 999_999]))
            for type_name in (types[0], types[1], types[0], types[0])
        ]
        fragments = []
        for type_name in types:
            node_type = GRAPHQL.get_type(type_name)
            assert isinstance(node_type, GraphQLObjectType)
            fragments.append(f"... on {type_name} {{ {self.selection(node_type, 1)} }}")
        return f"nodes(ids: {json.dumps(ids)}) {{ id {' '.join(fragments)} }}"

    def _lookup(self) -> str:
        field, type_name, argument = self.rng.choice(
            [
                ("mechanism", "Mechanism", "slug"),
                ("meeting", "Meeting", "slug"),
                ("person", "Person", "slug"),
                ("organization", "Organization", "slug"),
                ("topic", "Topic", "slug"),
                ("statement", "Statement", "slug"),
                ("country", "Country", "code"),
            ]
        )
        key = self.rng.choice([*self.slugs[type_name], "no-such-slug"])
        if type_name == "Country" and self.rng.random() < 0.5:
            key = key.lower()
        node_type = GRAPHQL.get_type(type_name)
        assert isinstance(node_type, GraphQLObjectType)
        return f'{field}({argument}: "{key}") {{ {self.selection(node_type, 2)} }}'

    def _connection(self) -> str:
        query = GRAPHQL.query_type
        assert query is not None
        name = self.rng.choice(
            [
                "mechanisms",
                "meetings",
                "meetings",
                "participations",
                "people",
                "organizations",
                "topics",
                "measures",
                "commitments",
                "sources",
                "statements",
                "countries",
            ]
        )
        field = query.fields[name]
        named = get_named_type(field.type)
        assert isinstance(named, GraphQLObjectType)
        return f"{name}{self.arguments(field, root=True)} {{ {self.selection(named, 3)} }}"

    def computed(self) -> tuple[str, dict[str, Any]]:
        """A list of commitments or mechanisms with their verdicts as of random dates (two at
        once, under aliases) and a random selection of the verdicts' fields."""
        self.fragments = []
        root, type_name, field_name = self.rng.choice(COMPUTED)
        query = GRAPHQL.query_type
        assert query is not None
        node_type = GRAPHQL.get_type(type_name)
        assert isinstance(node_type, GraphQLObjectType)
        field = node_type.fields[field_name]
        named = get_named_type(field.type)
        assert isinstance(named, GraphQLObjectType)
        parts = [
            f"v{n}: {field_name}{self.arguments(field)} {{ {self.selection(named, 2)} }}"
            for n in range(self.rng.randint(1, 2))
        ]
        others = self.selection(node_type, 1)
        arguments = self.arguments(query.fields[root])  # valid: the verdicts are the point
        head = "query Verdicts($yes: Boolean! = true, $no: Boolean! = false)"
        body = f"{head} {{ {root}{arguments} {{ nodes {{ id {' '.join(parts)} {others} }} }} }}"
        return "\n".join([body, *self.fragments]), {}

    def _search(self) -> str:
        # Search needs its text: words, phrases, OR, exclusions, Chinese, stop words only, and
        # a text that does not parse (an error on both paths).
        text = self.rng.choice(
            [
                "export controls",
                "meeting",
                "出口管制",
                "commerce OR trade",
                '"working group"',
                "security -tariffs",
                "the",
                "(export",
                "wang",
            ]
        )
        parts = [f"query: {json.dumps(text, ensure_ascii=False)}"]
        if self.rng.random() < 0.6:
            parts.append(f"first: {self.rng.choice([0, 1, 2, 3, 5, 101])}")
        if self.rng.random() < 0.3:
            kinds = self.rng.sample(["MEETING", "MECHANISM", "PERSON", "SOURCE", "TOPIC"], k=2)
            parts.append(f"types: [{', '.join(kinds)}]")
        if self.rng.random() < 0.05:
            parts.append('after: "bm90IGEgY3Vyc29y"')
        found = GRAPHQL.get_type("SearchHitConnection")
        assert isinstance(found, GraphQLObjectType)
        return f"search({', '.join(parts)}) {{ {self.selection(found, 3)} }}"

    def _counts(self) -> str:
        # The counts need their groupBy; YEAR_* orders without YEAR grouped are an error.
        name = self.rng.choice(["meetingCounts", "topicCounts"])
        field = GRAPHQL.query_type.fields[name]  # type: ignore[union-attr]
        dimensions = get_named_type(field.args["groupBy"].type)
        assert isinstance(dimensions, GraphQLEnumType)
        chosen = self.rng.sample(sorted(dimensions.values), k=self.rng.randint(0, 3))
        parts = [f"groupBy: [{', '.join(chosen)}]"]
        if self.rng.random() < 0.3:
            parts.append("countedOnly: false")
        if self.rng.random() < 0.4:
            orders = ["COUNT_DESC", "COUNT_ASC", "YEAR_ASC", "YEAR_DESC"]
            parts.append(f"orderBy: [{', '.join(self.rng.sample(orders, k=2))}]")
        if self.rng.random() < 0.4:
            meeting = self.rng.choice(FILTERS["MeetingFilterInput"][:-1])
            topic = [
                '{raisedBy: ["cn"]}',
                "{stances: [CONCERN, REQUEST]}",
                f"{{meeting: {meeting}}}",
            ]
            parts.append(
                f"filter: {meeting if name == 'meetingCounts' else self.rng.choice(topic)}"
            )
        named = get_named_type(field.type)
        assert isinstance(named, GraphQLObjectType)
        return f"{name}({', '.join(parts)}) {{ {self.selection(named, 2)} }}"

    def arguments(self, field: GraphQLField, *, root: bool = False) -> str:
        # Invalid page arguments only at the root: a nested error makes graphql-core cancel
        # sibling resolvers mid-statement, which breaks the test's shared connection.
        sizes = [0, 1, 2, 3, 5, 101, -1] if root else [0, 1, 2, 3, 5]
        parts = []
        for name, argument in field.args.items():
            named = get_named_type(argument.type)
            roll = self.rng.random()
            if name == "first" and roll < 0.7:
                parts.append(f"first: {self.rng.choice(sizes)}")
            elif name == "last" and roll < 0.1:
                parts.append(f"last: {self.rng.choice([1, 2])}")
            elif name == "after" and roll < 0.05 and root:
                parts.append('after: "bm90IGEgY3Vyc29y"')
            elif name == "orderBy" and roll < 0.4 and isinstance(named, GraphQLEnumType):
                values = self.rng.sample(sorted(named.values), k=min(2, len(named.values)))
                parts.append(f"orderBy: [{', '.join(values)}]")
            elif name == "filter" and roll < 0.4 and named.name in FILTERS:
                choices = FILTERS[named.name] if root else FILTERS[named.name][:-1]
                parts.append(f"filter: {self.rng.choice(choices)}")
            elif name == "codes" and roll < 0.3:
                parts.append('codes: ["us", "CN"]')
            elif name == "asOf" and (day := self.rng.choice(AS_OF)) is not None:
                parts.append(f'asOf: "{day}"')
        return f"({', '.join(parts)})" if parts else ""

    def selection(self, type_: GraphQLObjectType | GraphQLInterfaceType, depth: int) -> str:
        fields = sorted(
            (name, field) for name, field in type_.fields.items() if name not in NEEDS_TOKEN
        )
        chosen = self.rng.sample(fields, k=min(len(fields), self.rng.randint(1, 5)))
        found = [self._field(name, field, depth) for name, field in chosen]
        parts = [part for part in found if part]
        if self.rng.random() < 0.2:
            parts.append("__typename")
        if isinstance(type_, GraphQLInterfaceType) and depth > 0:
            # a record of one of its types (Citation.record, SearchHit.record)
            implementation = self.rng.choice(GRAPHQL.get_implementations(type_).objects)
            inner = self.selection(implementation, depth - 1)
            parts.append(f"... on {implementation.name} {{ {inner} }}")
        if not parts:
            parts = ["__typename"]
        if self.rng.random() < 0.2 and isinstance(type_, GraphQLObjectType):
            fragment = f"F{len(self.fragments)}"
            self.fragments.append(f"fragment {fragment} on {type_.name} {{ {' '.join(parts)} }}")
            return f"...{fragment} {self.rng.choice(parts)}"
        if self.rng.random() < 0.2:
            condition = f"on {type_.name} " if self.rng.random() < 0.5 else ""
            directive = self.rng.choice(["", "@include(if: $yes) ", "@skip(if: $yes) "])
            return f"... {condition}{directive}{{ {' '.join(parts)} }}"
        return " ".join(parts)

    def _field(self, name: str, field: GraphQLField, depth: int) -> str | None:
        if any(is_non_null_type(a.type) and a.default_value is None for a in field.args.values()):
            return None
        named = get_named_type(field.type)
        alias = f"x{self.rng.randint(0, 99)}: " if self.rng.random() < 0.15 else ""
        directive = self.rng.choice(
            ["", "", "", "", " @include(if: $yes)", " @skip(if: $yes)", " @skip(if: $no)"]
        )
        head = f"{alias}{name}{self.arguments(field)}{directive}"
        if is_leaf_type(named):
            return head
        if depth <= 0 or not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            return None
        return f"{head} {{ {self.selection(named, depth - 1)} }}"


async def _samples(session: AsyncSession) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    tables: dict[str, Any] = {
        "Mechanism": models.Mechanism,
        "Meeting": models.Meeting,
        "Participation": models.Participation,
        "TopicRaised": models.MeetingTopic,
        "Person": models.Person,
        "Organization": models.Organization,
        "Position": models.Position,
        "Topic": models.Topic,
        "PolicyMeasure": models.PolicyMeasure,
        "Commitment": models.Commitment,
        "Source": models.Source,
        "Citation": models.Citation,
        "Statement": models.Statement,
        "Country": models.Country,
    }
    ids = {
        name: list(await session.scalars(select(model.id).order_by(model.id).limit(6)))
        for name, model in tables.items()
    }
    slugs: dict[str, list[str]] = {}
    for name, model in tables.items():
        column = model.code if name == "Country" else getattr(model, "slug", None)
        if column is not None:
            slugs[name] = list(await session.scalars(select(column).order_by(model.id).limit(4)))
    return ids, slugs


async def _histories(session: AsyncSession, ids: dict[str, list[int]]) -> None:
    """Audit entries about the sampled records (their `history`), two to a timestamp."""
    tables = {"TopicRaised": "meeting_topic", "PolicyMeasure": "policy_measure"}
    stamp = dt.datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=dt.UTC)
    for type_name, row_ids in ids.items():
        table = tables.get(type_name, type_name.lower())
        for n, row_id in enumerate(row_ids[:3]):
            for k in range(n + 2):
                session.add(
                    models.AuditEntry(
                        occurred_at=stamp + dt.timedelta(seconds=k // 2, microseconds=-n),
                        token_name="test-writer",
                        operation="update",
                        action="update",
                        record_type=table,
                        record_id=row_id,
                        changes={"title": [f"v{k}", f"v{k + 1}"], "n": [None, [k, "é"]]},
                    )
                )
    await session.commit()


async def test_generated_queries_answer_alike_on_both_paths(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given a generator over the read schema and the seed's ids, some with a history
    ids, slugs = await _samples(session)
    await _histories(session, ids)
    generator = Generator(5, ids, slugs)
    handled = STATS.handled
    answered = 0
    compiled_by_root = {"search(": 0, "Counts(": 0}

    # when each generated query runs on both paths, then the bodies are the same
    for _ in range(CASES):
        query, variables = generator.operation()
        before = STATS.handled
        body = await _both(client, standard, query, variables)
        answered += "errors" not in body
        for root in compiled_by_root:
            compiled_by_root[root] += root in query and STATS.handled > before

    # and the compiled path answered a good share of them itself, searches and counts too
    assert answered > CASES // 2
    assert STATS.handled - handled > CASES // 4
    assert all(count >= 5 for count in compiled_by_root.values()), compiled_by_root


async def test_generated_verdicts_as_of_dates_answer_alike_on_both_paths(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given queries selecting compliance and activity, as of several dates, at random
    ids, slugs = await _samples(session)
    generator = Generator(7, ids, slugs)
    handled = STATS.handled
    cases = CASES // 4

    # when each runs on both paths, then the bodies are the same
    for _ in range(cases):
        query, variables = generator.computed()
        await _both(client, standard, query, variables)

    # and the compiled path answered most of them itself (the rest select fields it does not
    # cover)
    assert STATS.handled - handled > cases // 2


PAGED = """
query Paged($first: Int, $last: Int, $after: String, $before: String, $order: [MeetingOrder!]) {
  meetings(first: $first, last: $last, after: $after, before: $before, orderBy: $order) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title start } }
    totalCount
  }
}
"""

NESTED_PAGED = """
query Nested($first: Int, $after: String, $last: Int, $before: String) {
  mechanisms(first: 4) {
    nodes {
      slug
      meetings(first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes { title }
        totalCount
      }
    }
  }
}
"""


@pytest.mark.parametrize("order", [None, ["START_DATE_ASC"], ["TITLE_DESC", "START_DATE_DESC"]])
async def test_pages_after_and_before_cursors_of_previous_pages_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, order: list[str] | None
) -> None:
    # given the first page
    page = await _both(client, standard, PAGED, {"first": 3, "order": order})
    # when paging forward by endCursor, then back by startCursor: the same on both paths
    for _ in range(4):
        info = page["data"]["meetings"]["pageInfo"]
        forward = {"first": 3, "after": info["endCursor"], "order": order}
        page = await _both(client, standard, PAGED, forward)
        start = page["data"]["meetings"]["pageInfo"]["startCursor"]
        await _both(client, standard, PAGED, {"last": 2, "before": start, "order": order})
    # and a cursor of another ordering is an error on both
    await _both(client, standard, PAGED, {"first": 2, "after": start, "order": ["TITLE_ASC"]})


async def test_nested_pages_by_cursor_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient
) -> None:
    page = await _both(client, standard, NESTED_PAGED, {"first": 2})
    for mechanism in page["data"]["mechanisms"]["nodes"]:
        info = mechanism["meetings"]["pageInfo"]
        if info["endCursor"]:
            await _both(client, standard, NESTED_PAGED, {"first": 2, "after": info["endCursor"]})
            await _both(client, standard, NESTED_PAGED, {"last": 1, "before": info["endCursor"]})


ERRORS = [
    ("{ meetings(first: 101) { nodes { title } } }", {}),
    ("{ meetings(first: -1) { nodes { title } } }", {}),
    ("{ meetings(first: 1, last: 1) { nodes { title } } }", {}),
    ('{ meetings(after: "garbage") { nodes { title } } }', {}),
    ("{ mechanisms(first: 2) { nodes { meetings(first: 101) { totalCount } } } }", {}),
    ('{ node(id: "bm9wZQ==") { id } }', {}),
    ('{ node(id: "UXVlcnk6MQ==") { id } }', {}),
    ("query Q($first: Int) { meetings(first: $first) { totalCount } }", {"first": "ten"}),
    ("query Q($id: ID!) { node(id: $id) { id } }", {}),
    ('{ meetings(filter: { mechanismIds: ["UGVyc29uOjE="] }) { totalCount } }', {}),
    ('{ meetings(filter: { dateFrom: "2024", dateTo: "2020" }) { totalCount } }', {}),
    ("{ __schema { queryType { name } } }", {}),
    ("{ meetings { nodes { history { totalCount } } } }", {}),
    ('{ meetings(filter: { search: "export OR" }) { totalCount } }', {}),
    ('{ search(query: "(export") { totalCount } }', {}),
]


@pytest.mark.parametrize(("query", "variables"), ERRORS)
async def test_error_cases_answer_alike(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
) -> None:
    await _both(client, standard, query, variables)


ANALYST_QUERIES = [
    """{ participations(filter: {sides: ["US"], minRank: VICE_MINISTER}, first: 100) {
           totalCount
           nodes { person { name } titleOnDate rankOnDate meeting { title start } } } }""",
    """{ participations(orderBy: [MEETING_DATE_ASC], first: 100) {
           nodes { meeting { title start } person { name } titleAsReported titleOnDate } } }""",
    "{ meetingCounts(groupBy: [MECHANISM, YEAR]) { mechanismSlug year count } }",
    """{ topicCounts(groupBy: [YEAR, TOPIC], filter: {raisedBy: ["CN"]},
                    orderBy: [YEAR_ASC, COUNT_DESC]) { year topicSlug count topic { name } } }""",
    """{ meetings(filter: {counted: true, kinds: [SIDELINE]}) {
           nodes { kind counted participations { id role person { name } } } } }""",
    """{ people(filter: {holdingPositionOn: "2024-05-01"}) {
           nodes { name positions { title rank start end } } } }""",
    """{ meetings(first: 40, orderBy: [START_DATE_ASC]) { nodes { title start
           participations { titleOnDate rankOnDate position { title rank start end
             organization { name } } person { name } } } } }""",
]


@pytest.mark.parametrize("query", ANALYST_QUERIES)
async def test_the_analyst_queries_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, query: str
) -> None:
    handled = STATS.handled
    body = await _both(client, standard, query, {})
    assert "errors" not in body
    # the compiled path answered it, position-dependent fields included (not the aggregates)
    if "Counts" not in query:
        assert STATS.handled == handled + 1


BENCH_SHAPES = {
    "node": (operations.PARLEY_NODE, 1),
    "tree": (operations.PARLEY_TREE, 4),
    "flat": (operations.PARLEY_FLAT, 1),
    "search": (operations.PARLEY_SEARCH, 2),
}


@pytest.mark.parametrize("shape", sorted(BENCH_SHAPES))
async def test_bench_shapes_are_compiled_to_one_statement(
    shape: str,
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    session: AsyncSession,
) -> None:
    # given the benchmark's operation, with ids from the seed
    query, depth = BENCH_SHAPES[shape]
    meeting = await session.scalar(select(models.Meeting.id).order_by(models.Meeting.id))
    mechanism = await session.scalar(select(models.Mechanism.id).order_by(models.Mechanism.id))
    by_shape: dict[str, dict[str, Any]] = {
        "node": {"id": operations.parley_id("Meeting", meeting or 0)},
        "tree": {"first": 20},
        "flat": {"mechanism": operations.parley_id("Mechanism", mechanism or 0), "first": 50},
        "search": {"from": "2000", "to": "2030", "text": "meeting", "first": 20},
    }
    variables = by_shape[shape]
    handled = STATS.handled

    # when it runs on the compiled path
    with statement_log(engine) as seen:
        body = await _both(client, standard, query, variables)

    # then the compiled path answered it with one statement, the standard one with 1 + depth
    assert "errors" not in body
    assert STATS.handled == handled + 1
    per_path = sum(1 for s in seen if s.lstrip().upper().startswith(SQL))
    assert per_path <= 1 + (1 + depth)
    with statement_log(engine) as seen:
        await _post(client, query, variables)
    assert [s for s in seen if s.lstrip().upper().startswith(SQL)] == [ANY_ONE]


async def test_a_repeated_operation_reuses_its_plan(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    # given an operation answered once
    query = "query Q($n: Int) { meetings(first: $n) { nodes { title } } }"
    first = await _post(client, query, {"n": 2})
    hits, misses = PLANS.hits, PLANS.misses

    # when it comes again with the same variables, then with others
    with statement_log(engine) as seen:
        again = await _post(client, query, {"n": 2})
    other = await _post(client, query, {"n": 3})

    # then the first repeat is answered from the plan, in one statement, alike
    assert again[2] == first[2]
    assert (PLANS.hits, PLANS.misses) == (hits + 1, misses + 1)
    assert [s for s in seen if s.lstrip().upper().startswith(SQL)] == [ANY_ONE]
    assert len(other[1]["data"]["meetings"]["nodes"]) == 3


STATEMENT_READS = """
{
  statements(first: 40, filter: { sides: ["US", "CN"] }, orderBy: [SAID_DESC]) {
    totalCount
    nodes {
      id slug text language verbatim said datePhrase speakerAsReported
      attributionDoubtful attributionNote
      side { code } person { name } organization { acronym } mechanism { slug }
      meeting { slug statements(first: 2) { totalCount nodes { slug } } }
      source { address asCitedIn title citations { quote } }
      translations { text } translationOf { text }
    }
  }
  person(slug: "gina-raimondo") { statements(filter: { verbatim: true }) { nodes { text } } }
}
"""


async def test_statements_and_verbatim_citations_are_compiled_and_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient
) -> None:
    handled = STATS.handled
    result = await _both(client, standard, STATEMENT_READS, {})
    assert STATS.handled == handled + 1
    assert result["data"]["statements"]["totalCount"] > 20


COUNTS = [
    """{ meetingCounts(groupBy: [MECHANISM, YEAR]) {
           count year mechanismSlug hostCountryCode kind format
           mechanism { slug name } hostCountry { code } __typename } }""",
    "{ meetingCounts(groupBy: []) { count year kind } }",
    """{ meetingCounts(groupBy: [HOST_COUNTRY, KIND, FORMAT], countedOnly: false,
                      orderBy: [COUNT_DESC]) { count hostCountry { code name } kind format } }""",
    """{ meetingCounts(groupBy: [YEAR], filter: {statuses: [HELD]}, orderBy: [YEAR_DESC]) {
           count y: year } }""",
    """{ topicCounts(groupBy: [TOPIC, SIDE, STANCE]) {
           count topicSlug sideCode stance year mechanismSlug
           topic { slug name } side { code } mechanism { slug } } }""",
    """{ topicCounts(groupBy: [MECHANISM, YEAR], countedOnly: false, orderBy: [COUNT_ASC]) {
           count mechanism { name meetings(first: 1) { totalCount } } year } }""",
    """{ topicCounts(groupBy: [TOPIC], filter: {stances: [CONCERN], topicSlugs: ["export-controls"],
                    meeting: {dateFrom: "2018"}}) { count topic { name } } }""",
    "{ topicCounts(groupBy: []) { count } meetingCounts(groupBy: [KIND]) { kind count } }",
]


@pytest.mark.parametrize("query", COUNTS)
async def test_counts_are_compiled_and_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, engine: AsyncEngine, query: str
) -> None:
    # given a count over groups, with the records each group names
    handled = STATS.handled
    # when it runs on both paths, then the answers are the same bytes
    body = await _both(client, standard, query, {})
    assert "errors" not in body
    assert any(group["count"] for groups in body["data"].values() for group in groups)
    # and the compiled path answered it, in one statement
    assert STATS.handled == handled + 1
    with statement_log(engine) as seen:
        await _post(client, query, {})
    assert [s for s in seen if s.lstrip().upper().startswith(SQL)] == [ANY_ONE]


COUNT_ERRORS = [
    "{ meetingCounts(groupBy: [KIND], orderBy: [YEAR_ASC]) { count } }",
    '{ topicCounts(groupBy: [TOPIC], filter: {meeting: {dateFrom: "2024", dateTo: "2020"}}) '
    "{ count } }",
]


@pytest.mark.parametrize("query", COUNT_ERRORS)
async def test_bad_counts_are_the_standard_paths_errors(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, query: str
) -> None:
    body = await _both(client, standard, query, {})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


SEARCH = """
query Search($text: String!, $first: Int, $after: String, $types: [SearchableType!]) {
  search(query: $text, first: $first, after: $after, types: $types) {
    __typename
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        score
        record {
          id __typename
          ... on Meeting { title start mechanism { slug } }
          ... on Person { name }
          ... on Mechanism { name acronym }
          ... on Source { sourceTitle: title address }
          ... on Statement { text said }
        }
      }
    }
    nodes { score record { id } }
  }
}
"""

SEARCHES = [
    {"text": "export controls"},
    {"text": "meeting", "first": 3},
    {"text": "commerce", "types": ["PERSON", "ORGANIZATION", "MECHANISM"]},
    {"text": "出口管制"},
    {"text": "王文涛 OR raimondo"},
    {"text": "export", "types": ["STATEMENT"]},
    {"text": '"working group" -tariffs', "first": 5},
    {"text": "the"},  # only stop words: nothing to find
    {"text": "meeting", "first": 0},
    {"text": "zzzyzzyva"},  # no match
]


@pytest.mark.parametrize("variables", SEARCHES, ids=lambda v: f"{v['text']}-{v.get('first')}")
async def test_search_is_compiled_and_answers_alike_page_by_page(
    client: httpx.AsyncClient,
    standard: httpx.AsyncClient,
    engine: AsyncEngine,
    variables: dict[str, Any],
) -> None:
    # given a search, its scores and records, on both paths
    handled = STATS.handled
    page = await _both(client, standard, SEARCH, variables)
    # then the bytes are the same (scores are the same floats), in one statement
    assert "errors" not in page
    assert STATS.handled == handled + 1
    with statement_log(engine) as seen:
        await _post(client, SEARCH, variables)
    assert [s for s in seen if s.lstrip().upper().startswith(SQL)] == [ANY_ONE]
    # and so are the next pages, after each page's endCursor
    for _ in range(3):
        info = page["data"]["search"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        page = await _both(client, standard, SEARCH, {**variables, "after": info["endCursor"]})
        assert page["data"]["search"]["pageInfo"]["hasPreviousPage"]


async def test_search_scores_and_records_are_really_there(
    client: httpx.AsyncClient, standard: httpx.AsyncClient
) -> None:
    body = await _both(client, standard, SEARCH, {"text": "export controls", "first": 5})
    edges = body["data"]["search"]["edges"]
    assert len(edges) == 5
    assert all(isinstance(edge["node"]["score"], float) for edge in edges)
    assert all(edge["node"]["record"]["id"] for edge in edges)


SEARCH_ERRORS: list[tuple[str, dict[str, Any]]] = [
    ('{ search(query: "(export") { edges { node { score } } } }', {}),
    ('{ search(query: "export", after: "garbage") { totalCount } }', {}),
    ('{ search(query: "export", first: 101) { nodes { score } } }', {}),
    ('{ search(query: "export") { edges { node { snippet } } } }', {}),  # not compiled
]


@pytest.mark.parametrize(("query", "variables"), SEARCH_ERRORS)
async def test_search_errors_and_snippets_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> None:
    await _both(client, standard, query, variables)


CITED = """
{
  sources(first: 30) {
    nodes {
      title
      citations {
        quote verbatim note
        record {
          __typename id
          ... on Meeting { title }
          ... on Mechanism { slug }
          ... on Participation { role person { name } }
          ... on TopicRaised { stance topic { name } }
          ... on Commitment { title }
          ... on PolicyMeasure { name }
          ... on Person { name names { text source { title } } }
          ... on Position { title }
          ... on Organization { name }
        }
      }
    }
  }
  people(first: 20) { nodes { names { text language origin source { title address } } } }
}
"""


async def test_citations_records_and_name_sources_are_compiled_and_answer_alike(
    client: httpx.AsyncClient, standard: httpx.AsyncClient
) -> None:
    handled = STATS.handled
    body = await _both(client, standard, CITED, {})
    assert "errors" not in body
    assert STATS.handled == handled + 1
    citations = [c for s in body["data"]["sources"]["nodes"] for c in s["citations"]]
    kinds = {citation["record"]["__typename"] for citation in citations}
    assert len(kinds) >= 3, kinds
    assert {citation["verbatim"] for citation in citations} >= {True, None} or len(citations) > 0
