"""Every seed name and position title carries a source or says it is an editor's."""

from collections.abc import Iterator

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.models import Citation, LocalizedName, Position
from api.models.enums import NameOrigin
from api.services import seed
from tests.graphql import data


def _positions_yaml() -> Iterator[dict[str, object]]:
    for person in seed.read_documents()["people"]:
        yield from person.get("positions", [])


async def test_every_seed_name_says_where_it_comes_from(session: AsyncSession) -> None:
    names = (await session.scalars(select(LocalizedName))).all()

    assert names
    assert {n.origin for n in names} >= {NameOrigin.RECORD, NameOrigin.SOURCE, NameOrigin.EDITOR}
    assert not [n.text for n in names if n.origin is NameOrigin.UNVERIFIED]
    assert all((n.origin is NameOrigin.SOURCE) == (n.source_id is not None) for n in names)


async def test_every_seed_position_is_cited_or_marked(session: AsyncSession) -> None:
    cited = select(Citation.id).where(Citation.position_id == Position.id).exists()
    uncited = (await session.scalars(select(Position.title).where(~cited))).all()
    positions = (await session.scalars(select(Position))).all()

    assert uncited == []
    for position in positions:
        assert "from the public record" not in (position.note or "")
    for position_yaml in _positions_yaml():
        note = str(position_yaml.get("note") or "")
        # a title no source states is marked as the editor's
        if not position_yaml.get("cite"):
            assert note.startswith("Editor's addition")


async def test_names_show_their_origin_and_source(client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        """{ person(slug: "wang-wentao") { names { text language origin source { url } } }
             paulson: person(slug: "henry-paulson") { names { text origin } } }""",
    )

    assert {
        "text": "王文涛",
        "language": "zh-Hans",
        "origin": "SOURCE",
        "source": {"url": "https://www.wikiwand.com/en/articles/Wang_Wentao"},
    } in result["person"]["names"]
    assert {"text": "Wang Wentao", "language": "en", "origin": "RECORD", "source": None} in result[
        "person"
    ]["names"]
    assert {"text": "保尔森", "origin": "TRANSLITERATION"} in result["paulson"]["names"]


async def _origins(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT origin, COUNT(*) FROM localized_name GROUP BY origin")
        )
        return {str(origin): int(count) for origin, count in rows}


async def test_an_older_seeded_database_learns_its_names_provenance(
    seeded_engine: AsyncEngine,
) -> None:
    # given a seeded database taken back to before names had an origin
    expected = await _origins(seeded_engine)
    await migrations.downgrade(seeded_engine, "0005", force=True)  # drops the origins

    # when it is upgraded: its own names are RECORD, the others not yet verified
    await migrations.upgrade(seeded_engine)
    await migrations.check(seeded_engine)
    upgraded = await _origins(seeded_engine)
    assert upgraded["record"] == expected["record"]
    assert upgraded["unverified"] == sum(expected.values()) - expected["record"]

    # and when the seed is loaded again: the seed's provenance is filled in, nothing added
    async with AsyncSession(seeded_engine) as session:
        before = await session.scalar(select(func.count()).select_from(LocalizedName))
        await seed.load(session)
        await session.commit()
        after = await session.scalar(select(func.count()).select_from(LocalizedName))
    assert before == after
    assert await _origins(seeded_engine) == expected
