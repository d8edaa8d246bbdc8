"""one bill-of-materials line per parent and component for every site

A line with ``site_id`` NULL applies to every site. The unique constraint on
(parent_item_id, component_item_id, site_id) treats NULLs as distinct on both backends, so the
same every-site line could be stored twice (and exploded twice). A partial unique index closes
that gap, as the in-memory twin already does.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_bom_line_parent_item_id_component_item_id_every_site"


def upgrade() -> None:
    op.create_index(
        INDEX,
        "bom_line",
        ["parent_item_id", "component_item_id"],
        unique=True,
        sqlite_where=sa.text("site_id IS NULL"),
        postgresql_where=sa.text("site_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="bom_line")
