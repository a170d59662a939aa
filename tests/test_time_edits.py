"""Editors write what the verdicts read: cadences, record reviews, rules, links, assessments."""

import json
from typing import Any

import httpx

from tests.graphql import data, execute

UPDATE_COMMITMENT = """
mutation($input: UpdateCommitmentInput!) { updateCommitment(input: $input) {
  userErrors { field code }
  commitment {
    version
    assessment { verdict asOf note source { url } }
    fulfillmentRule { formats kinds minRank bothSides note mechanism { slug } source { url } }
    fulfillments { counts note meeting { slug } source { url } }
    compliance(asOf: "2024-12-31") { verdict disagreesWithAssessment fulfilledBy { slug } }
  } } }
"""
UPDATE_MECHANISM = """
mutation($input: UpdateMechanismInput!) { updateMechanism(input: $input) {
  userErrors { field code }
  mechanism {
    version
    cadence { stated times atLeast quote note source { url } }
    recordReviews { completeFrom completeThrough reviewedBy sourcesSearched }
    activity(asOf: "2025-06-30") { verdict recordComplete }
  } } }
"""


async def _write(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


READOUT = "https://trade.gov/press-release/readout-second-meeting-us-china-commercial-issues-working-group"


async def _ids(client: httpx.AsyncClient) -> dict[str, Any]:
    return await data(
        client,
        """query ($url: String!) {
             commitment(slug: "ciwg-second-meeting-in-china-2024-h2") { id version }
             mechanism(slug: "export-control-enforcement-information-exchange") { id version }
             meeting(slug: "2024-09-ciwg-second-vice-ministerial-meeting") { id }
             source(url: $url) { id url } }""",
        url=READOUT,
    )


async def test_an_editor_sets_a_rule_unlinks_a_meeting_and_assesses(
    client: httpx.AsyncClient, write_token: str
) -> None:
    ids = await _ids(client)
    assert ids["source"] is not None

    payload = await _write(
        client,
        write_token,
        UPDATE_COMMITMENT,
        input={
            "id": ids["commitment"]["id"],
            "expectedVersion": ids["commitment"]["version"],
            "assessedVerdict": "OVERDUE",
            "assessedAsOf": "2024-12-31",
            "assessedNote": "For the test: the editor disagrees.",
            "assessedSourceId": ids["source"]["id"],
            "fulfillmentRule": {
                "formats": ["IN_PERSON"],
                "kinds": ["MEETING", "SIDELINE"],
                "minRank": "VICE_MINISTER",
                "note": "In person, vice ministers on both sides.",
                "sourceId": ids["source"]["id"],
            },
            "addFulfilledBy": [
                {
                    "meetingId": ids["meeting"]["id"],
                    "counts": False,
                    "note": "For the test: not this one.",
                    "sourceId": ids["source"]["id"],
                }
            ],
        },
    )

    assert payload["userErrors"] == []
    commitment = payload["commitment"]
    assert commitment["assessment"]["verdict"] == "OVERDUE"
    assert commitment["fulfillmentRule"] == {
        "formats": ["IN_PERSON"],
        "kinds": ["MEETING", "SIDELINE"],
        "minRank": "VICE_MINISTER",
        "bothSides": True,
        "note": "In person, vice ministers on both sides.",
        "mechanism": None,  # the commitment's own
        "source": {"url": ids["source"]["url"]},
    }
    (link,) = commitment["fulfillments"]
    assert (link["counts"], link["meeting"]["slug"]) == (
        False,
        "2024-09-ciwg-second-vice-ministerial-meeting",
    )
    # the only meeting that fulfilled it is unlinked: on 31 Dec 2024, the last day of its due
    # date (2024-H2), it is pending
    assert commitment["compliance"] == {
        "verdict": "PENDING",
        "disagreesWithAssessment": True,
        "fulfilledBy": [],
    }


async def test_an_editor_states_no_cadence_and_reviews_the_record(
    client: httpx.AsyncClient, write_token: str
) -> None:
    ids = await _ids(client)

    payload = await _write(
        client,
        write_token,
        UPDATE_MECHANISM,
        input={
            "id": ids["mechanism"]["id"],
            "expectedVersion": ids["mechanism"]["version"],
            "cadenceStated": False,
            "cadenceNote": "Checked again: no source says how often.",
            "addRecordReviews": [
                {
                    "completeFrom": "2023-08-28",
                    "completeThrough": "2025-06-30",
                    "reviewedBy": "A test editor",
                    "reviewedOn": "2026-11-29",
                    "sourcesSearched": "bis.gov press releases; MOFCOM news",
                }
            ],
        },
    )

    assert payload["userErrors"] == []
    mechanism = payload["mechanism"]
    assert mechanism["cadence"] == {
        "stated": False,
        "times": None,
        "atLeast": None,
        "quote": None,
        "note": "Checked again: no source says how often.",
        "source": None,
    }
    assert mechanism["recordReviews"][-1]["completeThrough"] == "2025-06-30"
    assert mechanism["activity"] == {"verdict": "ACTIVE", "recordComplete": True}


async def test_bad_cadences_and_reviews_are_user_errors(
    client: httpx.AsyncClient, write_token: str
) -> None:
    ids = await _ids(client)
    mechanism = {"id": ids["mechanism"]["id"], "expectedVersion": ids["mechanism"]["version"]}

    counted = await _write(
        client,
        write_token,
        UPDATE_MECHANISM,
        input={**mechanism, "cadenceStated": False, "cadenceTimes": 2, "cadencePeriod": "YEAR"},
    )
    inverted = await _write(
        client,
        write_token,
        UPDATE_MECHANISM,
        input={
            **mechanism,
            "addRecordReviews": [
                {
                    "completeFrom": "2025-01-01",
                    "completeThrough": "2024-01-01",
                    "reviewedBy": "x",
                    "sourcesSearched": "y",
                }
            ],
        },
    )

    assert counted["userErrors"] == [{"field": ["cadenceStated"], "code": "INVALID"}]
    assert inverted["userErrors"] == [
        {"field": ["addRecordReviews", "0", "completeFrom"], "code": "INVALID_DATE"}
    ]


async def test_an_as_of_date_outside_the_calendar_is_refused(client: httpx.AsyncClient) -> None:
    for query in (
        '{ mechanisms { nodes { activity(asOf: "1899-12-31") { verdict } } } }',
        '{ commitments(filter: { compliance: [KEPT], asOf: "2200-01-01" }) { totalCount } }',
    ):
        body = await execute(client, query)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
