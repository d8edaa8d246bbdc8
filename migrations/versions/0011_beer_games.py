"""beer games: interactive games on Sterman's board and their weekly orders

``beer_game``: one game of a network (join code, creator, status, the four seats as JSON, the
week awaited, the number of weeks). ``beer_game_order``: one order per game, week and seat.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    utc = tandem.adapters.tables.UtcDateTime(timezone=True)
    op.create_table(
        "beer_game",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("finished_at", utc, nullable=True),
        _fk("beer_game", "created_by_user_id", "app_user"),
        _fk("beer_game", "network_id", "network"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beer_game")),
        sa.UniqueConstraint("join_code", name=op.f("uq_beer_game_join_code")),
    )
    with op.batch_alter_table("beer_game", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_beer_game_network_id"), ["network_id"], unique=False)
    op.create_table(
        "beer_game_order",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("submitted_at", utc, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _fk("beer_game_order", "game_id", "beer_game"),
        _fk("beer_game_order", "user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beer_game_order")),
        sa.UniqueConstraint(
            "game_id", "week", "role", name=op.f("uq_beer_game_order_game_id_week_role")
        ),
    )
    with op.batch_alter_table("beer_game_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_beer_game_order_game_id"), ["game_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("beer_game_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_beer_game_order_game_id"))
    op.drop_table("beer_game_order")
    with op.batch_alter_table("beer_game", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_beer_game_network_id"))
    op.drop_table("beer_game")
