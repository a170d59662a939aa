"""Scripts retry: the same idempotency key and input record once; another input is refused."""

import httpx

from tests.graphql import data
from tests.test_record_meeting import MEETING_COUNT, record


async def test_a_retry_returns_the_first_result_and_writes_nothing(
    client: httpx.AsyncClient, write_token: str
) -> None:
    before = (await data(client, MEETING_COUNT))["meetings"]["totalCount"]
    fields = {"idempotencyKey": "readout-2025-03-11", "title": "A call", "start": "2025-03-11"}

    first = await record(client, write_token, **fields)
    second = await record(client, write_token, **fields)

    assert first["userErrors"] == second["userErrors"] == []
    assert (first["replayed"], second["replayed"]) == (False, True)
    assert second["meeting"]["id"] == first["meeting"]["id"]
    assert (await data(client, MEETING_COUNT))["meetings"]["totalCount"] == before + 1
    assert second["meeting"]["history"]["totalCount"] == 1


async def test_the_same_key_with_another_input_is_refused(
    client: httpx.AsyncClient, write_token: str
) -> None:
    await record(client, write_token, idempotencyKey="k-1", title="A call")
    reused = await record(client, write_token, idempotencyKey="k-1", title="Another call")
    assert reused["meeting"] is None
    assert [(e["field"], e["code"]) for e in reused["userErrors"]] == [
        (["idempotencyKey"], "IDEMPOTENCY_KEY_REUSED")
    ]


async def test_a_failed_call_does_not_use_up_its_key(
    client: httpx.AsyncClient, write_token: str
) -> None:
    failed = await record(
        client, write_token, idempotencyKey="k-2", title="A call", start="2023-02-29"
    )
    assert [e["code"] for e in failed["userErrors"]] == ["INVALID_DATE"]
    fixed = await record(
        client, write_token, idempotencyKey="k-2", title="A call", start="2023-02-28"
    )
    assert fixed["userErrors"] == []
    assert fixed["replayed"] is False
