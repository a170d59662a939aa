"""The data version (see api.models.version): read it, and increase it with every write."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import DataVersion


async def bump(session: AsyncSession) -> None:
    """Count a write; takes effect when the caller's transaction commits."""
    await session.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1)
    )


async def current(session: AsyncSession) -> int:
    """The version of the data as committed now."""
    return int(await session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)
