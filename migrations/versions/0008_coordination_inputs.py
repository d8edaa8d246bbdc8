"""coordination inputs: processing time and costs of stocking points, duty rate of lanes

``item_site`` gains ``processing_days``, ``added_cost``, ``handling_cost`` and
``order_quantity`` (all nullable: absent means the documented default of
``docs/coordinated-inventory.md``); ``lane`` gains ``duty_rate`` (ad valorem, default 0).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_SITE_COLUMNS = ("processing_days", "added_cost", "handling_cost", "order_quantity")


def upgrade() -> None:
    with op.batch_alter_table("item_site", schema=None) as batch_op:
        for name in ITEM_SITE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
    with op.batch_alter_table("lane", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duty_rate", sa.Float(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("lane", schema=None) as batch_op:
        batch_op.drop_column("duty_rate")
    with op.batch_alter_table("item_site", schema=None) as batch_op:
        for name in reversed(ITEM_SITE_COLUMNS):
            batch_op.drop_column(name)
