"""A form sees every problem of its input in one response, each at its field; nothing is written.

Each case is one input carrying many faults at once — a bad date, an empty or unknown
reference, a bad country code, an ftp:// URL, a malformed id, a rule across fields — for every
mutation. The whole set of (field, code) pairs must come back together.
"""

import json
from typing import Any

import httpx
import pytest

from tests.graphql import data

WRONG_KIND = "TWVldGluZzox"  # a Meeting's id (Meeting:1), where another kind is wanted
NO_PERSON = "UGVyc29uOjk5OTk5"  # Person:99999
NO_TOPIC = "VG9waWM6OTk5OTk="  # Topic:99999
NO_MEETING = "TWVldGluZzo5OTk5OQ=="  # Meeting:99999

SEEN = """{
  mechanism(slug: "commercial-issues-working-group") { id version }
  person(slug: "wang-wentao") { id version }
  organization(slug: "prc-ministry-of-commerce") { id version }
  topic(slug: "export-controls") { id version }
  measure(slug: "us-eo-14105-outbound-investment") { id version }
  commitment(slug: "ciwg-meet-twice-annually") { id version }
  meeting(slug: "2024-10-08-wang-wentao-raimondo-call") { id version }
  source(url: "https://www.scmp.com/article/3221879") { id version }
}"""

COUNTS = """{ meetings { totalCount } people { totalCount } countries { totalCount }
  sources { totalCount } mechanisms { totalCount } commitments { totalCount }
  topics { totalCount } measures { totalCount } organizations { totalCount } }"""

FTP_SOURCE = {"url": "ftp://files.example/readout", "published": "2024-02-30"}
NEW_PERSON = {"name": "Someone Who Must Not Be Added", "side": "FR"}

Case = tuple[str, str, dict[str, Any], set[tuple[tuple[str, ...], str]]]


def _cases(seen: dict[str, Any]) -> list[Case]:
    def id_of(kind: str) -> str:
        return str(seen[kind]["id"])

    return [
        (
            "recordMeeting",
            "RecordMeetingInput",
            {
                "idempotencyKey": "  ",
                "title": "A meeting full of mistakes",
                "mechanismSlug": "no-such-mechanism",
                "start": "2024-13",
                "end": "2024-05-01",
                "hostCountry": "XX",
                "place": "Beijing\x00",
                "parentId": WRONG_KIND + "x",
                "participants": [
                    NEW_PERSON,
                    {"side": "CN"},
                    {"name": "王文涛", "side": "ZZ"},
                    {"personId": NO_PERSON, "side": "US"},
                    {"personId": WRONG_KIND, "side": "US"},
                ],
                "topics": [
                    {"topicSlug": "no-such-topic", "stance": "CONCERN"},
                    {"stance": "REQUEST"},
                    {"topicSlug": "semiconductors", "raisedBy": "QQ", "stance": "CONCERN"},
                ],
                "measures": [{"measureId": WRONG_KIND}],
                "fulfils": [{"commitmentId": "not-an-id"}],
                "sources": [FTP_SOURCE, {"url": "https://ok.example/a", "language": "not a tag"}],
            },
            {
                (("idempotencyKey",), "REQUIRED"),
                (("mechanismSlug",), "NOT_FOUND"),
                (("start",), "INVALID_DATE"),
                (("hostCountry",), "INVALID"),
                (("place",), "CONTROL_CHARACTERS"),
                (("parentId",), "INVALID"),
                (("participants", "1"), "REQUIRED"),
                (("participants", "2", "side"), "INVALID"),
                (("participants", "3", "personId"), "NOT_FOUND"),
                (("participants", "4", "personId"), "INVALID"),
                (("topics", "0", "topicSlug"), "NOT_FOUND"),
                (("topics", "1"), "REQUIRED"),
                (("topics", "2", "raisedBy"), "INVALID"),
                (("measures", "0", "measureId"), "INVALID"),
                (("fulfils", "0", "commitmentId"), "INVALID"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
                (("sources", "1", "language"), "INVALID"),
            },
        ),
        (
            "updateMeeting",
            "UpdateMeetingInput",
            {
                "id": id_of("meeting"),
                "expectedVersion": seen["meeting"]["version"] + 7,
                "title": "",
                "start": "2025-05",
                "end": "2025-04",
                "addParticipants": [NEW_PERSON, {"name": "X", "side": "USA"}],
                "addSources": [FTP_SOURCE],
            },
            {
                (("expectedVersion",), "CONFLICT"),
                (("title",), "REQUIRED"),
                (("end",), "INVALID_DATE"),
                (("addParticipants", "1", "side"), "INVALID"),
                (("addSources", "0", "url"), "INVALID_URL"),
                (("addSources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updateMeeting",
            "UpdateMeetingInput",
            {
                "id": NO_MEETING,
                "expectedVersion": 1,
                "hostCountry": "XX",
                "addTopics": [{"topicId": NO_TOPIC, "stance": "CONCERN"}],
            },
            {
                (("id",), "NOT_FOUND"),
                (("hostCountry",), "INVALID"),
                (("addTopics", "0", "topicId"), "NOT_FOUND"),
            },
        ),
        (
            "createMechanism",
            "CreateMechanismInput",
            {
                "name": "A mechanism full of mistakes",
                "slug": "commercial-issues-working-group",
                "kind": "WORKING_GROUP",
                "established": "2024-H3",
                "cadenceTimes": 2,
                "predecessorId": NO_MEETING,
                "parties": [{"country": "XX"}, {"country": "CN", "leadOrganizationId": NO_PERSON}],
                "names": [{"text": "", "language": "zh-Hans"}],
                "sources": [FTP_SOURCE],
            },
            {
                (("slug",), "DUPLICATE"),
                (("established",), "INVALID_DATE"),
                (("cadenceTimes",), "INVALID"),
                (("predecessorId",), "INVALID"),
                (("parties", "0", "country"), "INVALID"),
                (("parties", "1", "leadOrganizationId"), "INVALID"),
                (("names", "0", "text"), "REQUIRED"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updateMechanism",
            "UpdateMechanismInput",
            {
                "id": id_of("mechanism"),
                "expectedVersion": seen["mechanism"]["version"],
                "established": "2025",
                "ended": "2024",
                "cadenceTimes": 0,
                "addParties": [{"country": "XX"}],
            },
            {
                (("ended",), "INVALID_DATE"),
                (("cadenceTimes",), "INVALID"),
                (("addParties", "0", "country"), "INVALID"),
            },
        ),
        (
            "createPerson",
            "CreatePersonInput",
            {
                "name": "  ",
                "country": "XX",
                "slug": "Bad Slug",
                "positions": [
                    {"title": "Minister", "start": "2024", "end": "2023"},
                    {"title": "", "organizationId": WRONG_KIND, "start": "20x4"},
                ],
                "sources": [FTP_SOURCE],
            },
            {
                (("name",), "REQUIRED"),
                (("country",), "INVALID"),
                (("slug",), "INVALID"),
                (("positions", "0", "end"), "INVALID_DATE"),
                (("positions", "1", "title"), "REQUIRED"),
                (("positions", "1", "organizationId"), "INVALID"),
                (("positions", "1", "start"), "INVALID_DATE"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updatePerson",
            "UpdatePersonInput",
            {
                "id": WRONG_KIND,
                "expectedVersion": 1,
                "country": "XX",
                "addNames": [{"text": "x", "language": "??"}],
            },
            {
                (("id",), "INVALID"),
                (("country",), "INVALID"),
                (("addNames", "0", "language"), "INVALID"),
            },
        ),
        (
            "createOrganization",
            "CreateOrganizationInput",
            {
                "name": "x" * 400,
                "kind": "MINISTRY",
                "country": "XX",
                "parentId": NO_PERSON,
                "sources": [FTP_SOURCE],
            },
            {
                (("name",), "TOO_LONG"),
                (("country",), "INVALID"),
                (("parentId",), "INVALID"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updateOrganization",
            "UpdateOrganizationInput",
            {
                "id": id_of("organization"),
                "expectedVersion": seen["organization"]["version"] + 1,
                "name": "",
                "country": "XX",
            },
            {
                (("expectedVersion",), "CONFLICT"),
                (("name",), "REQUIRED"),
                (("country",), "INVALID"),
            },
        ),
        (
            "createTopic",
            "CreateTopicInput",
            {
                "name": "",
                "slug": "export-controls",
                "parentId": NO_TOPIC,
                "names": [{"text": "出口管制", "language": ""}],
            },
            {
                (("name",), "REQUIRED"),
                (("slug",), "DUPLICATE"),
                (("parentId",), "NOT_FOUND"),
                (("names", "0", "language"), "REQUIRED"),
            },
        ),
        (
            "updateTopic",
            "UpdateTopicInput",
            {
                "id": id_of("topic"),
                "expectedVersion": seen["topic"]["version"],
                "slug": "semiconductors",
                "description": "bell\x07",
            },
            {(("slug",), "DUPLICATE"), (("description",), "CONTROL_CHARACTERS")},
        ),
        (
            "createPolicyMeasure",
            "CreatePolicyMeasureInput",
            {
                "name": "A measure full of mistakes",
                "kind": "EXPORT_CONTROL",
                "country": "XX",
                "announced": "2023-02-29",
                "effective": "2023-01",
                "topicIds": [NO_TOPIC, WRONG_KIND],
                "sources": [FTP_SOURCE],
            },
            {
                (("country",), "INVALID"),
                (("announced",), "INVALID_DATE"),
                (("topicIds", "0"), "NOT_FOUND"),
                (("topicIds", "1"), "INVALID"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updatePolicyMeasure",
            "UpdatePolicyMeasureInput",
            {
                "id": id_of("measure"),
                "expectedVersion": seen["measure"]["version"],
                "announced": "2024",
                "effective": "2023-Q0",
                "addTopicIds": [WRONG_KIND],
            },
            {(("effective",), "INVALID_DATE"), (("addTopicIds", "0"), "INVALID")},
        ),
        (
            "createSource",
            "CreateSourceInput",
            {
                "url": "ftp://files.example/x",
                "kind": "NEWS",
                "language": "not a tag",
                "published": "yesterday",
                "originalId": NO_MEETING,
            },
            {
                (("url",), "INVALID_URL"),
                (("language",), "INVALID"),
                (("published",), "INVALID_DATE"),
                (("originalId",), "INVALID"),
            },
        ),
        (
            "updateSource",
            "UpdateSourceInput",
            {
                "id": id_of("source"),
                "expectedVersion": seen["source"]["version"] + 1,
                "url": "https://www.breakinglatest.news/news/minister-of-commerce-wang-wentao-meets-with-us-secretary-of-commerce-raymondo-xinhua-english-news-cn/",
                "published": "2024-00",
            },
            {
                (("expectedVersion",), "CONFLICT"),
                (("url",), "DUPLICATE"),
                (("published",), "INVALID_DATE"),
            },
        ),
        (
            "recordCommitment",
            "RecordCommitmentInput",
            {
                "title": "",
                "due": "early 2024",
                "committedBy": "XX",
                "recurrenceTimes": 1,
                "meetingId": NO_MEETING,
                "fulfilledBy": [{"meetingId": NO_PERSON}],
                "sources": [FTP_SOURCE],
            },
            {
                (("title",), "REQUIRED"),
                (("due",), "INVALID_DATE"),
                (("committedBy",), "INVALID"),
                (("recurrenceTimes",), "INVALID"),
                (("meetingId",), "NOT_FOUND"),
                (("fulfilledBy", "0", "meetingId"), "INVALID"),
                (("sources", "0", "url"), "INVALID_URL"),
                (("sources", "0", "published"), "INVALID_DATE"),
            },
        ),
        (
            "updateCommitment",
            "UpdateCommitmentInput",
            {
                "id": id_of("commitment"),
                "expectedVersion": seen["commitment"]["version"],
                "due": "2024-Q5",
                "committedBy": "XX",
                "addFulfilledBy": [{"meetingId": NO_MEETING}],
            },
            {
                (("due",), "INVALID_DATE"),
                (("committedBy",), "INVALID"),
                (("addFulfilledBy", "0", "meetingId"), "NOT_FOUND"),
            },
        ),
    ]


CASE_IDS = [
    "recordMeeting",
    "updateMeeting",
    "updateMeeting-missing",
    "createMechanism",
    "updateMechanism",
    "createPerson",
    "updatePerson",
    "createOrganization",
    "updateOrganization",
    "createTopic",
    "updateTopic",
    "createPolicyMeasure",
    "updatePolicyMeasure",
    "createSource",
    "updateSource",
    "recordCommitment",
    "updateCommitment",
]


async def _send(
    client: httpx.AsyncClient, token: str, name: str, input_type: str, fields: dict[str, Any]
) -> dict[str, Any]:
    query = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) "
        "{ userErrors { field code message } } }"
    )
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": {"input": fields}}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


@pytest.mark.parametrize("case", range(len(CASE_IDS)), ids=CASE_IDS)
async def test_every_problem_comes_back_at_once_and_nothing_is_written(
    client: httpx.AsyncClient, write_token: str, case: int
) -> None:
    # given
    seen = await data(client, SEEN)
    name, input_type, fields, expected = _cases(seen)[case]
    before = await data(client, COUNTS)

    # when
    payload = await _send(client, write_token, name, input_type, fields)

    # then
    got = [(tuple(e["field"] or ()), e["code"]) for e in payload["userErrors"]]
    assert set(got) == expected
    assert len(got) == len(set(got)), "each problem once"
    assert all(e["message"] for e in payload["userErrors"])
    assert await data(client, COUNTS) == before
    assert await data(client, SEEN) == seen


async def test_a_clean_input_after_a_faulty_one_is_written(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: the same form, first with faults, then corrected
    faulty = {"title": "Corrected later", "start": "2024-13", "participants": [NEW_PERSON]}
    fixed = {**faulty, "start": "2024-12"}

    # when
    refused = await _send(client, write_token, "recordMeeting", "RecordMeetingInput", faulty)
    accepted = await _send(client, write_token, "recordMeeting", "RecordMeetingInput", fixed)

    # then
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_DATE"]
    assert accepted["userErrors"] == []
    people = await data(
        client, '{ people(filter: { name: "Someone Who Must Not" }) { totalCount } }'
    )
    assert people["people"]["totalCount"] == 1


async def test_deleting_reports_a_stale_version_and_what_points_at_the_meeting(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: a meeting where a commitment was made, read at an older version
    found = await data(
        client, '{ commitment(slug: "ciwg-meet-twice-annually") { meeting { id version } } }'
    )
    meeting = found["commitment"]["meeting"]
    fields = {"id": meeting["id"], "expectedVersion": meeting["version"] + 1}

    # when
    payload = await _send(client, write_token, "deleteMeeting", "DeleteMeetingInput", fields)

    # then
    assert {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]} == {
        (("expectedVersion",), "CONFLICT"),
        (("id",), "IN_USE"),
    }
    still = await data(client, "query($id: ID!) { node(id: $id) { id } }", id=meeting["id"])
    assert still["node"] == {"id": meeting["id"]}
