"""name origin: where a name in another language comes from, and the source that gives it

Existing names become UNVERIFIED, except a record's own name and acronym (RECORD). The seed's
names get their origin and source the next time the seed is loaded (`parley seed`, which `make
serve` runs): the loader fills in the provenance of a seed name that is still UNVERIFIED, and
never changes one an editor has set.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINS = ("record", "source", "transliteration", "editor", "unverified")
# Each kind of named record, and its columns that hold its own names.
OWNERS = {
    "person": ("name",),
    "organization": ("name", "acronym"),
    "mechanism": ("name", "acronym"),
    "topic": ("name",),
    "policy_measure": ("name",),
}


def _add_columns() -> None:
    """Batch mode: SQLite rebuilds the table, which it can here because no table references
    localized_name (rebuilding one that others reference would cascade); SQLite's ALTER cannot
    add a named foreign key. PostgreSQL alters it in place.
    """
    with op.batch_alter_table("localized_name", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "origin",
                sa.Enum(
                    *ORIGINS,
                    name="name_origin",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="unverified",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_localized_name_source_id_source"),
            "source",
            ["source_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_localized_name_source_id"), ["source_id"], unique=False
        )


def upgrade() -> None:
    _add_columns()
    name = sa.table(
        "localized_name",
        sa.column("text", sa.String),
        sa.column("language", sa.String),
        sa.column("origin", sa.String),
        *(sa.column(f"{owner}_id", sa.Integer) for owner in OWNERS),
    )
    for owner, columns in OWNERS.items():
        table = sa.table(owner, sa.column("id", sa.Integer), *(sa.column(c) for c in columns))
        own = sa.or_(*(table.c[c] == name.c.text for c in columns))
        mine = sa.exists().where(table.c.id == name.c[f"{owner}_id"], own)
        op.execute(name.update().where(name.c.language == "en", mine).values(origin="record"))


def downgrade() -> None:
    with op.batch_alter_table("localized_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_localized_name_source_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_localized_name_source_id_source"), type_="foreignkey"
        )
        batch_op.drop_column("source_id")
        batch_op.drop_constraint(batch_op.f("ck_localized_name_name_origin"), type_="check")
        batch_op.drop_column("origin")
