"""meeting kind: a meeting, a visit that groups meetings, a preparatory call, a sideline

Existing rows become meetings, except: a meeting that other meetings name as their parent is a
visit, and the seed's own records are classified as the seed now classifies them (the seed
loader never updates a row, so a database seeded before this revision learns it here).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("meeting", "visit", "preparatory", "sideline")

# The seed's meetings that are not plain meetings (by slug), as api/seed/*.yaml records them.
SEED_KINDS = {
    "2023-07-yellen-visit-to-beijing": "visit",
    "2024-02-06-wang-shouwen-lago-video-call": "preparatory",
    "2023-11-16-raimondo-wang-wentao-san-francisco": "sideline",
}


def _add_kind_column() -> None:
    """The column with its CHECK constraint, by plain ALTER TABLE on both databases.

    Not batch mode: rebuilding a table that others reference would trip SQLite's foreign keys
    (participations cascade); and SQLite's ALTER takes the constraint only inline.
    """
    check = "kind IN ({})".format(", ".join(f"'{kind}'" for kind in KINDS))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE meeting ADD COLUMN kind VARCHAR(32) DEFAULT 'meeting' NOT NULL "
            f"CONSTRAINT ck_meeting_meeting_kind CHECK ({check})"
        )
        return
    op.add_column(
        "meeting", sa.Column("kind", sa.String(32), server_default="meeting", nullable=False)
    )
    op.create_check_constraint(op.f("ck_meeting_meeting_kind"), "meeting", check)


def upgrade() -> None:
    _add_kind_column()
    meeting = sa.table(
        "meeting",
        sa.column("id", sa.Integer),
        sa.column("parent_id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("kind", sa.String),
    )
    parents = sa.select(meeting.c.parent_id).where(meeting.c.parent_id.is_not(None))
    op.execute(meeting.update().where(meeting.c.id.in_(parents)).values(kind="visit"))
    for slug, kind in SEED_KINDS.items():
        op.execute(meeting.update().where(meeting.c.slug == slug).values(kind=kind))


def downgrade() -> None:
    # SQLite (>= 3.35) drops the column with its own inline CHECK constraint.
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_meeting_meeting_kind"), "meeting", type_="check")
        op.drop_column("meeting", "kind")
        return
    op.execute("ALTER TABLE meeting DROP COLUMN kind")
