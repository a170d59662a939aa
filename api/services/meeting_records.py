"""Recording a meeting in one call: the meeting, who took part for which side, the topics
raised, the measures discussed, the commitments it fulfils and the sources behind it."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import ParticipantRole
from api.services import attachments, audit, catalog, editing, names, statement_records
from api.services.catalog import Entity
from api.services.entities import DATE, LINE, SLUG, TEXT, VALUE, end_after_start
from api.services.errors import FieldError, UserInputError
from api.services.fields import (
    COUNTRY_CODE,
    REFERENCE,
    Field,
    Path,
    collect,
    column_length,
    spec_for,
)
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


async def _add_participants(
    session: AsyncSession, meeting: Any, items: list[Mapping[str, Any]], path: Path
) -> list[Any]:
    cleaned = attachments.collect_each(items, _PARTICIPANT, path)
    problems: list[FieldError] = []
    for n, item in enumerate(cleaned):
        if not any(item.get(k) for k in ("person_id", "name", "organization_id")):
            problems.append(
                FieldError((*path, n), "REQUIRED", "Give personId, name or organizationId.")
            )
    problems += await editing.missing_ids(
        session,
        models.Person,
        {(*path, n, "person_id"): i.get("person_id") for n, i in enumerate(cleaned)},
    )
    problems += await editing.missing_ids(
        session,
        models.Organization,
        {(*path, n, "organization_id"): i.get("organization_id") for n, i in enumerate(cleaned)},
    )
    collect(problems)
    sides = await editing.country_ids(
        session, {(*path, n, "side"): i["side"] for n, i in enumerate(cleaned)}
    )
    recorded = []
    for n, item in enumerate(cleaned):
        person_id = item.get("person_id")
        if person_id is None and item.get("name"):
            person_id = (await names.person_named(session, item["name"])).id
        side = sides[(*path, n, "side")]
        assert side is not None  # required
        session.add(
            models.Participation(
                meeting_id=meeting.id,
                person_id=person_id,
                organization_id=item.get("organization_id"),
                name_as_reported=item.get("name") if person_id is None else None,
                side_country_id=side,
                role=item.get("role") or ParticipantRole.PARTICIPANT,
                title_as_reported=item.get("title"),
                note=item.get("note"),
            )
        )
        recorded.append(
            {"person_id": person_id, "side": item["side"].upper(), "title": item.get("title")}
        )
    return recorded


async def _topic_ids(session: AsyncSession, cleaned: list[dict[str, Any]], path: Path) -> list[int]:
    problems = _require_each(cleaned, ("topic_id", "topic_slug"), path)
    problems += await editing.missing_ids(
        session,
        models.Topic,
        {(*path, n, "topic_id"): i.get("topic_id") for n, i in enumerate(cleaned)},
    )
    slugs = {i["topic_slug"] for i in cleaned if i.get("topic_slug")}
    by_slug = dict(
        (
            await session.execute(
                select(models.Topic.slug, models.Topic.id).where(models.Topic.slug.in_(slugs))
            )
        ).all()
    )
    problems += [
        FieldError((*path, n, "topic_slug"), "NOT_FOUND", f"No topic has slug {i['topic_slug']!r}.")
        for n, i in enumerate(cleaned)
        if i.get("topic_slug") and i["topic_slug"] not in by_slug
    ]
    collect(problems)
    return [i.get("topic_id") or by_slug[i["topic_slug"]] for i in cleaned]


def _require_each(
    items: list[dict[str, Any]], names: tuple[str, ...], path: Path
) -> list[FieldError]:
    """An error for each item that gives none of ``names``."""
    return [e for n, item in enumerate(items) for e in editing.require_one(item, names, (*path, n))]


async def _add_topics(
    session: AsyncSession, meeting: Any, items: list[Mapping[str, Any]], path: Path
) -> list[Any]:
    cleaned = attachments.collect_each(items, _TOPIC, path)
    topic_ids = await _topic_ids(session, cleaned, path)
    sides = await editing.country_ids(
        session, {(*path, n, "raised_by"): i.get("raised_by") for n, i in enumerate(cleaned)}
    )
    present = set(
        map(
            tuple,
            (
                await session.execute(
                    select(
                        models.MeetingTopic.topic_id,
                        models.MeetingTopic.raised_by_country_id,
                        models.MeetingTopic.stance,
                    ).where(models.MeetingTopic.meeting_id == meeting.id)
                )
            ).all(),
        )
    )
    recorded = []
    for n, (item, topic_id) in enumerate(zip(cleaned, topic_ids, strict=True)):
        key = (topic_id, sides[(*path, n, "raised_by")], item["stance"])
        if key in present:
            raise UserInputError.one(
                (*path, n), "DUPLICATE", "This topic is already recorded for that side and stance."
            )
        present.add(key)
        session.add(
            models.MeetingTopic(
                meeting_id=meeting.id,
                topic_id=topic_id,
                raised_by_country_id=key[1],
                stance=item["stance"],
                note=item.get("note"),
            )
        )
        recorded.append(
            {"topic_id": topic_id, "raised_by": item.get("raised_by"), "stance": item["stance"]}
        )
    return recorded


def _dates(meeting: Any) -> list[FieldError]:
    problems = end_after_start("start", "end")(meeting)
    if meeting.end is not None and meeting.start is None:
        problems.append(FieldError(("start",), "REQUIRED", "Give start when giving end."))
    return problems


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
    extras={
        "participants": _add_participants,
        "topics": _add_topics,
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
        "statements": statement_records.add_statements,
    },
    rules=_dates,
)


async def _resolve_mechanism(session: AsyncSession, values: Mapping[str, Any]) -> dict[str, Any]:
    """``mechanism_slug`` becomes ``mechanism_id``."""
    resolved = dict(values)
    slug = resolved.pop("mechanism_slug", None)
    if slug is not None:
        mechanism = await editing.by_slug(session, models.Mechanism, slug, ("mechanism_slug",))
        resolved["mechanism_id"] = mechanism.id
    return resolved


async def record_meeting(
    session: AsyncSession,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    operation: str = "recordMeeting",
) -> models.Meeting:
    """Record a meeting with everything that happened in it."""
    meeting: models.Meeting = await catalog.create(
        session, actor, MEETING, await _resolve_mechanism(session, values), operation=operation
    )
    return meeting


async def update_meeting(
    session: AsyncSession,
    actor: Actor,
    *,
    record_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    operation: str = "updateMeeting",
) -> models.Meeting:
    """Change a meeting's fields and add participants, topics, sources, links."""
    meeting: models.Meeting = await catalog.update(
        session,
        actor,
        MEETING,
        record_id=record_id,
        expected_version=expected_version,
        values=await _resolve_mechanism(session, values),
        operation=operation,
    )
    return meeting


async def delete_meeting(
    session: AsyncSession,
    actor: Actor,
    *,
    record_id: int,
    expected_version: int,
    operation: str = "deleteMeeting",
) -> int:
    """Delete a meeting with its participations, topics and citations; returns its id.

    A meeting that other records point at (its parts, commitments made there, mechanisms
    agreed there) stays: IN_USE names them.
    """
    meeting = await editing.existing(session, models.Meeting, record_id, ("id",))
    editing.check_version(meeting, expected_version)
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
        raise UserInputError.one(
            ("id",), "IN_USE", f"Other records point at this meeting: {listed}."
        )
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
