"""Changes: what a committed write did (created, updated or deleted which record), announced
to subscribers on every replica.

On PostgreSQL the announcement is a ``NOTIFY`` sent by the same statement that increases the
data version (:func:`api.services.versions.bump`), inside the write's transaction: PostgreSQL
delivers it to every listening connection when (and only if) the transaction commits. On
SQLite there is one process to tell, which the caller does after its commit (api.feed).
"""

import dataclasses
import enum
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import versions

CHANNEL = "parley_changes"
"""The PostgreSQL notification channel every replica listens on."""


class ChangeKind(enum.Enum):
    """What a write did to a record."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"


@dataclasses.dataclass(frozen=True)
class Change:
    """One committed write to one record (``record_type`` is its table)."""

    kind: ChangeKind
    record_type: str
    record_id: int

    def encode(self) -> str:
        """The change as a short JSON text (a NOTIFY payload)."""
        return json.dumps(
            {"kind": self.kind.value, "type": self.record_type, "id": self.record_id},
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, payload: str) -> "Change | None":
        """The change a payload describes; None for anything else on the channel."""
        try:
            data: Any = json.loads(payload)
            return cls(ChangeKind(data["kind"]), str(data["type"]), int(data["id"]))
        except (ValueError, KeyError, TypeError):
            return None


def kind_of(operation: str) -> ChangeKind:
    """The kind of change a mutation makes, by its name (createX, recordX, updateX, deleteX)."""
    if operation.startswith("update"):
        return ChangeKind.UPDATED
    if operation.startswith("delete"):
        return ChangeKind.DELETED
    return ChangeKind.CREATED


async def record_write(
    session: AsyncSession, change: Change, *, audit: Sequence[Mapping[str, Any]] = ()
) -> None:
    """Count the write (the data version), append its ``audit`` rows and, on PostgreSQL,
    announce it at commit.

    One statement on PostgreSQL, so a write costs no extra round trip for being announced
    or audited.
    """
    await versions.bump(session, notify=(CHANNEL, change.encode()), audit=audit)
