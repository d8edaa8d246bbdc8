"""working calendars: a member's working weekdays and holidays; the calendar a run used

``working_calendar``: a member's calendar (``site_id`` NULL) or one site's, unique by
``(member_id, site_id)``; weekdays and holidays as JSON lists. ``planning_run`` gains
``calendar``: the one-line name of the calendar the run netted with.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_working_calendar_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "working_calendar",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("working_weekdays", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=True),
        _fk("member_id", "member"),
        _fk("network_id", "network"),
        _fk("site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_calendar")),
        sa.UniqueConstraint(
            "member_id", "site_id", name=op.f("uq_working_calendar_member_id_site_id")
        ),
    )
    op.create_index(
        op.f("ix_working_calendar_member_id"), "working_calendar", ["member_id"], unique=False
    )
    with op.batch_alter_table("planning_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("planning_run", schema=None) as batch_op:
        batch_op.drop_column("calendar")
    op.drop_index(op.f("ix_working_calendar_member_id"), table_name="working_calendar")
    op.drop_table("working_calendar")
