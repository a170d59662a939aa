"""SQLAlchemy models; importing this package registers every table on ``Base.metadata``."""

from api.models.access import ApiToken, IdempotencyKey, Scope
from api.models.audit import AuditEntry
from api.models.calendar import CalendarPeriod
from api.models.commitment import Commitment, CommitmentFulfillment, FulfillmentRule
from api.models.country import Country
from api.models.document import PersistedDocument
from api.models.measure import MeetingPolicyMeasure, PolicyMeasure, PolicyMeasureTopic
from api.models.mechanism import Mechanism, MechanismParty, RecordReview
from api.models.meeting import Meeting, MeetingTopic, Participation
from api.models.name import LocalizedName
from api.models.organization import Organization, Person, Position
from api.models.rate_limit import RateLimitBucket
from api.models.search import SearchDocument
from api.models.source import Citation, Source
from api.models.statement import Statement
from api.models.topic import Topic
from api.models.version import DataVersion

__all__ = [
    "ApiToken",
    "AuditEntry",
    "CalendarPeriod",
    "Citation",
    "Commitment",
    "CommitmentFulfillment",
    "Country",
    "DataVersion",
    "FulfillmentRule",
    "IdempotencyKey",
    "LocalizedName",
    "Mechanism",
    "MechanismParty",
    "Meeting",
    "MeetingPolicyMeasure",
    "MeetingTopic",
    "Organization",
    "Participation",
    "PersistedDocument",
    "Person",
    "PolicyMeasure",
    "PolicyMeasureTopic",
    "Position",
    "RateLimitBucket",
    "RecordReview",
    "Scope",
    "SearchDocument",
    "Source",
    "Statement",
    "Topic",
]
