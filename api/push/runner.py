"""Push a document: look up what the server has, record what it lacks, report each record."""

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from api.push import document as doc
from api.push import inputs
from api.push.client import GraphQLClient

LOOKUP_BATCH = 10  # aliases per lookup, well within the server's alias limit
_PAYLOAD_FIELDS = "replayed userErrors { field code message }"
MUTATIONS = {
    "person": ("createPerson", "CreatePersonInput", "person { id }"),
    "topic": ("createTopic", "CreateTopicInput", "topic { id }"),
    "meeting": ("recordMeeting", "RecordMeetingInput", "meeting { id }"),
    "commitment": ("recordCommitment", "RecordCommitmentInput", "commitment { id }"),
}
_LOOKUP_FIELDS = {
    "person": "person",
    "topic": "topic",
    "meeting": "meeting",
    "commitment": "commitment",
    "mechanism": "mechanism",
    "organization": "organization",
}


@dataclasses.dataclass
class Result:
    """What happened to one record of the file."""

    kind: str
    slug: str
    status: str  # recorded | present | failed
    problems: list[str] = dataclasses.field(default_factory=list)


class MissingReferenceError(LookupError):
    """A record names a slug that neither the server nor the file has."""


class Ids:
    """Global ids by (kind, slug), looked up in batches and remembered."""

    def __init__(self, client: GraphQLClient) -> None:
        self._client = client
        self._known: dict[tuple[str, str], str | None] = {}

    def fetch(self, wanted: Iterable[tuple[str, str]]) -> None:
        """Look up every (kind, slug) not known yet, ``LOOKUP_BATCH`` per request."""
        missing = sorted({key for key in wanted if key not in self._known})
        for start in range(0, len(missing), LOOKUP_BATCH):
            batch = missing[start : start + LOOKUP_BATCH]
            fields = " ".join(
                f"k{n}: {_LOOKUP_FIELDS[kind]}(slug: $s{n}) {{ id }}"
                for n, (kind, _slug) in enumerate(batch)
            )
            params = ", ".join(f"$s{n}: String!" for n in range(len(batch)))
            variables = {f"s{n}": slug for n, (_kind, slug) in enumerate(batch)}
            data = self._client.execute(f"query Lookup({params}) {{ {fields} }}", variables)
            for n, key in enumerate(batch):
                found = data[f"k{n}"]
                self._known[key] = found["id"] if found else None

    def get(self, kind: str, slug: str | None) -> str | None:
        """The id of a known record; MissingReferenceError if it does not exist."""
        if slug is None:
            return None
        found = self._known.get((kind, slug))
        if found is None:
            raise MissingReferenceError(f"no {kind} has the slug {slug!r}")
        return found

    def remember(self, kind: str, slug: str, global_id: str) -> None:
        """Record the id of something just created."""
        self._known[(kind, slug)] = global_id

    def exists(self, kind: str, slug: str) -> bool:
        """Whether the server has it (after ``fetch``)."""
        return self._known.get((kind, slug)) is not None


def _references(document: doc.Document) -> list[tuple[str, str]]:
    refs: list[tuple[str, str]] = []
    refs += [("person", p.slug) for p in document.people]
    refs += [("topic", t.slug) for t in document.topics] + [
        ("topic", t.parent) for t in document.topics if t.parent
    ]
    for m in document.meetings:
        refs.append(("meeting", m.slug))
        refs += [("meeting", m.parent)] if m.parent else []
        refs += [("person", p.person) for p in m.participants if p.person]
        refs += [("person", s.person) for s in m.statements if s.person]
        refs += [("organization", s.organization) for s in m.statements if s.organization]
        refs += [("commitment", f.commitment) for f in m.fulfils]
    for c in document.commitments:
        refs.append(("commitment", c.slug))
        refs += [("meeting", c.meeting)] if c.meeting else []
        refs += [("mechanism", c.mechanism)] if c.mechanism else []
        refs += [("meeting", f.meeting) for f in c.fulfilled_by]
    return refs


def _plan(document: doc.Document) -> list[tuple[str, Any]]:
    """People and topics first; commitments about meetings in the file after those meetings."""
    in_file = {m.slug for m in document.meetings}
    late = [c for c in document.commitments if c.meeting in in_file]
    early = [c for c in document.commitments if c not in late]
    return (
        [("person", p) for p in document.people]
        + [("topic", t) for t in document.topics]
        + [("commitment", c) for c in early]
        + [("meeting", m) for m in document.meetings]
        + [("commitment", c) for c in late]
    )


def _input(kind: str, record: Any, ids: Ids) -> dict[str, Any]:
    if kind == "person":
        return inputs.person(record)
    if kind == "topic":
        return inputs.topic(record, ids.get)
    if kind == "meeting":
        return inputs.meeting(record, ids.get)
    return inputs.commitment(record, ids.get)


def _send(client: GraphQLClient, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    name, input_type, record_field = MUTATIONS[kind]
    query = (
        f"mutation Push($input: {input_type}!) {{ {name}(input: $input) "
        f"{{ {record_field} {_PAYLOAD_FIELDS} }} }}"
    )
    result: dict[str, Any] = client.execute(query, {"input": payload})[name]
    return result


def push(
    document: doc.Document, client: GraphQLClient, *, advance: Callable[[Result], None]
) -> list[Result]:
    """Record every record the server lacks; ``advance`` is called after each record."""
    ids = Ids(client)
    ids.fetch(_references(document))
    results = []
    for kind, record in _plan(document):
        result = _push_one(client, ids, kind, record)
        results.append(result)
        advance(result)
    return results


def _push_one(client: GraphQLClient, ids: Ids, kind: str, record: Any) -> Result:
    if ids.exists(kind, record.slug):
        return Result(kind, record.slug, "present")
    try:
        payload = _send(client, kind, _input(kind, record, ids))
    except MissingReferenceError as exc:
        return Result(kind, record.slug, "failed", [str(exc)])
    if payload["userErrors"]:
        problems = [
            f"{'.'.join(e['field'] or ['input'])}: {e['code']}: {e['message']}"
            for e in payload["userErrors"]
        ]
        return Result(kind, record.slug, "failed", problems)
    created = next(v for k, v in payload.items() if k not in ("replayed", "userErrors"))
    ids.remember(kind, record.slug, created["id"])
    return Result(kind, record.slug, "present" if payload["replayed"] else "recorded")
