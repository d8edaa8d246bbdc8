"""inventory proposals: network optimum put to the vote, fair-share transfers, votes, history

``inventory_proposal``: one optimum of the network (service level, totals under policies (a),
(b), (c), the transfer rule), its status and version; a partial unique index keeps one open
proposal per network. ``proposal_placement``: per stocking point the proposed service times,
safety stock and base-stock level, with the parameters it had before. ``proposal_share``: per
member its cost under (a) and (c) and its transfer. ``proposal_vote``: one vote per member.
``proposal_event``: every step (created, voted, adopted with the parameters written, rejected,
withdrawn, superseded), one per version.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_INDEX = "uq_inventory_proposal_network_id_open"


def _float(name: str, nullable: bool = False) -> sa.Column[float]:
    return sa.Column(name, sa.Float(), nullable=nullable)


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
        "inventory_proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        _float("service_level"),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("optimal", sa.Boolean(), nullable=False),
        _float("gap"),
        _float("cost_buffer_everywhere"),
        _float("cost_push_to_customer"),
        _float("cost_optimal"),
        sa.Column("transfer_rule", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", utc, nullable=True),
        sa.CheckConstraint(
            "service_level > 0 AND service_level < 1",
            name=op.f("ck_inventory_proposal_service_level_range"),
        ),
        _fk("inventory_proposal", "created_by_member_id", "member"),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_inventory_proposal_created_by_user_id_app_user"),
        ),
        _fk("inventory_proposal", "network_id", "network"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_proposal")),
    )
    _index("inventory_proposal", "network_id")
    with op.batch_alter_table("inventory_proposal", schema=None) as batch_op:
        batch_op.create_index(
            OPEN_INDEX,
            ["network_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "proposal_placement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("item_site_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        _float("inbound_service_time"),
        _float("outbound_service_time"),
        _float("net_lead_time"),
        _float("safety_stock"),
        _float("base_stock_level"),
        _float("holding_cost_per_unit_year"),
        _float("current_safety_stock", nullable=True),
        _float("current_order_up_to", nullable=True),
        sa.CheckConstraint(
            "safety_stock >= 0", name=op.f("ck_proposal_placement_non_negative_safety_stock")
        ),
        _fk("proposal_placement", "owner_member_id", "member"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["inventory_proposal.id"],
            name=op.f("fk_proposal_placement_proposal_id_inventory_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_placement")),
        sa.UniqueConstraint(
            "proposal_id",
            "item_site_id",
            name=op.f("uq_proposal_placement_proposal_id_item_site_id"),
        ),
    )
    _index("proposal_placement", "proposal_id")

    op.create_table(
        "proposal_share",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        _float("standalone_cost"),
        _float("coordinated_cost"),
        _float("transfer"),
        _float("shapley_value", nullable=True),
        _fk("proposal_share", "member_id", "member"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["inventory_proposal.id"],
            name=op.f("fk_proposal_share_proposal_id_inventory_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_share")),
        sa.UniqueConstraint(
            "proposal_id", "member_id", name=op.f("uq_proposal_share_proposal_id_member_id")
        ),
    )
    _index("proposal_share", "proposal_id")

    op.create_table(
        "proposal_vote",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("at", utc, nullable=False),
        sa.Column("comment", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _fk("proposal_vote", "member_id", "member"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["inventory_proposal.id"],
            name=op.f("fk_proposal_vote_proposal_id_inventory_proposal"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_proposal_vote_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_vote")),
        sa.UniqueConstraint(
            "proposal_id", "member_id", name=op.f("uq_proposal_vote_proposal_id_member_id")
        ),
    )
    _index("proposal_vote", "proposal_id")

    op.create_table(
        "proposal_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", utc, nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        _fk("proposal_event", "actor_member_id", "member"),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["app_user.id"],
            name=op.f("fk_proposal_event_actor_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["inventory_proposal.id"],
            name=op.f("fk_proposal_event_proposal_id_inventory_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_event")),
        sa.UniqueConstraint(
            "proposal_id", "version", name=op.f("uq_proposal_event_proposal_id_version")
        ),
    )
    _index("proposal_event", "proposal_id")


def downgrade() -> None:
    for table in ("proposal_event", "proposal_vote", "proposal_share", "proposal_placement"):
        _drop_index(table, "proposal_id")
        op.drop_table(table)
    with op.batch_alter_table("inventory_proposal", schema=None) as batch_op:
        batch_op.drop_index(OPEN_INDEX)
    _drop_index("inventory_proposal", "network_id")
    op.drop_table("inventory_proposal")
