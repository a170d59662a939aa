"""The data version (see api.models.version): read it, and increase it with every write."""

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import DataVersion

_BUMP = update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1)


async def bump(session: AsyncSession, *, notify: tuple[str, str] | None = None) -> None:
    """Count a write; takes effect when the caller's transaction commits.

    ``notify`` (PostgreSQL only): a channel and payload to ``NOTIFY`` in the same statement,
    so listeners hear of the write when, and only if, it commits.
    """
    if notify is not None and session.get_bind().dialect.name == "postgresql":
        bumped = _BUMP.returning(DataVersion.version).cte("bumped")
        channel, payload = notify
        await session.execute(select(func.pg_notify(channel, payload)).select_from(bumped))
        return
    await session.execute(_BUMP)


async def current(session: AsyncSession) -> int:
    """The version of the data as committed now."""
    return int(await session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)
