"""The persisted-document migration goes down and up again on a seeded database with stored
documents: only the documents go (clients send their texts again), the data stays."""

import re

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrations
from api.models import Meeting
from api.services import documents
from api.settings import PROJECT_ROOT

MIGRATION = next((PROJECT_ROOT / "alembic" / "versions").glob("*_persisted_document.py"))
BEFORE = re.search(r'^down_revision: .* = "(\w+)"', MIGRATION.read_text(), re.MULTILINE)


async def test_downgrade_drops_only_the_documents_and_upgrade_restores_the_table(
    seeded_engine: AsyncEngine,
) -> None:
    async with AsyncSession(seeded_engine) as session:
        await documents.push(session, documents.parse_manifest({"q1": "{ __typename }"}))
        await session.commit()
        meetings = await session.scalar(select(func.count()).select_from(Meeting))

    assert BEFORE is not None
    await migrations.downgrade(seeded_engine, BEFORE[1], force=True)  # drops the documents
    async with seeded_engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync))
        assert "persisted_document" not in tables
        assert (await connection.execute(text("SELECT count(*) FROM meeting"))).scalar() == meetings

    await migrations.upgrade(seeded_engine)
    await migrations.check(seeded_engine)
    async with AsyncSession(seeded_engine) as session:
        assert await documents.count(session) == 0
        assert await session.scalar(select(func.count()).select_from(Meeting)) == meetings
