"""Aggregates: meetings and topics raised counted per group, each by one GROUP BY statement."""

from typing import Any

import httpx
import pytest

from tests.graphql import data, execute
from tests.test_record_meeting import record

PER_MECHANISM_PER_YEAR = """
{ meetingCounts(groupBy: [MECHANISM, YEAR]) { mechanismSlug year count } }
"""

CHINA_TOPICS_BY_YEAR = """
{
  topicCounts(groupBy: [YEAR, TOPIC], filter: {raisedBy: ["CN"]},
              orderBy: [YEAR_ASC, COUNT_DESC]) {
    year topicSlug count
  }
}
"""


def _selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


async def test_meetings_per_mechanism_per_year(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    statements.clear()
    groups = (await data(client, PER_MECHANISM_PER_YEAR))["meetingCounts"]

    # one GROUP BY statement answers it
    selects = _selects(statements)
    assert len(selects) == 1
    assert "GROUP BY" in selects[0].upper()
    as_tuples = [(g["mechanismSlug"], g["year"], g["count"]) for g in groups]
    # the working group met twice in 2024; its preparatory call does not count
    assert ("commercial-issues-working-group", 2024, 2) in as_tuples
    # ministers: the APEC sideline of Nov 2023, then two calls in 2024
    assert ("commerce-ministers-communication-channel", 2023, 1) in as_tuples
    assert ("commerce-ministers-communication-channel", 2024, 2) in as_tuples
    # ad hoc meetings last (null mechanism); visits are not counted, their parts are
    assert as_tuples[-1] == (None, 2023, 9)
    # the trade-secrets talks of January 2024 are not known to have happened
    assert not any(slug == "trade-secrets-technical-discussions" for slug, _, _ in as_tuples)


async def test_the_topics_china_raised_most_by_year(client: httpx.AsyncClient) -> None:
    groups = (await data(client, CHINA_TOPICS_BY_YEAR))["topicCounts"]

    assert [(g["year"], g["topicSlug"], g["count"]) for g in groups[:4]] == [
        (2023, "investment-restrictions", 3),
        (2023, "export-controls", 2),
        (2023, "section-301-tariffs", 2),
        (2023, "semiconductors", 2),
    ]
    years = [g["year"] for g in groups]
    assert years == sorted(years)
    for year in set(years):
        counts = [g["count"] for g in groups if g["year"] == year]
        assert counts == sorted(counts, reverse=True)


async def test_counted_only_false_counts_every_record(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        """{ all: meetingCounts(groupBy: [KIND], countedOnly: false) { kind count }
             real: meetingCounts(groupBy: [KIND]) { kind count }
             total: meetingCounts(groupBy: []) { count year kind mechanismSlug } }""",
    )

    everything = {g["kind"]: g["count"] for g in result["all"]}
    assert everything["VISIT"] == 3
    assert everything["PREPARATORY"] == 1
    assert {g["kind"] for g in result["real"]} == {"MEETING", "SIDELINE"}
    real_total = sum(g["count"] for g in result["real"])
    assert result["total"] == [
        {"count": real_total, "year": None, "kind": None, "mechanismSlug": None}
    ]


async def test_filters_are_the_meeting_lists(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        """query($slugs: [String!]) {
             meetingCounts(groupBy: [HOST_COUNTRY, FORMAT],
                           filter: {dateFrom: "2024", mechanismSlugs: $slugs}) {
               hostCountryCode format count hostCountry { name } } }""",
        slugs=["commercial-issues-working-group", "commerce-ministers-communication-channel"],
    )

    assert result["meetingCounts"] == [
        {
            "hostCountryCode": "CN",
            "format": "IN_PERSON",
            "count": 1,
            "hostCountry": {"name": "China"},
        },
        {
            "hostCountryCode": "US",
            "format": "IN_PERSON",
            "count": 1,
            "hostCountry": {"name": "United States"},
        },
        {"hostCountryCode": None, "format": "CALL", "count": 2, "hostCountry": None},
    ]


async def test_partial_dates_count_for_the_year_they_begin(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given an ad hoc meeting dated only to a half-year, and one spanning the new year
    for start, end in (("2031-H2", None), ("2031-12-31", "2032-01-02")):
        fields: dict[str, Any] = {"title": f"Boundary {start}", "start": start}
        if end:
            fields["end"] = end
        assert (await record(client, write_token, **fields))["userErrors"] == []

    # then both count for 2031, none for 2032
    result = await data(
        client,
        """{ meetingCounts(groupBy: [YEAR], filter: {dateFrom: "2031"}) { year count } }""",
    )
    assert result["meetingCounts"] == [{"year": 2031, "count": 2}]


@pytest.mark.parametrize(
    "query",
    [
        "{ meetingCounts(groupBy: [MECHANISM], orderBy: [YEAR_ASC]) { count } }",
        '{ meetingCounts(groupBy: [YEAR], filter: {dateFrom: "2024", dateTo: "2020"}) { count } }',
    ],
)
async def test_bad_arguments_are_bad_user_input(client: httpx.AsyncClient, query: str) -> None:
    body = await execute(client, query)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_topic_counts_group_by_side_and_stance(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        """{ topicCounts(groupBy: [SIDE, STANCE], orderBy: [COUNT_DESC]) {
               sideCode stance count side { code } } }""",
    )

    groups = result["topicCounts"]
    assert groups[0] == {
        "sideCode": "CN",
        "stance": "CONCERN",
        "count": groups[0]["count"],
        "side": {"code": "CN"},
    }
    counts = [g["count"] for g in groups]
    assert counts == sorted(counts, reverse=True)
