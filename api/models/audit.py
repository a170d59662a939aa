"""The audit trail: one entry per record written, in the transaction that wrote it."""

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.models.columns import NAME_LENGTH


class AuditEntry(Base):
    """Who changed what, when, through which operation, with each field before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set by Python: PostgreSQL's now() is the transaction's start, the same for a whole batch.
    occurred_at: Mapped[dt.datetime] = mapped_column(
        default=lambda: dt.datetime.now(dt.UTC), server_default=func.now(), index=True
    )
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"), index=True
    )
    # Kept as written, so the entry still names its author after the token is deleted.
    token_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    operation: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(10))
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int]
    changes: Mapped[dict[str, object]] = mapped_column(JSON)
