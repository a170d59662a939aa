"""Recording a meeting in one call: the meeting, who took part for which side, the topics
raised, the measures discussed, the commitments it fulfils and the sources behind it."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import NameOrigin, ParticipantRole
from api.models.name import normalize_for_search
from api.services import attachments, audit, catalog, editing, statement_records
from api.services.catalog import Entity
from api.services.checks import Items, Part, Rule, end_after_start
from api.services.entities import DATE, LINE, SLUG, TEXT, VALUE
from api.services.errors import FieldError, Refused, UserInputError, failed_under
from api.services.fields import (
    COUNTRY_CODE,
    REFERENCE,
    Field,
    Path,
    check_each,
    collect,
    column_length,
    spec_for,
)
from api.services.names import add_name
from api.services.rows import insert_rows
from api.services.tokens import Actor

_PARTICIPANT = {
    "person_id": REFERENCE,
    "organization_id": REFERENCE,
    "name": Field(LINE, max_length=column_length(models.Person, "name")),
    "title": Field(LINE, max_length=column_length(models.Participation, "title_as_reported")),
    "side": Field(LINE, required=True, max_length=COUNTRY_CODE.max_length),
    "role": Field(VALUE),
    "note": Field(TEXT, max_length=column_length(models.Participation, "note")),
}
_TOPIC = {
    "topic_id": REFERENCE,
    "topic_slug": Field(SLUG, max_length=column_length(models.Topic, "slug")),
    "raised_by": COUNTRY_CODE,
    "stance": Field(VALUE, required=True),
    "note": Field(TEXT, max_length=column_length(models.MeetingTopic, "note")),
}
_LINK_NOTE = Field(TEXT, max_length=column_length(models.MeetingPolicyMeasure, "note"))


async def _person_named(session: AsyncSession, name: str) -> models.Person:
    """The person called ``name`` (by slug or by any of their names), created if new."""
    found = await session.scalar(
        select(models.Person)
        .where(
            or_(
                models.Person.slug == editing.slug_of(name),
                models.Person.id.in_(
                    select(models.LocalizedName.person_id).where(
                        models.LocalizedName.normalized == normalize_for_search(name)
                    )
                ),
            )
        )
        .order_by(models.Person.id)
        .limit(1)
    )
    if found is not None:
        return found
    person = models.Person(slug=await editing.new_slug(session, models.Person, name), name=name)
    session.add(person)
    await session.flush()
    add_name(session, text=name, language="en", origin=NameOrigin.RECORD, person_id=person.id)
    return person


async def _check_participants(
    session: AsyncSession, _meeting: Any, items: Items, path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    cleaned, errors = check_each(items, _PARTICIPANT, path)
    failed = failed_under(errors, path)
    errors += [
        FieldError((*path, n), "REQUIRED", "Give personId, name or organizationId.")
        for n, item in enumerate(cleaned)
        if n not in failed
        and not any(item.get(k) for k in ("person_id", "name", "organization_id"))
    ]
    for key, model in (("person_id", models.Person), ("organization_id", models.Organization)):
        errors += await editing.missing_ids(
            session, model, {(*path, n, key): i.get(key) for n, i in enumerate(cleaned)}
        )
    errors += editing.country_errors(
        {(*path, n, "side"): i.get("side") for n, i in enumerate(cleaned)}
    )
    return cleaned, errors


async def _add_participants(
    session: AsyncSession, meeting: Any, cleaned: list[dict[str, Any]], path: Path
) -> list[Any]:
    sides = await editing.country_ids(
        session, {(*path, n, "side"): i["side"] for n, i in enumerate(cleaned)}
    )
    recorded, rows = [], []
    for n, item in enumerate(cleaned):
        person_id = item.get("person_id")
        if person_id is None and item.get("name"):
            person_id = (await _person_named(session, item["name"])).id
        side = sides[(*path, n, "side")]
        assert side is not None  # required
        rows.append(
            {
                "meeting_id": meeting.id,
                "person_id": person_id,
                "organization_id": item.get("organization_id"),
                "name_as_reported": item.get("name") if person_id is None else None,
                "side_country_id": side,
                "role": item.get("role") or ParticipantRole.PARTICIPANT,
                "title_as_reported": item.get("title"),
                "note": item.get("note"),
                "version": 1,
            }
        )
        recorded.append(
            {"person_id": person_id, "side": item["side"].upper(), "title": item.get("title")}
        )
    await insert_rows(session, models.Participation, rows)
    return recorded


async def _topic_ids(
    session: AsyncSession, cleaned: list[dict[str, Any]], path: Path, failed: set[Any]
) -> tuple[list[int | None], list[FieldError]]:
    """Each item's topic (None where it names none that exists), and the problems."""
    errors = [
        e
        for n, item in enumerate(cleaned)
        if n not in failed
        for e in editing.require_one(item, ("topic_id", "topic_slug"), (*path, n))
    ]
    errors += await editing.missing_ids(
        session,
        models.Topic,
        {(*path, n, "topic_id"): i.get("topic_id") for n, i in enumerate(cleaned)},
    )
    slugs = {i["topic_slug"] for i in cleaned if i.get("topic_slug")}
    by_slug: dict[str, int] = {}
    if slugs:
        rows = await session.execute(
            select(models.Topic.slug, models.Topic.id).where(models.Topic.slug.in_(slugs))
        )
        by_slug = dict(rows.all())
    errors += [
        FieldError((*path, n, "topic_slug"), "NOT_FOUND", f"No topic has slug {i['topic_slug']!r}.")
        for n, i in enumerate(cleaned)
        if i.get("topic_slug") and i["topic_slug"] not in by_slug
    ]
    return [i.get("topic_id") or by_slug.get(i.get("topic_slug") or "") for i in cleaned], errors


async def _topics_present(session: AsyncSession, meeting: Any) -> set[tuple[Any, ...]]:
    """(topic, side's code, stance) of each topic the meeting already has."""
    if meeting is None:
        return set()
    rows = await session.execute(
        select(models.MeetingTopic.topic_id, models.Country.code, models.MeetingTopic.stance)
        .outerjoin(models.Country, models.Country.id == models.MeetingTopic.raised_by_country_id)
        .where(models.MeetingTopic.meeting_id == meeting.id)
    )
    return set(map(tuple, rows.all()))


async def _check_topics(
    session: AsyncSession, meeting: Any, items: Items, path: Path
) -> tuple[list[tuple[dict[str, Any], int]], list[FieldError]]:
    cleaned, errors = check_each(items, _TOPIC, path)
    topic_ids, topic_errors = await _topic_ids(session, cleaned, path, failed_under(errors, path))
    errors += topic_errors
    errors += editing.country_errors(
        {(*path, n, "raised_by"): i.get("raised_by") for n, i in enumerate(cleaned)}
    )
    present = await _topics_present(session, meeting)
    failed = failed_under(errors, path)
    for n, (item, topic_id) in enumerate(zip(cleaned, topic_ids, strict=True)):
        if n in failed:
            continue
        side = item.get("raised_by")
        key = (topic_id, side.strip().upper() if side else None, item["stance"])
        if key in present:
            message = "This topic is already recorded for that side and stance."
            errors.append(FieldError((*path, n), "DUPLICATE", message))
        present.add(key)
    plan = [(item, t) for item, t in zip(cleaned, topic_ids, strict=True) if t is not None]
    return plan, errors


async def _add_topics(
    session: AsyncSession, meeting: Any, plan: list[tuple[dict[str, Any], int]], path: Path
) -> list[Any]:
    sides = await editing.country_ids(
        session,
        {(*path, n, "raised_by"): item.get("raised_by") for n, (item, _) in enumerate(plan)},
    )
    recorded, rows = [], []
    for n, (item, topic_id) in enumerate(plan):
        rows.append(
            {
                "meeting_id": meeting.id,
                "topic_id": topic_id,
                "raised_by_country_id": sides[(*path, n, "raised_by")],
                "stance": item["stance"],
                "note": item.get("note"),
                "version": 1,
            }
        )
        recorded.append(
            {"topic_id": topic_id, "raised_by": item.get("raised_by"), "stance": item["stance"]}
        )
    await insert_rows(session, models.MeetingTopic, rows)
    return recorded


def _start_with_end(meeting: Any) -> list[FieldError]:
    if meeting.end is not None and meeting.start is None:
        return [FieldError(("start",), "REQUIRED", "Give start when giving end.")]
    return []


MEETING = Entity(
    model=models.Meeting,
    spec=spec_for(
        models.Meeting,
        {
            "slug": (SLUG, False),
            "mechanism_id": (VALUE, False),
            "parent_id": (VALUE, False),
            "title": (LINE, True),
            "sequence_label": (LINE, False),
            "kind": (VALUE, True),
            "format": (VALUE, True),
            "status": (VALUE, True),
            "start": (DATE, False),
            "end": (DATE, False),
            "date_phrase": (LINE, False),
            "place": (LINE, False),
            "summary": (TEXT, False),
            "note": (TEXT, False),
        },
    ),
    references={"mechanism_id": models.Mechanism, "parent_id": models.Meeting},
    countries={"host_country": "host_country_id"},
    slug_from=("start", "title"),
    parts={
        "participants": Part(_check_participants, _add_participants),
        "topics": Part(_check_topics, _add_topics),
        "measures": attachments.links(
            models.MeetingPolicyMeasure,
            "meeting_id",
            models.PolicyMeasure,
            "policy_measure_id",
            key="measure_id",
        ),
        "fulfils": attachments.links(
            models.CommitmentFulfillment, "meeting_id", models.Commitment, "commitment_id"
        ),
        "statements": Part(statement_records.check_statements, statement_records.add_statements),
    },
    rules=(end_after_start("start", "end"), Rule(("start", "end"), _start_with_end)),
)


async def _resolve_mechanism(
    session: AsyncSession, values: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldError]]:
    """``mechanism_slug`` becomes ``mechanism_id``; NOT_FOUND when no mechanism has it."""
    resolved = dict(values)
    slug = resolved.pop("mechanism_slug", None)
    if slug is None:
        return resolved, []
    if "\x00" in slug:  # PostgreSQL refuses NUL even in a lookup; no slug holds one
        return resolved, [
            FieldError(("mechanism_slug",), "CONTROL_CHARACTERS", "mechanismSlug contains NUL.")
        ]
    found = await session.scalar(select(models.Mechanism.id).where(models.Mechanism.slug == slug))
    if found is None:
        message = f"No Mechanism has slug {slug!r}."
        return resolved, [FieldError(("mechanism_slug",), "NOT_FOUND", message)]
    resolved["mechanism_id"] = found
    return resolved, []


async def record_meeting(
    session: AsyncSession,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    operation: str = "recordMeeting",
) -> models.Meeting:
    """Record a meeting with everything that happened in it."""
    resolved, problems = await _resolve_mechanism(session, values)
    meeting: models.Meeting = await catalog.create(
        session, actor, MEETING, resolved, operation=operation, problems=problems
    )
    return meeting


async def update_meeting(
    session: AsyncSession,
    actor: Actor,
    *,
    record_id: int | Refused,
    expected_version: int,
    values: Mapping[str, Any],
    operation: str = "updateMeeting",
) -> models.Meeting:
    """Change a meeting's fields and add participants, topics, sources, links."""
    resolved, problems = await _resolve_mechanism(session, values)
    meeting: models.Meeting = await catalog.update(
        session,
        actor,
        MEETING,
        record_id=record_id,
        expected_version=expected_version,
        values=resolved,
        operation=operation,
        problems=problems,
    )
    return meeting


async def delete_meeting(
    session: AsyncSession,
    actor: Actor,
    *,
    record_id: int | Refused,
    expected_version: int,
    operation: str = "deleteMeeting",
) -> int:
    """Delete a meeting with its participations, topics and citations; returns its id.

    A meeting that other records point at (its parts, commitments made there, mechanisms
    agreed there) stays: IN_USE names them.
    """
    if isinstance(record_id, Refused):
        raise UserInputError([record_id.error])
    meeting = await editing.existing(session, models.Meeting, record_id, ("id",))
    conflict = editing.version_errors(meeting, expected_version)
    users = {
        "parts": await editing.count(
            session, models.Meeting, models.Meeting.parent_id == meeting.id
        ),
        "commitments": await editing.count(
            session, models.Commitment, models.Commitment.meeting_id == meeting.id
        ),
        "mechanisms": await editing.count(
            session, models.Mechanism, models.Mechanism.agreed_at_meeting_id == meeting.id
        ),
        "statements": await editing.count(
            session, models.Statement, models.Statement.meeting_id == meeting.id
        ),
    }
    if any(users.values()):
        listed = ", ".join(f"{n} {what}" for what, n in users.items() if n)
        message = f"Other records point at this meeting: {listed}."
        conflict.append(FieldError(("id",), "IN_USE", message))
    collect(conflict)
    before = audit.snapshot(meeting)
    await session.delete(meeting)
    await session.flush()
    audit.record(
        session,
        actor,
        operation=operation,
        action="delete",
        target=meeting,
        changed=audit.changes(before, {}),
    )
    return record_id
