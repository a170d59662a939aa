"""Reading mechanisms: filters, slugs, parties, cadence, predecessors and their meetings."""

import httpx

from tests.graphql import data, nodes

MECHANISMS = """
query($filter: MechanismFilterInput, $orderBy: [MechanismOrder!]) {
  mechanisms(filter: $filter, orderBy: $orderBy, first: 100) {
    totalCount
    edges { node { slug kind level status } }
  }
}
"""

MECHANISM = """
query($slug: String!) {
  mechanism(slug: $slug) {
    name acronym kind level status established
    cadence { text times period }
    names { text language }
    parties { country { code } leadOrganization { acronym } }
    agreedAt { slug start }
    commitments { slug }
    meetings(first: 10, orderBy: [START_DATE_ASC]) {
      totalCount
      edges { node { slug sequenceLabel start mechanism { slug } } }
    }
    citations { quote source { url } }
  }
}
"""


async def test_the_four_channels_agreed_on_2023_08_28(client: httpx.AsyncClient) -> None:
    result = await data(
        client, MECHANISMS, filter={"partyCountries": ["cn"], "statuses": ["ACTIVE", "PROPOSED"]}
    )
    slugs = {node["slug"] for node in nodes(result["mechanisms"])}
    assert {
        "export-control-enforcement-information-exchange",
        "commercial-issues-working-group",
        "trade-secrets-technical-discussions",
        "commerce-ministers-communication-channel",
    } <= slugs


async def test_filters_combine_kind_level_and_status(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        MECHANISMS,
        filter={"kinds": ["WORKING_GROUP"], "levels": ["VICE_MINISTERIAL"], "statuses": ["ACTIVE"]},
    )
    found = nodes(result["mechanisms"])
    assert "commercial-issues-working-group" in {n["slug"] for n in found}
    assert all(
        (n["kind"], n["level"], n["status"]) == ("WORKING_GROUP", "VICE_MINISTERIAL", "ACTIVE")
        for n in found
    )
    assert result["mechanisms"]["totalCount"] == len(found)


async def test_ended_predecessors(client: httpx.AsyncClient) -> None:
    result = await data(client, MECHANISMS, filter={"statuses": ["ENDED"]})
    slugs = {node["slug"] for node in nodes(result["mechanisms"])}
    assert {"jcct", "strategic-economic-dialogue", "strategic-and-economic-dialogue"} <= slugs


async def test_a_mechanism_by_slug_with_its_relations(client: httpx.AsyncClient) -> None:
    result = await data(client, MECHANISM, slug="commercial-issues-working-group")
    ciwg = result["mechanism"]
    assert ciwg["acronym"] == "CIWG"
    assert ciwg["established"] == "2023-08-28"
    assert ciwg["cadence"] == {"text": "twice annually", "times": 2, "period": "YEAR"}
    assert {"text": "中美商贸工作组", "language": "zh-Hans"} in ciwg["names"]
    assert {p["country"]["code"] for p in ciwg["parties"]} == {"US", "CN"}
    assert ciwg["agreedAt"]["slug"] == "2023-08-28-raimondo-wang-wentao-beijing"
    assert "ciwg-meet-twice-annually" in {c["slug"] for c in ciwg["commitments"]}
    meetings = nodes(ciwg["meetings"])
    vice_ministerial = [m["slug"] for m in meetings if "vice-ministerial" in m["slug"]]
    assert vice_ministerial == [
        "2024-04-04-ciwg-inaugural-vice-ministerial-meeting",
        "2024-09-ciwg-second-vice-ministerial-meeting",
    ]
    assert all(m["mechanism"]["slug"] == "commercial-issues-working-group" for m in meetings)
    assert ciwg["citations"]
    assert all(c["source"]["url"].startswith(("https://", "http://")) for c in ciwg["citations"])


async def test_search_by_name_in_either_language(client: httpx.AsyncClient) -> None:
    chinese = await data(client, MECHANISMS, filter={"name": "商贸工作组"})
    english = await data(client, MECHANISMS, filter={"name": "commercial issues"})
    assert [n["slug"] for n in nodes(chinese["mechanisms"])] == [
        n["slug"] for n in nodes(english["mechanisms"])
    ]
    assert nodes(chinese["mechanisms"])[0]["slug"] == "commercial-issues-working-group"


async def test_unknown_slug_is_null(client: httpx.AsyncClient) -> None:
    assert (await data(client, MECHANISM, slug="no-such-mechanism")) == {"mechanism": None}
