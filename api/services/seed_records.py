"""The seed loader's tables (with their natural keys) and readers for YAML record fields."""

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from api.models import (
    Citation,
    Commitment,
    CommitmentFulfillment,
    Country,
    LocalizedName,
    Mechanism,
    MechanismParty,
    Meeting,
    MeetingPolicyMeasure,
    MeetingTopic,
    Organization,
    Participation,
    Person,
    PolicyMeasure,
    PolicyMeasureTopic,
    Position,
    Source,
    Statement,
    Topic,
)
from api.models.enums import NameOrigin, Period
from api.models.name import NAMED_COLUMNS
from api.models.source import CITED_COLUMNS
from api.partial_date import PartialDate
from api.services.seed_store import Key, SeedError, Store, Table

E = TypeVar("E", bound=enum.StrEnum)


def _owned(values: Mapping[str, Any]) -> Key:
    """A name is identified by its owner record, its language and its text."""
    owner = next(c for c in NAMED_COLUMNS if values.get(c) is not None)
    return (owner, values[owner], values["language"], values["text"])


def _cited(values: Mapping[str, Any]) -> Key:
    """A citation is identified by its source and the record it supports."""
    target = next(c for c in CITED_COLUMNS if values.get(c) is not None)
    return (values["source_id"], target, values[target])


def _who(values: Mapping[str, Any]) -> Key:
    """A participation is one person, else one reported name, else one organization, per side."""
    for column in ("person_id", "name_as_reported", "organization_id"):
        if values.get(column) is not None:
            return (values["meeting_id"], values["side_country_id"], column, values[column])
    raise SeedError(f"participation without anyone: {values!r}")


def _source(values: Mapping[str, Any]) -> Key:
    """A source is identified by its address, or without one by its title and publisher."""
    if values.get("url") is not None:
        return (values["url"],)
    return (None, values.get("title"), values.get("publisher"))


COUNTRY = Table(Country, ("code",))
SOURCE = Table(Source, ("url", "title", "publisher"), key_of=_source)
ORGANIZATION = Table(Organization, ("slug",))
PERSON = Table(Person, ("slug",))
POSITION = Table(Position, ("person_id", "organization_id", "title"))
TOPIC = Table(Topic, ("slug",))
MECHANISM = Table(Mechanism, ("slug",))
MECHANISM_PARTY = Table(MechanismParty, ("mechanism_id", "country_id"))
MEETING = Table(Meeting, ("slug",))
PARTICIPATION = Table(
    Participation,
    ("meeting_id", "side_country_id", "person_id", "name_as_reported", "organization_id"),
    key_of=_who,
)
MEETING_TOPIC = Table(MeetingTopic, ("meeting_id", "topic_id", "raised_by_country_id", "stance"))
POLICY_MEASURE = Table(PolicyMeasure, ("slug",))
POLICY_MEASURE_TOPIC = Table(PolicyMeasureTopic, ("policy_measure_id", "topic_id"))
MEETING_POLICY_MEASURE = Table(MeetingPolicyMeasure, ("meeting_id", "policy_measure_id"))
COMMITMENT = Table(Commitment, ("slug",))
STATEMENT = Table(Statement, ("slug",))
COMMITMENT_FULFILLMENT = Table(CommitmentFulfillment, ("commitment_id", "meeting_id"))
LOCALIZED_NAME = Table(
    LocalizedName, (*NAMED_COLUMNS, "language", "text"), key_of=_owned, also_read=("origin",)
)
CITATION = Table(Citation, ("source_id", *CITED_COLUMNS), key_of=_cited)


def fields(record: Any, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    """The record as a dict, after checking it is a mapping with only ``allowed`` fields."""
    if not isinstance(record, dict):
        raise SeedError(f"{where}: expected a mapping, got {record!r}")
    unknown = record.keys() - allowed
    if unknown:
        raise SeedError(f"{where}: unknown fields {sorted(unknown)} in {record!r}")
    return record


def allowed(names: str) -> frozenset[str]:
    """The field names of a record kind, given space-separated."""
    return frozenset(names.split())


def partial_date(value: Any) -> PartialDate | None:
    """A partial date from YAML, which reads ``2024`` as int and ``2024-05-21`` as a date."""
    return None if value is None else PartialDate.parse(str(value))


def choice(kind: type[E], value: Any) -> E | None:
    """An enum member from its value, or None."""
    return None if value is None else kind(value)


def recurrence(value: Any, prefix: str) -> dict[str, Any]:
    """``{text, times, period}`` as the three ``<prefix>_text/_times/_period`` columns."""
    if value is None:
        return {}
    parts = fields(value, prefix, allowed("text times period"))
    return {
        f"{prefix}_text": parts.get("text"),
        f"{prefix}_times": parts.get("times"),
        f"{prefix}_period": choice(Period, parts.get("period")),
    }


@dataclasses.dataclass(frozen=True)
class SeedName:
    """A name of a seed record, where it comes from, and the key of the source that gives it."""

    language: str
    text: str
    origin: NameOrigin
    source: str | None = None


def _seed_name(language: str, value: Any) -> SeedName:
    """``text`` (an editor's addition), or ``{text, source: key}``, or ``{text, origin: ...}``."""
    if isinstance(value, str):
        return SeedName(language, value, NameOrigin.EDITOR)
    parts = fields(value, f"names ({language})", allowed("text source origin"))
    source = parts.get("source")
    origin = NameOrigin(parts.get("origin") or (NameOrigin.SOURCE if source else "editor"))
    if (origin is NameOrigin.SOURCE) != (source is not None):
        raise SeedError(f"names: a source exactly when the origin is source: {value!r}")
    return SeedName(language, parts["text"], origin, source)


def names(record: Mapping[str, Any], primary: str) -> list[SeedName]:
    """Every name of a record: the primary name, the acronym (both RECORD), then ``names``."""
    found = [SeedName("en", record[primary], NameOrigin.RECORD)]
    if record.get("acronym"):
        found.append(SeedName("en", record["acronym"], NameOrigin.RECORD))
    for language, values in (record.get("names") or {}).items():
        found.extend(
            _seed_name(language, v) for v in (values if isinstance(values, list) else [values])
        )
    unique: dict[tuple[str, str], SeedName] = {}
    for name in found:
        unique.setdefault((name.language, name.text), name)
    return list(unique.values())


def citation(value: Any) -> tuple[str | None, bool, str | None]:
    """(quote, verbatim, note) of a ``cite`` entry.

    A plain string is a paraphrase (stored as the note, not verbatim); a mapping gives a
    ``quote`` and must say whether it is ``verbatim`` — the source's own words — or not.
    """
    if isinstance(value, str):
        return None, False, value
    parts = fields(value, "cite", allowed("quote verbatim note"))
    if not parts.get("quote"):
        raise SeedError(f"cite: a mapping needs a quote: {value!r}")
    if not isinstance(parts.get("verbatim"), bool):
        raise SeedError(f"cite: say whether the quote is verbatim (true/false): {value!r}")
    return parts["quote"], parts["verbatim"], parts.get("note")


class SeedState:
    """The merged YAML sections, and what can only be written once every record exists."""

    def __init__(self, store: Store, data: Mapping[str, list[Any]]) -> None:
        self.store = store
        self.data = data
        self.source_keys: dict[str, Key] = {}
        self.names: list[tuple[Table, str, SeedName]] = []
        self.citations: list[tuple[str, Table, Key, Any]] = []
        self.agreed_at: dict[str, str] = {}

    def records(self, section: str, names: frozenset[str]) -> list[dict[str, Any]]:
        """The records of a section, each checked to hold only the ``names`` fields."""
        return [fields(record, section, names) for record in self.data.get(section) or []]

    def id(
        self, table: Table, record: Mapping[str, Any], field: str, *, required: bool = False
    ) -> int | None:
        """The id of the ``table`` row that ``record[field]`` names (by its natural key)."""
        value = record.get(field)
        if value is None:
            if required:
                raise SeedError(f"{field} is required in {record!r}")
            return None
        return self.store.id(table, value)

    def source_key(self, key: str) -> Key:
        """The natural key (address, else title and publisher) of the source with this seed key."""
        if key not in self.source_keys:
            raise SeedError(f"no source has the key {key!r}")
        return self.source_keys[key]

    def source_id(self, key: str) -> int:
        """The id of the source with this seed key."""
        return self.store.id(SOURCE, *self.source_key(key))

    def name(self, table: Table, record: Mapping[str, Any]) -> None:
        """Remember every name of a slugged record, to add once the record exists."""
        for name in names(record, "name"):
            self.names.append((table, record["slug"], name))

    def cite(self, table: Table, key: Key, record: Mapping[str, Any]) -> None:
        """Remember the record's ``cite`` entries, to add once sources and record exist."""
        cites = record.get("cite") or {}
        if not isinstance(cites, dict):
            raise SeedError(f"cite: expected source key -> text, got {cites!r}")
        if f"{table.name}_id" not in CITED_COLUMNS:
            raise SeedError(f"cite: {table.name} records cannot be cited")
        for source_key, value in cites.items():
            self.citations.append((source_key, table, key, value))
