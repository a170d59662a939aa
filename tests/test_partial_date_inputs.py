"""PartialDate is one scalar for input and output, and documents written when mutation inputs
took dates as String keep working."""

import json
import re
from pathlib import Path
from typing import Any

import httpx
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type

from schema import schema
from schema.legacy import LEGACY_DATE_INPUTS
from schema.scalars import SPECIFIED_BY
from tests.graphql import data, execute

README = Path(__file__).resolve().parent.parent / "README.md"

RECORD_WITH_DATE_VARIABLES = """
mutation($start: %s, $published: %s) {
  recordMeeting(input: { title: "Dates as variables", start: $start,
                         sources: [{ url: "https://dates.example/a", published: $published }] }) {
    meeting { start citations { source { published } } }
    userErrors { field code }
  }
}
"""


async def _post(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    return response.json()


def test_every_date_of_a_mutation_input_is_a_partial_date() -> None:
    # given
    graphql_schema = schema._schema
    partial_date = graphql_schema.type_map["PartialDate"]
    dated_inputs = set()
    string_dates = []

    # when
    for name, graphql_type in graphql_schema.type_map.items():
        if not isinstance(graphql_type, GraphQLInputObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            if get_named_type(field.type) is partial_date:
                dated_inputs.add(name)
            elif (
                re.search(
                    r"(start|end|published|due|announced|effective|established|ended)$", field_name
                )
                and "Filter" not in name
            ):
                string_dates.append(f"{name}.{field_name}")

    # then
    assert string_dates == []
    dated = {n for n in dated_inputs if not n.endswith("FilterInput")}
    # inputs added after the change were PartialDate from the start: nothing legacy to keep
    assert dated - LEGACY_DATE_INPUTS == {"SourceInput", "StatementInput"}
    assert dated >= LEGACY_DATE_INPUTS


def test_partial_date_is_specified_by_its_readme_section() -> None:
    scalar = schema._schema.type_map["PartialDate"]
    assert isinstance(scalar, GraphQLScalarType)
    assert scalar.specified_by_url == SPECIFIED_BY
    file, anchor = SPECIFIED_BY.split("#")
    headings = re.findall(r"^#+ (.+)$", (README.parent / file).read_text(encoding="utf-8"), re.M)
    anchors = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
    assert anchor in anchors
    assert '@specifiedBy(url: "README.md#partialdate")' in schema.as_str()


async def test_date_variables_declared_partial_date(
    client: httpx.AsyncClient, write_token: str
) -> None:
    query = RECORD_WITH_DATE_VARIABLES % ("PartialDate", "PartialDate")
    body = await _post(client, write_token, query, start="2024-Q3", published=" 2024-07 ")
    assert body["data"]["recordMeeting"] == {
        "meeting": {"start": "2024-Q3", "citations": [{"source": {"published": "2024-07"}}]},
        "userErrors": [],
    }
    assert "warnings" not in body.get("extensions", {})


async def test_an_invalid_date_is_a_user_error_with_the_others(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: a date that is no date, as a variable and as a literal
    query = RECORD_WITH_DATE_VARIABLES % ("PartialDate", "PartialDate")
    literal = """mutation { recordMeeting(input: { title: "", start: "2024-02-30" }) {
        userErrors { field code } } }"""

    # when
    by_variable = await _post(client, write_token, query, start="2024-13", published="soon")
    by_literal = await _post(client, write_token, literal)

    # then: no request error; user errors at each field
    assert "errors" not in by_variable
    assert "errors" not in by_literal
    assert by_variable["data"]["recordMeeting"]["userErrors"] == [
        {"field": ["start"], "code": "INVALID_DATE"},
        {"field": ["sources", "0", "published"], "code": "INVALID_DATE"},
    ]
    assert sorted(e["code"] for e in by_literal["data"]["recordMeeting"]["userErrors"]) == [
        "INVALID_DATE",
        "REQUIRED",
    ]


async def test_a_blank_date_is_no_date_as_in_a_filter(
    client: httpx.AsyncClient, write_token: str
) -> None:
    """Blank meant null while the fields were String; now it is refused, as filters refuse it
    (issue 8.11): null says "no date"."""
    query = RECORD_WITH_DATE_VARIABLES % ("PartialDate", "PartialDate")
    body = await _post(client, write_token, query, start="  ", published="")
    assert body["data"]["recordMeeting"]["userErrors"] == [
        {"field": ["start"], "code": "INVALID_DATE"},
        {"field": ["sources", "0", "published"], "code": "INVALID_DATE"},
    ]
    body = await _post(client, write_token, query, start=None, published=None)
    assert body["data"]["recordMeeting"]["userErrors"] == []
    assert body["data"]["recordMeeting"]["meeting"]["start"] is None


async def test_a_date_that_is_not_a_string_is_refused_like_a_string_would_be(
    client: httpx.AsyncClient, write_token: str
) -> None:
    query = RECORD_WITH_DATE_VARIABLES % ("PartialDate", "PartialDate")
    body = await _post(client, write_token, query, start=2024)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in body or body["data"] is None


async def test_documents_declaring_string_dates_keep_working_with_a_warning(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: a document written while the inputs took String
    query = RECORD_WITH_DATE_VARIABLES % ("String", "String")

    # when
    valid = await _post(client, write_token, query, start="2024-11", published="2024-11-02")
    invalid = await _post(client, write_token, query, start="2024-11-31")

    # then
    assert valid["data"]["recordMeeting"]["userErrors"] == []
    assert valid["data"]["recordMeeting"]["meeting"]["start"] == "2024-11"
    warnings = valid["extensions"]["warnings"]
    assert [(w["code"], w["message"][:17]) for w in warnings] == [
        ("DEPRECATED_VARIABLE_TYPE", "Variable '$publis"),
        ("DEPRECATED_VARIABLE_TYPE", "Variable '$start'"),
    ]
    assert invalid["data"]["recordMeeting"]["userErrors"] == [
        {"field": ["start"], "code": "INVALID_DATE"}
    ]


async def test_string_variables_stay_refused_where_dates_were_always_partial_dates(
    client: httpx.AsyncClient,
) -> None:
    query = "query($d: String) { meetings(filter: { dateFrom: $d }) { totalCount } }"
    body = await execute(client, query, d="2024")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "expecting type 'PartialDate'" in body["errors"][0]["message"]


async def test_filters_refuse_a_date_that_is_none(client: httpx.AsyncClient) -> None:
    query = "query($d: PartialDate) { meetings(filter: { dateFrom: $d }) { totalCount } }"
    body = await execute(client, query, d="2024-13")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "2024-13" in body["errors"][0]["message"]
    literal = await execute(client, '{ commitments(filter: { dueFrom: "x" }) { totalCount } }')
    assert literal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    found = await data(client, query, d="2024-H2")
    assert found["meetings"]["totalCount"] > 0
