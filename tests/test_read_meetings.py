"""Reading meetings: filters (partial-date overlap), participants, topics, visits, sources."""

from typing import Any

import httpx

from tests.graphql import data, nodes

MEETINGS = """
query($filter: MeetingFilterInput, $orderBy: [MeetingOrder!]) {
  meetings(filter: $filter, orderBy: $orderBy, first: 100) {
    totalCount
    edges { node { slug start end status } }
  }
}
"""

MEETING = """
query($slug: String!) {
  meeting(slug: $slug) {
    title status format start end place datePhrase
    hostCountry { code }
    mechanism { slug }
    parent { slug }
    parts { slug start }
    participations {
      role titleAsReported nameAsReported
      side { code }
      person { slug }
      organization { slug }
      position { title }
    }
    topicsRaised { topic { slug } raisedBy { code } stance note }
    measuresDiscussed { measure { slug } }
    commitmentsMade { slug }
    commitmentsFulfilled { slug }
    citations { quote source { url kind } }
  }
}
"""


async def _slugs(client: httpx.AsyncClient, **filter_: Any) -> list[str]:
    result = await data(client, MEETINGS, filter=filter_, orderBy=["START_DATE_ASC"])
    assert result["meetings"]["totalCount"] == len(result["meetings"]["edges"])
    return [node["slug"] for node in nodes(result["meetings"])]


async def test_partial_dates_overlap_the_range(client: httpx.AsyncClient) -> None:
    # "concluded 2024-09-07", stored with the month: a range ending on 1 Sep still overlaps it
    found = await _slugs(client, dateFrom="2024-08-15", dateTo="2024-09-01")
    assert "2024-09-ciwg-second-vice-ministerial-meeting" in found
    assert "2024-10-08-wang-wentao-raimondo-call" not in found


async def test_date_range_keeps_multi_day_meetings(client: httpx.AsyncClient) -> None:
    # the visit ran 27-30 Aug 2023; a range starting on the 30th still finds it
    found = await _slugs(client, dateFrom="2023-08-30", dateTo="2023-08-31")
    assert found == ["2023-08-raimondo-visit-to-china"]


async def test_by_mechanism_slug_and_id_agree(client: httpx.AsyncClient) -> None:
    by_slug = await _slugs(client, mechanismSlugs=["commercial-issues-working-group"])
    ids = await data(client, '{ mechanism(slug: "commercial-issues-working-group") { id } }')
    by_id = await _slugs(client, mechanismIds=[ids["mechanism"]["id"]])
    assert by_slug == by_id
    assert "2024-04-04-ciwg-inaugural-vice-ministerial-meeting" in by_slug


async def test_by_host_topic_participant_and_status(client: httpx.AsyncClient) -> None:
    hosted_by_us = await _slugs(client, hostCountries=["US"], topicSlugs=["export-controls"])
    assert "2024-04-04-ciwg-inaugural-vice-ministerial-meeting" in hosted_by_us
    assert "2023-08-28-raimondo-wang-wentao-beijing" not in hosted_by_us

    with_wang = await _slugs(client, participantName="王文涛")
    assert with_wang == await _slugs(client, participantName="Wang Wentao")
    assert "2023-08-28-raimondo-wang-wentao-beijing" in with_wang

    not_held = await _slugs(client, statuses=["UNKNOWN", "PLANNED"])
    assert "2024-01-trade-secrets-technical-discussions" in not_held


async def test_a_visit_groups_its_meetings(client: httpx.AsyncClient) -> None:
    visit = (await data(client, MEETING, slug="2023-08-raimondo-visit-to-china"))["meeting"]
    parts = [part["slug"] for part in visit["parts"]]
    assert "2023-08-28-raimondo-wang-wentao-beijing" in parts
    assert "2023-08-29-raimondo-he-lifeng" in parts
    part = (await data(client, MEETING, slug=parts[0]))["meeting"]
    assert part["parent"]["slug"] == "2023-08-raimondo-visit-to-china"


async def test_a_meeting_with_everything_that_happened(client: httpx.AsyncClient) -> None:
    meeting = (await data(client, MEETING, slug="2023-08-28-raimondo-wang-wentao-beijing"))[
        "meeting"
    ]
    assert meeting["hostCountry"]["code"] == "CN"
    sides = {(p["person"]["slug"], p["side"]["code"]) for p in meeting["participations"]}
    assert {("gina-raimondo", "US"), ("wang-wentao", "CN")} <= sides
    wang = next(p for p in meeting["participations"] if p["person"]["slug"] == "wang-wentao")
    assert wang["position"]["title"]
    concerns = {
        t["topic"]["slug"]
        for t in meeting["topicsRaised"]
        if t["raisedBy"] and t["raisedBy"]["code"] == "CN" and t["stance"] == "CONCERN"
    }
    assert {"section-301-tariffs", "semiconductors", "subsidies", "sanctions"} <= concerns
    assert "ciwg-meet-twice-annually" in {c["slug"] for c in meeting["commitmentsMade"]}
    assert meeting["citations"]


async def test_an_unnamed_lead_is_not_invented(client: httpx.AsyncClient) -> None:
    meeting = (
        await data(client, MEETING, slug="2023-08-29-export-control-information-exchange-beijing")
    )["meeting"]
    chinese = [p for p in meeting["participations"] if p["side"]["code"] == "CN"]
    assert all(p["person"] is None for p in chinese)
    us = [p for p in meeting["participations"] if p["side"]["code"] == "US"]
    assert [p["person"]["slug"] for p in us] == ["matthew-axelrod"]
