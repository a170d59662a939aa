"""Seed meetings (participants, topics raised) and policy measures (topics, where discussed)."""

from typing import Any

from api.models.enums import (
    MeasureKind,
    MeasureStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Stance,
)
from api.services.seed_records import (
    COUNTRY,
    MECHANISM,
    MEETING,
    MEETING_POLICY_MEASURE,
    MEETING_TOPIC,
    ORGANIZATION,
    PARTICIPATION,
    PERSON,
    POLICY_MEASURE,
    POLICY_MEASURE_TOPIC,
    TOPIC,
    SeedState,
    allowed,
    fields,
    partial_date,
)
from api.services.seed_store import Row

MEETING_FIELDS = allowed(
    "slug mechanism parent title sequence_label kind format status start end date_phrase place host"
    " summary note cite participants topics measures"
)
PARTICIPANT_FIELDS = allowed("person organization name_as_reported side role title note cite")
MEETING_TOPIC_FIELDS = allowed("topic by stance note cite")
MEASURE_FIELDS = allowed(
    "slug name kind country organization instrument announced effective effective_phrase status"
    " summary note names topics cite"
)


async def load_meetings(state: SeedState) -> None:
    """Insert missing meetings, then their participations and the topics raised."""
    meetings = state.records("meetings", MEETING_FIELDS)
    await state.store.put(MEETING, [_meeting(state, r) for r in meetings])
    participations = [
        _participation(state, r["slug"], p) for r in meetings for p in r.get("participants", [])
    ]
    await state.store.put(PARTICIPATION, participations)
    topics = [_meeting_topic(state, r["slug"], t) for r in meetings for t in r.get("topics", [])]
    await state.store.put(MEETING_TOPIC, topics)


async def load_measures(state: SeedState) -> None:
    """Insert missing policy measures, their topics and the meetings that discussed them."""
    measures = state.records("policy_measures", MEASURE_FIELDS)
    await state.store.put(POLICY_MEASURE, [_measure(state, r) for r in measures])
    topics = [
        Row(
            {
                "policy_measure_id": state.store.id(POLICY_MEASURE, r["slug"]),
                "topic_id": state.store.id(TOPIC, topic),
            }
        )
        for r in measures
        for topic in r.get("topics", [])
    ]
    await state.store.put(POLICY_MEASURE_TOPIC, topics)
    meetings = state.records("meetings", MEETING_FIELDS)
    discussed = [_discussed(state, r["slug"], m) for r in meetings for m in r.get("measures", [])]
    await state.store.put(MEETING_POLICY_MEASURE, discussed)


def _meeting(state: SeedState, r: dict[str, Any]) -> Row:
    values = {
        key: r.get(key)
        for key in ("slug", "title", "sequence_label", "date_phrase", "place", "summary", "note")
    }
    values |= {
        "mechanism_id": state.id(MECHANISM, r, "mechanism"),
        "host_country_id": state.id(COUNTRY, r, "host"),
        "kind": MeetingKind(r.get("kind", MeetingKind.MEETING)),
        "format": MeetingFormat(r["format"]),
        "status": MeetingStatus(r["status"]),
        "start": partial_date(r.get("start")),
        "end": partial_date(r.get("end")),
    }
    state.cite(MEETING, (r["slug"],), r)
    return Row(values, {"parent_id": (r["parent"],)} if r.get("parent") else {})


def _participation(state: SeedState, meeting: str, p: Any) -> Row:
    fields(p, f"participants of {meeting}", PARTICIPANT_FIELDS)
    values = {
        "meeting_id": state.store.id(MEETING, meeting),
        "person_id": state.id(PERSON, p, "person"),
        "organization_id": state.id(ORGANIZATION, p, "organization"),
        "name_as_reported": p.get("name_as_reported"),
        "side_country_id": state.id(COUNTRY, p, "side", required=True),
        "role": ParticipantRole(p["role"]),
        "title_as_reported": p.get("title"),
        "note": p.get("note"),
    }
    state.cite(PARTICIPATION, PARTICIPATION.key(values), p)
    return Row(values)


def _meeting_topic(state: SeedState, meeting: str, t: Any) -> Row:
    fields(t, f"topics of {meeting}", MEETING_TOPIC_FIELDS)
    values = {
        "meeting_id": state.store.id(MEETING, meeting),
        "topic_id": state.id(TOPIC, t, "topic", required=True),
        "raised_by_country_id": state.id(COUNTRY, t, "by"),
        "stance": Stance(t["stance"]),
        "note": t.get("note"),
    }
    state.cite(MEETING_TOPIC, MEETING_TOPIC.key(values), t)
    return Row(values)


def _measure(state: SeedState, r: dict[str, Any]) -> Row:
    names = ("slug", "name", "instrument", "effective_phrase", "summary", "note")
    values = {key: r.get(key) for key in names}
    values |= {
        "kind": MeasureKind(r["kind"]),
        "country_id": state.id(COUNTRY, r, "country"),
        "organization_id": state.id(ORGANIZATION, r, "organization"),
        "announced": partial_date(r.get("announced")),
        "effective": partial_date(r.get("effective")),
        "status": MeasureStatus(r["status"]),
    }
    state.name(POLICY_MEASURE, r)
    state.cite(POLICY_MEASURE, (r["slug"],), r)
    return Row(values)


def _discussed(state: SeedState, meeting: str, m: Any) -> Row:
    fields(m, f"measures of {meeting}", allowed("measure note"))
    values = {
        "meeting_id": state.store.id(MEETING, meeting),
        "policy_measure_id": state.id(POLICY_MEASURE, m, "measure", required=True),
        "note": m.get("note"),
    }
    return Row(values)
