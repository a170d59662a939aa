"""The verdicts computed as of a date, registered as GraphQL enums with each value's rule."""

from api.models.enums import ActivityVerdict, ComplianceVerdict
from schema.enums import describe

COMPLIANCE = {
    "KEPT": "Kept: enough fulfilling meetings certainly took place in the period (a recurring "
    "commitment), or one was held by the last day the due date may denote (a one-off).",
    "KEPT_LATE": "One-off only: the first fulfilling meeting was held after the last day the due "
    "date may denote.",
    "MISSED": "Recurring only: a period is over without enough fulfilling meetings, and a record "
    "review covers the whole period, so their absence is evidence.",
    "OVERDUE": "One-off only: its due date has passed without a fulfilling meeting, and a record "
    "review covers every day from the day it was agreed through the as-of date.",
    "PENDING": "Not due yet: the period (or the due date's span) has not ended on the as-of date, "
    "or a one-off without a due date has no fulfilling meeting yet.",
    "UNKNOWN": "The record cannot tell: a meeting that may fulfil it cannot be placed or confirmed "
    "(its date spans more than the period, its status or attendance is unknown), no rule says what "
    "fulfils it, or the record is not known to be complete. The reason says which.",
}

ACTIVITY = {
    "PROPOSED": "Agreed but no meeting held on or before the as-of date, as far as the record "
    "shows.",
    "ACTIVE": "Met within its interval: the as-of date is more than a month before its next "
    "meeting is due (without a cadence: it met within the last 24 months).",
    "DUE": "Its next meeting falls due within a month: the as-of date is after the last meeting "
    "plus its interval less one month, and not after the due date.",
    "OVERDUE": "The as-of date is after its next meeting was due (last meeting plus interval), "
    "but not after twice the interval.",
    "DORMANT": "No meeting for more than twice its interval (without a stated cadence: for more "
    "than 24 months).",
    "ENDED": "Declared ended, with no end date or one whose span is over by the as-of date.",
}


describe(
    ComplianceVerdict,
    "Whether a commitment (or one period of a recurring one) was kept, as of a date: computed "
    "from the meetings, the commitment's fulfilment rule and the mechanism's record reviews.",
    COMPLIANCE,
)
describe(
    ActivityVerdict,
    "Whether a mechanism meets as its cadence says, as of a date. Its interval is the cadence's "
    "period divided by its count, in whole months; its next meeting is due by the last meeting "
    "plus the interval (days clamped to the month's end).",
    ACTIVITY,
)

__all__ = ["ActivityVerdict", "ComplianceVerdict"]
