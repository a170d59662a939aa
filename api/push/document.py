"""The push file: people, topics, meetings and commitments, in YAML or JSON.

Records refer to one another and to what the server already holds by slug; countries by ISO
code. Field names follow the GraphQL inputs in snake_case (`host_country`, `raised_by`).
"""

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Name(_Record):
    text: str
    language: str


class Source(_Record):
    """A full address, or (without one) a title and publisher to cite the source by."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    as_cited_in: str | None = None
    kind: str | None = None
    language: str | None = None
    published: str | None = None
    note: str | None = None


class Citation(Source):
    """A source supporting a record, with the passage that does (verbatim or not)."""

    quote: str | None = None
    verbatim: bool | None = None


class Person(_Record):
    slug: str
    name: str
    country: str | None = None
    note: str | None = None
    names: list[Name] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)


class Topic(_Record):
    slug: str
    name: str
    parent: str | None = None
    description: str | None = None
    names: list[Name] = Field(default_factory=list)


class Participant(_Record):
    person: str | None = None  # a slug
    name: str | None = None
    side: str
    role: str | None = None
    title: str | None = None
    note: str | None = None


class RaisedTopic(_Record):
    topic: str  # a slug
    raised_by: str | None = None
    stance: str
    note: str | None = None


class Fulfils(_Record):
    commitment: str  # a slug
    note: str | None = None


class Translation(_Record):
    slug: str | None = None
    text: str
    language: str
    verbatim: bool | None = None
    source: Source | None = None
    note: str | None = None


class Statement(_Record):
    """Something said at the meeting; see StatementInput."""

    slug: str | None = None
    text: str
    language: str
    verbatim: bool
    source: Source
    person: str | None = None  # a slug
    name: str | None = None
    organization: str | None = None  # a slug
    speaker_as_reported: str | None = None
    side: str | None = None
    mechanism: str | None = None  # a slug
    said: str | None = None
    date_phrase: str | None = None
    attribution_doubtful: bool | None = None
    attribution_note: str | None = None
    note: str | None = None
    translations: list[Translation] = Field(default_factory=list)


class Meeting(_Record):
    slug: str
    title: str
    mechanism: str | None = None  # a slug
    parent: str | None = None  # a meeting's slug
    sequence_label: str | None = None
    kind: str | None = None
    format: str | None = None
    status: str | None = None
    start: str | None = None
    end: str | None = None
    date_phrase: str | None = None
    place: str | None = None
    host_country: str | None = None
    summary: str | None = None
    note: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    topics: list[RaisedTopic] = Field(default_factory=list)
    fulfils: list[Fulfils] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)


class FulfilledBy(_Record):
    meeting: str  # a slug
    note: str | None = None


class Commitment(_Record):
    slug: str
    title: str
    text: str | None = None
    meeting: str | None = None  # a slug
    mechanism: str | None = None  # a slug
    committed_by: str | None = None
    due: str | None = None
    due_phrase: str | None = None
    status: str | None = None
    status_note: str | None = None
    fulfilled_by: list[FulfilledBy] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)


class Document(_Record):
    """What a push file holds; every section is optional."""

    people: list[Person] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, partial or not (2024-05, 2023-02-29)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DocumentError(ValueError):
    """The file cannot be read or does not have the expected shape."""


def load(path: Path) -> Document:
    """Read a YAML (.yaml/.yml) or JSON file; DocumentError names what is wrong and where."""
    try:
        text = path.read_text(encoding="utf-8")
        raw: Any = json.loads(text) if path.suffix == ".json" else yaml.load(text, _Loader)  # noqa: S506  (a SafeLoader)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise DocumentError(f"{path}: {exc}") from exc
    try:
        return Document.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise DocumentError(f"{path}: {problems}") from exc
