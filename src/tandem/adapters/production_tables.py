"""Tables of production: resources, routings, production orders and their schedules.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete. A routing's operations, a resource's calendar exceptions and
changeover matrix, and a schedule's order outcomes are JSON: each is read and written whole with
its owner. A production order keeps the run and planned-order ref it came from without a foreign
key (a run is a record, deleting it must not be blocked by the orders released from it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.production import (
    Changeover,
    OrderOutcomeRow,
    ProductionOrder,
    ProductionOrderStatus,
    ProductionSchedule,
    Resource,
    ResourceKind,
    Routing,
    RoutingOperation,
    ScheduledOperation,
)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, index: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


resource = sa.Table(
    "resource",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id", index=True),
    _fk("site_id", "site.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("hours_per_day", sa.Float, nullable=False),
    sa.Column("working_weekdays", sa.JSON, nullable=False),
    sa.Column("non_working_dates", sa.JSON, nullable=False),
    sa.Column("max_overtime_hours_per_day", sa.Float, nullable=False),
    sa.Column("overtime_cost_per_hour", sa.Float, nullable=False),
    sa.Column("changeovers", sa.JSON, nullable=False),
    sa.Column("default_changeover_hours", sa.Float, nullable=False),
    sa.UniqueConstraint("member_id", "code"),
)

routing = sa.Table(
    "routing",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id", index=True),
    _fk("item_id", "item.id"),
    _fk("site_id", "site.id"),
    sa.Column("operations", sa.JSON, nullable=False),
    sa.Column("family", sa.String(64), nullable=False),
    sa.UniqueConstraint("item_id", "site_id"),
)

production_order = sa.Table(
    "production_order",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id", index=True),
    _fk("item_id", "item.id"),
    _fk("site_id", "site.id"),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("run_id", sa.Integer, nullable=True),
    sa.Column("planned_order_ref", sa.String(200), nullable=True),
    # Releasing the same planned order twice finds the first production order.
    sa.UniqueConstraint("run_id", "planned_order_ref"),
)

production_schedule = sa.Table(
    "production_schedule",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id", index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("origin", sa.Date, nullable=False),
    sa.Column("day_minutes", sa.Integer, nullable=False),
    sa.Column("shift_start_hour", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("objective", sa.Float, nullable=False),
    sa.Column("best_bound", sa.Float, nullable=False),
    sa.Column("total_setup_minutes", sa.Integer, nullable=False),
    sa.Column("orders", sa.JSON, nullable=False),
)

scheduled_operation = sa.Table(
    "scheduled_operation",
    metadata,
    _id(),
    _fk("schedule_id", "production_schedule.id", index=True),
    _fk("production_order_id", "production_order.id"),
    sa.Column("operation_no", sa.Integer, nullable=False),
    _fk("resource_id", "resource.id"),
    sa.Column("start_minute", sa.Integer, nullable=False),
    sa.Column("end_minute", sa.Integer, nullable=False),
    sa.Column("setup_minutes", sa.Integer, nullable=False),
    sa.Column("family", sa.String(64), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("start_at", UtcDateTime, nullable=False),
    sa.Column("end_at", UtcDateTime, nullable=False),
)


def _changeovers_out(value: tuple[Changeover, ...]) -> list[list[Any]]:
    return [[c.from_family, c.to_family, c.hours] for c in value]


def _changeovers_in(value: list[list[Any]]) -> tuple[Changeover, ...]:
    return tuple(Changeover(str(a), str(b), float(h)) for a, b, h in value)


def _operations_out(value: tuple[RoutingOperation, ...]) -> list[list[float]]:
    return [[op.resource_id, op.setup_hours, op.run_hours_per_unit] for op in value]


def _operations_in(value: list[list[float]]) -> tuple[RoutingOperation, ...]:
    return tuple(RoutingOperation(int(r), float(s), float(u)) for r, s, u in value)


def _outcomes_out(value: tuple[OrderOutcomeRow, ...]) -> list[list[int]]:
    return [
        [o.production_order_id, o.due_minute, o.completion_minute, o.tardiness_minutes]
        for o in value
    ]


def _outcomes_in(value: list[list[int]]) -> tuple[OrderOutcomeRow, ...]:
    return tuple(OrderOutcomeRow(*(int(x) for x in row)) for row in value)


PRODUCTION_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "resources": (
        resource,
        Codec(
            Resource,
            {
                "kind": lambda v: v.value,
                "working_weekdays": list,
                "non_working_dates": lambda v: [d.isoformat() for d in v],
                "changeovers": _changeovers_out,
            },
            {
                "kind": ResourceKind,
                "working_weekdays": lambda v: tuple(int(d) for d in v),
                "non_working_dates": lambda v: tuple(date.fromisoformat(d) for d in v),
                "changeovers": _changeovers_in,
            },
        ),
    ),
    "routings": (
        routing,
        Codec(Routing, {"operations": _operations_out}, {"operations": _operations_in}),
    ),
    "production_orders": (
        production_order,
        Codec(ProductionOrder, {"status": lambda v: v.value}, {"status": ProductionOrderStatus}),
    ),
    "production_schedules": (
        production_schedule,
        Codec(ProductionSchedule, {"orders": _outcomes_out}, {"orders": _outcomes_in}),
    ),
    "scheduled_operations": (scheduled_operation, Codec(ScheduledOperation)),
}

# Unique keys the in-memory twins honour like the tables above.
PRODUCTION_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "resources": (("member_id", "code"),),
    "routings": (("item_id", "site_id"),),
    "production_orders": (),  # (run_id, ref): NULL refs are distinct; the service checks
    "production_schedules": (),
    "scheduled_operations": (),
}
