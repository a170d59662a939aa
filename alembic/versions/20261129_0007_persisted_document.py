"""persisted documents: automatic persisted queries and trusted documents, shared by replicas

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_document",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("trusted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persisted_document")),
    )


def downgrade() -> None:
    # Only stored operation texts go: clients fall back to sending them (APQ), and a trusted
    # manifest is pushed again from the build that made it.
    op.drop_table("persisted_document")
