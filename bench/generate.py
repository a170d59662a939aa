"""A deterministic data generator: mechanisms, meetings, participants, people, at three scales.

``generate`` is pure: the same scale, prefix and anchors (the ids the seed data already uses)
give the same rows, byte for byte. Two loaders write them: ``copy_rows`` (PostgreSQL COPY
through asyncpg, for the benchmark) and ``insert_rows`` (SQLAlchemy Core executemany, for the
tests, on SQLite and PostgreSQL alike).
"""

import dataclasses
import datetime as dt
import enum
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from api.db import Base
from api.models import Country, Topic
from api.models.enums import (
    MechanismKind,
    MechanismLevel,
    MechanismStatus,
    MeetingFormat,
    MeetingStatus,
    ParticipantRole,
    Stance,
)
from api.models.name import normalize_for_search
from api.partial_date import PartialDate

Rows = dict[str, list[dict[str, Any]]]
NextId = Callable[[str], int]

# Parents before children: the order rows are inserted in.
TABLES = (
    "person",
    "position",
    "mechanism",
    "localized_name",
    "mechanism_party",
    "meeting",
    "participation",
    "meeting_topic",
)


@dataclasses.dataclass(frozen=True)
class Scale:
    """How much to generate on top of the seed data."""

    name: str
    mechanisms: int
    meetings_per_mechanism: int
    participants_per_meeting: int
    people: int

    @property
    def meetings(self) -> int:
        return self.mechanisms * self.meetings_per_mechanism

    @property
    def participations(self) -> int:
        return self.meetings * self.participants_per_meeting


SCALES: Mapping[str, Scale] = {
    # the seed plus 500 meetings
    "S": Scale(
        "S", mechanisms=5, meetings_per_mechanism=100, participants_per_meeting=5, people=250
    ),
    # 50 mechanisms / 5,000 meetings / 25,000 participations
    "M": Scale(
        "M", mechanisms=50, meetings_per_mechanism=100, participants_per_meeting=5, people=2_500
    ),
    # 10 x M
    "L": Scale(
        "L", mechanisms=500, meetings_per_mechanism=100, participants_per_meeting=5, people=25_000
    ),
}

# Words the meeting titles are made of; SEARCH_WORD is in one title in five.
SUBJECTS = ("trade", "export controls", "investment", "semiconductors", "tourism")
SEARCH_WORD = "export"
PLACES = ("Washington", "Beijing", "Geneva", "Singapore")
GIVEN = ("Alex", "Bo", "Chen", "Dana", "Eli", "Fang", "Grace", "Hui", "Ivan", "Jing", "Kim", "Li")
FAMILY = ("Adams", "Bai", "Carter", "Deng", "Evans", "Feng", "Gao", "Hill", "Jiang", "Kerr")
FIRST_DAY = dt.date(2000, 1, 1)
DAYS_BETWEEN_MEETINGS = 50


@dataclasses.dataclass(frozen=True)
class Anchors:
    """What the generated rows point at: the next free id per table, two sides, the topics."""

    next_ids: Mapping[str, int]
    us_id: int
    cn_id: int
    topic_ids: Sequence[int]


def _partial(prefix: str, value: str | None) -> dict[str, Any]:
    if value is None:
        return {f"{prefix}_{part}": None for part in ("date", "precision", "earliest", "latest")}
    parsed = PartialDate.parse(value)
    return {
        f"{prefix}_date": parsed.text,
        f"{prefix}_precision": parsed.precision.value,
        f"{prefix}_earliest": parsed.earliest,
        f"{prefix}_latest": parsed.latest,
    }


def meeting_day(mechanism: int, meeting: int) -> dt.date:
    """The day meeting ``meeting`` of mechanism ``mechanism`` began (distinct per mechanism)."""
    return FIRST_DAY + dt.timedelta(
        days=meeting * DAYS_BETWEEN_MEETINGS + (mechanism * 7) % DAYS_BETWEEN_MEETINGS
    )


def mechanism_name(prefix: str, m: int) -> str:
    """Generated mechanisms sort by name after each other, in creation order."""
    return f"{prefix.capitalize()} dialogue {m:04}"


def mechanism_slug(prefix: str, m: int) -> str:
    return f"{prefix}-mechanism-{m:04}"


def generate(scale: Scale, anchors: Anchors, *, prefix: str = "bench") -> Rows:
    """Every generated row, per table, with explicit ids after those already used."""
    rng = random.Random(f"parley-bench:{prefix}:{scale.name}")  # noqa: S311  (not for secrets)
    ids = dict(anchors.next_ids)
    rows: Rows = {table: [] for table in TABLES}

    def next_id(table: str) -> int:
        value = ids[table]
        ids[table] = value + 1
        return value

    people = _people(scale, anchors, prefix, rows, next_id)
    for m in range(scale.mechanisms):
        mechanism_id = _mechanism(scale, anchors, prefix, m, rows=rows, next_id=next_id)
        for n in range(scale.meetings_per_mechanism):
            meeting_id = _meeting(
                anchors, prefix, m, n, mechanism_id=mechanism_id, rows=rows, next_id=next_id
            )
            chosen = rng.sample(people, scale.participants_per_meeting)
            for j, person_id in enumerate(chosen):
                rows["participation"].append(
                    {
                        "id": next_id("participation"),
                        "meeting_id": meeting_id,
                        "person_id": person_id,
                        "organization_id": None,
                        "name_as_reported": None,
                        "side_country_id": anchors.us_id if j % 2 == 0 else anchors.cn_id,
                        "role": ParticipantRole.HEAD_OF_DELEGATION
                        if j < 2
                        else ParticipantRole.PARTICIPANT,
                        "title_as_reported": f"Delegate {j + 1}",
                        "note": None,
                    }
                )
            rows["meeting_topic"].append(
                {
                    "id": next_id("meeting_topic"),
                    "meeting_id": meeting_id,
                    "topic_id": anchors.topic_ids[(m + n) % len(anchors.topic_ids)],
                    "raised_by_country_id": (anchors.us_id, anchors.cn_id, None)[n % 3],
                    "stance": list(Stance)[n % len(Stance)],
                    "note": None,
                }
            )
    return rows


def _name(owner: str, owner_id: int, text_: str, next_id: NextId) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": next_id("localized_name"),
        "text": text_,
        "normalized": normalize_for_search(text_),
        "language": "en",
        "person_id": None,
        "organization_id": None,
        "mechanism_id": None,
        "topic_id": None,
        "policy_measure_id": None,
    }
    row[owner] = owner_id
    return row


def _people(scale: Scale, anchors: Anchors, prefix: str, rows: Rows, next_id: NextId) -> list[int]:
    people = []
    for p in range(scale.people):
        person_id = next_id("person")
        people.append(person_id)
        name = f"{GIVEN[p % len(GIVEN)]} {FAMILY[p // len(GIVEN) % len(FAMILY)]} {p:05}"
        rows["person"].append(
            {
                "id": person_id,
                "slug": f"{prefix}-person-{p:05}",
                "name": name,
                "country_id": anchors.us_id if p % 2 == 0 else anchors.cn_id,
                "note": None,
            }
        )
        rows["localized_name"].append(_name("person_id", person_id, name, next_id))
        rows["position"].append(
            {
                "id": next_id("position"),
                "person_id": person_id,
                "organization_id": None,
                "title": f"Official {p % 7}",
                **_partial("start", f"{1995 + p % 5}"),
                **_partial("end", None),
                "note": None,
            }
        )
    return people


def _mechanism(
    scale: Scale, anchors: Anchors, prefix: str, m: int, *, rows: Rows, next_id: NextId
) -> int:
    mechanism_id = next_id("mechanism")
    name = mechanism_name(prefix, m)
    rows["mechanism"].append(
        {
            "id": mechanism_id,
            "slug": mechanism_slug(prefix, m),
            "name": name,
            "acronym": f"BD{m}",
            "kind": list(MechanismKind)[m % len(MechanismKind)],
            "level": list(MechanismLevel)[m % len(MechanismLevel)],
            "status": MechanismStatus.ACTIVE if m % 4 else MechanismStatus.DORMANT,
            **_partial("established", f"{1999 - m % 10}"),
            **_partial("ended", None),
            "cadence_text": None,
            "cadence_times": None,
            "cadence_period": None,
            "summary": f"A generated mechanism of the {scale.name} benchmark.",
            "predecessor_id": None,
            "parent_id": None,
            "agreed_at_meeting_id": None,
            "note": None,
        }
    )
    rows["localized_name"].append(_name("mechanism_id", mechanism_id, name, next_id))
    for country_id in (anchors.us_id, anchors.cn_id):
        rows["mechanism_party"].append(
            {
                "id": next_id("mechanism_party"),
                "mechanism_id": mechanism_id,
                "country_id": country_id,
                "lead_organization_id": None,
            }
        )
    return mechanism_id


def _meeting(
    anchors: Anchors,
    prefix: str,
    m: int,
    n: int,
    *,
    mechanism_id: int,
    rows: Rows,
    next_id: NextId,
) -> int:
    meeting_id = next_id("meeting")
    day = meeting_day(m, n)
    # One meeting in ten is known only to the month, as readouts often say.
    start = day.isoformat()[:7] if n % 10 == 9 else day.isoformat()
    place = PLACES[(m + n) % len(PLACES)]
    host = {"Washington": anchors.us_id, "Beijing": anchors.cn_id}.get(place)
    rows["meeting"].append(
        {
            "id": meeting_id,
            "slug": f"{prefix}-meeting-{m:04}-{n:03}",
            "mechanism_id": mechanism_id,
            "parent_id": None,
            "title": f"BD{m} meeting {n + 1} on {SUBJECTS[(m + n) % len(SUBJECTS)]}",
            "sequence_label": f"meeting {n + 1}",
            "format": list(MeetingFormat)[n % 3],
            "status": MeetingStatus.POSTPONED if n % 17 == 16 else MeetingStatus.HELD,
            **_partial("start", start),
            **_partial("end", None),
            "date_phrase": None,
            "place": place,
            "host_country_id": host,
            "summary": None,
            "note": None,
        }
    )
    return meeting_id


async def anchors(connection: AsyncConnection) -> Anchors:
    """The next free id of every generated table, the US and CN rows, the seed's topics."""
    next_ids = {}
    for name in TABLES:
        table = Base.metadata.tables[name]
        highest = (await connection.execute(select(func.max(table.c.id)))).scalar()
        next_ids[name] = (highest or 0) + 1
    found = await connection.execute(
        select(Country.code, Country.id).where(Country.code.in_(["US", "CN"]))
    )
    codes: dict[str, int] = {row.code: row.id for row in found}
    topic_ids = (await connection.execute(select(Topic.id).order_by(Topic.id))).scalars().all()
    if set(codes) != {"US", "CN"} or not topic_ids:
        raise RuntimeError("load the seed data first: the generator needs US, CN and topics")
    return Anchors(next_ids, us_id=codes["US"], cn_id=codes["CN"], topic_ids=list(topic_ids))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


async def insert_rows(connection: AsyncConnection, rows: Rows, *, batch: int = 5_000) -> None:
    """Insert with SQLAlchemy Core executemany (any database; the tests use it)."""
    for name in TABLES:
        table = Base.metadata.tables[name]
        for start in range(0, len(rows[name]), batch):
            await connection.execute(insert(table), rows[name][start : start + batch])


async def copy_rows(connection: Any, rows: Rows) -> None:
    """COPY every table's rows (an asyncpg connection), then move the id sequences past them."""
    for name in TABLES:
        if not rows[name]:
            continue
        columns = list(rows[name][0])
        records = [tuple(_plain(row[c]) for c in columns) for row in rows[name]]
        await connection.copy_records_to_table(name, records=records, columns=columns)
        # ``name`` is one of TABLES, never input.
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: S608
        )


async def analyze(connection: AsyncConnection) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    await connection.execute(text("ANALYZE"))
