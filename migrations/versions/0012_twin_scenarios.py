"""twin scenarios: stored what-if scenarios of the digital twin

``twin_scenario``: one member's named scenario on a network, its deltas as a JSON list (never a
copy of the network), when and by whom it was created; names are unique per member.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "twin_scenario"


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{TABLE}_{column}_{target}")
    )


def upgrade() -> None:
    utc = tandem.adapters.tables.UtcDateTime(timezone=True)
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("deltas", sa.JSON(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        _fk("network_id", "network"),
        _fk("owner_member_id", "member"),
        _fk("created_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint(
            "owner_member_id", "name", name=op.f(f"uq_{TABLE}_owner_member_id_name")
        ),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("network_id", "owner_member_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("owner_member_id", "network_id"):
            batch_op.drop_index(batch_op.f(f"ix_{TABLE}_{column}"))
    op.drop_table(TABLE)
