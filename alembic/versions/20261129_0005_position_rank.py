"""position rank: one scale for both sides (head of state ... working level)

Existing positions get no rank (unknown); the seed's are ranked by the migration, as the seed
now ranks them (the seed loader never updates a row). Their start and end dates are sourced
in the seed; an existing database keeps its own (the migration does not guess dates).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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

# The seed's positions by (person slug, title), ranked as api/seed/reference.yaml ranks them.
SEED_RANKS = {
    ("gina-raimondo", "Secretary of Commerce"): "minister",
    ("wang-wentao", "Minister of Commerce"): "minister",
    ("matthew-axelrod", "Assistant Secretary for Export Enforcement"): "assistant_minister",
    ("he-lifeng", "Vice Premier"): "vice_premier_state_councilor",
    ("li-qiang", "Premier"): "head_of_government",
    ("hu-heping", "Minister of Culture and Tourism"): "minister",
    (
        "wang-shouwen",
        "China International Trade Representative and Vice Minister of Commerce",
    ): "vice_minister",
    ("marisa-lago", "Under Secretary of Commerce for International Trade"): "vice_minister",
    (
        "grant-t-harris",
        "Assistant Secretary of Commerce for Industry and Analysis",
    ): "assistant_minister",
    ("shen-yiqin", "State Councilor"): "vice_premier_state_councilor",
    ("antony-blinken", "Secretary of State"): "minister",
    ("janet-yellen", "Secretary of the Treasury"): "minister",
    ("qin-gang", "Minister of Foreign Affairs"): "minister",
    ("xi-jinping", "President of the People's Republic of China"): "head_of_state",
    ("penny-pritzker", "Secretary of Commerce"): "minister",
    ("michael-froman", "U.S. Trade Representative"): "minister",
    ("tom-vilsack", "Secretary of Agriculture"): "minister",
    ("wang-yang", "Vice Premier"): "vice_premier_state_councilor",
    ("henry-paulson", "Secretary of the Treasury"): "minister",
    ("wu-yi", "Vice Premier"): "vice_premier_state_councilor",
    ("hillary-clinton", "Secretary of State"): "minister",
    ("dai-bingguo", "State Councilor"): "vice_premier_state_councilor",
    ("timothy-geithner", "Secretary of the Treasury"): "minister",
    ("wang-qishan", "Vice Premier"): "vice_premier_state_councilor",
    ("john-kerry", "Secretary of State"): "minister",
    ("jacob-lew", "Secretary of the Treasury"): "minister",
    ("yang-jiechi", "State Councilor"): "vice_premier_state_councilor",
    ("steven-mnuchin", "Secretary of the Treasury"): "minister",
    ("wilbur-ross", "Secretary of Commerce"): "minister",
}


def _add_rank_column() -> None:
    """Plain ALTER TABLE on both databases (see 0004: no batch rebuild of referenced tables)."""
    check = "rank IN ({})".format(", ".join(f"'{rank}'" for rank in RANKS))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE position ADD COLUMN rank VARCHAR(32) "
            f"CONSTRAINT ck_position_rank CHECK ({check})"
        )
        return
    op.add_column("position", sa.Column("rank", sa.String(32), nullable=True))
    op.create_check_constraint(op.f("ck_position_rank"), "position", check)


def upgrade() -> None:
    _add_rank_column()
    position = sa.table(
        "position",
        sa.column("person_id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("rank", sa.String),
    )
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("slug", sa.String))
    for (slug, title), rank in SEED_RANKS.items():
        owner = sa.select(person.c.id).where(person.c.slug == slug).scalar_subquery()
        op.execute(
            position.update()
            .where(position.c.person_id == owner, position.c.title == title)
            .values(rank=rank)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_position_rank"), "position", type_="check")
        op.drop_column("position", "rank")
        return
    op.execute("ALTER TABLE position DROP COLUMN rank")
