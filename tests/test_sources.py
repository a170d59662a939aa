"""Sources a reader can follow; citations that say whether they quote; measures linked."""

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Citation, Source
from api.models.enums import SourceKind
from api.services.addresses import address_problem
from api.services.seed import read_documents
from tests.graphql import data, nodes

SEED = read_documents()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "https://example.org/",
        "https://example.org/#2023-08-31",
        "https://mondaq.com/…/1363856",
        "https://mondaq.com/.../1363856",
        "https://mondaq.com/%E2%80%A6/1363856",
        "ftp://example.org/a",
    ],
)
def test_a_bare_site_or_a_cut_address_is_no_address(url: str) -> None:
    assert address_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.scmp.com/article/3221879",
        "https://example.org/?p=204206",
        "https://zh.hk01.com/即时国际/1007245/中美商贸问题工作组首次开会",
    ],
)
def test_a_document_address_is_one(url: str) -> None:
    assert address_problem(url) is None


async def test_no_source_is_a_bare_site_or_an_address_cut_short(session: AsyncSession) -> None:
    # every source in the database: the seed's and any a test before this one left
    urls = [url for url in await session.scalars(select(Source.url)) if url is not None]

    assert urls
    assert {url: address_problem(url) for url in urls if address_problem(url)} == {}


async def test_every_source_has_an_address_or_a_bibliographic_citation(
    session: AsyncSession,
) -> None:
    without = list(await session.scalars(select(Source).where(Source.url.is_(None))))

    assert without  # the seed cites sources not found again by title
    assert [s.id for s in without if not (s.title and s.publisher)] == []


def test_every_mirror_that_names_its_original_points_at_it() -> None:
    by_key = {record["key"]: record for record in SEED["sources"]}
    for record in SEED["sources"]:
        if record["kind"] != "secondary_mirror":
            continue
        if record.get("original"):
            assert by_key[record["original"]]["kind"] != "secondary_mirror"
        else:
            # the repost does not name its original: it must say so
            assert "not quote" in record["note"], record["key"]
    # and every original known only through a repost is pointed at by one
    originals = {r["original"] for r in SEED["sources"] if r.get("original")}
    through_reposts = {r["key"] for r in SEED["sources"] if "repost" in (r.get("note") or "")}
    assert {k for k in through_reposts if by_key[k]["kind"] != "secondary_mirror"} <= originals


async def test_every_seed_citation_says_whether_it_is_verbatim(session: AsyncSession) -> None:
    rows = (await session.execute(select(Citation.quote, Citation.verbatim))).all()

    assert rows
    assert [row for row in rows if row.verbatim is None and row.quote is not None] == []
    assert all(row.quote for row in rows if row.verbatim)


SEED_REPORT = """
{
  source(url: "https://svlook.com/us-and-china-to-begin-dialogue-on-export-controls") {
    kind publisher original { id } title
    citations { quote verbatim record { __typename ... on Meeting { slug }
                                                   ... on PolicyMeasure { slug } } }
  }
  statements(filter: { speaker: "Raimondo" }) { nodes { text source { title } } }
  meeting(slug: "2023-08-28-raimondo-us-business-leaders-beijing") {
    start datePhrase place parent { slug }
  }
  measure(slug: "us-eo-14105-outbound-investment") {
    effective effectivePhrase
    discussions { meeting { slug } note }
    topics { slug }
  }
}
"""


async def test_the_seed_report_is_a_source_and_the_facts_only_it_gives_cite_it(
    client: httpx.AsyncClient,
) -> None:
    result = await data(client, SEED_REPORT)

    report = result["source"]
    assert report["kind"] == SourceKind.SECONDARY_MIRROR.name
    assert report["publisher"] is None
    assert report["original"] is None
    cited = {
        (c["record"]["__typename"], c["record"].get("slug"), c["verbatim"])
        for c in report["citations"]
    }
    assert ("Meeting", "2023-08-28-raimondo-us-business-leaders-beijing", True) in cited
    assert ("PolicyMeasure", "us-eo-14105-outbound-investment", True) in cited
    gathering = result["meeting"]
    assert gathering == {
        "start": "2023-08-28",
        "datePhrase": "Monday night",
        "place": "Beijing",
        "parent": {"slug": "2023-08-raimondo-visit-to-china"},
    }
    measure = result["measure"]
    assert (measure["effective"], measure["effectivePhrase"]) == ("2024", "next year")


async def test_eo_14105_is_linked_to_the_meetings_where_sources_link_it(
    client: httpx.AsyncClient,
) -> None:
    measure = (await data(client, SEED_REPORT))["measure"]
    assert {d["meeting"]["slug"] for d in measure["discussions"]} == {
        "2023-08-28-raimondo-wang-wentao-beijing",
        "2023-11-16-raimondo-wang-wentao-san-francisco",
    }
    assert all(d["note"] for d in measure["discussions"])
    assert "investment-restrictions" in {t["slug"] for t in measure["topics"]}


async def test_sources_list_shows_addresses_and_bibliographic_citations(
    client: httpx.AsyncClient,
) -> None:
    query = """{ sources(first: 100) { totalCount nodes { address title publisher asCitedIn } } }"""
    result = await data(client, query)
    listed = result["sources"]["nodes"]
    assert len(listed) == result["sources"]["totalCount"]
    assert any(s["address"] is None and s["title"] for s in listed)
    assert any(s["asCitedIn"] for s in listed)
    edges = nodes({"edges": [{"node": s} for s in listed]})
    assert all(s["address"] or (s["title"] and s["publisher"]) for s in edges)
