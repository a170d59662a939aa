"""The five operation shapes, written for Parley's schema and for PostGraphile's, and the
normalizers that reduce both responses to the same plain values before anything is timed."""

import base64
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from bench.generate import SEARCH_WORD, mechanism_slug

Json = Any


@dataclasses.dataclass(frozen=True)
class Request:
    """One GraphQL request: the document and its variables."""

    query: str
    variables: dict[str, Any]

    def body(self) -> bytes:
        return json.dumps({"query": self.query, "variables": self.variables}).encode()


@dataclasses.dataclass(frozen=True)
class Cursor:
    """A cursor each server must hand out first: ``variable`` takes the cursor ``path`` finds
    in the answer to the same request with ``variable`` null (see ``bench.shapes.paged``)."""

    variable: str
    parley_path: Callable[[Any], str]
    postgraphile_path: Callable[[Any], str]


@dataclasses.dataclass(frozen=True)
class Operation:
    """One shape, for both servers; ``normalize_*`` map a response's data to comparable values."""

    name: str
    description: str
    depth: int  # nesting depth of lists/objects below the root field
    parley: Request
    postgraphile: Request | None
    normalize_parley: Callable[[Json], Json]
    normalize_postgraphile: Callable[[Json], Json]
    mutation: bool = False  # the requests are templates (see ``instantiate``)
    cached: bool = False  # Parley with its response cache on, the same request repeated
    cursor: Cursor | None = None  # resolved against both servers before anything is timed


@dataclasses.dataclass(frozen=True)
class Params:
    """Database ids the operations need (read from the benchmark database)."""

    meeting_id: int
    mechanism_id: int
    search_from: str = "2005-01"
    search_to: str = "2008-12"
    person_ids: tuple[int, ...] = ()  # four existing people for recordMeeting
    country_ids: dict[str, int] = dataclasses.field(default_factory=dict)  # US, CN
    run: str = "run"  # makes recorded slugs unique to one benchmark run


def parley_id(type_name: str, row_id: int) -> str:
    """Strawberry's Relay global id."""
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def postgraphile_id(type_name: str, row_id: int) -> str:
    """PostGraphile 5's node id: base64 of a JSON [type, primary key] list."""
    return base64.b64encode(
        json.dumps([type_name, row_id], separators=(",", ":")).encode()
    ).decode()


def _lower(value: str | None) -> str | None:
    return value.lower() if value is not None else None


def _edges(connection: Json) -> list[Json]:
    return [edge["node"] for edge in connection["edges"]]


# --- node by id ------------------------------------------------------------------------------

PARLEY_NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Meeting { title start status format place }
  }
}
"""

POSTGRAPHILE_NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Meeting { title startDate status format place }
  }
}
"""


def _node_parley(data: Json) -> Json:
    m = data["node"]
    return [m["title"], m["start"], _lower(m["status"]), _lower(m["format"]), m["place"]]


def _node_postgraphile(data: Json) -> Json:
    m = data["node"]
    return [m["title"], m["startDate"], m["status"], m["format"], m["place"]]


# --- tree: 20 mechanisms x 10 latest meetings x participations with person -------------------

PARLEY_TREE = """
query Tree($first: Int!) {
  mechanisms(first: $first) {
    edges { node {
      name
      meetings(first: 10) {
        edges { node {
          title
          start
          participations { role titleAsReported person { name } }
        } }
      }
    } }
  }
}
"""

POSTGRAPHILE_TREE = """
query Tree($first: Int!) {
  allMechanisms(first: $first, orderBy: [NAME_ASC, ROW_ID_ASC]) {
    edges { node {
      name
      meetingsByMechanismId(first: 10, orderBy: [START_EARLIEST_DESC, ROW_ID_ASC]) {
        edges { node {
          title
          startDate
          participationsByMeetingId(orderBy: [ROW_ID_ASC]) {
            nodes { role titleAsReported personByPersonId { name } }
          }
        } }
      }
    } }
  }
}
"""


def _tree_parley(data: Json) -> Json:
    return [
        [
            mechanism["name"],
            [
                [
                    meeting["title"],
                    meeting["start"],
                    [
                        [_lower(p["role"]), p["titleAsReported"], (p["person"] or {}).get("name")]
                        for p in meeting["participations"]
                    ],
                ]
                for meeting in _edges(mechanism["meetings"])
            ],
        ]
        for mechanism in _edges(data["mechanisms"])
    ]


def _tree_postgraphile(data: Json) -> Json:
    return [
        [
            mechanism["name"],
            [
                [
                    meeting["title"],
                    meeting["startDate"],
                    [
                        [p["role"], p["titleAsReported"], (p["personByPersonId"] or {}).get("name")]
                        for p in meeting["participationsByMeetingId"]["nodes"]
                    ],
                ]
                for meeting in _edges(mechanism["meetingsByMechanismId"])
            ],
        ]
        for mechanism in _edges(data["allMechanisms"])
    ]


# --- flat list: 50 meetings of one mechanism, by date ----------------------------------------

PARLEY_FLAT = """
query Flat($mechanism: ID!, $first: Int!) {
  meetings(first: $first, filter: { mechanismIds: [$mechanism] }, orderBy: [START_DATE_ASC]) {
    edges { node { title start status place } }
  }
}
"""

POSTGRAPHILE_FLAT = """
query Flat($mechanism: Int!, $first: Int!) {
  allMeetings(
    first: $first
    condition: { mechanismId: $mechanism }
    orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]
  ) {
    edges { node { title startDate status place } }
  }
}
"""


def _flat_parley(data: Json) -> Json:
    return [
        [m["title"], m["start"], _lower(m["status"]), m["place"]] for m in _edges(data["meetings"])
    ]


def _flat_postgraphile(data: Json) -> Json:
    return [
        [m["title"], m["startDate"], m["status"], m["place"]] for m in _edges(data["allMeetings"])
    ]


# --- filtered search with totalCount ----------------------------------------------------------

PARLEY_SEARCH = """
query Search($from: PartialDate!, $to: PartialDate!, $text: String!, $first: Int!) {
  meetings(
    first: $first
    filter: { dateFrom: $from, dateTo: $to, search: $text, statuses: [HELD] }
    orderBy: [START_DATE_DESC]
  ) {
    totalCount
    edges { node { title start mechanism { name } } }
  }
}
"""

# Parley's date filter keeps a meeting when any day it may have taken place lies in the range:
# coalesce(end_latest, start_latest) >= from AND start_earliest <= to.
POSTGRAPHILE_SEARCH = """
query Search($fromDay: Date!, $toDay: Date!, $text: String!, $first: Int!) {
  allMeetings(
    first: $first
    orderBy: [START_EARLIEST_DESC, ROW_ID_ASC]
    filter: {
      startEarliest: { lessThanOrEqualTo: $toDay }
      or: [
        { endLatest: { greaterThanOrEqualTo: $fromDay } }
        { endLatest: { isNull: true }, startLatest: { greaterThanOrEqualTo: $fromDay } }
      ]
      title: { includesInsensitive: $text }
      status: { equalTo: "held" }
    }
  ) {
    totalCount
    edges { node { title startDate mechanismByMechanismId { name } } }
  }
}
"""


def _search_parley(data: Json) -> Json:
    found = data["meetings"]
    return [
        found["totalCount"],
        [[m["title"], m["start"], (m["mechanism"] or {}).get("name")] for m in _edges(found)],
    ]


def _search_postgraphile(data: Json) -> Json:
    found = data["allMeetings"]
    return [
        found["totalCount"],
        [
            [m["title"], m["startDate"], (m["mechanismByMechanismId"] or {}).get("name")]
            for m in _edges(found)
        ],
    ]


# --- ranked full-text search with snippets (Parley only) ------------------------------------
#
# PostGraphile has no ranked full-text search over every kind of record, so this row times
# Parley alone: rank every document matching the word, cut a page of 20, mark each snippet.

PARLEY_RANKED_SEARCH = """
query Ranked($text: String!, $first: Int!, $types: [SearchableType!]) {
  search(query: $text, first: $first, types: $types) {
    totalCount
    edges { node { score snippet record { id ... on Meeting { title start } } } }
  }
}
"""


def _ranked_parley(data: Json) -> Json:
    found = data["search"]
    hits = _edges(found)
    marked = sum("<mark>" in hit["snippet"] for hit in hits)
    scores = [hit["score"] for hit in hits]
    return [found["totalCount"], len(hits), marked, scores == sorted(scores, reverse=True)]


def _unused(data: Json) -> Json:
    raise AssertionError("PostGraphile has no equivalent")


# --- recordMeeting with 4 participants --------------------------------------------------------
#
# A fresh input per request: the load generator replaces ``__N__`` (in strings) with a counter
# and ``"__ROWID__"`` (a JSON string, quotes included) with ``rowid_base + counter``; see
# ``instantiate`` and bench/wrk.lua. Both sides write one meeting (ad hoc: no mechanism, so the
# read operations' results do not move) and four participations of existing people.
#
# Parley: one ``recordMeeting`` (one transaction; it also validates, writes an audit entry and
# bumps the data version). PostGraphile 5 (amber) has no nested inserts, so its equivalent is
# one request of five root mutation fields run in order: ``createMeeting`` with a client-chosen
# ``rowId`` (from a block of ``meeting_id_seq`` the benchmark reserves, so the participations can
# name it in the same request) and four ``createParticipation``.

N = "__N__"
ROWID = "__ROWID__"
RECORD_START = "2025-06-01"

PARLEY_RECORD = """
mutation Record($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    meeting { title start participations { role titleAsReported person { name } } }
    userErrors { field code message }
  }
}
"""

_PG_PARTICIPATION = """
  p{k}: createParticipation(input: {{ participation: $p{k} }}) {{
    participation {{ role titleAsReported personByPersonId {{ name }} }}
  }}"""

POSTGRAPHILE_RECORD = (
    "mutation Record($meeting: MeetingInput!, "
    + ", ".join(f"$p{k}: ParticipationInput!" for k in range(4))
    + ") {\n  createMeeting(input: { meeting: $meeting }) { meeting { title startDate } }"
    + "".join(_PG_PARTICIPATION.format(k=k) for k in range(4))
    + "\n}\n"
)

_ROLES = ("HEAD_OF_DELEGATION", "HEAD_OF_DELEGATION", "PARTICIPANT", "PARTICIPANT")
_SIDES = ("US", "CN", "US", "CN")


def record_title(n: int | str) -> str:
    return f"Benchmark meeting {n}"


def parley_record_variables(params: Params, run: str) -> dict[str, Any]:
    """recordMeeting's input, with ``__N__`` where the counter goes."""
    return {
        "input": {
            "slug": f"bench-{run}-p-{N}",
            "title": record_title(N),
            "start": RECORD_START,
            "format": "IN_PERSON",
            "status": "HELD",
            "participants": [
                {
                    "personId": parley_id("Person", person),
                    "side": _SIDES[k],
                    "role": _ROLES[k],
                    "title": f"Delegate {k}",
                }
                for k, person in enumerate(params.person_ids)
            ],
        }
    }


def postgraphile_record_variables(params: Params, run: str) -> dict[str, Any]:
    """The same meeting and participations as PostGraphile's inputs (its columns, raw values)."""
    variables: dict[str, Any] = {
        "meeting": {
            "rowId": ROWID,
            "slug": f"bench-{run}-g-{N}",
            "title": record_title(N),
            "format": "in_person",
            "status": "held",
            "startDate": RECORD_START,
            "startPrecision": "day",
            "startEarliest": RECORD_START,
            "startLatest": RECORD_START,
        }
    }
    for k, person in enumerate(params.person_ids):
        variables[f"p{k}"] = {
            "meetingId": ROWID,
            "personId": person,
            "sideCountryId": params.country_ids[_SIDES[k]],
            "role": _ROLES[k].lower(),
            "titleAsReported": f"Delegate {k}",
        }
    return variables


def instantiate(template: bytes, n: int, rowid_base: int = 0) -> bytes:
    """One request body from a mutation template (what bench/wrk.lua does per request)."""
    return template.replace(f'"{ROWID}"'.encode(), str(rowid_base + n).encode()).replace(
        N.encode(), str(n).encode()
    )


def _record_parley(data: Json) -> Json:
    recorded = data["recordMeeting"]
    if recorded["userErrors"] or recorded["meeting"] is None:
        return {"userErrors": recorded["userErrors"]}
    m = recorded["meeting"]
    people = sorted(
        [_lower(p["role"]), p["titleAsReported"], (p["person"] or {}).get("name")]
        for p in m["participations"]
    )
    return [m["title"], m["start"], people]


def _record_postgraphile(data: Json) -> Json:
    m = data["createMeeting"]["meeting"]
    people = sorted(
        [p["role"], p["titleAsReported"], (p["personByPersonId"] or {}).get("name")]
        for p in (data[f"p{k}"]["participation"] for k in range(4))
    )
    return [m["title"], m["startDate"], people]


def cached(op: Operation) -> Operation:
    """The same read, timed against Parley with its response cache on (a repeated request)."""
    return dataclasses.replace(
        op,
        name=f"{op.name} (cached)",
        description=f"{op.description}; repeated, Parley's response cache on",
        cached=True,
    )


def operations(params: Params) -> list[Operation]:
    """Every operation, with its variables for both servers (cached reads after the others,
    the mutation last: it bumps the data version every cached read depends on)."""
    dates = {
        "from": params.search_from,
        "to": params.search_to,
        "text": SEARCH_WORD,
        "first": 20,
    }
    reads = [
        Operation(
            "node",
            "a meeting by global id",
            1,
            Request(PARLEY_NODE, {"id": parley_id("Meeting", params.meeting_id)}),
            Request(POSTGRAPHILE_NODE, {"id": postgraphile_id("Meeting", params.meeting_id)}),
            _node_parley,
            _node_postgraphile,
        ),
        Operation(
            "tree",
            "20 mechanisms x 10 latest meetings x participations with person",
            4,
            Request(PARLEY_TREE, {"first": 20}),
            Request(POSTGRAPHILE_TREE, {"first": 20}),
            _tree_parley,
            _tree_postgraphile,
        ),
        Operation(
            "flat",
            "50 meetings of one mechanism, by date",
            1,
            Request(
                PARLEY_FLAT,
                {"mechanism": parley_id("Mechanism", params.mechanism_id), "first": 50},
            ),
            Request(POSTGRAPHILE_FLAT, {"mechanism": params.mechanism_id, "first": 50}),
            _flat_parley,
            _flat_postgraphile,
        ),
        Operation(
            "search",
            f"held meetings {params.search_from}..{params.search_to} titled *{SEARCH_WORD}*, "
            "20 + totalCount",
            2,
            Request(PARLEY_SEARCH, dates),
            Request(
                POSTGRAPHILE_SEARCH,
                {
                    "fromDay": f"{params.search_from}-01",
                    "toDay": f"{params.search_to}-31",
                    "text": SEARCH_WORD,
                    "first": 20,
                },
            ),
            _search_parley,
            _search_postgraphile,
        ),
    ]
    ranked = Operation(
        "ranked search",
        f"search for {SEARCH_WORD!r} over every kind of record: the best 20 with score and "
        "snippet, + totalCount (Parley only: PostGraphile has no equivalent)",
        3,
        Request(PARLEY_RANKED_SEARCH, {"text": SEARCH_WORD, "first": 20}),
        None,
        _ranked_parley,
        _unused,
    )
    from bench import shapes  # noqa: PLC0415  (it builds on this module's types)

    reads += shapes.more_reads(params, FLAT_MECHANISM_SLUG)
    return [
        *reads,
        ranked,
        *(cached(op) for op in reads if op.name in CACHED_READS),
        Operation(
            "recordMeeting",
            "record a meeting with 4 participants (a fresh input per request)",
            2,
            Request(PARLEY_RECORD, parley_record_variables(params, params.run)),
            Request(POSTGRAPHILE_RECORD, postgraphile_record_variables(params, params.run)),
            _record_parley,
            _record_postgraphile,
            mutation=True,
        ),
    ]


CACHED_READS = ("node", "flat")
NODE_MEETING_SLUG = "bench-meeting-0000-050"
FLAT_MECHANISM_SLUG = mechanism_slug("bench", 1)
