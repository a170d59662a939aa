"""The seed data set: load api/seed/*.yaml into the database, idempotently."""

from collections import defaultdict
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import LocalizedName
from api.models.enums import (
    CommitmentStatus,
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    NameOrigin,
    OrganizationKind,
    Rank,
    SourceKind,
)
from api.services import seed_meetings, seed_time
from api.services.addresses import address_problem, citation_problem
from api.services.names import add_name
from api.services.seed_records import (
    CITATION,
    COMMITMENT,
    COMMITMENT_FULFILLMENT,
    COUNTRY,
    LOCALIZED_NAME,
    MECHANISM,
    MECHANISM_PARTY,
    MEETING,
    ORGANIZATION,
    PERSON,
    POSITION,
    SOURCE,
    STATEMENT,
    TOPIC,
    SeedState,
    allowed,
    choice,
    citation,
    fields,
    partial_date,
    recurrence,
)
from api.services.seed_store import Row, SeedError, Store

SECTIONS = allowed(
    "countries sources organizations people topics mechanisms meetings policy_measures commitments"
    " statements"
)
SOURCE_FIELDS = allowed("key url title publisher as_cited_in kind language published original note")
STATEMENT_FIELDS = allowed(
    "slug text language verbatim person organization speaker_as_reported side meeting mechanism"
    " said date_phrase source translation_of attribution_doubtful attribution_note note"
)
ORGANIZATION_FIELDS = allowed("slug name acronym kind country parent note names cite")
PERSON_FIELDS = allowed("slug name country note names positions cite")
POSITION_FIELDS = allowed("title organization rank start end note cite")
TOPIC_FIELDS = allowed("slug name parent description names")
MECHANISM_FIELDS = allowed(
    "slug name acronym kind level status established ended cadence summary predecessor parent"
    " agreed_at note names parties cite reviews"
)
COMMITMENT_FIELDS = allowed(
    "slug title text meeting mechanism committed_by due due_phrase recurrence status status_note"
    " fulfilled_by cite recurrence_from rule assessment"
)


async def load(session: AsyncSession) -> dict[str, int]:
    """Insert every seed record not in the database yet; return the rows created per table."""
    state = SeedState(Store(session), read_documents())
    await _countries(state)
    await _sources(state)
    await _organizations(state)
    await _people(state)
    await _topics(state)
    await _mechanisms(state)
    await seed_meetings.load_meetings(state)
    await seed_meetings.load_measures(state)
    await _commitments(state)
    await _statements(state)
    _agreed_at(state)
    await _names(state)
    await _citations(state)
    await session.flush()
    return dict(state.store.created)


def read_documents() -> dict[str, list[Any]]:
    """The sections of every api/seed/*.yaml document, merged in file-name order."""
    merged: dict[str, list[Any]] = defaultdict(list)
    documents = sorted(resources.files("api.seed").iterdir(), key=lambda entry: entry.name)
    for document in documents:
        if not document.name.endswith(".yaml"):
            continue
        sections = fields(yaml.safe_load(document.read_text("utf-8")), document.name, SECTIONS)
        for section, records in sections.items():
            merged[section].extend(records)
    return merged


async def _countries(state: SeedState) -> None:
    records = state.records("countries", allowed("code name"))
    await state.store.put(COUNTRY, [Row({"code": r["code"], "name": r["name"]}) for r in records])


async def _sources(state: SeedState) -> None:
    sources = state.records("sources", SOURCE_FIELDS)
    for r in sources:
        _check_source(r)
        if r["key"] in state.source_keys:
            raise SeedError(f"sources: key {r['key']!r} used twice")
        state.source_keys[r["key"]] = SOURCE.key(r)
    rows = []
    for r in sources:
        names = ("url", "title", "publisher", "as_cited_in", "language", "note")
        values = {k: r.get(k) for k in names}
        values |= {"kind": SourceKind(r["kind"]), "published": partial_date(r.get("published"))}
        original = r.get("original")
        refs = {"original_id": state.source_key(original)} if original else {}
        rows.append(Row(values, refs))
    await state.store.put(SOURCE, rows)


def _check_source(r: dict[str, Any]) -> None:
    """A seed source can be followed: a full address, or a title and publisher without one."""
    problem = citation_problem(r.get("url"), r.get("title"), r.get("publisher"))
    if problem is None and r.get("url") is not None:
        found = address_problem(r["url"])
        problem = None if found is None else f"the address {r['url']!r} {found}"
    if problem is not None:
        raise SeedError(f"sources: {r.get('key')!r}: {problem}")


async def _organizations(state: SeedState) -> None:
    rows = []
    for r in state.records("organizations", ORGANIZATION_FIELDS):
        values = {k: r.get(k) for k in ("slug", "name", "acronym", "note")}
        values |= {
            "kind": OrganizationKind(r["kind"]),
            "country_id": state.id(COUNTRY, r, "country"),
        }
        rows.append(Row(values, {"parent_id": (r["parent"],)} if r.get("parent") else {}))
        state.name(ORGANIZATION, r)
        state.cite(ORGANIZATION, (r["slug"],), r)
    await state.store.put(ORGANIZATION, rows)


async def _people(state: SeedState) -> None:
    people = state.records("people", PERSON_FIELDS)
    rows = [
        Row(
            {
                "slug": r["slug"],
                "name": r["name"],
                "note": r.get("note"),
                "country_id": state.id(COUNTRY, r, "country"),
            }
        )
        for r in people
    ]
    await state.store.put(PERSON, rows)
    positions = []
    for person in people:
        state.name(PERSON, person)
        state.cite(PERSON, (person["slug"],), person)
        for p in person.get("positions", []):
            fields(p, f"positions of {person['slug']}", POSITION_FIELDS)
            values = {
                "person_id": state.store.id(PERSON, person["slug"]),
                "organization_id": state.id(ORGANIZATION, p, "organization"),
                "title": p["title"],
                "rank": Rank(p["rank"]) if p.get("rank") else None,
                "start": partial_date(p.get("start")),
                "end": partial_date(p.get("end")),
                "note": p.get("note"),
            }
            positions.append(Row(values))
            state.cite(POSITION, POSITION.key(values), p)
    await state.store.put(POSITION, positions)


async def _topics(state: SeedState) -> None:
    rows = []
    for r in state.records("topics", TOPIC_FIELDS):
        values = {k: r.get(k) for k in ("slug", "name", "description")}
        rows.append(Row(values, {"parent_id": (r["parent"],)} if r.get("parent") else {}))
        state.name(TOPIC, r)
    await state.store.put(TOPIC, rows)


async def _mechanisms(state: SeedState) -> None:
    mechanisms = state.records("mechanisms", MECHANISM_FIELDS)
    await state.store.put(MECHANISM, [_mechanism(state, r) for r in mechanisms])
    parties = []
    for r in mechanisms:
        for party in r.get("parties", []):
            fields(party, f"parties of {r['slug']}", allowed("country lead"))
            values = {
                "mechanism_id": state.store.id(MECHANISM, r["slug"]),
                "country_id": state.id(COUNTRY, party, "country", required=True),
                "lead_organization_id": state.id(ORGANIZATION, party, "lead"),
            }
            parties.append(Row(values))
    await state.store.put(MECHANISM_PARTY, parties)
    await state.store.put(seed_time.RECORD_REVIEW, seed_time.reviews(state, mechanisms))


def _mechanism(state: SeedState, r: dict[str, Any]) -> Row:
    values = {k: r.get(k) for k in ("slug", "name", "acronym", "summary", "note")}
    values |= {
        "kind": MechanismKind(r["kind"]),
        "level": choice(MechanismLevel, r.get("level")),
        "status": MechanismStatus(r["status"]),
        "established": partial_date(r.get("established")),
        "ended": partial_date(r.get("ended")),
        **seed_time.cadence(state, r.get("cadence"), r["slug"]),
    }
    refs = {f"{k}_id": (r[k],) for k in ("predecessor", "parent") if r.get(k)}
    if r.get("agreed_at"):
        state.agreed_at[r["slug"]] = r["agreed_at"]
    state.name(MECHANISM, r)
    state.cite(MECHANISM, (r["slug"],), r)
    return Row(values, refs)


async def _commitments(state: SeedState) -> None:
    commitments = state.records("commitments", COMMITMENT_FIELDS)
    rows = []
    for r in commitments:
        values = {k: r.get(k) for k in ("slug", "title", "text", "due_phrase", "status_note")}
        values |= {
            "meeting_id": state.id(MEETING, r, "meeting"),
            "mechanism_id": state.id(MECHANISM, r, "mechanism"),
            "committed_by_country_id": state.id(COUNTRY, r, "committed_by"),
            "due": partial_date(r.get("due")),
            "status": CommitmentStatus(r["status"]),
            **recurrence(r.get("recurrence"), "recurrence"),
            **seed_time.recurrence_from(r.get("recurrence_from")),
            **seed_time.assessment(state, r.get("assessment"), r["slug"]),
        }
        rows.append(Row(values))
        state.cite(COMMITMENT, (r["slug"],), r)
    await state.store.put(COMMITMENT, rows)
    await state.store.put(COMMITMENT_FULFILLMENT, _fulfillments(state, commitments))
    await state.store.put(seed_time.FULFILLMENT_RULE, seed_time.rules(state, commitments))


async def _statements(state: SeedState) -> None:
    statements = state.records("statements", STATEMENT_FIELDS)
    rows = []
    for r in statements:
        if not isinstance(r.get("verbatim"), bool):
            raise SeedError(f"statements: {r.get('slug')!r} must say whether it is verbatim")
        names = ("slug", "text", "language", "speaker_as_reported", "date_phrase", "note")
        values = {k: r.get(k) for k in (*names, "attribution_note")}
        values |= {
            "verbatim": r["verbatim"],
            "attribution_doubtful": bool(r.get("attribution_doubtful", False)),
            "person_id": state.id(PERSON, r, "person"),
            "organization_id": state.id(ORGANIZATION, r, "organization"),
            "side_country_id": state.id(COUNTRY, r, "side"),
            "meeting_id": state.id(MEETING, r, "meeting"),
            "mechanism_id": state.id(MECHANISM, r, "mechanism"),
            "said": partial_date(r.get("said")),
            "source_id": state.source_id(r["source"]),
        }
        refs = {"translation_of_id": (r["translation_of"],)} if r.get("translation_of") else {}
        rows.append(Row(values, refs))
    await state.store.put(STATEMENT, rows)


def _fulfillments(state: SeedState, commitments: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for r in commitments:
        for entry in r.get("fulfilled_by", []):
            found = {"meeting": entry} if isinstance(entry, str) else entry
            fields(found, f"fulfilled_by of {r['slug']}", allowed("meeting note counts source"))
            values = {
                "commitment_id": state.store.id(COMMITMENT, r["slug"]),
                "meeting_id": state.id(MEETING, found, "meeting"),
                "note": found.get("note"),
                "counts": found.get("counts", True),
                "source_id": state.source_id(found["source"]) if found.get("source") else None,
            }
            rows.append(Row(values))
    return rows


def _agreed_at(state: SeedState) -> None:
    """Mechanisms and meetings refer to each other: set the link on mechanisms created now."""
    created = state.store.new.get(MECHANISM.name, {})
    for slug, meeting in state.agreed_at.items():
        mechanism = created.get((slug,))
        if mechanism is not None:
            mechanism.agreed_at_meeting_id = state.store.id(MEETING, meeting)  # type: ignore[attr-defined]


async def _names(state: SeedState) -> None:
    rows = [
        Row(
            {
                "text": name.text,
                "language": name.language,
                "origin": name.origin,
                "source_id": state.source_id(name.source) if name.source else None,
                f"{table.name}_id": state.store.id(table, slug),
            }
        )
        for table, slug, name in state.names
    ]
    session = state.store.session
    await state.store.put(LOCALIZED_NAME, rows, build=lambda v: add_name(session, **v))
    await _fill_in_provenance(state, rows)


async def _fill_in_provenance(state: SeedState, rows: list[Row]) -> None:
    """Give seed names recorded before provenance was kept (UNVERIFIED) the seed's origin.

    The one update the loader makes: it fills in what is unknown, never what an editor set.
    """
    groups: dict[tuple[NameOrigin, int | None], list[int]] = {}
    for row in rows:
        key = LOCALIZED_NAME.key(row.values)
        if state.store.read(LOCALIZED_NAME, key).get("origin") != NameOrigin.UNVERIFIED:
            continue  # inserted by this load, or its provenance is already known
        provenance = (row.values["origin"], row.values["source_id"])
        groups.setdefault(provenance, []).append(state.store.id(LOCALIZED_NAME, *key))
    for (origin, source_id), ids in groups.items():
        await state.store.session.execute(
            update(LocalizedName)
            .where(LocalizedName.id.in_(ids), LocalizedName.origin == NameOrigin.UNVERIFIED)
            .values(origin=origin, source_id=source_id)
            .execution_options(synchronize_session=False)
        )


async def _citations(state: SeedState) -> None:
    rows = []
    for source_key, table, key, value in state.citations:
        quote, verbatim, note = citation(value)
        values = {
            "source_id": state.source_id(source_key),
            f"{table.name}_id": state.store.id(table, *key),
            "quote": quote,
            "verbatim": verbatim,
            "note": note,
        }
        rows.append(Row(values))
    await state.store.put(CITATION, rows)
