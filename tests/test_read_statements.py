"""Statements: who said what, where, in which words, on whose report; filters and relations."""

import httpx

from tests.graphql import data, execute, nodes

STATEMENT = """
query($slug: String!) {
  statement(slug: $slug) {
    text language verbatim speakerAsReported said datePhrase
    attributionDoubtful attributionNote
    person { slug } organization { slug } side { code }
    meeting { slug } mechanism { slug }
    source { address title kind original { address } }
    translationOf { slug } translations { slug language }
  }
}
"""

STATEMENTS = """
query($filter: StatementFilterInput, $order: [StatementOrder!]) {
  statements(filter: $filter, orderBy: $order, first: 100) {
    totalCount
    nodes { slug said side { code } }
  }
}
"""

NESTED = """
{
  meeting(slug: "2023-08-28-raimondo-wang-wentao-beijing") {
    statements(first: 3) { totalCount nodes { slug meeting { slug } } }
    spoken: statements(filter: { sides: ["CN"] }) { nodes { side { code } } }
  }
  person(slug: "gina-raimondo") {
    statements { nodes { slug person { slug } } }
  }
  organization(slug: "prc-ministry-of-commerce") { statements { totalCount } }
  mechanism(slug: "export-control-enforcement-information-exchange") {
    statements(filter: { verbatim: true }) { nodes { verbatim mechanism { slug } } }
  }
}
"""


async def slugs(client: httpx.AsyncClient, **statement_filter: object) -> list[str]:
    result = await data(client, STATEMENTS, filter=statement_filter)
    return [node["slug"] for node in result["statements"]["nodes"]]


async def test_the_attribution_the_report_gives_is_kept_and_flagged(
    client: httpx.AsyncClient,
) -> None:
    # when
    result = await data(
        client, STATEMENT, slug="2023-08-28-excessive-generalization-of-national-security"
    )

    # then: "Wang Yi", as the report says, with the doubt beside it
    statement = result["statement"]
    assert statement["text"].startswith("excessive generalization of national security")
    assert statement["verbatim"] is True
    assert statement["speakerAsReported"] == "Wang Yi"
    assert statement["person"] == {"slug": "wang-yi"}
    assert statement["attributionDoubtful"] is True
    assert "Wang Wentao" in statement["attributionNote"]
    assert statement["source"]["address"] == (
        "https://svlook.com/us-and-china-to-begin-dialogue-on-export-controls"
    )
    assert statement["source"]["kind"] == "SECONDARY_MIRROR"
    assert statement["source"]["original"] is None  # the original article is unknown


async def test_raimondos_words_at_the_business_leaders_gathering(
    client: httpx.AsyncClient,
) -> None:
    result = await data(
        client, STATEMENT, slug="2023-08-28-raimondo-we-need-more-channels-of-communication"
    )
    statement = result["statement"]
    assert statement["text"].startswith("We need more channels of communication.")
    assert statement["said"] == "2023-08-28"
    assert statement["datePhrase"] == "Monday night"
    assert statement["person"] == {"slug": "gina-raimondo"}
    assert statement["side"] == {"code": "US"}
    assert statement["meeting"] == {"slug": "2023-08-28-raimondo-us-business-leaders-beijing"}


async def test_a_translation_is_a_statement_linked_both_ways(client: httpx.AsyncClient) -> None:
    original = await data(client, STATEMENT, slug="2023-11-16-mofcom-communication-mechanism-zh")
    translation = await data(client, STATEMENT, slug="2023-11-16-mofcom-communication-mechanism-en")

    assert original["statement"]["text"] == "商务部沟通交流机制"
    assert original["statement"]["language"] == "zh-Hans"
    assert original["statement"]["translations"] == [
        {"slug": "2023-11-16-mofcom-communication-mechanism-en", "language": "en"}
    ]
    assert translation["statement"]["translationOf"] == {
        "slug": "2023-11-16-mofcom-communication-mechanism-zh"
    }
    assert translation["statement"]["verbatim"] is False


async def test_every_statement_the_issue_quotes_is_a_record(client: httpx.AsyncClient) -> None:
    result = await data(client, "{ statements(first: 100) { nodes { text } } }")
    texts = " | ".join(node["text"] for node in result["statements"]["nodes"])
    for words in (
        "serious concerns",
        "clarify national security boundaries",
        "商务部沟通交流机制",
        "a platform to reduce misunderstandings about U.S. national security policy",
        "exchange information on export controls in accordance with their respective laws",
        "rather than policy negotiations",
        "excessive generalization of national security is not conducive",
        "We need more channels of communication",
    ):
        assert words in texts, words


async def test_filters_by_side_person_meeting_and_language(client: httpx.AsyncClient) -> None:
    us = await slugs(client, sides=["US"])
    cn = await slugs(client, sides=["cn"])
    assert us
    assert cn
    assert not set(us) & set(cn)

    assert await slugs(client, personSlugs=["wang-yi"]) == [
        "2023-08-28-excessive-generalization-of-national-security"
    ]
    assert "2023-08-28-us-official-transparency-rather-than-negotiations" in await slugs(
        client, speaker="senior U.S. commerce official"
    )
    assert "2023-08-28-excessive-generalization-of-national-security" in await slugs(
        client,
        speaker="王毅",  # the person's name in another language
    )
    at_meeting = await slugs(
        client, meetingSlugs=["2023-08-28-raimondo-us-business-leaders-beijing"]
    )
    assert at_meeting == ["2023-08-28-raimondo-we-need-more-channels-of-communication"]
    assert sorted(await slugs(client, languages=["zh-Hans"])) == [
        "2023-11-16-mofcom-communication-mechanism-zh",
        "2023-11-16-wang-wentao-generalization-of-national-security-zh",
        "2024-04-04-wang-shouwen-concerns-zh",
    ]
    assert sorted(await slugs(client, attributionDoubtful=True)) == [
        "2023-08-28-excessive-generalization-of-national-security",
        "2023-08-28-us-official-talks-by-administration-officials",
    ]
    assert sorted(await slugs(client, translations=True)) == [
        "2023-11-16-mofcom-communication-mechanism-en",
        "2023-11-16-wang-wentao-generalization-of-national-security-en",
        "2024-04-04-china-generalized-national-security",
    ]
    said_2024 = await slugs(client, saidFrom="2024", saidTo="2024")
    assert said_2024
    assert all(slug.startswith("2024") for slug in said_2024)


async def test_statements_in_date_order_both_ways(client: httpx.AsyncClient) -> None:
    ascending = (await data(client, STATEMENTS, order=["SAID_ASC"]))["statements"]["nodes"]
    descending = (await data(client, STATEMENTS, order=["SAID_DESC"]))["statements"]["nodes"]
    assert ascending[0]["said"] == "2023-05-21"
    assert descending[0]["said"].startswith("2024-10")
    assert len(ascending) == len(descending)


async def test_nested_statements_on_meetings_people_organizations_mechanisms(
    client: httpx.AsyncClient,
) -> None:
    result = await data(client, NESTED)
    meeting = result["meeting"]
    assert meeting["statements"]["totalCount"] >= 6
    assert len(meeting["statements"]["nodes"]) == 3
    assert {n["meeting"]["slug"] for n in meeting["statements"]["nodes"]} == {
        "2023-08-28-raimondo-wang-wentao-beijing"
    }
    assert {n["side"]["code"] for n in meeting["spoken"]["nodes"]} == {"CN"}
    assert {n["person"]["slug"] for n in result["person"]["statements"]["nodes"]} == {
        "gina-raimondo"
    }
    assert result["organization"]["statements"]["totalCount"] >= 8
    mechanism = result["mechanism"]["statements"]["nodes"]
    assert mechanism
    assert all(n["verbatim"] for n in mechanism)


async def test_a_bad_filter_is_a_field_error(client: httpx.AsyncClient) -> None:
    body = await execute(client, STATEMENTS, filter={"saidFrom": "2024", "saidTo": "2023"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await execute(client, STATEMENTS, filter={"personIds": ["bm9wZQ=="]})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_statement_is_a_node(client: httpx.AsyncClient) -> None:
    listed = await data(client, "{ statements(first: 1) { nodes { id text } } }")
    first = nodes({"edges": [{"node": n} for n in listed["statements"]["nodes"]]})[0]
    found = await data(
        client, "query($id: ID!) { node(id: $id) { ... on Statement { text } } }", id=first["id"]
    )
    assert found["node"]["text"] == first["text"]
