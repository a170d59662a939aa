"""Mutation inputs from the records of a push file, once slugs are resolved to ids."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from api.push import document as doc

IdOf = Callable[[str, str | None], str | None]  # (kind, slug) -> global id


def idempotency_key(kind: str, record: BaseModel) -> str:
    """A key that changes only when the record does: re-running the same file is a no-op."""
    canonical = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:24]
    return f"push:{kind}:{getattr(record, 'slug', '')}:{digest}"


def _enum(value: str | None) -> str | None:
    return value.upper() if value else None


def _source(source: doc.Source) -> dict[str, Any]:
    fields = source.model_dump(exclude_none=True, by_alias=True)
    camel = {_camel(key): value for key, value in fields.items()}
    return {**camel, "kind": _enum(source.kind)} if source.kind else camel


def _sources(sources: list[doc.Citation]) -> list[dict[str, Any]]:
    return [_source(source) for source in sources]


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _statement(s: doc.Statement, id_of: IdOf) -> dict[str, Any]:
    return _clean(
        {
            "slug": s.slug,
            "text": s.text,
            "language": s.language,
            "verbatim": s.verbatim,
            "source": _source(s.source),
            "personId": id_of("person", s.person),
            "name": s.name,
            "organizationId": id_of("organization", s.organization),
            "speakerAsReported": s.speaker_as_reported,
            "side": s.side,
            "mechanismSlug": s.mechanism,
            "said": s.said,
            "datePhrase": s.date_phrase,
            "attributionDoubtful": s.attribution_doubtful,
            "attributionNote": s.attribution_note,
            "note": s.note,
            "translations": [
                _clean(
                    {
                        "slug": t.slug,
                        "text": t.text,
                        "language": t.language,
                        "verbatim": t.verbatim,
                        "source": _source(t.source) if t.source else None,
                        "note": t.note,
                    }
                )
                for t in s.translations
            ],
        }
    )


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != []}


def person(record: doc.Person) -> dict[str, Any]:
    """createPerson's input."""
    return _clean(
        {
            "idempotencyKey": idempotency_key("person", record),
            "slug": record.slug,
            "name": record.name,
            "country": record.country,
            "note": record.note,
            "names": [n.model_dump() for n in record.names],
            "sources": _sources(record.sources),
        }
    )


def topic(record: doc.Topic, id_of: IdOf) -> dict[str, Any]:
    """createTopic's input."""
    return _clean(
        {
            "idempotencyKey": idempotency_key("topic", record),
            "slug": record.slug,
            "name": record.name,
            "parentId": id_of("topic", record.parent),
            "description": record.description,
            "names": [n.model_dump() for n in record.names],
        }
    )


def meeting(record: doc.Meeting, id_of: IdOf) -> dict[str, Any]:
    """recordMeeting's input."""
    return _clean(
        {
            "idempotencyKey": idempotency_key("meeting", record),
            "slug": record.slug,
            "title": record.title,
            "mechanismSlug": record.mechanism,
            "parentId": id_of("meeting", record.parent),
            "sequenceLabel": record.sequence_label,
            "kind": _enum(record.kind),
            "format": _enum(record.format),
            "status": _enum(record.status),
            "start": record.start,
            "end": record.end,
            "datePhrase": record.date_phrase,
            "place": record.place,
            "hostCountry": record.host_country,
            "summary": record.summary,
            "note": record.note,
            "participants": [
                _clean(
                    {
                        "personId": id_of("person", p.person),
                        "name": p.name,
                        "side": p.side,
                        "role": _enum(p.role),
                        "title": p.title,
                        "note": p.note,
                    }
                )
                for p in record.participants
            ],
            "topics": [
                _clean(
                    {
                        "topicSlug": t.topic,
                        "raisedBy": t.raised_by,
                        "stance": _enum(t.stance),
                        "note": t.note,
                    }
                )
                for t in record.topics
            ],
            "fulfils": [
                _clean({"commitmentId": id_of("commitment", f.commitment), "note": f.note})
                for f in record.fulfils
            ],
            "statements": [_statement(s, id_of) for s in record.statements],
            "sources": _sources(record.sources),
        }
    )


def commitment(record: doc.Commitment, id_of: IdOf) -> dict[str, Any]:
    """recordCommitment's input."""
    return _clean(
        {
            "idempotencyKey": idempotency_key("commitment", record),
            "slug": record.slug,
            "title": record.title,
            "text": record.text,
            "meetingId": id_of("meeting", record.meeting),
            "mechanismId": id_of("mechanism", record.mechanism),
            "committedBy": record.committed_by,
            "due": record.due,
            "duePhrase": record.due_phrase,
            "status": _enum(record.status),
            "statusNote": record.status_note,
            "fulfilledBy": [
                _clean({"meetingId": id_of("meeting", f.meeting), "note": f.note})
                for f in record.fulfilled_by
            ],
            "sources": _sources(record.sources),
        }
    )
