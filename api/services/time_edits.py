"""Editing what the verdicts over time read: record reviews, fulfilment rules, editors' links.

Each is a part of a mechanism or commitment write (``Entity.extras``): the items are checked
like any field (user errors, nothing written on any), then added.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.services import editing
from api.services.attachments import collect_each
from api.services.errors import FieldError
from api.services.fields import Field, Kind, Path, collect, column_length

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


async def add_record_reviews(
    session: AsyncSession, mechanism: Any, items: list[Mapping[str, Any]], path: Path
) -> list[dict[str, Any]]:
    """Add reviews of the mechanism's record (from, through, by whom, sources searched)."""
    cleaned = collect_each(items, REVIEW_SPEC, path)
    errors = [
        FieldError((*path, n, "complete_from"), "INVALID_DATE", "It ends before it starts.")
        for n, item in enumerate(cleaned)
        if item.get("complete_from") and item["complete_from"] > item["complete_through"]
    ]
    collect(errors)
    for item in cleaned:
        session.add(models.RecordReview(mechanism_id=mechanism.id, **item))
    return [{k: str(v) if v is not None else None for k, v in item.items()} for item in cleaned]


async def _sources_exist(session: AsyncSession, items: list[dict[str, Any]], path: Path) -> None:
    wanted = {
        (*path, n, "source_id"): item["source_id"]
        for n, item in enumerate(items)
        if item.get("source_id") is not None
    }
    collect(await editing.missing_ids(session, models.Source, wanted))


async def set_fulfillment_rule(
    session: AsyncSession, commitment: Any, items: list[Mapping[str, Any]], path: Path
) -> list[dict[str, Any]]:
    """Set (replace) the commitment's fulfilment rule."""
    (item,) = collect_each(items, RULE_SPEC, path)
    await _sources_exist(session, [item], path)
    if item.get("mechanism_id") is not None:
        wanted = {(*path, "mechanism_id"): item["mechanism_id"]}
        collect(await editing.missing_ids(session, models.Mechanism, wanted))
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


async def add_fulfilled_by(
    session: AsyncSession, commitment: Any, items: list[Mapping[str, Any]], path: Path
) -> list[int]:
    """Link meetings to the commitment (``counts``: true) or unlink them from its rule (false);
    a meeting linked already gets the new note, source and direction."""
    cleaned = collect_each(items, LINK_SPEC, path)
    wanted = {(*path, n, "meeting_id"): item["meeting_id"] for n, item in enumerate(cleaned)}
    collect(await editing.missing_ids(session, models.Meeting, wanted))
    await _sources_exist(session, cleaned, path)
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
