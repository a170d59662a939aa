"""Relations both ways: commitments and fulfilling meetings, measures and meetings, sources."""

import httpx

from tests.graphql import data, nodes

COMMITMENT = """
query($slug: String!) {
  commitment(slug: $slug) {
    title status statusNote due duePhrase
    recurrence { text times period }
    meeting { slug }
    mechanism { slug }
    committedBy { code }
    fulfillments { note meeting { slug commitmentsFulfilled { slug } } }
  }
}
"""

MEASURE = """
query($slug: String!) {
  measure(slug: $slug) {
    name kind instrument announced effective status
    country { code }
    topics { slug measures { slug } }
    discussions { meeting { slug measuresDiscussed { measure { slug } } } }
    citations { quote source { url } }
  }
}
"""

PERSON = """
query($slug: String!) {
  person(slug: $slug) {
    name
    names { text language }
    positions { title start end organization { slug } person { slug } }
    participations(first: 50) {
      totalCount
      edges { node { meeting { slug start } side { code } } }
    }
  }
}
"""

SOURCES = """
{
  sources(filter: { kinds: [SECONDARY_MIRROR] }, first: 100) {
    edges { node { url original { url kind mirrors { url } } citations { record { id } } } }
  }
}
"""


async def test_a_commitment_and_the_meetings_that_fulfil_it(client: httpx.AsyncClient) -> None:
    result = await data(client, COMMITMENT, slug="ciwg-first-meeting-in-us-early-2024")
    commitment = result["commitment"]
    assert commitment["due"] == "2024-H1"  # "early 2024": the longest span the words allow
    assert commitment["status"] == "PARTIALLY_FULFILLED"
    assert commitment["committedBy"]["code"] == "US"
    assert commitment["meeting"]["slug"] == "2023-08-28-raimondo-wang-wentao-beijing"
    (fulfillment,) = commitment["fulfillments"]
    meeting = fulfillment["meeting"]
    assert meeting["slug"] == "2024-04-04-ciwg-inaugural-vice-ministerial-meeting"
    assert "ciwg-first-meeting-in-us-early-2024" in {
        c["slug"] for c in meeting["commitmentsFulfilled"]
    }


async def test_a_recurring_commitment(client: httpx.AsyncClient) -> None:
    result = await data(client, COMMITMENT, slug="ciwg-meet-twice-annually")
    assert result["commitment"]["recurrence"] == {
        "text": "twice annually",
        "times": 2,
        "period": "YEAR",
    }
    # the two meetings, and the editor's unlink of the preparatory call of 6 Feb 2024
    assert len(result["commitment"]["fulfillments"]) == 3


async def test_a_measure_its_topics_and_the_meetings_that_discussed_it(
    client: httpx.AsyncClient,
) -> None:
    measure = (await data(client, MEASURE, slug="us-eo-14105-outbound-investment"))["measure"]
    assert measure["instrument"] == "EO 14105"
    assert measure["announced"] == "2023-08-09"
    assert measure["country"]["code"] == "US"
    for topic in measure["topics"]:
        assert "us-eo-14105-outbound-investment" in {m["slug"] for m in topic["measures"]}
    assert measure["citations"]


async def test_a_person_by_slug_with_positions_and_meetings(client: httpx.AsyncClient) -> None:
    person = (await data(client, PERSON, slug="wang-wentao"))["person"]
    assert {"text": "王文涛", "language": "zh-Hans"} in person["names"]
    assert all(p["person"]["slug"] == "wang-wentao" for p in person["positions"])
    meetings = nodes(person["participations"])
    assert person["participations"]["totalCount"] == len(meetings) >= 4
    starts = [m["meeting"]["start"] for m in meetings]
    assert starts == sorted(starts, reverse=True)
    assert {m["side"]["code"] for m in meetings} == {"CN"}


async def test_mirrors_point_at_their_official_original(client: httpx.AsyncClient) -> None:
    mirrors = nodes((await data(client, SOURCES))["sources"])
    assert mirrors
    with_original = [m for m in mirrors if m["original"]]
    assert with_original
    for mirror in with_original:
        assert mirror["url"] in {m["url"] for m in mirror["original"]["mirrors"]}


async def test_people_and_organizations_by_name_in_any_language(
    client: httpx.AsyncClient,
) -> None:
    query = """query($name: String!) {
      people(filter: { name: $name }) { edges { node { slug } } }
      organizations(filter: { name: $name }) { edges { node { slug } } }
    }"""
    for name in ("王文涛", "wang wentao", "WANG WENTAO"):
        found = await data(client, query, name=name)
        assert [n["slug"] for n in nodes(found["people"])] == ["wang-wentao"]
    found = await data(client, query, name="商务部")
    assert "prc-ministry-of-commerce" in [n["slug"] for n in nodes(found["organizations"])]
