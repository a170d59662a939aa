"""Each kind of record the catalog writes: its fields, references, names and parts."""

import dataclasses
import types
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.services import editing, time_edits
from api.services.addresses import citation_problem
from api.services.catalog import Entity
from api.services.checks import Items, Part, Rule, both_or_neither, end_after_start
from api.services.errors import FieldError, Refused, failed_under
from api.services.fields import (
    COUNTRY_CODE,
    REFERENCE,
    Field,
    Kind,
    Path,
    check_each,
    spec_for,
)

REQUIRED_COUNTRY = Field(Kind.LINE, required=True, max_length=COUNTRY_CODE.max_length)
LINE, TEXT, SLUG, VALUE = Kind.LINE, Kind.TEXT, Kind.SLUG, Kind.VALUE
DATE, COUNT = Kind.PARTIAL_DATE, Kind.POSITIVE_INT
_PARTY = {"country": REQUIRED_COUNTRY, "lead_organization_id": REFERENCE}


async def _check_parties(
    session: AsyncSession, _mechanism: Any, items: Items, path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    cleaned, errors = check_each(items, _PARTY, path)
    errors += await editing.missing_ids(
        session,
        models.Organization,
        {
            (*path, n, "lead_organization_id"): c.get("lead_organization_id")
            for n, c in enumerate(cleaned)
        },
    )
    errors += editing.country_errors(
        {(*path, n, "country"): c.get("country") for n, c in enumerate(cleaned)}
    )
    return cleaned, errors


async def _add_parties(
    session: AsyncSession, mechanism: Any, cleaned: list[dict[str, Any]], path: Path
) -> list[Any]:
    ids = await editing.country_ids(
        session, {(*path, n, "country"): c["country"] for n, c in enumerate(cleaned)}
    )
    existing = {
        party.country_id: party
        for party in await session.scalars(
            select(models.MechanismParty).where(models.MechanismParty.mechanism_id == mechanism.id)
        )
    }
    added = []
    for n, item in enumerate(cleaned):
        country_id = ids[(*path, n, "country")]
        assert country_id is not None  # the country is required
        party = existing.get(country_id) or models.MechanismParty(
            mechanism_id=mechanism.id, country_id=country_id
        )
        party.lead_organization_id = item.get("lead_organization_id")
        session.add(party)
        existing[country_id] = party
        added.append(
            {"country": item["country"], "lead_organization_id": party.lead_organization_id}
        )
    return added


_POSITION = spec_for(
    models.Position,
    {
        "title": (LINE, True),
        "organization_id": (VALUE, False),
        "rank": (VALUE, False),
        "start": (DATE, False),
        "end": (DATE, False),
        "note": (TEXT, False),
    },
)
_POSITION_DATES = end_after_start("start", "end")


async def _check_positions(
    session: AsyncSession, _person: Any, items: Items, path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    cleaned, errors = check_each(items, _POSITION, path)
    errors += await editing.missing_ids(
        session,
        models.Organization,
        {(*path, n, "organization_id"): c.get("organization_id") for n, c in enumerate(cleaned)},
    )
    failed = failed_under(errors, path)
    for n, item in enumerate(cleaned):
        if n not in failed:
            view = types.SimpleNamespace(start=item.get("start"), end=item.get("end"))
            errors += [
                dataclasses.replace(e, field=(*path, n, *e.field))
                for e in _POSITION_DATES.check(view)
            ]
    return cleaned, errors


async def _add_positions(
    session: AsyncSession, person: Any, cleaned: list[dict[str, Any]], _path: Path
) -> list[Any]:
    session.add_all(models.Position(person_id=person.id, **item) for item in cleaned)
    return [{"title": item["title"]} for item in cleaned]


async def _check_measure_topics(
    session: AsyncSession, _measure: Any, items: list[Any], path: Path
) -> tuple[list[int], list[FieldError]]:
    errors = [item.error for item in items if isinstance(item, Refused)]
    topic_ids = [int(item) for item in items if not isinstance(item, Refused)]
    errors += await editing.missing_ids(
        session,
        models.Topic,
        {(*path, n): t for n, t in enumerate(items) if not isinstance(t, Refused)},
    )
    return topic_ids, errors


async def _add_measure_topics(
    session: AsyncSession, measure: Any, topic_ids: list[int], _path: Path
) -> list[Any]:
    present = set(
        await session.scalars(
            select(models.PolicyMeasureTopic.topic_id).where(
                models.PolicyMeasureTopic.policy_measure_id == measure.id
            )
        )
    )
    new = [t for t in dict.fromkeys(topic_ids) if t not in present]
    session.add_all(
        models.PolicyMeasureTopic(policy_measure_id=measure.id, topic_id=t) for t in new
    )
    return new


MECHANISM = Entity(
    model=models.Mechanism,
    spec=spec_for(
        models.Mechanism,
        {
            "slug": (SLUG, False),
            "name": (LINE, True),
            "acronym": (LINE, False),
            "kind": (VALUE, True),
            "level": (VALUE, False),
            "status": (VALUE, True),
            "established": (DATE, False),
            "ended": (DATE, False),
            "cadence_text": (LINE, False),
            "cadence_times": (COUNT, False),
            "cadence_period": (VALUE, False),
            "cadence_at_least": (VALUE, False),
            "cadence_stated": (VALUE, False),
            "cadence_source_id": (VALUE, False),
            "cadence_quote": (TEXT, False),
            "cadence_note": (TEXT, False),
            "summary": (TEXT, False),
            "note": (TEXT, False),
            "predecessor_id": (VALUE, False),
            "parent_id": (VALUE, False),
            "agreed_at_meeting_id": (VALUE, False),
        },
    ),
    references={
        "predecessor_id": models.Mechanism,
        "parent_id": models.Mechanism,
        "agreed_at_meeting_id": models.Meeting,
        "cadence_source_id": models.Source,
    },
    slug_from=("name",),
    named_by="mechanism_id",
    parts={
        "parties": Part(_check_parties, _add_parties),
        "record_reviews": time_edits.RECORD_REVIEWS,
    },
    rules=(
        both_or_neither("cadence_times", "cadence_period"),
        Rule(("cadence_stated", "cadence_times"), time_edits.not_stated_has_no_count),
        end_after_start("established", "ended"),
    ),
)

PERSON = Entity(
    model=models.Person,
    spec=spec_for(
        models.Person, {"slug": (SLUG, False), "name": (LINE, True), "note": (TEXT, False)}
    ),
    countries={"country": "country_id"},
    slug_from=("name",),
    named_by="person_id",
    parts={"positions": Part(_check_positions, _add_positions)},
)

ORGANIZATION = Entity(
    model=models.Organization,
    spec=spec_for(
        models.Organization,
        {
            "slug": (SLUG, False),
            "name": (LINE, True),
            "acronym": (LINE, False),
            "kind": (VALUE, True),
            "parent_id": (VALUE, False),
            "note": (TEXT, False),
        },
    ),
    references={"parent_id": models.Organization},
    countries={"country": "country_id"},
    slug_from=("name",),
    named_by="organization_id",
)

TOPIC = Entity(
    model=models.Topic,
    spec=spec_for(
        models.Topic,
        {
            "slug": (SLUG, False),
            "name": (LINE, True),
            "parent_id": (VALUE, False),
            "description": (TEXT, False),
        },
    ),
    references={"parent_id": models.Topic},
    slug_from=("name",),
    named_by="topic_id",
)

MEASURE = Entity(
    model=models.PolicyMeasure,
    spec=spec_for(
        models.PolicyMeasure,
        {
            "slug": (SLUG, False),
            "name": (LINE, True),
            "kind": (VALUE, True),
            "organization_id": (VALUE, False),
            "instrument": (LINE, False),
            "announced": (DATE, False),
            "effective": (DATE, False),
            "effective_phrase": (LINE, False),
            "status": (VALUE, True),
            "summary": (TEXT, False),
            "note": (TEXT, False),
        },
    ),
    references={"organization_id": models.Organization},
    countries={"country": "country_id"},
    slug_from=("name",),
    named_by="policy_measure_id",
    parts={"topic_ids": Part(_check_measure_topics, _add_measure_topics)},
)


def _followable(source: Any) -> list[FieldError]:
    """A source has an address, or a title and publisher to cite it by."""
    problem = citation_problem(source.url, source.title, source.publisher)
    return [] if problem is None else [FieldError(("url",), "REQUIRED", problem)]


SOURCE = Entity(
    model=models.Source,
    spec=spec_for(
        models.Source,
        {
            "url": (Kind.URL, False),
            "title": (LINE, False),
            "publisher": (LINE, False),
            "as_cited_in": (LINE, False),
            "kind": (VALUE, True),
            "language": (Kind.LANGUAGE, False),
            "published": (DATE, False),
            "original_id": (VALUE, False),
            "note": (TEXT, False),
        },
    ),
    references={"original_id": models.Source},
    unique=("url",),
    rules=(Rule(("url", "title", "publisher"), _followable),),
)

COMMITMENT = Entity(
    model=models.Commitment,
    spec=spec_for(
        models.Commitment,
        {
            "slug": (SLUG, False),
            "title": (LINE, True),
            "text": (TEXT, False),
            "meeting_id": (VALUE, False),
            "mechanism_id": (VALUE, False),
            "due": (DATE, False),
            "due_phrase": (LINE, False),
            "recurrence_text": (LINE, False),
            "recurrence_times": (COUNT, False),
            "recurrence_period": (VALUE, False),
            "status": (VALUE, True),
            "status_note": (TEXT, False),
            "recurrence_from": (DATE, False),
            "assessed_verdict": (VALUE, False),
            "assessed_as_of": (VALUE, False),
            "assessed_note": (TEXT, False),
            "assessed_source_id": (VALUE, False),
        },
    ),
    references={
        "meeting_id": models.Meeting,
        "mechanism_id": models.Mechanism,
        "assessed_source_id": models.Source,
    },
    countries={"committed_by": "committed_by_country_id"},
    slug_from=("title",),
    parts={
        "fulfilled_by": time_edits.FULFILLED_BY,
        "fulfillment_rule": time_edits.FULFILLMENT_RULE,
    },
    rules=(both_or_neither("recurrence_times", "recurrence_period"),),
)
