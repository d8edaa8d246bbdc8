"""Tables of coordinated inventory: network proposals, their placements and member shares,
the members' votes, and the history of every step (``proposal_event``).

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete.
"""

from __future__ import annotations

import sqlalchemy as sa

from tandem.adapters.tables import UtcDateTime, metadata


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, index: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


def _amount(name: str, nullable: bool = False) -> sa.Column[float]:
    return sa.Column(name, sa.Float, nullable=nullable)


inventory_proposal = sa.Table(
    "inventory_proposal",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("title", sa.String(200), nullable=False),
    _amount("service_level"),
    sa.Column("method", sa.String(64), nullable=False),
    sa.Column("optimal", sa.Boolean, nullable=False),
    _amount("gap"),
    _amount("cost_buffer_everywhere"),
    _amount("cost_push_to_customer"),
    _amount("cost_optimal"),
    sa.Column("transfer_rule", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _fk("created_by_member_id", "member.id", index=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    _fk("created_by_user_id", "app_user.id", nullable=True, index=False),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.CheckConstraint("service_level > 0 AND service_level < 1", name="service_level_range"),
    # One open proposal per network, also between two concurrent creators.
    sa.Index(
        "uq_inventory_proposal_network_id_open",
        "network_id",
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    ),
)

# ``item_site_id`` has no foreign key on purpose: a placement is a record of what was put to the
# vote, and deleting a stocking point must not rewrite (or be blocked by) the network's history.
proposal_placement = sa.Table(
    "proposal_placement",
    metadata,
    _id(),
    _fk("proposal_id", "inventory_proposal.id"),
    sa.Column("item_site_id", sa.Integer, nullable=False),
    _fk("owner_member_id", "member.id", index=False),
    _amount("inbound_service_time"),
    _amount("outbound_service_time"),
    _amount("net_lead_time"),
    _amount("safety_stock"),
    _amount("base_stock_level"),
    _amount("holding_cost_per_unit_year"),
    _amount("current_safety_stock", nullable=True),
    _amount("current_order_up_to", nullable=True),
    sa.UniqueConstraint("proposal_id", "item_site_id"),
    sa.CheckConstraint("safety_stock >= 0", name="non_negative_safety_stock"),
)

proposal_share = sa.Table(
    "proposal_share",
    metadata,
    _id(),
    _fk("proposal_id", "inventory_proposal.id"),
    _fk("member_id", "member.id", index=False),
    _amount("standalone_cost"),
    _amount("coordinated_cost"),
    _amount("transfer"),
    _amount("shapley_value", nullable=True),
    sa.UniqueConstraint("proposal_id", "member_id"),
)

# One vote per member and proposal: two concurrent votes of one member cannot both count.
proposal_vote = sa.Table(
    "proposal_vote",
    metadata,
    _id(),
    _fk("proposal_id", "inventory_proposal.id"),
    _fk("member_id", "member.id", index=False),
    sa.Column("choice", sa.String(16), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("comment", sa.String(2000), nullable=False, server_default=""),
    _fk("user_id", "app_user.id", nullable=True, index=False),
    sa.UniqueConstraint("proposal_id", "member_id"),
)

proposal_event = sa.Table(
    "proposal_event",
    metadata,
    _id(),
    _fk("proposal_id", "inventory_proposal.id"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    _fk("actor_member_id", "member.id", index=False),
    sa.Column("detail", sa.JSON, nullable=False),
    _fk("actor_user_id", "app_user.id", nullable=True, index=False),
    # One event per version: a lost update of the proposal would write a duplicate and fail here.
    sa.UniqueConstraint("proposal_id", "version"),
)
