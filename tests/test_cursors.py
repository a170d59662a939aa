"""Crafted cursors: whatever a client puts in one, the answer is a page or BAD_USER_INPUT.

A cursor is base64 of ``[ordering, [sort values...]]``. Each value must have its sort key's
type before it reaches SQL; these tests forge cursors for real orderings with values of every
wrong shape (on SQLite and PostgreSQL), by hand and with hypothesis.
"""

import base64
import datetime as dt
import json
import logging
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzzing import FUZZ_SETTINGS

BY_DATE = "meeting:START_DATE_DESC"
ORDERINGS: dict[str, tuple[str, str]] = {
    # tag -> (query, what the values are)
    "meeting:START_DATE_DESC": (
        "query($c: String) { meetings(first: 2, after: $c) { nodes { slug } } }",
        "date,int",
    ),
    "meeting:TITLE_ASC": (
        "query($c: String) { meetings(first: 2, before: $c, orderBy: [TITLE_ASC]) "
        "{ nodes { slug } } }",
        "str,int",
    ),
    "audit_entry:NEWEST_FIRST": (
        "query($c: String) { auditLog(first: 2, after: $c) { nodes { id } } }",
        "datetime,int,int",
    ),
}


class Raw(str):
    """JSON text to put in a cursor as it is."""

    __slots__ = ()


def forge(payload: Any) -> str:
    """A cursor carrying ``payload`` as JSON (lone surrogates escaped, as json.dumps does)."""
    text = payload if isinstance(payload, Raw) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def _send(client: httpx.AsyncClient, tag: str, cursor: str, token: str) -> dict[str, Any]:
    query, _ = ORDERINGS[tag]
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"c": cursor}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


GOOD_DATE, GOOD_ID = "2024-05-21", 3
CRAFTED: list[tuple[str, Any]] = [
    ("nested json", [BY_DATE, [[[["2024-05-21"]]], GOOD_ID]]),
    ("deeply nested json", Raw("[" * 100_000 + "]" * 100_000)),
    ("integer of 2^31 (a 32-bit id)", [BY_DATE, [GOOD_DATE, 2**31]]),
    ("integer of 2^63", [BY_DATE, [GOOD_DATE, 2**63]]),
    ("integer below -2^63", [BY_DATE, [GOOD_DATE, -(2**63) - 1]]),
    ("integer of 4,301 digits", Raw(f'["{BY_DATE}", ["{GOOD_DATE}", 1{"0" * 4300}]]')),
    ("true for an id", [BY_DATE, [GOOD_DATE, True]]),
    ("a float for an id", [BY_DATE, [GOOD_DATE, 3.0]]),
    ("infinity for an id", [BY_DATE, [GOOD_DATE, float("inf")]]),
    ("a list for a date", [BY_DATE, [["2024-05-21"], GOOD_ID]]),
    ("an integer for a date", [BY_DATE, [20240521, GOOD_ID]]),
    ("null for a date", [BY_DATE, [None, GOOD_ID]]),
    ("a non-ISO date", [BY_DATE, ["2024-W21-2", GOOD_ID]]),
    ("a date in other digits", [BY_DATE, ["٢٠٢٤-05-21", GOOD_ID]]),
    ("an impossible date", [BY_DATE, ["2023-02-29", GOOD_ID]]),
    ("a lone surrogate", ["meeting:TITLE_ASC", ["\ud800", GOOD_ID]]),
    ("NUL in text", ["meeting:TITLE_ASC", ["a\x00b", GOOD_ID]]),
    ("an object for text", ["meeting:TITLE_ASC", [{"a": 1}, GOOD_ID]]),
    ("too few values", [BY_DATE, [GOOD_DATE]]),
    ("an object", {"meeting:START_DATE_DESC": [GOOD_DATE, GOOD_ID]}),
    ("three parts", [BY_DATE, [GOOD_DATE, GOOD_ID], 1]),
    ("a string", "meeting:START_DATE_DESC"),
    ("an unhashable tag", [[BY_DATE], [GOOD_DATE, GOOD_ID]]),
    ("a datetime out of range", ["audit_entry:NEWEST_FIRST", ["9999-12-31T23:59:59-05:00", 1, 1]]),
    ("a datetime before year 1", ["audit_entry:NEWEST_FIRST", ["0001-01-01T00:00:00+01:00", 1, 1]]),
    ("a date for a datetime", ["audit_entry:NEWEST_FIRST", [20260301, 1, 1]]),
]
NOT_JSON = [
    ("invalid UTF-8", base64.urlsafe_b64encode(b'["\xff"]').decode()),
    ("not base64", "!!!"),
    ("longer than any cursor", "A" * 20_000),
    ("empty", ""),
]


@pytest.mark.parametrize(
    ("name", "cursor"),
    [(name, forge(payload)) for name, payload in CRAFTED] + NOT_JSON,
    ids=[name for name, _ in CRAFTED] + [name for name, _ in NOT_JSON],
)
async def test_a_crafted_cursor_is_bad_user_input(
    client: httpx.AsyncClient,
    admin_token: str,
    caplog: pytest.LogCaptureFixture,
    name: str,
    cursor: str,
) -> None:
    tag = "audit_entry:NEWEST_FIRST" if "datetime" in name else BY_DATE
    if "surrogate" in name or "text" in name:
        tag = "meeting:TITLE_ASC"
    body = await _send(client, tag, cursor, admin_token)
    assert _codes(body) == ["BAD_USER_INPUT"], body
    assert "Traceback" not in json.dumps(body)
    # a client's mistake, not the server's: nothing logged as an error (no traceback either)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_cursor_it_made_is_taken_back(client: httpx.AsyncClient, admin_token: str) -> None:
    """The checks refuse only what Parley could not have made: its own cursors page on."""
    for tag, (_, kinds) in ORDERINGS.items():
        values: dict[str, Any] = {
            "date": "2024-05-21",
            "int": 2**31 - 1,  # ids are 32-bit integers on PostgreSQL
            "str": "王文涛 \U0001f600",
            "datetime": "2026-03-01T09:30:15.250000+00:00",
        }
        payload = [tag, [values[kind] for kind in kinds.split(",")]]
        body = await _send(client, tag, forge(payload), admin_token)
        assert "errors" not in body, (tag, body)


# Sort values of any JSON shape, including what json.loads accepts beyond strict JSON.
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**62, max_value=2**80),
        st.floats(),
        st.text(max_size=20),
        st.sampled_from(["\ud800", "\x00", "2024-05-21", "2024-13-01", "+00:00", "１２"]),
        st.dates().map(dt.date.isoformat),
        st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-12))])).map(
            dt.datetime.isoformat
        ),
        st.datetimes().map(dt.datetime.isoformat),
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)
payloads = st.one_of(
    st.tuples(st.sampled_from(list(ORDERINGS)), st.lists(json_values, max_size=4)).map(list),
    json_values,
)


@settings(FUZZ_SETTINGS, max_examples=200)
@given(tag=st.sampled_from(list(ORDERINGS)), payload=payloads)
async def test_any_forged_cursor_is_a_page_or_bad_user_input(
    client: httpx.AsyncClient, admin_token: str, tag: str, payload: Any
) -> None:
    body = await _send(client, tag, forge(payload), admin_token)
    assert set(_codes(body)) <= {"BAD_USER_INPUT"}, (payload, body)


@settings(FUZZ_SETTINGS, max_examples=50)
@given(tag=st.sampled_from(list(ORDERINGS)), raw=st.binary(max_size=64))
async def test_any_bytes_in_a_cursor_are_a_page_or_bad_user_input(
    client: httpx.AsyncClient, admin_token: str, tag: str, raw: bytes
) -> None:
    cursor = base64.urlsafe_b64encode(raw).decode()
    body = await _send(client, tag, cursor, admin_token)
    assert set(_codes(body)) <= {"BAD_USER_INPUT"}, (raw, body)
