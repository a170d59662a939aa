"""The meetings as files: an iCalendar feed a calendar app subscribes to, and a CSV table."""

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from api.exports.table import COLUMNS
from api.main import create_app
from api.partial_date import PartialDate
from api.settings import Settings
from tests.graphql import data

ICS = "/export/meetings.ics"
CSV = "/export/meetings.csv"
ALL_MEETINGS = """{ meetings(first: 100, orderBy: [START_DATE_ASC]) { totalCount nodes {
  id slug title start end version place status mechanism { slug } } } }"""
UPDATE = """mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) {
  meeting { version } userErrors { field code } } }"""
RECORD = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
  meeting { id slug } userErrors { field code } } }"""


def _events(body: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(body)
    assert isinstance(calendar, Calendar)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT") if isinstance(e, Event)}


async def _write(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert payload["userErrors"] == []
    return payload


def _queries(statements: list[str]) -> list[str]:
    """The statements a request sent, without the savepoints of the test's transaction."""
    return [s for s in statements if "SAVEPOINT" not in s]


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


async def test_the_calendar_round_trips_every_dated_seed_meeting(
    client: httpx.AsyncClient,
) -> None:
    # given
    meetings = (await data(client, ALL_MEETINGS))["meetings"]
    assert meetings["totalCount"] == len(meetings["nodes"])

    # when
    response = await client.get(ICS)

    # then: a valid RFC 5545 file that the parser reads back to the same bytes
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body = response.content
    calendar = Calendar.from_ical(body)
    assert isinstance(calendar, Calendar)
    assert calendar.to_ical() == body
    assert all(not component.errors for component in calendar.walk())
    assert body.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded as RFC 5545 asks
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "2.0",
        "-//Parley//Parley meetings export 1.0//EN",
    )

    # and every meeting with a date is one all-day event over its span, with its identity
    events = _events(body)
    dated = [m for m in meetings["nodes"] if m["start"]]
    assert len(dated) == meetings["totalCount"]  # every seed meeting has a date
    assert sorted(events) == sorted(f"{m['id']}@parley" for m in dated)
    for meeting in dated:
        event = events[f"{meeting['id']}@parley"]
        start = PartialDate.parse(meeting["start"])
        last = PartialDate.parse(meeting["end"] or meeting["start"])
        assert str(event["SUMMARY"]) == meeting["title"]
        assert event.decoded("DTSTART") == start.earliest
        assert event.decoded("DTEND") == last.latest + dt.timedelta(days=1)
        assert str(event["X-PARLEY-START"]) == meeting["start"]
        assert event.decoded("SEQUENCE") == meeting["version"] - 1
        assert str(event["X-PARLEY-SLUG"]) == meeting["slug"]
        assert str(event.get("LOCATION", "")) == (meeting["place"] or "")
        assert isinstance(event.decoded("LAST-MODIFIED"), dt.datetime)
        assert isinstance(event.decoded("DTSTAMP"), dt.datetime)


async def test_a_changed_meeting_keeps_its_uid_and_counts_up_its_sequence(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given
    meeting = (
        await data(
            client, '{ meeting(slug: "2024-10-08-wang-wentao-raimondo-call") { id version } }'
        )
    )["meeting"]
    uid = f"{meeting['id']}@parley"
    before = _events((await client.get(ICS)).content)

    # when
    await _write(
        client,
        write_token,
        UPDATE,
        input={
            "id": meeting["id"],
            "expectedVersion": meeting["version"],
            "title": "Commerce ministers' call",
            "start": "2024-10",
            "place": "by phone",
        },
    )
    after = _events((await client.get(ICS)).content)

    # then: the same event, updated — no second one
    assert sorted(after) == sorted(before)
    assert after[uid].decoded("SEQUENCE") == before[uid].decoded("SEQUENCE") + 1
    assert str(after[uid]["SUMMARY"]) == "Commerce ministers' call"
    assert after[uid].decoded("DTSTART") == dt.date(2024, 10, 1)
    assert after[uid].decoded("DTEND") == dt.date(2024, 11, 1)
    assert after[uid].decoded("LAST-MODIFIED") >= before[uid].decoded("LAST-MODIFIED")


@pytest.mark.parametrize(
    ("query", "graphql_filter"),
    [
        (
            "mechanism=commercial-issues-working-group",
            '{mechanismSlugs: ["commercial-issues-working-group"]}',
        ),
        (
            "mechanism=commercial-issues-working-group&mechanism=jcct",
            '{mechanismSlugs: ["commercial-issues-working-group", "jcct"]}',
        ),
        ("adHoc=true", "{adHoc: true}"),
        ("adHoc=false&from=2024&to=2024-H1", '{adHoc: false, dateFrom: "2024", dateTo: "2024-H1"}'),
        ("status=held&format=call", "{statuses: [HELD], formats: [CALL]}"),
        (
            "topic=semiconductors&hostCountry=cn",
            '{topicSlugs: ["semiconductors"], hostCountries: ["CN"]}',
        ),
    ],
)
async def test_query_parameters_filter_as_graphql_does(
    client: httpx.AsyncClient, query: str, graphql_filter: str
) -> None:
    expected = await data(
        client, f"{{ meetings(first: 100, filter: {graphql_filter}) {{ nodes {{ id start }} }} }}"
    )
    ids = {m["id"] for m in expected["meetings"]["nodes"]}
    assert ids, "a filter that matches something"
    events = _events((await client.get(f"{ICS}?{query}")).content)
    dated = {m["id"] for m in expected["meetings"]["nodes"] if m["start"]}
    assert set(events) == {f"{i}@parley" for i in dated}
    rows = _rows((await client.get(f"{CSV}?{query}")).content)
    assert {row["id"] for row in rows} == ids


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("mechanisms=jcct", "Unknown query parameter 'mechanisms'"),
        ("from=2024-13", "from:"),
        ("from=2024&to=2023", "lies before"),
        ("adHoc=maybe", "adHoc must be true or false"),
        ("status=done", "status must be one of"),
        ("from=2024&from=2025", "Give from once"),
        ("bom=0", "Unknown query parameter 'bom'"),
    ],
)
async def test_bad_parameters_are_refused(
    client: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await client.get(f"{ICS}?{query}")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


async def test_the_table_has_one_row_per_meeting_with_chinese_intact(
    client: httpx.AsyncClient, write_token: str
) -> None:
    # given: a meeting in Chinese, and text a spreadsheet would run as a formula
    recorded = await _write(
        client,
        write_token,
        RECORD,
        input={
            "title": '=HYPERLINK("https://evil.example","中美商贸工作组")',
            "start": "2024-H2",
            "place": "天津",
            "summary": '双方就出口管制交换了意见。\n第二行, "quoted"',
            "participants": [
                {"name": "李华明", "side": "CN", "role": "HEAD_OF_DELEGATION", "title": "副部长"},
                {"name": "Marisa Lago", "side": "US", "title": "-Under Secretary"},
            ],
            "sources": [{"url": "https://paper.people.com.cn/rmrb/2024-09-08"}],
        },
    )
    count = (await data(client, "{ meetings { totalCount } }"))["meetings"]["totalCount"]

    # when
    response = await client.get(CSV)

    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["content-disposition"] == 'attachment; filename="parley-meetings.csv"'
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == list(COLUMNS)
    rows = _rows(response.content)
    assert len(rows) == count
    (row,) = [r for r in rows if r["slug"] == recorded["meeting"]["slug"]]
    assert row["id"] == recorded["meeting"]["id"]
    assert row["title"] == '\'=HYPERLINK("https://evil.example","中美商贸工作组")'
    assert row["place"] == "天津"
    assert row["summary"] == '双方就出口管制交换了意见。\n第二行, "quoted"'
    assert row["participants"] == (
        "李华明 (CN, head_of_delegation, 副部长); Marisa Lago (US, participant, -Under Secretary)"
    )
    assert row["sources"] == "https://paper.people.com.cn/rmrb/2024-09-08"
    assert (row["start"], row["earliest_day"], row["latest_day"]) == (
        "2024-H2",
        "2024-07-01",
        "2024-12-31",
    )
    no_bom = await client.get(f"{CSV}?bom=false")
    assert no_bom.content == response.content.removeprefix("\ufeff".encode())


async def test_every_cell_a_spreadsheet_would_evaluate_is_defused(
    client: httpx.AsyncClient, write_token: str
) -> None:
    for title in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "plain =text"):
        await _write(client, write_token, RECORD, input={"title": title, "place": title})
    titles = {row["title"] for row in _rows((await client.get(CSV)).content)}
    assert {"'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "plain =text"} <= titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)


async def test_etags_follow_the_data_version(
    client: httpx.AsyncClient, write_token: str, statements: list[str]
) -> None:
    # given
    first = await client.get(ICS)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"

    # when / then: revalidating costs one small query and sends nothing
    statements.clear()
    again = await client.get(ICS, headers={"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert len(_queries(statements)) == 1
    statements.clear()
    cached = await client.get(ICS)
    assert (cached.content, len(_queries(statements))) == (first.content, 1)
    assert (await client.get(CSV)).headers["etag"] != tag  # each file and filter its own tag
    assert (await client.get(f"{ICS}?adHoc=true")).headers["etag"] != tag

    # and a write anywhere makes the old tag stale
    await _write(client, write_token, RECORD, input={"title": "New", "start": "2025-01-02"})
    fresh = await client.get(ICS, headers={"If-None-Match": tag})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] != tag
    assert len(_events(fresh.content)) == len(_events(first.content)) + 1


async def test_an_export_costs_the_same_statements_however_many_meetings(
    client: httpx.AsyncClient, write_token: str, statements: list[str]
) -> None:
    counts = []
    for n in range(2):
        await _write(client, write_token, RECORD, input={"title": f"More {n}", "start": "2025"})
        statements.clear()
        assert (await client.get(f"{CSV}?from=2020")).status_code == 200
        counts.append(len(_queries(statements)))
    assert counts == [5, 5]  # the data version, the meetings, participants, topics, sources


@pytest.fixture
async def closed_client(
    database_url: str, session_factory: Callable[[], AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=database_url, response_cache_size=0, read_requires_token=True)
    app = create_app(settings, session_factory=session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as client:
        yield client


@pytest.mark.parametrize("path", [ICS, CSV])
async def test_the_same_tokens_as_reads(
    client: httpx.AsyncClient, closed_client: httpx.AsyncClient, write_token: str, path: str
) -> None:
    # a bad token fails even where reads are public
    for header in ("Bearer parley_nope", "Basic abc", "Bearer "):
        refused = await client.get(path, headers={"Authorization": header})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # PARLEY_READ_REQUIRES_TOKEN: nothing without one, everything with one
    assert (await closed_client.get(path)).status_code == 401
    with_token = await closed_client.get(path, headers={"Authorization": f"Bearer {write_token}"})
    assert with_token.status_code == 200
    assert with_token.content == (await client.get(path)).content
