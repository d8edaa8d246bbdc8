"""stored daily forecasts per item and site (category ``forecasts``)

One row per (site, item, day), owned by the member whose demand history it was computed from;
the interval bounds are NULL where the history was too short for an interval.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forecast_point",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("forecast", sa.Float(), nullable=False),
        sa.Column("lo_80", sa.Float(), nullable=True),
        sa.Column("hi_80", sa.Float(), nullable=True),
        sa.Column("lo_95", sa.Float(), nullable=True),
        sa.Column("hi_95", sa.Float(), nullable=True),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("created_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_forecast_point_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_forecast_point_owner_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_forecast_point_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_point")),
        sa.UniqueConstraint(
            "site_id", "item_id", "day", name=op.f("uq_forecast_point_site_id_item_id_day")
        ),
    )
    with op.batch_alter_table("forecast_point", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_point_item_site_day", ["item_id", "site_id", "day"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_forecast_point_owner_member_id"), ["owner_member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("forecast_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_point_owner_member_id"))
        batch_op.drop_index("ix_forecast_point_item_site_day")
    op.drop_table("forecast_point")
