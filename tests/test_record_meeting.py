"""Recording a meeting from a script: one call, everything that happened, nothing half-done."""

import json
from typing import Any

import httpx

from tests.graphql import data

RECORD = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    replayed
    userErrors { field code message }
    meeting {
      id slug version title format status start end place
      mechanism { slug }
      hostCountry { code }
      participations { side { code } titleAsReported role person { slug name } }
      topicsRaised { topic { slug } raisedBy { code } stance note }
      measuresDiscussed { measure { slug } }
      commitmentsFulfilled { slug }
      citations { quote source { url kind } }
      history { totalCount edges { node { tokenName operation action changes } } }
    }
  }
}
"""

MEETING_COUNT = "{ meetings { totalCount } }"


async def record(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    """The recordMeeting payload for an input made of ``fields``."""
    # json.dumps escapes non-ASCII, so even a lone surrogate reaches the server as sent.
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": RECORD, "variables": {"input": fields}}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["recordMeeting"]
    return payload


async def _ids(client: httpx.AsyncClient) -> dict[str, str]:
    result = await data(
        client,
        """{ person(slug: "marisa-lago") { id }
             commitment(slug: "ciwg-meet-twice-annually") { id }
             measure(slug: "us-eo-14105-outbound-investment") { id } }""",
    )
    return {key: value["id"] for key, value in result.items()}


async def test_a_meeting_with_everything_in_one_call(
    client: httpx.AsyncClient, write_token: str
) -> None:
    ids = await _ids(client)
    payload = await record(
        client,
        write_token,
        title="Third vice-ministerial meeting of the Commercial Issues Working Group",
        mechanismSlug="commercial-issues-working-group",
        format="IN_PERSON",
        start="2025-03-11",
        end="2025-03-12",
        place="Washington",
        hostCountry="us",
        participants=[
            {
                "personId": ids["person"],
                "side": "US",
                "role": "HEAD_OF_DELEGATION",
                "title": "Under Secretary of Commerce for International Trade",
            },
            {"name": "王受文", "side": "CN", "role": "HEAD_OF_DELEGATION"},
            {"name": "Li Chenggang", "side": "CN", "title": "Vice Minister of Commerce"},
        ],
        topics=[
            {
                "topicSlug": "export-controls",
                "raisedBy": "CN",
                "stance": "CONCERN",
                "note": "Asked to narrow the entity list.",
            },
            {"topicSlug": "healthcare", "stance": "COOPERATION"},
        ],
        measures=[{"measureId": ids["measure"], "note": "Raised by China."}],
        fulfils=[{"commitmentId": ids["commitment"]}],
        sources=[
            {
                "url": "https://www.trade.gov/press-release/ciwg-third",
                "kind": "OFFICIAL_READOUT",
                "title": "Readout",
                "quote": "The third meeting took place in Washington.",
            }
        ],
    )

    assert payload["userErrors"] == []
    assert payload["replayed"] is False
    meeting = payload["meeting"]
    assert (
        meeting["slug"]
        == "2025-03-11-third-vice-ministerial-meeting-of-the-commercial-issues-working-group"
    )
    assert (meeting["start"], meeting["end"], meeting["version"]) == ("2025-03-11", "2025-03-12", 1)
    assert meeting["mechanism"]["slug"] == "commercial-issues-working-group"
    assert meeting["hostCountry"]["code"] == "US"
    people = [(p["person"]["slug"], p["side"]["code"]) for p in meeting["participations"]]
    # Wang Shouwen is found by his Chinese name, not created again; Li Chenggang is new
    assert people == [("marisa-lago", "US"), ("wang-shouwen", "CN"), ("li-chenggang", "CN")]
    assert meeting["topicsRaised"][0] == {
        "topic": {"slug": "export-controls"},
        "raisedBy": {"code": "CN"},
        "stance": "CONCERN",
        "note": "Asked to narrow the entity list.",
    }
    assert meeting["measuresDiscussed"] == [
        {"measure": {"slug": "us-eo-14105-outbound-investment"}}
    ]
    assert meeting["commitmentsFulfilled"] == [{"slug": "ciwg-meet-twice-annually"}]
    assert meeting["citations"] == [
        {
            "quote": "The third meeting took place in Washington.",
            "source": {
                "url": "https://www.trade.gov/press-release/ciwg-third",
                "kind": "OFFICIAL_READOUT",
            },
        }
    ]
    (entry,) = [edge["node"] for edge in meeting["history"]["edges"]]
    assert (entry["tokenName"], entry["operation"], entry["action"]) == (
        "test-writer",
        "recordMeeting",
        "create",
    )
    assert entry["changes"]["title"] == [None, meeting["title"]]
    assert len(entry["changes"]["participants"][1]) == 3


async def test_cjk_text_round_trips_exactly(client: httpx.AsyncClient, write_token: str) -> None:
    title = "中美商贸工作组第三次副部长级会议（华盛顿）"
    payload = await record(
        client, write_token, title=title, summary="双方就出口管制交换了意见。\n第二行"
    )
    assert payload["meeting"]["title"] == title
    query = "query($slug: String!) { meeting(slug: $slug) { title summary } }"
    found = await data(client, query, slug=payload["meeting"]["slug"])
    assert found["meeting"] == {"title": title, "summary": "双方就出口管制交换了意见。\n第二行"}


async def test_a_bad_participant_leaves_nothing_behind(
    client: httpx.AsyncClient, write_token: str
) -> None:
    before = await data(client, MEETING_COUNT)
    payload = await record(
        client,
        write_token,
        title="A meeting that must not be half-recorded",
        participants=[
            {"name": "New Person Who Must Not Exist", "side": "US"},
            {"name": "X", "side": "ZZ"},
        ],
        topics=[{"topicSlug": "no-such-topic", "stance": "CONCERN"}],
    )
    assert payload["meeting"] is None
    assert {tuple(e["field"]): e["code"] for e in payload["userErrors"]} == {
        ("participants", "1", "side"): "INVALID",
        ("topics", "0", "topicSlug"): "NOT_FOUND",
    }
    assert await data(client, MEETING_COUNT) == before
    people = await data(client, '{ people(filter: { name: "New Person Who" }) { totalCount } }')
    assert people["people"]["totalCount"] == 0


UPDATE = """
mutation($input: UpdateMeetingInput!) {
  updateMeeting(input: $input) {
    userErrors { field code }
    meeting { version place note participations { person { slug } side { code } }
              history { edges { node { action changes } } } }
  }
}
"""


async def test_an_update_sets_fields_clears_others_and_adds_participants(
    client: httpx.AsyncClient, write_token: str
) -> None:
    recorded = await record(client, write_token, title="A call", place="Beijing", note="draft")
    meeting = recorded["meeting"]
    response = await client.post(
        "/graphql",
        json={
            "query": UPDATE,
            "variables": {
                "input": {
                    "id": meeting["id"],
                    "expectedVersion": meeting["version"],
                    "place": "Washington",
                    "note": None,
                    "addParticipants": [{"name": "Wang Wentao", "side": "CN"}],
                }
            },
        },
        headers={"Authorization": f"Bearer {write_token}"},
    )
    payload = response.json()["data"]["updateMeeting"]
    assert payload["userErrors"] == []
    updated = payload["meeting"]
    assert (updated["version"], updated["place"], updated["note"]) == (2, "Washington", None)
    assert updated["participations"] == [
        {"person": {"slug": "wang-wentao"}, "side": {"code": "CN"}}
    ]
    change = updated["history"]["edges"][0]["node"]
    assert change["action"] == "update"
    assert change["changes"]["place"] == ["Beijing", "Washington"]
    assert change["changes"]["note"] == ["draft", None]
    assert "participants" in change["changes"]
