"""production model: resources, routings, production orders and their schedules

``resource``: a member's work centre or line at one of its sites (hours per day, weekday mask
and non-working dates as JSON, overtime limit and cost, family changeover matrix as JSON).
``routing``: the operations (JSON) that make one item at one site, and its product family.
``production_order``: released from a run's planned production order (run id and ref, unique).
``production_schedule`` and ``scheduled_operation``: one CP-SAT schedule and its Gantt bars.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _int(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))


def _master_data() -> None:
    op.create_table(
        "resource",
        _id(), _int("network_id"), _int("member_id"), _int("site_id"),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hours_per_day", sa.Float(), nullable=False),
        sa.Column("working_weekdays", sa.JSON(), nullable=False),
        sa.Column("non_working_dates", sa.JSON(), nullable=False),
        sa.Column("max_overtime_hours_per_day", sa.Float(), nullable=False),
        sa.Column("overtime_cost_per_hour", sa.Float(), nullable=False),
        sa.Column("changeovers", sa.JSON(), nullable=False),
        sa.Column("default_changeover_hours", sa.Float(), nullable=False),
        _fk("resource", "member_id", "member"),
        _fk("resource", "network_id", "network"),
        _fk("resource", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
        sa.UniqueConstraint("member_id", "code", name=op.f("uq_resource_member_id_code")),
    )  # fmt: skip
    _index("resource", "member_id")
    op.create_table(
        "routing",
        _id(), _int("network_id"), _int("member_id"), _int("item_id"), _int("site_id"),
        sa.Column("operations", sa.JSON(), nullable=False),
        sa.Column("family", sa.String(length=64), nullable=False),
        _fk("routing", "item_id", "item"),
        _fk("routing", "member_id", "member"),
        _fk("routing", "network_id", "network"),
        _fk("routing", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing")),
        sa.UniqueConstraint("item_id", "site_id", name=op.f("uq_routing_item_id_site_id")),
    )  # fmt: skip
    _index("routing", "member_id")


def _orders_and_schedules() -> None:
    utc = tandem.adapters.tables.UtcDateTime(timezone=True)
    op.create_table(
        "production_order",
        _id(), _int("network_id"), _int("member_id"), _int("item_id"), _int("site_id"),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        _int("run_id", nullable=True),
        sa.Column("planned_order_ref", sa.String(length=200), nullable=True),
        _fk("production_order", "item_id", "item"),
        _fk("production_order", "member_id", "member"),
        _fk("production_order", "network_id", "network"),
        _fk("production_order", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_order")),
        sa.UniqueConstraint(
            "run_id", "planned_order_ref",
            name=op.f("uq_production_order_run_id_planned_order_ref"),
        ),
    )  # fmt: skip
    _index("production_order", "member_id")
    op.create_table(
        "production_schedule",
        _id(), _int("network_id"), _int("member_id"),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("origin", sa.Date(), nullable=False),
        _int("day_minutes"), _int("shift_start_hour"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("best_bound", sa.Float(), nullable=False),
        _int("total_setup_minutes"),
        sa.Column("orders", sa.JSON(), nullable=False),
        _fk("production_schedule", "member_id", "member"),
        _fk("production_schedule", "network_id", "network"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_schedule")),
    )  # fmt: skip
    _index("production_schedule", "member_id")
    op.create_table(
        "scheduled_operation",
        _id(), _int("schedule_id"), _int("production_order_id"), _int("operation_no"),
        _int("resource_id"), _int("start_minute"), _int("end_minute"), _int("setup_minutes"),
        sa.Column("family", sa.String(length=64), nullable=False),
        _int("position"),
        sa.Column("start_at", utc, nullable=False),
        sa.Column("end_at", utc, nullable=False),
        _fk("scheduled_operation", "production_order_id", "production_order"),
        _fk("scheduled_operation", "resource_id", "resource"),
        _fk("scheduled_operation", "schedule_id", "production_schedule"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_operation")),
    )  # fmt: skip
    _index("scheduled_operation", "schedule_id")


def upgrade() -> None:
    _master_data()
    _orders_and_schedules()


def downgrade() -> None:
    _drop_index("scheduled_operation", "schedule_id")
    op.drop_table("scheduled_operation")
    _drop_index("production_schedule", "member_id")
    op.drop_table("production_schedule")
    _drop_index("production_order", "member_id")
    op.drop_table("production_order")
    _drop_index("routing", "member_id")
    op.drop_table("routing")
    _drop_index("resource", "member_id")
    op.drop_table("resource")
