"""net change: a run's mode, how many item-sites it re-planned, and the engine input it netted

``planning_run`` gains ``mode`` (``regeneration`` or ``net_change``, existing runs
regenerated) and ``replanned_item_sites``. ``planning_run_input`` keeps the serialised MRP
problem of each succeeded run (zlib-compressed JSON, one row per run), which a later net-change
run diffs against.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planning_run_input",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("problem", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["planning_run.id"],
            name=op.f("fk_planning_run_input_run_id_planning_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_run_input")),
        sa.UniqueConstraint("run_id", name=op.f("uq_planning_run_input_run_id")),
    )
    with op.batch_alter_table("planning_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sa.String(length=16), server_default="regeneration", nullable=False)
        )
        batch_op.add_column(sa.Column("replanned_item_sites", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("planning_run", schema=None) as batch_op:
        batch_op.drop_column("replanned_item_sites")
        batch_op.drop_column("mode")
    op.drop_table("planning_run_input")
