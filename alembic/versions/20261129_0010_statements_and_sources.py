"""statements; sources without an address; verbatim citations

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 13:46:18
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENT_REFERENCES = (
    ("person_id", "person"),
    ("organization_id", "organization"),
    ("side_country_id", "country"),
    ("meeting_id", "meeting"),
    ("mechanism_id", "mechanism"),
    ("source_id", "source"),
    ("translation_of_id", "statement"),
)
# A source without an address keeps none until a downgrade, which must give it one.
PLACEHOLDER = "urn:parley:source:"


def upgrade() -> None:
    _create_statement()
    op.add_column("citation", sa.Column("verbatim", sa.Boolean(), nullable=True))
    op.add_column("source", sa.Column("as_cited_in", sa.String(length=500), nullable=True))
    op.add_column(
        "policy_measure", sa.Column("effective_phrase", sa.String(length=300), nullable=True)
    )
    _set_url_nullable(nullable=True)


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE source SET url = :prefix || CAST(id AS VARCHAR(20)) WHERE url IS NULL"
        ).bindparams(prefix=PLACEHOLDER)
    )
    _set_url_nullable(nullable=False)
    op.drop_column("policy_measure", "effective_phrase")
    op.drop_column("source", "as_cited_in")
    op.drop_column("citation", "verbatim")
    for column, _target in STATEMENT_REFERENCES:
        op.drop_index(op.f(f"ix_statement_{column}"), table_name="statement")
    op.drop_table("statement")


def _set_url_nullable(*, nullable: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("source", "url", existing_type=sa.String(length=2048), nullable=nullable)
        return
    # SQLite cannot drop NOT NULL, and rebuilding `source` (batch mode) would run the implicit
    # DELETE of DROP TABLE, cascading to every citation. Only the stored schema text changes,
    # the documented way (sqlite.org/lang_altertable.html, "making other kinds of changes"):
    # no row's format depends on NOT NULL.
    before, after = "url VARCHAR(2048) NOT NULL", "url VARCHAR(2048)"
    if not nullable:
        before, after = after + ",", before + ","
    version = op.get_bind().exec_driver_sql("PRAGMA schema_version").scalar_one()
    op.execute("PRAGMA writable_schema=ON")
    op.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = replace(sql, :before, :after) "
            "WHERE type = 'table' AND name = 'source'"
        ).bindparams(before=before, after=after)
    )
    op.execute(f"PRAGMA schema_version={int(version) + 1}")
    op.execute("PRAGMA writable_schema=OFF")


def _create_statement() -> None:
    op.create_table(
        "statement",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("text", sa.String(length=20000), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("verbatim", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("speaker_as_reported", sa.String(length=300), nullable=True),
        sa.Column("side_country_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("said_date", sa.String(length=10), nullable=True),
        sa.Column("said_precision", sa.String(length=8), nullable=True),
        sa.Column("said_earliest", sa.Date(), nullable=True),
        sa.Column("said_latest", sa.Date(), nullable=True),
        sa.Column("date_phrase", sa.String(length=300), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("translation_of_id", sa.Integer(), nullable=True),
        sa.Column("attribution_doubtful", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("attribution_note", sa.String(length=4000), nullable=True),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "said_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_statement_said_precision"),
        ),
        sa.CheckConstraint(
            "person_id IS NOT NULL OR organization_id IS NOT NULL"
            " OR speaker_as_reported IS NOT NULL OR side_country_id IS NOT NULL",
            name=op.f("ck_statement_speaker"),
        ),
        sa.CheckConstraint(
            "said_date IS NULL AND said_precision IS NULL AND said_earliest IS NULL AND "
            "said_latest IS NULL OR said_date IS NOT NULL AND said_precision IS NOT NULL AND "
            "said_earliest IS NOT NULL AND said_latest IS NOT NULL",
            name=op.f("ck_statement_said_complete"),
        ),
        sa.CheckConstraint("said_earliest <= said_latest", name=op.f("ck_statement_said_span")),
        sa.CheckConstraint(
            "translation_of_id IS NULL OR translation_of_id <> id",
            name=op.f("ck_statement_not_self"),
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_statement_{column}_{target}")
            )
            for column, target in STATEMENT_REFERENCES
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("slug", name=op.f("uq_statement_slug")),
    )
    for column, _target in STATEMENT_REFERENCES:
        op.create_index(op.f(f"ix_statement_{column}"), "statement", [column], unique=False)
