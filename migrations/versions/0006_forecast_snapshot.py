"""forecast archive for accuracy tracking (category ``forecasts``)

One row per (site, item, origin, day): what a forecast run predicted for ``day`` from the last
day of history it saw (``origin``). A later run from the same origin replaces its rows; runs
from other origins add theirs, so accuracy can be measured once actual demand arrives.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forecast_snapshot",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("forecast", sa.Float(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("created_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_forecast_snapshot_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_forecast_snapshot_owner_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_forecast_snapshot_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_snapshot")),
        sa.UniqueConstraint(
            "site_id",
            "item_id",
            "origin",
            "day",
            name=op.f("uq_forecast_snapshot_site_id_item_id_origin_day"),
        ),
    )
    with op.batch_alter_table("forecast_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_snapshot_item_site_day", ["item_id", "site_id", "day"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_forecast_snapshot_owner_member_id"), ["owner_member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("forecast_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_snapshot_owner_member_id"))
        batch_op.drop_index("ix_forecast_snapshot_item_site_day")
    op.drop_table("forecast_snapshot")
