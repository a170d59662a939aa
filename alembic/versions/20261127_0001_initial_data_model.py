"""initial data model

Revision ID: 0001
Revises:
Create Date: 2026-11-27 04:41:44.104735
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "country",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
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
        sa.CheckConstraint("length(code) = 2", name=op.f("ck_country_code_alpha2")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country")),
        sa.UniqueConstraint("code", name=op.f("uq_country_code")),
    )
    op.create_table(
        "mechanism",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "information_exchange",
                "working_group",
                "technical_discussion",
                "ministerial_channel",
                "dialogue",
                "commission",
                "summit",
                name="mechanism_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum(
                "leaders",
                "ministerial",
                "vice_ministerial",
                "assistant_secretary",
                "expert",
                name="mechanism_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "active",
                "dormant",
                "ended",
                name="mechanism_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("established_date", sa.String(length=10), nullable=True),
        sa.Column("established_precision", sa.String(length=8), nullable=True),
        sa.Column("established_earliest", sa.Date(), nullable=True),
        sa.Column("established_latest", sa.Date(), nullable=True),
        sa.Column("ended_date", sa.String(length=10), nullable=True),
        sa.Column("ended_precision", sa.String(length=8), nullable=True),
        sa.Column("ended_earliest", sa.Date(), nullable=True),
        sa.Column("ended_latest", sa.Date(), nullable=True),
        sa.Column("cadence_text", sa.String(length=300), nullable=True),
        sa.Column("cadence_times", sa.Integer(), nullable=True),
        sa.Column(
            "cadence_period",
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
            nullable=True,
        ),
        sa.Column("summary", sa.String(length=20000), nullable=True),
        sa.Column("predecessor_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at_meeting_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "ended_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_mechanism_ended_precision"),
        ),
        sa.CheckConstraint(
            "established_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_mechanism_established_precision"),
        ),
        sa.CheckConstraint(
            "(cadence_times IS NULL) = (cadence_period IS NULL)",
            name=op.f("ck_mechanism_cadence_complete"),
        ),
        sa.CheckConstraint(
            "cadence_times IS NULL OR cadence_times > 0", name=op.f("ck_mechanism_cadence_times")
        ),
        sa.CheckConstraint(
            "ended_date IS NULL AND ended_precision IS NULL AND ended_earliest IS NULL AND ended_latest IS NULL OR ended_date IS NOT NULL AND ended_precision IS NOT NULL AND ended_earliest IS NOT NULL AND ended_latest IS NOT NULL",
            name=op.f("ck_mechanism_ended_complete"),
        ),
        sa.CheckConstraint("ended_earliest <= ended_latest", name=op.f("ck_mechanism_ended_span")),
        sa.CheckConstraint(
            "established_date IS NULL AND established_precision IS NULL AND established_earliest IS NULL AND established_latest IS NULL OR established_date IS NOT NULL AND established_precision IS NOT NULL AND established_earliest IS NOT NULL AND established_latest IS NOT NULL",
            name=op.f("ck_mechanism_established_complete"),
        ),
        sa.CheckConstraint(
            "established_earliest <= established_latest", name=op.f("ck_mechanism_established_span")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["mechanism.id"], name=op.f("fk_mechanism_parent_id_mechanism")
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"], ["mechanism.id"], name=op.f("fk_mechanism_predecessor_id_mechanism")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mechanism")),
        sa.UniqueConstraint("slug", name=op.f("uq_mechanism_slug")),
    )
    with op.batch_alter_table("mechanism", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mechanism_agreed_at_meeting_id"), ["agreed_at_meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mechanism_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mechanism_predecessor_id"), ["predecessor_id"], unique=False
        )

    op.create_table(
        "source",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=500), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "official_readout",
                "press_release",
                "fact_sheet",
                "legal_text",
                "news",
                "secondary_mirror",
                "other",
                name="source_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("published_date", sa.String(length=10), nullable=True),
        sa.Column("published_precision", sa.String(length=8), nullable=True),
        sa.Column("published_earliest", sa.Date(), nullable=True),
        sa.Column("published_latest", sa.Date(), nullable=True),
        sa.Column("original_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "published_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_source_published_precision"),
        ),
        sa.CheckConstraint(
            "published_date IS NULL AND published_precision IS NULL AND published_earliest IS NULL AND published_latest IS NULL OR published_date IS NOT NULL AND published_precision IS NOT NULL AND published_earliest IS NOT NULL AND published_latest IS NOT NULL",
            name=op.f("ck_source_published_complete"),
        ),
        sa.CheckConstraint(
            "published_earliest <= published_latest", name=op.f("ck_source_published_span")
        ),
        sa.ForeignKeyConstraint(
            ["original_id"], ["source.id"], name=op.f("fk_source_original_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("url", name=op.f("uq_source_url")),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_original_id"), ["original_id"], unique=False)

    op.create_table(
        "topic",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=4000), nullable=True),
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
        sa.ForeignKeyConstraint(["parent_id"], ["topic.id"], name=op.f("fk_topic_parent_id_topic")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic")),
        sa.UniqueConstraint("slug", name=op.f("uq_topic_slug")),
    )
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topic_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("sequence_label", sa.String(length=300), nullable=True),
        sa.Column(
            "format",
            sa.Enum(
                "in_person",
                "call",
                "video",
                "hybrid",
                "unknown",
                name="meeting_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "held",
                "postponed",
                "cancelled",
                "unknown",
                name="meeting_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("start_precision", sa.String(length=8), nullable=True),
        sa.Column("start_earliest", sa.Date(), nullable=True),
        sa.Column("start_latest", sa.Date(), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("end_precision", sa.String(length=8), nullable=True),
        sa.Column("end_earliest", sa.Date(), nullable=True),
        sa.Column("end_latest", sa.Date(), nullable=True),
        sa.Column("date_phrase", sa.String(length=300), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("host_country_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=20000), nullable=True),
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
        sa.CheckConstraint(
            "end_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_meeting_end_precision"),
        ),
        sa.CheckConstraint(
            "start_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_meeting_start_precision"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL AND end_precision IS NULL AND end_earliest IS NULL AND end_latest IS NULL OR end_date IS NOT NULL AND end_precision IS NOT NULL AND end_earliest IS NOT NULL AND end_latest IS NOT NULL",
            name=op.f("ck_meeting_end_complete"),
        ),
        sa.CheckConstraint("end_earliest <= end_latest", name=op.f("ck_meeting_end_span")),
        sa.CheckConstraint(
            "end_latest IS NULL OR end_latest >= start_earliest", name=op.f("ck_meeting_end_order")
        ),
        sa.CheckConstraint(
            "start_date IS NOT NULL OR end_date IS NULL", name=op.f("ck_meeting_end_needs_start")
        ),
        sa.CheckConstraint(
            "start_date IS NULL AND start_precision IS NULL AND start_earliest IS NULL AND start_latest IS NULL OR start_date IS NOT NULL AND start_precision IS NOT NULL AND start_earliest IS NOT NULL AND start_latest IS NOT NULL",
            name=op.f("ck_meeting_start_complete"),
        ),
        sa.CheckConstraint("start_earliest <= start_latest", name=op.f("ck_meeting_start_span")),
        sa.ForeignKeyConstraint(
            ["host_country_id"], ["country.id"], name=op.f("fk_meeting_host_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"], ["mechanism.id"], name=op.f("fk_meeting_mechanism_id_mechanism")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["meeting.id"], name=op.f("fk_meeting_parent_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("slug", name=op.f("uq_meeting_slug")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_host_country_id"), ["host_country_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_mechanism_id"), ["mechanism_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_parent_id"), ["parent_id"], unique=False)

    # mechanism.agreed_at_meeting_id and meeting.mechanism_id point at each other: the second
    # of the two keys can only be added once both tables exist.
    with op.batch_alter_table("mechanism", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_mechanism_agreed_at_meeting_id_meeting"),
            "meeting",
            ["agreed_at_meeting_id"],
            ["id"],
            use_alter=True,
        )

    op.create_table(
        "organization",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "government",
                "ministry",
                "department",
                "agency",
                "bureau",
                "office",
                "legislature",
                "company",
                "association",
                "other",
                name="organization_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_organization_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organization.id"], name=op.f("fk_organization_parent_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("slug", name=op.f("uq_organization_slug")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_country_id"), ["country_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organization_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_person_country_id_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("slug", name=op.f("uq_person_slug")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_country_id"), ["country_id"], unique=False)

    op.create_table(
        "commitment",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("text", sa.String(length=20000), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("committed_by_country_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.String(length=10), nullable=True),
        sa.Column("due_precision", sa.String(length=8), nullable=True),
        sa.Column("due_earliest", sa.Date(), nullable=True),
        sa.Column("due_latest", sa.Date(), nullable=True),
        sa.Column("due_phrase", sa.String(length=300), nullable=True),
        sa.Column("recurrence_text", sa.String(length=300), nullable=True),
        sa.Column("recurrence_times", sa.Integer(), nullable=True),
        sa.Column(
            "recurrence_period",
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
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "fulfilled",
                "partially_fulfilled",
                "overdue",
                "lapsed",
                "unknown",
                name="commitment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_note", sa.String(length=4000), nullable=True),
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
        sa.CheckConstraint(
            "due_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_commitment_due_precision"),
        ),
        sa.CheckConstraint(
            "(recurrence_times IS NULL) = (recurrence_period IS NULL)",
            name=op.f("ck_commitment_recurrence_complete"),
        ),
        sa.CheckConstraint(
            "due_date IS NULL AND due_precision IS NULL AND due_earliest IS NULL AND due_latest IS NULL OR due_date IS NOT NULL AND due_precision IS NOT NULL AND due_earliest IS NOT NULL AND due_latest IS NOT NULL",
            name=op.f("ck_commitment_due_complete"),
        ),
        sa.CheckConstraint("due_earliest <= due_latest", name=op.f("ck_commitment_due_span")),
        sa.CheckConstraint(
            "recurrence_times IS NULL OR recurrence_times > 0",
            name=op.f("ck_commitment_recurrence_times"),
        ),
        sa.ForeignKeyConstraint(
            ["committed_by_country_id"],
            ["country.id"],
            name=op.f("fk_commitment_committed_by_country_id_country"),
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"], ["mechanism.id"], name=op.f("fk_commitment_mechanism_id_mechanism")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_commitment_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint("slug", name=op.f("uq_commitment_slug")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_committed_by_country_id"),
            ["committed_by_country_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_mechanism_id"), ["mechanism_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitment_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "mechanism_party",
        sa.Column("mechanism_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("lead_organization_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_mechanism_party_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["lead_organization_id"],
            ["organization.id"],
            name=op.f("fk_mechanism_party_lead_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"],
            ["mechanism.id"],
            name=op.f("fk_mechanism_party_mechanism_id_mechanism"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mechanism_party")),
        sa.UniqueConstraint(
            "mechanism_id", "country_id", name=op.f("uq_mechanism_party_mechanism_id_country_id")
        ),
    )
    with op.batch_alter_table("mechanism_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mechanism_party_country_id"), ["country_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mechanism_party_lead_organization_id"),
            ["lead_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_mechanism_party_mechanism_id"), ["mechanism_id"], unique=False
        )

    op.create_table(
        "meeting_topic",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("raised_by_country_id", sa.Integer(), nullable=True),
        sa.Column(
            "stance",
            sa.Enum(
                "concern",
                "request",
                "cooperation",
                "information",
                name="stance",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
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
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_topic_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_country_id"],
            ["country.id"],
            name=op.f("fk_meeting_topic_raised_by_country_id_country"),
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_meeting_topic_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_topic")),
        sa.UniqueConstraint(
            "meeting_id",
            "topic_id",
            "raised_by_country_id",
            "stance",
            name=op.f("uq_meeting_topic_meeting_id_topic_id_raised_by_country_id_stance"),
        ),
    )
    with op.batch_alter_table("meeting_topic", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_topic_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_topic_raised_by_country_id"),
            ["raised_by_country_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_meeting_topic_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "participation",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("name_as_reported", sa.String(length=300), nullable=True),
        sa.Column("side_country_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "head_of_delegation",
                "co_chair",
                "participant",
                "host",
                name="participant_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_as_reported", sa.String(length=500), nullable=True),
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
        sa.CheckConstraint(
            "person_id IS NOT NULL OR organization_id IS NOT NULL OR name_as_reported IS NOT NULL",
            name=op.f("ck_participation_someone"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_participation_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_participation_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_participation_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["side_country_id"],
            ["country.id"],
            name=op.f("fk_participation_side_country_id_country"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participation_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participation_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_participation_side_country_id"), ["side_country_id"], unique=False
        )

    op.create_table(
        "policy_measure",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "export_control",
                "executive_order",
                "investment_restriction",
                "sanction",
                "tariff",
                "procurement_ban",
                "regulation",
                "other",
                name="measure_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("instrument", sa.String(length=300), nullable=True),
        sa.Column("announced_date", sa.String(length=10), nullable=True),
        sa.Column("announced_precision", sa.String(length=8), nullable=True),
        sa.Column("announced_earliest", sa.Date(), nullable=True),
        sa.Column("announced_latest", sa.Date(), nullable=True),
        sa.Column("effective_date", sa.String(length=10), nullable=True),
        sa.Column("effective_precision", sa.String(length=8), nullable=True),
        sa.Column("effective_earliest", sa.Date(), nullable=True),
        sa.Column("effective_latest", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "in_force",
                "amended",
                "revoked",
                "expired",
                "unknown",
                name="measure_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.String(length=20000), nullable=True),
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
        sa.CheckConstraint(
            "announced_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_policy_measure_announced_precision"),
        ),
        sa.CheckConstraint(
            "effective_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_policy_measure_effective_precision"),
        ),
        sa.CheckConstraint(
            "announced_date IS NULL AND announced_precision IS NULL AND announced_earliest IS NULL AND announced_latest IS NULL OR announced_date IS NOT NULL AND announced_precision IS NOT NULL AND announced_earliest IS NOT NULL AND announced_latest IS NOT NULL",
            name=op.f("ck_policy_measure_announced_complete"),
        ),
        sa.CheckConstraint(
            "announced_earliest <= announced_latest", name=op.f("ck_policy_measure_announced_span")
        ),
        sa.CheckConstraint(
            "effective_date IS NULL AND effective_precision IS NULL AND effective_earliest IS NULL AND effective_latest IS NULL OR effective_date IS NOT NULL AND effective_precision IS NOT NULL AND effective_earliest IS NOT NULL AND effective_latest IS NOT NULL",
            name=op.f("ck_policy_measure_effective_complete"),
        ),
        sa.CheckConstraint(
            "effective_earliest <= effective_latest", name=op.f("ck_policy_measure_effective_span")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_policy_measure_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_policy_measure_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_measure")),
        sa.UniqueConstraint("slug", name=op.f("uq_policy_measure_slug")),
    )
    with op.batch_alter_table("policy_measure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_measure_country_id"), ["country_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_policy_measure_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "position",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("start_precision", sa.String(length=8), nullable=True),
        sa.Column("start_earliest", sa.Date(), nullable=True),
        sa.Column("start_latest", sa.Date(), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("end_precision", sa.String(length=8), nullable=True),
        sa.Column("end_earliest", sa.Date(), nullable=True),
        sa.Column("end_latest", sa.Date(), nullable=True),
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
        sa.CheckConstraint(
            "end_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_position_end_precision"),
        ),
        sa.CheckConstraint(
            "start_precision IN ('year', 'half', 'quarter', 'month', 'day')",
            name=op.f("ck_position_start_precision"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL AND end_precision IS NULL AND end_earliest IS NULL AND end_latest IS NULL OR end_date IS NOT NULL AND end_precision IS NOT NULL AND end_earliest IS NOT NULL AND end_latest IS NOT NULL",
            name=op.f("ck_position_end_complete"),
        ),
        sa.CheckConstraint("end_earliest <= end_latest", name=op.f("ck_position_end_span")),
        sa.CheckConstraint(
            "start_date IS NULL AND start_precision IS NULL AND start_earliest IS NULL AND start_latest IS NULL OR start_date IS NOT NULL AND start_precision IS NOT NULL AND start_earliest IS NOT NULL AND start_latest IS NOT NULL",
            name=op.f("ck_position_start_complete"),
        ),
        sa.CheckConstraint("start_earliest <= start_latest", name=op.f("ck_position_start_span")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_position_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_position_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position")),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_position_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_position_person_id"), ["person_id"], unique=False)

    op.create_table(
        "citation",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(length=4000), nullable=True),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("meeting_topic_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("policy_measure_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "CASE WHEN mechanism_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN meeting_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN participation_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN meeting_topic_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN commitment_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN policy_measure_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN person_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN position_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN organization_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name=op.f("ck_citation_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_citation_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"],
            ["mechanism.id"],
            name=op.f("fk_citation_mechanism_id_mechanism"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_citation_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_topic_id"],
            ["meeting_topic.id"],
            name=op.f("fk_citation_meeting_topic_id_meeting_topic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_citation_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participation.id"],
            name=op.f("fk_citation_participation_id_participation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_citation_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["policy_measure_id"],
            ["policy_measure.id"],
            name=op.f("fk_citation_policy_measure_id_policy_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_citation_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_citation_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citation_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_citation_mechanism_id"), ["mechanism_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citation_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_citation_meeting_topic_id"), ["meeting_topic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_citation_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_citation_participation_id"), ["participation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citation_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_citation_policy_measure_id"), ["policy_measure_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citation_position_id"), ["position_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_source_id"), ["source_id"], unique=False)

    op.create_table(
        "commitment_fulfillment",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_fulfillment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_commitment_fulfillment_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_fulfillment")),
        sa.UniqueConstraint(
            "commitment_id",
            "meeting_id",
            name=op.f("uq_commitment_fulfillment_commitment_id_meeting_id"),
        ),
    )
    with op.batch_alter_table("commitment_fulfillment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_fulfillment_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_fulfillment_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "localized_name",
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("normalized", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("mechanism_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("policy_measure_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "CASE WHEN person_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN organization_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN mechanism_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN topic_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN policy_measure_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name=op.f("ck_localized_name_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["mechanism_id"],
            ["mechanism.id"],
            name=op.f("fk_localized_name_mechanism_id_mechanism"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_localized_name_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_localized_name_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["policy_measure_id"],
            ["policy_measure.id"],
            name=op.f("fk_localized_name_policy_measure_id_policy_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_localized_name_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_localized_name")),
        sa.UniqueConstraint(
            "person_id",
            "organization_id",
            "mechanism_id",
            "topic_id",
            "policy_measure_id",
            "language",
            "text",
            name=op.f(
                "uq_localized_name_person_id_organization_id_mechanism_id_topic_id_policy_measure_id_language_text"
            ),
        ),
    )
    with op.batch_alter_table("localized_name", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_localized_name_mechanism_id"), ["mechanism_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_localized_name_normalized"), ["normalized"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_localized_name_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_localized_name_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_localized_name_policy_measure_id"), ["policy_measure_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_localized_name_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "meeting_policy_measure",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("policy_measure_id", sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_policy_measure_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["policy_measure_id"],
            ["policy_measure.id"],
            name=op.f("fk_meeting_policy_measure_policy_measure_id_policy_measure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_policy_measure")),
        sa.UniqueConstraint(
            "meeting_id",
            "policy_measure_id",
            name=op.f("uq_meeting_policy_measure_meeting_id_policy_measure_id"),
        ),
    )
    with op.batch_alter_table("meeting_policy_measure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_policy_measure_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_policy_measure_policy_measure_id"),
            ["policy_measure_id"],
            unique=False,
        )

    op.create_table(
        "policy_measure_topic",
        sa.Column("policy_measure_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["policy_measure_id"],
            ["policy_measure.id"],
            name=op.f("fk_policy_measure_topic_policy_measure_id_policy_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_policy_measure_topic_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_measure_topic")),
        sa.UniqueConstraint(
            "policy_measure_id",
            "topic_id",
            name=op.f("uq_policy_measure_topic_policy_measure_id_topic_id"),
        ),
    )
    with op.batch_alter_table("policy_measure_topic", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_measure_topic_policy_measure_id"),
            ["policy_measure_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_policy_measure_topic_topic_id"), ["topic_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("policy_measure_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_measure_topic_topic_id"))
        batch_op.drop_index(batch_op.f("ix_policy_measure_topic_policy_measure_id"))

    op.drop_table("policy_measure_topic")
    with op.batch_alter_table("meeting_policy_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_policy_measure_policy_measure_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_policy_measure_meeting_id"))

    op.drop_table("meeting_policy_measure")
    with op.batch_alter_table("localized_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_localized_name_topic_id"))
        batch_op.drop_index(batch_op.f("ix_localized_name_policy_measure_id"))
        batch_op.drop_index(batch_op.f("ix_localized_name_person_id"))
        batch_op.drop_index(batch_op.f("ix_localized_name_organization_id"))
        batch_op.drop_index(batch_op.f("ix_localized_name_normalized"))
        batch_op.drop_index(batch_op.f("ix_localized_name_mechanism_id"))

    op.drop_table("localized_name")
    with op.batch_alter_table("commitment_fulfillment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_fulfillment_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_fulfillment_commitment_id"))

    op.drop_table("commitment_fulfillment")
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_source_id"))
        batch_op.drop_index(batch_op.f("ix_citation_position_id"))
        batch_op.drop_index(batch_op.f("ix_citation_policy_measure_id"))
        batch_op.drop_index(batch_op.f("ix_citation_person_id"))
        batch_op.drop_index(batch_op.f("ix_citation_participation_id"))
        batch_op.drop_index(batch_op.f("ix_citation_organization_id"))
        batch_op.drop_index(batch_op.f("ix_citation_meeting_topic_id"))
        batch_op.drop_index(batch_op.f("ix_citation_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_citation_mechanism_id"))
        batch_op.drop_index(batch_op.f("ix_citation_commitment_id"))

    op.drop_table("citation")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_person_id"))
        batch_op.drop_index(batch_op.f("ix_position_organization_id"))

    op.drop_table("position")
    with op.batch_alter_table("policy_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_measure_organization_id"))
        batch_op.drop_index(batch_op.f("ix_policy_measure_country_id"))

    op.drop_table("policy_measure")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_side_country_id"))
        batch_op.drop_index(batch_op.f("ix_participation_person_id"))
        batch_op.drop_index(batch_op.f("ix_participation_organization_id"))
        batch_op.drop_index(batch_op.f("ix_participation_meeting_id"))

    op.drop_table("participation")
    with op.batch_alter_table("meeting_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_topic_topic_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_topic_raised_by_country_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_topic_meeting_id"))

    op.drop_table("meeting_topic")
    with op.batch_alter_table("mechanism_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mechanism_party_mechanism_id"))
        batch_op.drop_index(batch_op.f("ix_mechanism_party_lead_organization_id"))
        batch_op.drop_index(batch_op.f("ix_mechanism_party_country_id"))

    op.drop_table("mechanism_party")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_mechanism_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_committed_by_country_id"))

    op.drop_table("commitment")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_country_id"))

    op.drop_table("person")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_parent_id"))
        batch_op.drop_index(batch_op.f("ix_organization_country_id"))

    op.drop_table("organization")
    with op.batch_alter_table("mechanism", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_mechanism_agreed_at_meeting_id_meeting"), type_="foreignkey"
        )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_parent_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_mechanism_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_host_country_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_parent_id"))

    op.drop_table("topic")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_original_id"))

    op.drop_table("source")
    with op.batch_alter_table("mechanism", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mechanism_predecessor_id"))
        batch_op.drop_index(batch_op.f("ix_mechanism_parent_id"))
        batch_op.drop_index(batch_op.f("ix_mechanism_agreed_at_meeting_id"))

    op.drop_table("mechanism")
    op.drop_table("country")
