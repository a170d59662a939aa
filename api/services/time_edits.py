"""Editing what the verdicts over time read: record reviews, fulfilment rules, editors' links.

Each is a part of a mechanism or commitment write (``Entity.parts``): checked with the rest of
the input (every problem reported at once, nothing written on any), then added.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.services import editing
from api.services.checks import Items, Part
from api.services.errors import FieldError
from api.services.fields import Field, Kind, Path, check_each, column_length

REVIEW_SPEC = {
    "complete_from": Field(Kind.VALUE),
    "complete_through": Field(Kind.VALUE, required=True),
    "reviewed_by": Field(Kind.LINE, required=True, max_length=300),
    "reviewed_on": Field(Kind.VALUE),
    "sources_searched": Field(Kind.TEXT, required=True, max_length=4000),
    "note": Field(Kind.TEXT, max_length=4000),
}
RULE_SPEC = {
    "mechanism_id": Field(Kind.VALUE),
    "formats": Field(Kind.VALUE),
    "kinds": Field(Kind.VALUE),
    "min_rank": Field(Kind.VALUE),
    "both_sides": Field(Kind.VALUE),
    "note": Field(Kind.TEXT, max_length=4000),
    "source_id": Field(Kind.VALUE),
}
LINK_SPEC = {
    "meeting_id": Field(Kind.VALUE, required=True),
    "note": Field(Kind.TEXT, max_length=column_length(models.CommitmentFulfillment, "note")),
    "counts": Field(Kind.VALUE),
    "source_id": Field(Kind.VALUE),
}

Checked = tuple[list[dict[str, Any]], list[FieldError]]


async def _references(
    session: AsyncSession, cleaned: list[dict[str, Any]], path: Path, column: str, model: Any
) -> list[FieldError]:
    wanted = {(*path, n, column): item.get(column) for n, item in enumerate(cleaned)}
    return await editing.missing_ids(session, model, wanted)


async def _check_reviews(session: AsyncSession, _record: Any, items: Items, path: Path) -> Checked:
    cleaned, errors = check_each(items, REVIEW_SPEC, path)
    errors += [
        FieldError((*path, n, "complete_from"), "INVALID_DATE", "The review ends before it starts.")
        for n, item in enumerate(cleaned)
        if item.get("complete_from")
        and item.get("complete_through")
        and item["complete_from"] > item["complete_through"]
    ]
    return cleaned, errors


async def _add_reviews(
    session: AsyncSession, mechanism: Any, cleaned: list[dict[str, Any]], _path: Path
) -> list[Any]:
    for item in cleaned:
        session.add(models.RecordReview(mechanism_id=mechanism.id, **item))
    return [{k: None if v is None else str(v) for k, v in item.items()} for item in cleaned]


RECORD_REVIEWS = Part(_check_reviews, _add_reviews)
"""``record_reviews``: reviews of a mechanism's record, added."""


async def _check_rule(session: AsyncSession, _record: Any, items: Items, path: Path) -> Checked:
    cleaned, errors = check_each(items, RULE_SPEC, path)
    errors += await _references(session, cleaned, path, "mechanism_id", models.Mechanism)
    errors += await _references(session, cleaned, path, "source_id", models.Source)
    return cleaned, errors


async def _set_rule(
    session: AsyncSession, commitment: Any, cleaned: list[dict[str, Any]], _path: Path
) -> list[Any]:
    (item,) = cleaned
    rule = await session.scalar(
        select(models.FulfillmentRule).where(models.FulfillmentRule.commitment_id == commitment.id)
    )
    if rule is None:
        rule = models.FulfillmentRule(commitment_id=commitment.id)
        session.add(rule)
    values = {
        "mechanism_id": item.get("mechanism_id"),
        "formats": ",".join(f.value for f in item["formats"]) if item.get("formats") else None,
        "kinds": ",".join(k.value for k in item["kinds"]) if item.get("kinds") else None,
        "min_rank": item["min_rank"].value if item.get("min_rank") else None,
        "both_sides": item.get("both_sides") is not False,
        "note": item.get("note"),
        "source_id": item.get("source_id"),
    }
    for key, value in values.items():
        setattr(rule, key, value)
    return [{k: v for k, v in values.items() if v is not None}]


FULFILLMENT_RULE = Part(_check_rule, _set_rule)
"""``fulfillment_rule`` (given as a list of one): the commitment's rule, replaced."""


async def _check_links(session: AsyncSession, _record: Any, items: Items, path: Path) -> Checked:
    cleaned, errors = check_each(items, LINK_SPEC, path)
    errors += await _references(session, cleaned, path, "meeting_id", models.Meeting)
    errors += await _references(session, cleaned, path, "source_id", models.Source)
    return cleaned, errors


async def _add_links(
    session: AsyncSession, commitment: Any, cleaned: list[dict[str, Any]], _path: Path
) -> list[Any]:
    present = {
        link.meeting_id: link
        for link in await session.scalars(
            select(models.CommitmentFulfillment).where(
                models.CommitmentFulfillment.commitment_id == commitment.id
            )
        )
    }
    for item in cleaned:
        link = present.get(item["meeting_id"])
        if link is None:
            link = present[item["meeting_id"]] = models.CommitmentFulfillment(
                commitment_id=commitment.id, meeting_id=item["meeting_id"]
            )
            session.add(link)
        link.note = item.get("note")
        link.counts = item.get("counts") is not False
        link.source_id = item.get("source_id")
    return [item["meeting_id"] for item in cleaned]


FULFILLED_BY = Part(_check_links, _add_links)
"""``fulfilled_by``: editors' links, meetings that fulfil the commitment (``counts``) or do
not though its rule matches them; linking a meeting linked already changes that link."""


def not_stated_has_no_count(record: Any) -> list[FieldError]:
    """A cadence the sources do not state has no count or period."""
    if record.cadence_stated is False and record.cadence_times is not None:
        return [
            FieldError(
                ("cadence_stated",), "INVALID", "A cadence not stated has no count or period."
            )
        ]
    return []
