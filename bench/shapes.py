"""Eight more read shapes, beyond the first five: together they touch every root list, every
relation kind (to-one, to-many, many-to-many through a link table, nested connections), cursors
both ways, counts alone and filters. Written for both servers, normalized to the same values.

Where Parley and PostGraphile order a list differently and the whole list is returned (a
person's participations by meeting date, which PostGraphile's amber preset cannot sort by),
the normalizers sort it; no shape is tuned to the benchmark: they are answered by the general
compiled path.
"""

from collections.abc import Callable
from typing import Any

from bench.operations import Cursor, Json, Operation, Params, Request, _lower, parley_id

PERSON_SLUG = "bench-person-00001"


def _nodes(connection: Json) -> list[Json]:
    return list(connection["nodes"])


def _code(country: Json | None) -> str | None:
    return None if country is None else country["code"]


# --- a person, their positions and 20 participations with the meeting ------------------------

PARLEY_PERSON = """
query Person($slug: String!) {
  person(slug: $slug) {
    name
    country { code }
    positions { title start }
    participations(first: 20) {
      edges { node { role titleAsReported side { code } meeting { title start place } } }
    }
  }
}
"""

POSTGRAPHILE_PERSON = """
query Person($slug: String!) {
  personBySlug(slug: $slug) {
    name
    countryByCountryId { code }
    positionsByPersonId(orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]) { nodes { title startDate } }
    participationsByPersonId(first: 20, orderBy: [ROW_ID_ASC]) {
      nodes {
        role titleAsReported countryBySideCountryId { code }
        meetingByMeetingId { title startDate place }
      }
    }
  }
}
"""


def _person_parley(data: Json) -> Json:
    p = data["person"]
    taken = [
        [
            _lower(n["role"]),
            n["titleAsReported"],
            _code(n["side"]),
            [n["meeting"]["title"], n["meeting"]["start"], n["meeting"]["place"]],
        ]
        for n in (edge["node"] for edge in p["participations"]["edges"])
    ]
    positions = [[x["title"], x["start"]] for x in p["positions"]]
    return [p["name"], _code(p["country"]), positions, sorted(taken, key=repr)]


def _person_postgraphile(data: Json) -> Json:
    p = data["personBySlug"]
    taken = [
        [
            n["role"],
            n["titleAsReported"],
            _code(n["countryBySideCountryId"]),
            [
                n["meetingByMeetingId"]["title"],
                n["meetingByMeetingId"]["startDate"],
                n["meetingByMeetingId"]["place"],
            ],
        ]
        for n in _nodes(p["participationsByPersonId"])
    ]
    positions = [[x["title"], x["startDate"]] for x in _nodes(p["positionsByPersonId"])]
    return [p["name"], _code(p["countryByCountryId"]), positions, sorted(taken, key=repr)]


# --- a mechanism's 10 latest meetings and the topics raised at each ---------------------------

PARLEY_TOPICS = """
query Topics($slug: String!) {
  mechanism(slug: $slug) {
    name
    meetings(first: 10) {
      edges { node { title topicsRaised { stance topic { name } raisedBy { code } } } }
    }
  }
}
"""

POSTGRAPHILE_TOPICS = """
query Topics($slug: String!) {
  mechanismBySlug(slug: $slug) {
    name
    meetingsByMechanismId(first: 10, orderBy: [START_EARLIEST_DESC, ROW_ID_ASC]) {
      nodes {
        title
        meetingTopicsByMeetingId(orderBy: [ROW_ID_ASC]) {
          nodes { stance topicByTopicId { name } countryByRaisedByCountryId { code } }
        }
      }
    }
  }
}
"""


def _topics_parley(data: Json) -> Json:
    m = data["mechanism"]
    return [
        m["name"],
        [
            [
                meeting["title"],
                [
                    [_lower(t["stance"]), t["topic"]["name"], _code(t["raisedBy"])]
                    for t in meeting["topicsRaised"]
                ],
            ]
            for meeting in (edge["node"] for edge in m["meetings"]["edges"])
        ],
    ]


def _topics_postgraphile(data: Json) -> Json:
    m = data["mechanismBySlug"]
    return [
        m["name"],
        [
            [
                meeting["title"],
                [
                    [
                        t["stance"],
                        t["topicByTopicId"]["name"],
                        _code(t["countryByRaisedByCountryId"]),
                    ]
                    for t in _nodes(meeting["meetingTopicsByMeetingId"])
                ],
            ]
            for meeting in _nodes(m["meetingsByMechanismId"])
        ],
    ]


# --- five levels: meetings -> participations -> person -> positions -> organization ----------

PARLEY_DEEP = """
query Deep($mechanism: ID!) {
  meetings(first: 20, filter: { mechanismIds: [$mechanism] }, orderBy: [START_DATE_ASC]) {
    nodes {
      title
      participations {
        role side { code }
        person { name positions { title organization { name } } }
      }
    }
  }
}
"""

POSTGRAPHILE_DEEP = """
query Deep($mechanism: Int!) {
  allMeetings(first: 20, condition: { mechanismId: $mechanism },
              orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]) {
    nodes {
      title
      participationsByMeetingId(orderBy: [ROW_ID_ASC]) {
        nodes {
          role countryBySideCountryId { code }
          personByPersonId {
            name
            positionsByPersonId(orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]) {
              nodes { title organizationByOrganizationId { name } }
            }
          }
        }
      }
    }
  }
}
"""


def _organization_name(organization: Json | None) -> str | None:
    return None if organization is None else organization["name"]


def _deep_parley(data: Json) -> Json:
    return [
        [
            meeting["title"],
            [
                [
                    _lower(p["role"]),
                    _code(p["side"]),
                    None
                    if p["person"] is None
                    else [
                        p["person"]["name"],
                        [
                            [x["title"], _organization_name(x["organization"])]
                            for x in p["person"]["positions"]
                        ],
                    ],
                ]
                for p in meeting["participations"]
            ],
        ]
        for meeting in _nodes(data["meetings"])
    ]


def _deep_postgraphile(data: Json) -> Json:
    return [
        [
            meeting["title"],
            [
                [
                    p["role"],
                    _code(p["countryBySideCountryId"]),
                    None
                    if p["personByPersonId"] is None
                    else [
                        p["personByPersonId"]["name"],
                        [
                            [x["title"], _organization_name(x["organizationByOrganizationId"])]
                            for x in _nodes(p["personByPersonId"]["positionsByPersonId"])
                        ],
                    ],
                ]
                for p in _nodes(meeting["participationsByMeetingId"])
            ],
        ]
        for meeting in _nodes(data["allMeetings"])
    ]


# --- counts alone: a mechanism's meetings, and the people of one country ---------------------

PARLEY_COUNT = """
query Count($mechanism: ID!) {
  meetings(first: 0, filter: { mechanismIds: [$mechanism] }) { totalCount }
  people(first: 0, filter: { countries: ["CN"] }) { totalCount }
}
"""

POSTGRAPHILE_COUNT = """
query Count($mechanism: Int!, $country: Int!) {
  allMeetings(first: 0, condition: { mechanismId: $mechanism }) { totalCount }
  allPeople(first: 0, condition: { countryId: $country }) { totalCount }
}
"""


def _count_parley(data: Json) -> Json:
    return [data["meetings"]["totalCount"], data["people"]["totalCount"]]


def _count_postgraphile(data: Json) -> Json:
    return [data["allMeetings"]["totalCount"], data["allPeople"]["totalCount"]]


# --- the second page of meetings hosted by China, after a cursor ------------------------------

PARLEY_AFTER = """
query After($after: String) {
  meetings(first: 20, after: $after, filter: { hostCountries: ["CN"] },
           orderBy: [START_DATE_ASC]) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { title start hostCountry { code } } }
  }
}
"""

POSTGRAPHILE_AFTER = """
query After($after: Cursor, $country: Int!) {
  allMeetings(first: 20, after: $after, condition: { hostCountryId: $country },
              orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { title startDate countryByHostCountryId { code } } }
  }
}
"""


def _after_parley(data: Json) -> Json:
    found = data["meetings"]
    return [
        found["pageInfo"]["hasNextPage"],
        [[m["title"], m["start"], _code(m["hostCountry"])] for m in _edges(found)],
    ]


def _after_postgraphile(data: Json) -> Json:
    found = data["allMeetings"]
    return [
        found["pageInfo"]["hasNextPage"],
        [[m["title"], m["startDate"], _code(m["countryByHostCountryId"])] for m in _edges(found)],
    ]


def _edges(connection: Json) -> list[Json]:
    return [edge["node"] for edge in connection["edges"]]


# --- 20 meetings before a cursor (``last``/``before``) ----------------------------------------

PARLEY_BEFORE = """
query Before($mechanism: ID!, $before: String, $last: Int, $first: Int) {
  meetings(first: $first, last: $last, before: $before, filter: { mechanismIds: [$mechanism] },
           orderBy: [START_DATE_ASC]) {
    pageInfo { hasPreviousPage endCursor }
    nodes { title start status }
  }
}
"""

POSTGRAPHILE_BEFORE = """
query Before($mechanism: Int!, $before: Cursor, $last: Int, $first: Int) {
  allMeetings(first: $first, last: $last, before: $before, condition: { mechanismId: $mechanism },
              orderBy: [START_EARLIEST_ASC, ROW_ID_ASC]) {
    pageInfo { hasPreviousPage endCursor }
    nodes { title startDate status }
  }
}
"""


def _before_parley(data: Json) -> Json:
    found = data["meetings"]
    return [
        found["pageInfo"]["hasPreviousPage"],
        [[m["title"], m["start"], _lower(m["status"])] for m in _nodes(found)],
    ]


def _before_postgraphile(data: Json) -> Json:
    found = data["allMeetings"]
    return [
        found["pageInfo"]["hasPreviousPage"],
        [[m["title"], m["startDate"], m["status"]] for m in _nodes(found)],
    ]


# --- the catalogue: topics, organizations, sources and countries in one operation ------------

PARLEY_CATALOG = """
{
  topics(first: 20) { nodes { name subtopics { name } } }
  organizations(first: 20) { nodes { name acronym country { code } parent { name } } }
  sources(first: 100) { nodes { address kind original { address } } }
  countries { nodes { code name } }
}
"""

POSTGRAPHILE_CATALOG = """
{
  allTopics(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC]) {
    nodes { name topicsByParentId(orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { name } } }
  }
  allOrganizations(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC]) {
    nodes { name acronym countryByCountryId { code } organizationByParentId { name } }
  }
  allSources(first: 100, orderBy: [ROW_ID_ASC]) {
    nodes { url kind sourceByOriginalId { url } }
  }
  allCountries(orderBy: [CODE_ASC, ROW_ID_ASC]) { nodes { code name } }
}
"""


def _url(source: Json | None, key: str = "url") -> str | None:
    return None if source is None else source[key]


def _catalog_parley(data: Json) -> Json:
    return [
        [[t["name"], [s["name"] for s in t["subtopics"]]] for t in _nodes(data["topics"])],
        [
            [o["name"], o["acronym"], _code(o["country"]), _organization_name(o["parent"])]
            for o in _nodes(data["organizations"])
        ],
        sorted(
            (
                [s["address"], _lower(s["kind"]), _url(s["original"], "address")]
                for s in _nodes(data["sources"])
            ),
            key=repr,
        ),
        [[c["code"], c["name"]] for c in _nodes(data["countries"])],
    ]


def _catalog_postgraphile(data: Json) -> Json:
    return [
        [
            [t["name"], [s["name"] for s in _nodes(t["topicsByParentId"])]]
            for t in _nodes(data["allTopics"])
        ],
        [
            [
                o["name"],
                o["acronym"],
                _code(o["countryByCountryId"]),
                _organization_name(o["organizationByParentId"]),
            ]
            for o in _nodes(data["allOrganizations"])
        ],
        sorted(
            (
                [s["url"], s["kind"], _url(s["sourceByOriginalId"])]
                for s in _nodes(data["allSources"])
            ),
            key=repr,
        ),
        [[c["code"], c["name"]] for c in _nodes(data["allCountries"])],
    ]


# --- commitments with what fulfilled them; measures with their topics (link tables) ----------

PARLEY_RECORDS = """
{
  commitments(first: 100) {
    nodes { title due status mechanism { name } meeting { title }
            fulfillments { note meeting { title } } }
  }
  measures(first: 100) { nodes { name instrument country { code } topics { name } } }
}
"""

POSTGRAPHILE_RECORDS = """
{
  allCommitments(first: 100, orderBy: [ROW_ID_ASC]) {
    nodes {
      title dueDate status mechanismByMechanismId { name } meetingByMeetingId { title }
      commitmentFulfillmentsByCommitmentId(orderBy: [ROW_ID_ASC]) {
        nodes { note meetingByMeetingId { title } }
      }
    }
  }
  allPolicyMeasures(first: 100, orderBy: [ROW_ID_ASC]) {
    nodes {
      name instrument countryByCountryId { code }
      policyMeasureTopicsByPolicyMeasureId(orderBy: [ROW_ID_ASC]) {
        nodes { topicByTopicId { name } }
      }
    }
  }
}
"""


def _title(record: Json | None) -> str | None:
    return None if record is None else record["title"]


def _name(record: Json | None) -> str | None:
    return None if record is None else record["name"]


def _records_parley(data: Json) -> Json:
    commitments = [
        [
            c["title"],
            c["due"],
            _lower(c["status"]),
            _name(c["mechanism"]),
            _title(c["meeting"]),
            [[f["note"], _title(f["meeting"])] for f in c["fulfillments"]],
        ]
        for c in _nodes(data["commitments"])
    ]
    measures = [
        [m["name"], m["instrument"], _code(m["country"]), [t["name"] for t in m["topics"]]]
        for m in _nodes(data["measures"])
    ]
    return [sorted(commitments, key=repr), sorted(measures, key=repr)]


def _records_postgraphile(data: Json) -> Json:
    commitments = [
        [
            c["title"],
            c["dueDate"],
            c["status"],
            _name(c["mechanismByMechanismId"]),
            _title(c["meetingByMeetingId"]),
            [
                [f["note"], _title(f["meetingByMeetingId"])]
                for f in _nodes(c["commitmentFulfillmentsByCommitmentId"])
            ],
        ]
        for c in _nodes(data["allCommitments"])
    ]
    measures = [
        [
            m["name"],
            m["instrument"],
            _code(m["countryByCountryId"]),
            [
                t["topicByTopicId"]["name"]
                for t in _nodes(m["policyMeasureTopicsByPolicyMeasureId"])
            ],
        ]
        for m in _nodes(data["allPolicyMeasures"])
    ]
    return [sorted(commitments, key=repr), sorted(measures, key=repr)]


def _end_cursor(root: str) -> Callable[[Json], str]:
    def path(data: Json) -> str:
        cursor: str = data[root]["pageInfo"]["endCursor"]
        return cursor

    return path


def more_reads(params: Params, mechanism_slug: str) -> list[Operation]:
    """The eight shapes with their variables (and the cursor a paged one must fetch first)."""
    mechanism = parley_id("Mechanism", params.mechanism_id)
    cn = params.country_ids.get("CN", 0)

    def op(  # noqa: PLR0917  (a table of shapes reads best positionally)
        name: str,
        description: str,
        depth: int,
        requests: tuple[Request, Request],
        normalizers: tuple[Callable[[Json], Json], Callable[[Json], Json]],
        cursor: Cursor | None = None,
    ) -> Operation:
        return Operation(name, description, depth, *requests, *normalizers, cursor=cursor)

    return [
        op(
            "person",
            "a person, positions, 20 participations with their meetings",
            3,
            (
                Request(PARLEY_PERSON, {"slug": PERSON_SLUG}),
                Request(POSTGRAPHILE_PERSON, {"slug": PERSON_SLUG}),
            ),
            (_person_parley, _person_postgraphile),
        ),
        op(
            "topics",
            "a mechanism's 10 latest meetings, topics raised with topic and side",
            4,
            (
                Request(PARLEY_TOPICS, {"slug": mechanism_slug}),
                Request(POSTGRAPHILE_TOPICS, {"slug": mechanism_slug}),
            ),
            (_topics_parley, _topics_postgraphile),
        ),
        op(
            "deep",
            "20 meetings > participations > person > positions > organization",
            5,
            (
                Request(PARLEY_DEEP, {"mechanism": mechanism}),
                Request(POSTGRAPHILE_DEEP, {"mechanism": params.mechanism_id}),
            ),
            (_deep_parley, _deep_postgraphile),
        ),
        op(
            "count",
            "two totalCounts alone (a mechanism's meetings, China's people)",
            1,
            (
                Request(PARLEY_COUNT, {"mechanism": mechanism}),
                Request(POSTGRAPHILE_COUNT, {"mechanism": params.mechanism_id, "country": cn}),
            ),
            (_count_parley, _count_postgraphile),
        ),
        op(
            "after",
            "page 2 of meetings hosted by China, by date, after a cursor",
            2,
            (
                Request(PARLEY_AFTER, {"after": None}),
                Request(POSTGRAPHILE_AFTER, {"after": None, "country": cn}),
            ),
            (_after_parley, _after_postgraphile),
            Cursor("after", _end_cursor("meetings"), _end_cursor("allMeetings")),
        ),
        op(
            "before",
            "the 20 meetings of a mechanism before its 50th, by date (last/before)",
            1,
            (
                Request(PARLEY_BEFORE, {"mechanism": mechanism, "first": 50}),
                Request(POSTGRAPHILE_BEFORE, {"mechanism": params.mechanism_id, "first": 50}),
            ),
            (_before_parley, _before_postgraphile),
            Cursor("before", _end_cursor("meetings"), _end_cursor("allMeetings")),
        ),
        op(
            "catalog",
            "topics, organizations, sources and countries in one operation",
            2,
            (Request(PARLEY_CATALOG, {}), Request(POSTGRAPHILE_CATALOG, {})),
            (_catalog_parley, _catalog_postgraphile),
        ),
        op(
            "records",
            "commitments with fulfilments, measures with topics (link tables)",
            3,
            (Request(PARLEY_RECORDS, {}), Request(POSTGRAPHILE_RECORDS, {})),
            (_records_parley, _records_postgraphile),
        ),
    ]


def paged(request: Request, cursor: Cursor, value: str) -> Request:
    """The request of the page the cursor names (``before`` pages read the 20 before it)."""
    variables: dict[str, Any] = {**request.variables, cursor.variable: value}
    if cursor.variable == "before":
        variables = {**variables, "first": None, "last": 20}
    return Request(request.query, variables)
