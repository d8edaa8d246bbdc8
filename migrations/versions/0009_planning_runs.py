"""planning runs: supplier offers, MRP runs with their stored results, capacity commitments

``supplier_offer``: a supplier's terms for one item to one buyer (lead time, MOQ, multiple,
price breaks as JSON, priority, validity). ``planning_run``: one MRP run (kind, status,
progress, parameters, the scenario as JSON, the worker's pid); unique per member and client
request key. Its results: ``planning_item_site`` (the time-phased record as JSON),
``planned_order``, ``planning_exception``, ``planning_peg``. ``capacity_commitment``: what a
supplier commits per item and week against a buyer's shared plan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULT_TABLES = ("planning_item_site", "planned_order", "planning_exception", "planning_peg")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _int(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _float(name: str, nullable: bool = False) -> sa.Column[float]:
    return sa.Column(name, sa.Float(), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))


def upgrade() -> None:
    utc = tandem.adapters.tables.UtcDateTime(timezone=True)
    op.create_table(
        "supplier_offer",
        _id(),
        _int("network_id"),
        _int("buyer_member_id"),
        _int("supplier_member_id"),
        _int("item_id"),
        _float("lead_time_days"),
        _int("ship_from_site_id", nullable=True),
        _float("min_order_quantity"),
        _float("order_multiple", nullable=True),
        sa.Column("price_breaks", sa.JSON(), nullable=False),
        _int("priority"),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        _fk("supplier_offer", "buyer_member_id", "member"),
        _fk("supplier_offer", "item_id", "item"),
        _fk("supplier_offer", "network_id", "network"),
        _fk("supplier_offer", "ship_from_site_id", "site"),
        _fk("supplier_offer", "supplier_member_id", "member"),
        _pk("supplier_offer"),
    )
    _index("supplier_offer", "buyer_member_id")

    op.create_table(
        "planning_run",
        _id(),
        _int("network_id"),
        _int("member_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        _int("horizon_buckets"),
        sa.Column("bucket", sa.String(length=8), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        _float("progress"),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("started_at", utc, nullable=True),
        sa.Column("finished_at", utc, nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=False),
        _int("worker_pid", nullable=True),
        sa.Column("request_key", sa.String(length=120), nullable=True),
        _int("created_by_user_id", nullable=True),
        _fk("planning_run", "created_by_user_id", "app_user"),
        _fk("planning_run", "member_id", "member"),
        _fk("planning_run", "network_id", "network"),
        _pk("planning_run"),
        sa.UniqueConstraint(
            "member_id", "request_key", name=op.f("uq_planning_run_member_id_request_key")
        ),
    )
    _index("planning_run", "member_id")

    op.create_table(
        "planning_item_site",
        _id(),
        _int("run_id"),
        _int("owner_member_id"),
        _int("item_id"),
        _int("site_id"),
        sa.Column("supply_kind", sa.String(length=16), nullable=False),
        _int("low_level_code"),
        sa.Column("record", sa.JSON(), nullable=False),
        _float("past_due_release"),
        _fk("planning_item_site", "owner_member_id", "member"),
        _fk("planning_item_site", "run_id", "planning_run"),
        _pk("planning_item_site"),
    )

    op.create_table(
        "planned_order",
        _id(),
        _int("run_id"),
        _int("owner_member_id"),
        sa.Column("ref", sa.String(length=200), nullable=False),
        _int("item_id"),
        _int("site_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        _float("quantity"),
        _float("release_quantity"),
        sa.Column("release_past_due", sa.Boolean(), nullable=False),
        _int("supplier_member_id", nullable=True),
        _int("from_site_id", nullable=True),
        _int("purchase_order_id", nullable=True),
        _fk("planned_order", "owner_member_id", "member"),
        _fk("planned_order", "purchase_order_id", "purchase_order"),
        _fk("planned_order", "run_id", "planning_run"),
        _fk("planned_order", "supplier_member_id", "member"),
        _pk("planned_order"),
        sa.UniqueConstraint("run_id", "ref", name=op.f("uq_planned_order_run_id_ref")),
    )

    op.create_table(
        "planning_exception",
        _id(),
        _int("run_id"),
        _int("owner_member_id"),
        sa.Column("code", sa.String(length=32), nullable=False),
        _int("item_id"),
        _int("site_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("message", sa.String(length=2000), nullable=False),
        sa.Column("supply_ref", sa.String(length=200), nullable=True),
        _fk("planning_exception", "owner_member_id", "member"),
        _fk("planning_exception", "run_id", "planning_run"),
        _pk("planning_exception"),
    )

    op.create_table(
        "planning_peg",
        _id(),
        _int("run_id"),
        sa.Column("supply_ref", sa.String(length=200), nullable=False),
        _float("quantity"),
        sa.Column("demand_ref", sa.String(length=200), nullable=True),
        sa.Column("parent_ref", sa.String(length=200), nullable=True),
        _float("parent_quantity"),
        _fk("planning_peg", "run_id", "planning_run"),
        _pk("planning_peg"),
    )
    for table in RESULT_TABLES:
        _index(table, "run_id")

    op.create_table(
        "capacity_commitment",
        _id(),
        _int("network_id"),
        _int("buyer_member_id"),
        _int("supplier_member_id"),
        _int("item_id"),
        sa.Column("week_start", sa.Date(), nullable=False),
        _float("quantity"),
        sa.Column("committed_at", utc, nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        _int("committed_by_user_id", nullable=True),
        _fk("capacity_commitment", "buyer_member_id", "member"),
        _fk("capacity_commitment", "committed_by_user_id", "app_user"),
        _fk("capacity_commitment", "item_id", "item"),
        _fk("capacity_commitment", "network_id", "network"),
        _fk("capacity_commitment", "supplier_member_id", "member"),
        _pk("capacity_commitment"),
        sa.UniqueConstraint(
            "buyer_member_id",
            "supplier_member_id",
            "item_id",
            "week_start",
            name=op.f("uq_capacity_commitment_supplier_item_week"),
        ),
    )
    _index("capacity_commitment", "buyer_member_id")


def downgrade() -> None:
    _drop_index("capacity_commitment", "buyer_member_id")
    op.drop_table("capacity_commitment")
    for table in reversed(RESULT_TABLES):
        _drop_index(table, "run_id")
        op.drop_table(table)
    _drop_index("planning_run", "member_id")
    op.drop_table("planning_run")
    _drop_index("supplier_offer", "buyer_member_id")
    op.drop_table("supplier_offer")
