"""SQLite and PostgreSQL refuse the same bad data the same way (each test runs on both).

SQLite enforces no VARCHAR length and stores NUL; PostgreSQL refuses both. So the services
check every field (user errors, through mutations too), and every ORM write, whatever path it
comes by (the seed loader, a token, a script), is checked before either database sees it.
Foreign and unique keys are the databases' own, and both enforce them.
"""

from typing import Any

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.db import UnstorableValueError
from api.models import Scope
from api.models.columns import NAME_LENGTH
from api.services import catalog, entities, meeting_records, tokens
from api.services.errors import UserInputError
from api.services.fields import Kind, column_length
from api.services.seed_records import TOPIC
from api.services.seed_store import Row, Store
from api.services.tokens import Actor

TOO_LONG_NAME = "x" * (NAME_LENGTH + 1)
ENTITIES = {
    "mechanism": entities.MECHANISM,
    "person": entities.PERSON,
    "organization": entities.ORGANIZATION,
    "topic": entities.TOPIC,
    "measure": entities.MEASURE,
    "source": entities.SOURCE,
    "commitment": entities.COMMITMENT,
    "meeting": meeting_records.MEETING,
}
CREATE_TOPIC = """
mutation($input: CreateTopicInput!) {
  createTopic(input: $input) { topic { slug } userErrors { field code } }
}
"""
RECORD_MEETING = """
mutation($input: RecordMeetingInput!) {
  recordMeeting(input: $input) { meeting { slug } userErrors { field code } }
}
"""


async def _actor(session: AsyncSession) -> Actor:
    token, _ = await tokens.create(session, name="parity", scope=Scope.WRITE)
    return await tokens.authenticate(session, token)


def _codes(error: UserInputError) -> list[tuple[tuple[str | int, ...], str]]:
    return [(e.field, e.code) for e in error.errors]


async def _mutate(
    client: httpx.AsyncClient, token: str, query: str, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"input": fields}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


# Over-long text ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ENTITIES))
def test_every_text_field_of_every_write_is_checked_against_its_column(name: str) -> None:
    entity = ENTITIES[name]
    columns = entity.model.__table__.c
    checked = []
    for field_name, field in entity.spec.items():
        if field.kind in (Kind.VALUE, Kind.POSITIVE_INT, Kind.PARTIAL_DATE):
            continue
        if field_name in columns and column_length(entity.model, field_name) is not None:
            assert field.max_length == column_length(entity.model, field_name), field_name
            checked.append(field_name)
    assert checked  # every kind of record has bounded text


async def test_an_over_long_name_is_a_user_error_from_the_services(session: AsyncSession) -> None:
    actor = await _actor(session)
    with pytest.raises(UserInputError) as refused:
        await catalog.create(
            session, actor, entities.TOPIC, {"name": TOO_LONG_NAME}, operation="createTopic"
        )
    assert _codes(refused.value) == [(("name",), "TOO_LONG")]


async def test_an_over_long_name_is_a_user_error_from_mutations(
    client: httpx.AsyncClient, write_token: str
) -> None:
    topic = await _mutate(client, write_token, CREATE_TOPIC, name=TOO_LONG_NAME)
    meeting = await _mutate(client, write_token, RECORD_MEETING, title="t" * 501)
    assert topic == {"topic": None, "userErrors": [{"field": ["name"], "code": "TOO_LONG"}]}
    assert meeting == {"meeting": None, "userErrors": [{"field": ["title"], "code": "TOO_LONG"}]}


async def test_an_over_long_token_name_is_a_user_error(session: AsyncSession) -> None:
    with pytest.raises(UserInputError) as refused:
        await tokens.create(session, name=TOO_LONG_NAME, scope=Scope.WRITE)
    assert _codes(refused.value) == [(("name",), "TOO_LONG")]


async def test_the_seed_loader_refuses_an_over_long_value(session: AsyncSession) -> None:
    # the seed loader writes through its Store, not the services
    store = Store(session)
    with pytest.raises(UnstorableValueError, match=r"topic\.name: 301 characters"):
        await store.put(TOPIC, [Row({"slug": "too-long", "name": TOO_LONG_NAME})])


async def test_a_raw_over_long_insert_is_refused_before_the_database(
    session: AsyncSession,
) -> None:
    session.add(models.Topic(slug="raw", name=TOO_LONG_NAME))
    with pytest.raises(UnstorableValueError, match=r"topic\.name"):
        await session.flush()


# NUL --------------------------------------------------------------------------------------


async def test_nul_is_a_user_error_from_services_and_mutations(
    session: AsyncSession, client: httpx.AsyncClient, write_token: str
) -> None:
    with pytest.raises(UserInputError) as refused:
        await tokens.create(session, name="bad\x00name", scope=Scope.WRITE)
    topic = await _mutate(client, write_token, CREATE_TOPIC, name="Export\x00controls")
    assert _codes(refused.value) == [(("name",), "CONTROL_CHARACTERS")]
    assert topic["userErrors"] == [{"field": ["name"], "code": "CONTROL_CHARACTERS"}]


async def test_a_raw_insert_with_nul_is_refused_before_the_database(
    session: AsyncSession,
) -> None:
    # PostgreSQL cannot store NUL in text; SQLite could, and now does not either
    session.add(models.Topic(slug="nul", name="Export\x00controls"))
    with pytest.raises(UnstorableValueError, match="NUL"):
        await session.flush()


# Dangling references ----------------------------------------------------------------------


async def test_a_dangling_reference_is_not_found_through_mutations(
    client: httpx.AsyncClient, write_token: str
) -> None:
    nowhere = "VG9waWM6OTk5OTk="  # Topic:99999
    topic = await _mutate(client, write_token, CREATE_TOPIC, name="Orphan", parentId=nowhere)
    assert topic == {"topic": None, "userErrors": [{"field": ["parentId"], "code": "NOT_FOUND"}]}


async def test_a_raw_dangling_foreign_key_is_an_integrity_error(session: AsyncSession) -> None:
    session.add(models.Topic(slug="orphan", name="Orphan", parent_id=99_999))
    with pytest.raises(IntegrityError):
        await session.flush()


# Duplicate unique keys --------------------------------------------------------------------


async def test_a_duplicate_slug_is_a_user_error_from_mutations(
    client: httpx.AsyncClient, write_token: str
) -> None:
    topic = await _mutate(
        client, write_token, CREATE_TOPIC, name="Export controls again", slug="export-controls"
    )
    assert topic == {"topic": None, "userErrors": [{"field": ["slug"], "code": "DUPLICATE"}]}


async def test_a_duplicate_token_name_is_a_user_error(session: AsyncSession) -> None:
    await tokens.create(session, name="twice", scope=Scope.WRITE)
    with pytest.raises(UserInputError) as refused:
        await tokens.create(session, name="twice", scope=Scope.WRITE)
    assert _codes(refused.value) == [(("name",), "DUPLICATE")]


async def test_a_raw_duplicate_unique_key_is_an_integrity_error(session: AsyncSession) -> None:
    session.add(models.Topic(slug="export-controls", name="Export controls again"))
    with pytest.raises(IntegrityError):
        await session.flush()
