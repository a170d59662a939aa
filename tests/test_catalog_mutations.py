"""Creating and editing the records around meetings, each with its audit history."""

import json
from typing import Any

import httpx

from tests.graphql import data


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


CREATE_MECHANISM = """
mutation($input: CreateMechanismInput!) { createMechanism(input: $input) {
  userErrors { field code }
  mechanism { id slug version kind level cadence { text times period } established
              parties { country { code } leadOrganization { slug } } names { text language }
              citations { quote source { url } } history { totalCount } } } }
"""
UPDATE_MECHANISM = """
mutation($input: UpdateMechanismInput!) { updateMechanism(input: $input) {
  userErrors { field code }
  mechanism { version status ended names { text }
              history { edges { node { action changes } } } } } }
"""


async def test_a_mechanism_created_then_ended(client: httpx.AsyncClient, write_token: str) -> None:
    mofcom = await data(client, '{ organization(slug: "prc-ministry-of-commerce") { id } }')
    created = await _write(
        client,
        write_token,
        CREATE_MECHANISM,
        input={
            "name": "Export Control Working Group",
            "kind": "WORKING_GROUP",
            "level": "VICE_MINISTERIAL",
            "established": "2025-Q2",
            "cadenceText": "twice annually",
            "cadenceTimes": 2,
            "cadencePeriod": "YEAR",
            "parties": [
                {"country": "CN", "leadOrganizationId": mofcom["organization"]["id"]},
                {"country": "us"},
            ],
            "names": [{"text": "出口管制工作组", "language": "zh-Hans"}],
            "sources": [{"url": "https://example.org/ecwg", "quote": "They set up a group."}],
        },
    )
    assert created["userErrors"] == []
    mechanism = created["mechanism"]
    assert (mechanism["slug"], mechanism["version"], mechanism["established"]) == (
        "export-control-working-group",
        1,
        "2025-Q2",
    )
    assert mechanism["cadence"] == {"text": "twice annually", "times": 2, "period": "YEAR"}
    assert {p["country"]["code"] for p in mechanism["parties"]} == {"CN", "US"}
    assert {"text": "出口管制工作组", "language": "zh-Hans"} in mechanism["names"]
    assert mechanism["history"]["totalCount"] == 1

    updated = await _write(
        client,
        write_token,
        UPDATE_MECHANISM,
        input={"id": mechanism["id"], "expectedVersion": 1, "status": "ENDED", "ended": "2026"},
    )
    assert updated["userErrors"] == []
    assert (updated["mechanism"]["version"], updated["mechanism"]["status"]) == (2, "ENDED")
    newest = updated["mechanism"]["history"]["edges"][0]["node"]
    assert newest["action"] == "update"
    assert newest["changes"]["status"] == ["active", "ended"]
    assert newest["changes"]["ended_date"] == [None, "2026"]

    stale = await _write(
        client,
        write_token,
        UPDATE_MECHANISM,
        input={"id": mechanism["id"], "expectedVersion": 1, "status": "ACTIVE"},
    )
    assert stale == {
        "userErrors": [{"field": ["expectedVersion"], "code": "CONFLICT"}],
        "mechanism": None,
    }

    bad_cadence = await _write(
        client,
        write_token,
        CREATE_MECHANISM,
        input={"name": "Half a cadence", "kind": "DIALOGUE", "cadenceTimes": 2},
    )
    assert bad_cadence["userErrors"] == [{"field": ["cadenceTimes"], "code": "INVALID"}]


async def test_people_organizations_topics_sources_measures_and_commitments(
    client: httpx.AsyncClient, write_token: str
) -> None:
    person = await _write(
        client,
        write_token,
        """mutation($input: CreatePersonInput!) { createPerson(input: $input) {
             userErrors { code } person { slug country { code } names { text }
             positions { title start organization { slug } } } } }""",
        input={
            "name": "Li Chenggang",
            "country": "CN",
            "names": [{"text": "李成钢", "language": "zh-Hans"}],
            "positions": [{"title": "Vice Minister of Commerce", "start": "2024"}],
        },
    )
    assert person["person"] == {
        "slug": "li-chenggang",
        "country": {"code": "CN"},
        "names": [{"text": "Li Chenggang"}, {"text": "李成钢"}],
        "positions": [
            {"title": "Vice Minister of Commerce", "start": "2024", "organization": None}
        ],
    }
    found = await data(client, '{ people(filter: { name: "李成钢" }) { nodes { slug } } }')
    assert found["people"]["nodes"] == [{"slug": "li-chenggang"}]

    organization = await _write(
        client,
        write_token,
        """mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
             userErrors { code } organization { slug kind country { code } } } }""",
        input={
            "name": "Bureau of Fair Trade",
            "kind": "BUREAU",
            "country": "CN",
            "slug": "mofcom-bft",
        },
    )
    assert organization["organization"] == {
        "slug": "mofcom-bft",
        "kind": "BUREAU",
        "country": {"code": "CN"},
    }

    topic = await _write(
        client,
        write_token,
        """mutation($input: CreateTopicInput!) { createTopic(input: $input) {
             userErrors { code } topic { id slug parent { slug } } } }""",
        input={
            "name": "Rare earth magnets",
            "parentId": (await data(client, '{ topic(slug: "export-controls") { id } }'))["topic"][
                "id"
            ],
        },
    )
    assert topic["topic"]["parent"] == {"slug": "export-controls"}

    source = await _write(
        client,
        write_token,
        """mutation($input: CreateSourceInput!) { createSource(input: $input) {
             userErrors { field code } source { url kind published } } }""",
        input={
            "url": "https://example.org/notice-2025-18",
            "kind": "LEGAL_TEXT",
            "published": "2025-04-04",
        },
    )
    assert source["source"] == {
        "url": "https://example.org/notice-2025-18",
        "kind": "LEGAL_TEXT",
        "published": "2025-04-04",
    }
    again = await _write(
        client,
        write_token,
        """mutation($input: CreateSourceInput!) {
             createSource(input: $input) { userErrors { field code } } }""",
        input={"url": "https://example.org/notice-2025-18", "kind": "NEWS"},
    )
    assert again["userErrors"] == [{"field": ["url"], "code": "DUPLICATE"}]

    measure = await _write(
        client,
        write_token,
        """mutation($input: CreatePolicyMeasureInput!) { createPolicyMeasure(input: $input) {
             userErrors { code } measure { slug status topics { slug } } } }""",
        input={
            "name": "Rare earth export controls",
            "kind": "EXPORT_CONTROL",
            "country": "CN",
            "announced": "2025-04-04",
            "topicIds": [topic["topic"]["id"]],
        },
    )
    assert measure["measure"] == {
        "slug": "rare-earth-export-controls",
        "status": "IN_FORCE",
        "topics": [{"slug": "rare-earth-magnets"}],
    }

    meeting = (
        await data(client, '{ meeting(slug: "2024-10-08-wang-wentao-raimondo-call") { id } }')
    )["meeting"]
    commitment = await _write(
        client,
        write_token,
        """mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) {
             userErrors { code } commitment { slug status due recurrence { times period }
             fulfillments { meeting { slug } } } } }""",
        input={
            "title": "Ministers talk every quarter",
            "recurrenceText": "every quarter",
            "recurrenceTimes": 1,
            "recurrencePeriod": "QUARTER",
            "due": "2025-Q1",
            "fulfilledBy": [{"meetingId": meeting["id"]}],
        },
    )
    assert commitment["commitment"] == {
        "slug": "ministers-talk-every-quarter",
        "status": "PENDING",
        "due": "2025-Q1",
        "recurrence": {"times": 1, "period": "QUARTER"},
        "fulfillments": [{"meeting": {"slug": "2024-10-08-wang-wentao-raimondo-call"}}],
    }


async def test_deleting_a_meeting_that_others_point_at_is_refused(
    client: httpx.AsyncClient, write_token: str
) -> None:
    agreed = (
        await data(
            client, '{ meeting(slug: "2023-08-28-raimondo-wang-wentao-beijing") { id version } }'
        )
    )["meeting"]
    query = """mutation($input: DeleteMeetingInput!) { deleteMeeting(input: $input) {
                 deletedId userErrors { field code message } } }"""
    refused = await _write(
        client, write_token, query, input={"id": agreed["id"], "expectedVersion": agreed["version"]}
    )
    assert refused["deletedId"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["id"], "IN_USE")]

    call = (
        await data(
            client, '{ meeting(slug: "2024-01-10-raimondo-wang-wentao-call") { id version } }'
        )
    )["meeting"]
    deleted = await _write(
        client, write_token, query, input={"id": call["id"], "expectedVersion": call["version"]}
    )
    assert deleted == {"deletedId": call["id"], "userErrors": []}
    assert (
        await data(client, '{ meeting(slug: "2024-01-10-raimondo-wang-wentao-call") { id } }')
    ) == {"meeting": None}

    # a meeting at which statements were made keeps them: IN_USE says so
    spoken = (
        await data(
            client, '{ meeting(slug: "2024-10-08-wang-wentao-raimondo-call") { id version } }'
        )
    )["meeting"]
    kept = await _write(
        client, write_token, query, input={"id": spoken["id"], "expectedVersion": spoken["version"]}
    )
    assert [e["code"] for e in kept["userErrors"]] == ["IN_USE"]
    assert "statements" in kept["userErrors"][0]["message"]
