"""time-aware record: cadence details, record reviews, fulfilment rules and overrides,
assessments, and the calendar of periods

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 13:47:06
"""

import calendar
import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_YEAR, LAST_YEAR = 1900, 2199
RANKS = (
    "head_of_state",
    "head_of_government",
    "vice_premier_state_councilor",
    "minister",
    "vice_minister",
    "assistant_minister",
    "director_general",
    "working_level",
)

# Columns added to tables that hold rows: (table, column, type, referenced table, check).
# SQLite gets plain ALTER TABLE ... ADD COLUMN with the constraint inline; batch mode would
# rebuild tables others reference (and cascade deletes through them).
ADDED: list[tuple[str, str, str, str | None, tuple[str, str] | None]] = [
    ("mechanism", "cadence_at_least", "BOOLEAN", None, None),
    (
        "mechanism",
        "cadence_stated",
        "BOOLEAN",
        None,
        (
            "cadence_not_stated",
            "cadence_stated IS NULL OR cadence_stated OR cadence_times IS NULL",
        ),
    ),
    ("mechanism", "cadence_source_id", "INTEGER", "source", None),
    ("mechanism", "cadence_quote", "VARCHAR(4000)", None, None),
    ("mechanism", "cadence_note", "VARCHAR(4000)", None, None),
    ("commitment", "recurrence_from_date", "VARCHAR(10)", None, None),
    ("commitment", "recurrence_from_precision", "VARCHAR(8)", None, None),
    ("commitment", "recurrence_from_earliest", "DATE", None, None),
    ("commitment", "recurrence_from_latest", "DATE", None, None),
    (
        "commitment",
        "assessed_verdict",
        "VARCHAR(32)",
        None,
        (
            "compliance_verdict",
            "assessed_verdict IN ('kept', 'kept_late', 'missed', 'overdue', 'pending', 'unknown')",
        ),
    ),
    ("commitment", "assessed_as_of", "DATE", None, None),
    ("commitment", "assessed_note", "VARCHAR(4000)", None, None),
    ("commitment", "assessed_source_id", "INTEGER", "source", None),
    ("commitment_fulfillment", "source_id", "INTEGER", "source", None),
]

RECURRENCE_FROM_CHECKS = [
    (
        "recurrence_from_complete",
        "recurrence_from_date IS NULL AND recurrence_from_precision IS NULL AND "
        "recurrence_from_earliest IS NULL AND recurrence_from_latest IS NULL OR "
        "recurrence_from_date IS NOT NULL AND recurrence_from_precision IS NOT NULL AND "
        "recurrence_from_earliest IS NOT NULL AND recurrence_from_latest IS NOT NULL",
    ),
    (
        "recurrence_from_precision",
        "recurrence_from_precision IN ('year', 'half', 'quarter', 'month', 'day')",
    ),
    ("recurrence_from_span", "recurrence_from_earliest <= recurrence_from_latest"),
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _add(
    table: str, column: str, sql_type: str, target: str | None, check: tuple[str, str] | None
) -> None:
    if _sqlite():
        inline = ""
        if target is not None:
            inline += f" CONSTRAINT fk_{table}_{column}_{target} REFERENCES {target} (id)"
        if check is not None:
            inline += f" CONSTRAINT ck_{table}_{check[0]} CHECK ({check[1]})"
        if column == "recurrence_from_latest":
            # The table's checks on all four columns, inline on the last one added (and
            # dropped first).
            for name, condition in RECURRENCE_FROM_CHECKS:
                inline += f" CONSTRAINT ck_{table}_{name} CHECK ({condition})"
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}{inline}")
    else:
        op.add_column(table, sa.Column(column, _type(sql_type), nullable=True))
        if target is not None:
            op.create_foreign_key(f"fk_{table}_{column}_{target}", table, target, [column], ["id"])
        if check is not None:
            op.create_check_constraint(f"ck_{table}_{check[0]}", table, sa.text(check[1]))
    if target is not None:
        op.create_index(f"ix_{table}_{column}", table, [column])


def _type(sql_type: str) -> sa.types.TypeEngine[object]:
    if sql_type.startswith("VARCHAR"):
        return sa.String(int(sql_type[8:-1]))
    return {"BOOLEAN": sa.Boolean(), "INTEGER": sa.Integer(), "DATE": sa.Date()}[sql_type]


def _keyed() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    ]


def _periods() -> list[dict[str, object]]:
    """Every year, half, quarter and month from FIRST_YEAR through LAST_YEAR."""
    rows: list[dict[str, object]] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for period, months, label in (
            ("year", 12, "{year}"),
            ("half_year", 6, "{year}-H{n}"),
            ("quarter", 3, "{year}-Q{n}"),
            ("month", 1, "{year}-{n:02d}"),
        ):
            for n in range(12 // months):
                first, last = n * months + 1, n * months + months
                rows.append(
                    {
                        "period": period,
                        "starts": dt.date(year, first, 1),
                        "ends": dt.date(year, last, calendar.monthrange(year, last)[1]),
                        "label": label.format(year=year, n=n + 1),
                    }
                )
    return rows


def upgrade() -> None:
    periods = op.create_table(
        "calendar_period",
        sa.Column(
            "period",
            sa.Enum(
                "month",
                "quarter",
                "half_year",
                "year",
                name="period",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("period", "starts", name=op.f("pk_calendar_period")),
    )
    op.bulk_insert(periods, _periods())
    op.create_table(
        "record_review",
        sa.Column("mechanism_id", sa.Integer(), nullable=False),
        sa.Column("complete_from", sa.Date(), nullable=True),
        sa.Column("complete_through", sa.Date(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=300), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("sources_searched", sa.String(length=4000), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        *_keyed(),
        sa.CheckConstraint(
            "complete_from IS NULL OR complete_from <= complete_through",
            name=op.f("ck_record_review_review_span"),
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"],
            ["mechanism.id"],
            name=op.f("fk_record_review_mechanism_id_mechanism"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_review")),
    )
    op.create_index(op.f("ix_record_review_mechanism_id"), "record_review", ["mechanism_id"])
    op.create_table(
        "fulfillment_rule",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("formats", sa.String(length=300), nullable=True),
        sa.Column("kinds", sa.String(length=300), nullable=True),
        sa.Column(
            "min_rank",
            sa.Enum(*RANKS, name="rank", native_enum=False, create_constraint=True, length=32),
            nullable=True,
        ),
        sa.Column("both_sides", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_fulfillment_rule_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"],
            ["mechanism.id"],
            name=op.f("fk_fulfillment_rule_mechanism_id_mechanism"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_fulfillment_rule_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillment_rule")),
        sa.UniqueConstraint("commitment_id", name=op.f("uq_fulfillment_rule_commitment_id")),
    )
    for column in ("commitment_id", "mechanism_id", "source_id"):
        op.create_index(f"ix_fulfillment_rule_{column}", "fulfillment_rule", [column])
    for added in ADDED:
        _add(*added)
    # Every existing link was typed in as "this meeting fulfils it": it keeps counting.
    op.add_column(
        "commitment_fulfillment",
        sa.Column("counts", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    if not _sqlite():
        for name, condition in RECURRENCE_FROM_CHECKS:
            op.create_check_constraint(f"ck_commitment_{name}", "commitment", sa.text(condition))


def downgrade() -> None:
    if not _sqlite():
        for name, _condition in RECURRENCE_FROM_CHECKS:
            op.drop_constraint(f"ck_commitment_{name}", "commitment", type_="check")
    op.drop_column("commitment_fulfillment", "counts")
    for table, column, _type_name, target, check in reversed(ADDED):
        if target is not None:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        if not _sqlite():
            if target is not None:
                op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
            if check is not None:
                op.drop_constraint(f"ck_{table}_{check[0]}", table, type_="check")
        op.drop_column(table, column)
    op.drop_table("fulfillment_rule")
    op.drop_table("record_review")
    op.drop_table("calendar_period")
