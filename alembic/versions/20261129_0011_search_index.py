"""search index: documents, their indexes, and the triggers keeping them current

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from api.search import ddl
from api.search.documents import Related, Searchable, names

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The declarations as they stood at this revision, so this migration keeps working on the
# tables it knew; later changes to api.search.documents are installed by ddl.sync, which
# api.migrations.upgrade runs at the latest revision.
SEARCHABLES = (
    Searchable(
        "meeting",
        "meeting",
        title=("title",),
        body=("sequence_label", "place", "summary", "note"),
        related=(Related("meeting_topic", "meeting_id", ("note",)),),
    ),
    Searchable(
        "mechanism",
        "mechanism",
        title=("name", "acronym"),
        body=("cadence_text", "summary", "note"),
        related=(names("mechanism_id"),),
    ),
    Searchable(
        "person",
        "person",
        title=("name",),
        body=("note",),
        related=(names("person_id"), Related("position", "person_id", ("title",))),
    ),
    Searchable(
        "organization",
        "organization",
        title=("name", "acronym"),
        body=("note",),
        related=(names("organization_id"),),
    ),
    Searchable(
        "topic", "topic", title=("name",), body=("description",), related=(names("topic_id"),)
    ),
    Searchable(
        "policy_measure",
        "policy_measure",
        title=("name", "instrument"),
        body=("summary", "note"),
        related=(names("policy_measure_id"),),
    ),
    Searchable(
        "commitment",
        "commitment",
        title=("title",),
        body=("text", "due_phrase", "recurrence_text", "status_note"),
    ),
    Searchable(
        "source",
        "source",
        title=("title",),
        body=("publisher", "url", "note"),
        related=(Related("citation", "source_id", ("quote", "note")),),
    ),
)


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint(
            "record_type", "record_id", name=op.f("uq_search_document_record_type_record_id")
        ),
    )
    bind = op.get_bind()
    ddl.create_indexes(bind)
    ddl.install(bind, SEARCHABLES)


def downgrade() -> None:
    bind = op.get_bind()
    # every kind's triggers, also those api.migrations.upgrade installed for later declarations
    ddl.uninstall_all(bind)
    ddl.drop_indexes(bind)
    op.drop_table("search_document")
