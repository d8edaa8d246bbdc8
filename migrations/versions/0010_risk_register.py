"""risk register: shared supply risks and their history

``risk``: one member's risk (title, category, likelihood and impact 1-5, status, affected site,
lane and item ids as JSON, mitigations as JSON, review date, expected recovery time in days,
version). ``risk_event``: every change, one per risk version.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))


def upgrade() -> None:
    utc = tandem.adapters.tables.UtcDateTime(timezone=True)
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("site_ids", sa.JSON(), nullable=False),
        sa.Column("lane_ids", sa.JSON(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("mitigations", sa.JSON(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("recovery_days", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_impact_range")),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_likelihood_range")),
        _fk("risk", "created_by_user_id", "app_user"),
        _fk("risk", "network_id", "network"),
        _fk("risk", "owner_member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
    )
    _index("risk", "network_id")
    _index("risk", "owner_member_id")
    op.create_table(
        "risk_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", utc, nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        _fk("risk_event", "actor_member_id", "member"),
        _fk("risk_event", "actor_user_id", "app_user"),
        _fk("risk_event", "risk_id", "risk"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_event")),
        sa.UniqueConstraint("risk_id", "version", name=op.f("uq_risk_event_risk_id_version")),
    )
    _index("risk_event", "risk_id")


def downgrade() -> None:
    _drop_index("risk_event", "risk_id")
    op.drop_table("risk_event")
    _drop_index("risk", "owner_member_id")
    _drop_index("risk", "network_id")
    op.drop_table("risk")
