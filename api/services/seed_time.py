"""The seed loader's part for reasoning over time: cadences, record reviews, fulfilment rules
and editors' assessments."""

import datetime as dt
from typing import Any

from api.models import FulfillmentRule, RecordReview
from api.models.enums import ComplianceVerdict, MeetingFormat, Period, Rank
from api.services.seed_records import (
    COMMITMENT,
    MECHANISM,
    SeedState,
    allowed,
    choice,
    fields,
    partial_date,
)
from api.services.seed_store import Row, SeedError, Table

CADENCE_FIELDS = allowed("text times period at_least stated source quote note")
REVIEW_FIELDS = allowed("from through by reviewed_on sources note")
RULE_FIELDS = allowed("mechanism formats kinds min_rank both_sides note source")
ASSESSMENT_FIELDS = allowed("verdict as_of note source")

RECORD_REVIEW = Table(RecordReview, ("mechanism_id", "complete_through", "reviewed_by"))
FULFILLMENT_RULE = Table(FulfillmentRule, ("commitment_id",))


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _source(state: SeedState, value: Any) -> int | None:
    return None if value is None else state.source_id(value)


def cadence(state: SeedState, value: Any, where: str) -> dict[str, Any]:
    """``cadence: {text, times, period, at_least, stated, source, quote, note}`` as columns.

    ``{stated: false, note: ...}`` records that the sources state none.
    """
    if value is None:
        return {}
    parts = fields(value, f"cadence of {where}", CADENCE_FIELDS)
    stated = parts.get("stated", True)
    if not stated and parts.get("times") is not None:
        raise SeedError(f"cadence of {where}: not stated, yet it has a count")
    return {
        "cadence_text": parts.get("text"),
        "cadence_times": parts.get("times"),
        "cadence_period": choice(Period, parts.get("period")),
        "cadence_at_least": parts.get("at_least") if stated else None,
        "cadence_stated": stated,
        "cadence_source_id": _source(state, parts.get("source")),
        "cadence_quote": parts.get("quote"),
        "cadence_note": parts.get("note"),
    }


def reviews(state: SeedState, mechanisms: list[dict[str, Any]]) -> list[Row]:
    """The record reviews of each mechanism."""
    rows = []
    for r in mechanisms:
        for review in r.get("reviews", []):
            parts = fields(review, f"reviews of {r['slug']}", REVIEW_FIELDS)
            values = {
                "mechanism_id": state.store.id(MECHANISM, r["slug"]),
                "complete_from": _day(parts.get("from")),
                "complete_through": _day(parts["through"]),
                "reviewed_by": parts["by"],
                "reviewed_on": _day(parts.get("reviewed_on")),
                "sources_searched": parts["sources"],
                "note": parts.get("note"),
            }
            rows.append(Row(values))
    return rows


def rules(state: SeedState, commitments: list[dict[str, Any]]) -> list[Row]:
    """The fulfilment rule of each commitment that has one."""
    rows = []
    for r in commitments:
        if r.get("rule") is None:
            continue
        parts = fields(r["rule"], f"rule of {r['slug']}", RULE_FIELDS)
        formats = [MeetingFormat(f).value for f in parts.get("formats") or []]
        values = {
            "commitment_id": state.store.id(COMMITMENT, r["slug"]),
            "mechanism_id": state.id(MECHANISM, parts, "mechanism"),
            "formats": ",".join(formats) or None,
            "kinds": ",".join(parts.get("kinds") or []) or None,
            "min_rank": choice(Rank, parts.get("min_rank")),
            "both_sides": parts.get("both_sides", True),
            "note": parts.get("note"),
            "source_id": _source(state, parts.get("source")),
        }
        rows.append(Row(values))
    return rows


def assessment(state: SeedState, value: Any, where: str) -> dict[str, Any]:
    """``assessment: {verdict, as_of, note, source}`` as the ``assessed_*`` columns."""
    if value is None:
        return {}
    parts = fields(value, f"assessment of {where}", ASSESSMENT_FIELDS)
    return {
        "assessed_verdict": ComplianceVerdict(parts["verdict"]),
        "assessed_as_of": _day(parts.get("as_of")),
        "assessed_note": parts.get("note"),
        "assessed_source_id": _source(state, parts.get("source")),
    }


def recurrence_from(value: Any) -> dict[str, Any]:
    """The first period a recurring commitment counts."""
    return {} if value is None else {"recurrence_from": partial_date(value)}
