"""Scheduling the member's released production orders on its resources with CP-SAT.

Each released order becomes a chain of operations along its item-site's routing, one per
routing step, lasting ``ceil(60 * (setup + run * quantity))`` working minutes on the step's
resource, of the routing's product family; a resource's changeover matrix gives the
sequence-dependent setup between families (hours, turned into minutes). Due dates are the end of
the due date's shift on the working-minute axis of :class:`~.calendar.Timeline`.
:class:`tandem.planning.scheduling.CpSatScheduler` minimises weighted tardiness plus setup
minutes (Allahverdi, Ng, Cheng & Kovalyov, *EJOR* 187, 2008). Each run of the scheduler is
stored (the member's latest is its *current schedule*): one row per operation with its resource,
start, end and changeover before it, as the Gantt chart draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from tandem.domain.errors import Conflict, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.production import (
    OrderOutcomeRow,
    ProductionOrder,
    ProductionOrderStatus,
    ProductionSchedule,
    Resource,
    Routing,
    ScheduledOperation,
)
from tandem.planning import scheduling as engine
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.production.calendar import SHIFT_START_HOUR, Timeline

__all__ = [
    "GanttBar",
    "ScheduleOrders",
    "ScheduleView",
    "ScheduledOrder",
    "current_schedule",
    "engine_resources",
    "schedule_released",
]


@dataclass(frozen=True)
class ScheduleOrders:
    """From which day (default today) and how long CP-SAT may search."""

    start: date | None = None
    time_limit_s: float = 10.0
    tardiness_weight: int = 1
    setup_weight: int = 1


@dataclass(frozen=True)
class GanttBar:
    """One operation as the Gantt chart draws it (minutes on the schedule's working axis)."""

    production_order_id: int
    operation_no: int
    resource_id: int
    sku: str
    family: str
    start_minute: int
    end_minute: int
    setup_minutes: int
    start_at: datetime
    end_at: datetime
    due_date: date
    tardy: bool


@dataclass(frozen=True)
class ScheduledOrder:
    production_order_id: int
    sku: str
    quantity: float
    due_date: date
    completion_at: datetime
    tardiness_minutes: int


@dataclass(frozen=True)
class ScheduleView:
    schedule: ProductionSchedule
    resources: tuple[Resource, ...]
    bars: tuple[GanttBar, ...]
    orders: tuple[ScheduledOrder, ...]
    days: tuple[date, ...]
    """The working day of each ``day_minutes`` stretch of the axis, up to the makespan."""


def minutes(hours: float) -> int:
    """Whole working minutes of ``hours`` (rounded up)."""
    return math.ceil(hours * 60 - 1e-9)


def engine_resources(resources: list[Resource]) -> tuple[engine.SchedulingResource, ...]:
    """Resources with their family changeover matrices in minutes."""
    return tuple(
        engine.SchedulingResource(
            str(r.id),
            engine.FamilySetups(
                {(c.from_family, c.to_family): minutes(c.hours) for c in r.changeovers},
                default=minutes(r.default_changeover_hours),
            ),
        )
        for r in resources
    )


def family_of(routing: Routing) -> str:
    return routing.family or f"item-{routing.item_id}"


def _engine_order(order: ProductionOrder, routing: Routing, due: int) -> engine.ProductionOrder:
    ops = tuple(
        engine.OrderOperation(str(k + 1), (str(op.resource_id),), minutes(op.hours(order.quantity)))
        for k, op in enumerate(routing.operations)
    )
    return engine.ProductionOrder(str(order.id), family_of(routing), ops, due)


def _inputs(
    uow: UnitOfWork, principal: Principal
) -> tuple[list[ProductionOrder], dict[tuple[int, int], Routing], list[Resource]]:
    orders = uow.production_orders.find(
        member_id=principal.member_id, status=ProductionOrderStatus.RELEASED
    )
    routings = {(r.item_id, r.site_id): r for r in uow.routings.find(member_id=principal.member_id)}
    found = [
        Violation(f"production order {o.id}", "its item-site has no routing")
        for o in orders
        if (o.item_id, o.site_id) not in routings
    ]
    if not orders:
        found.append(Violation("schedule", "no released production orders"))
    if found:
        raise ValidationFailed("cannot schedule: " + "; ".join(map(str, found)), violations=found)
    return orders, routings, uow.resources.find(member_id=principal.member_id)


def schedule_released(
    ctx: ServiceContext, principal: Principal, command: ScheduleOrders
) -> ScheduleView:
    """Sequence every released order of the member and store the schedule."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        orders, routings, resources = _inputs(uow, principal)
    timeline = Timeline(resources, command.start or ctx.clock.now().date())
    problem = engine.SchedulingProblem(
        engine_resources(resources),
        tuple(
            _engine_order(o, routings[(o.item_id, o.site_id)], timeline.end_of(o.due_date))
            for o in orders
        ),
    )
    weights = engine.ObjectiveWeights(command.tardiness_weight, command.setup_weight)
    settings = engine.SolverSettings(time_limit_s=command.time_limit_s)
    result = engine.CpSatScheduler(weights, settings).solve(problem)
    if not result.operations:
        raise Conflict(f"no schedule found ({result.status.value}); allow more time")
    with ctx.uow() as uow:
        schedule = uow.production_schedules.add(_header(principal, ctx, timeline, result))
        uow.scheduled_operations.add_many(_rows(schedule.id, result, timeline))
        uow.commit()
    return current_schedule(ctx, principal) or _missing()


def _missing() -> ScheduleView:  # pragma: no cover - the schedule was stored just above
    raise Conflict("the schedule just stored is gone")


def _header(
    principal: Principal, ctx: ServiceContext, timeline: Timeline, result: engine.ScheduleResult
) -> ProductionSchedule:
    outcomes = tuple(
        OrderOutcomeRow(int(o.order_id), o.due, o.completion, o.tardiness) for o in result.orders
    )
    return ProductionSchedule(
        0, principal.network_id, principal.member_id, ctx.clock.now(), timeline.origin,
        timeline.day_minutes, SHIFT_START_HOUR, result.status.value, result.objective,
        result.best_bound, result.total_setup, outcomes,
    )  # fmt: skip


def _rows(
    schedule_id: int, result: engine.ScheduleResult, timeline: Timeline
) -> list[ScheduledOperation]:
    return [
        ScheduledOperation(
            0, schedule_id, int(op.order_id), int(op.operation_id), int(op.resource), op.start,
            op.end, op.setup_before, op.family, op.position, timeline.at(op.start),
            timeline.at(op.end, end=True),
        )
        for op in result.operations
    ]  # fmt: skip


def current_schedule(ctx: ServiceContext, principal: Principal) -> ScheduleView | None:
    """The member's latest schedule with what the Gantt chart needs, or ``None``."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        found = uow.production_schedules.find(
            member_id=principal.member_id, descending=True, limit=1
        )
        if not found:
            return None
        schedule = found[0]
        rows = uow.scheduled_operations.find(schedule_id=schedule.id)
        orders = {o.production_order_id: uow.production_orders.get(o.production_order_id)
                  for o in schedule.orders}  # fmt: skip
        skus = {i.id: i.sku for i in uow.items.find(network_id=principal.network_id)}
        used = {r.resource_id for r in rows}
        resources = tuple(r for r in uow.resources.find(member_id=principal.member_id)
                          if r.id in used)  # fmt: skip
    return _view(schedule, rows, {k: v for k, v in orders.items() if v}, skus, resources)


def _view(
    schedule: ProductionSchedule, rows: list[ScheduledOperation],
    orders: dict[int, ProductionOrder], skus: dict[int, str], resources: tuple[Resource, ...],
) -> ScheduleView:  # fmt: skip
    tardy = {o.production_order_id for o in schedule.orders if o.tardiness_minutes > 0}
    timeline = Timeline(resources, schedule.origin) if resources else None
    bars = tuple(
        GanttBar(
            r.production_order_id, r.operation_no, r.resource_id,
            skus[orders[r.production_order_id].item_id], r.family, r.start_minute, r.end_minute,
            r.setup_minutes, r.start_at, r.end_at, orders[r.production_order_id].due_date,
            r.production_order_id in tardy,
        )
        for r in sorted(rows, key=lambda r: (r.resource_id, r.start_minute))
        if r.production_order_id in orders
    )  # fmt: skip
    done = {(b.production_order_id): b.end_at for b in sorted(bars, key=lambda b: b.end_minute)}
    scheduled = tuple(
        ScheduledOrder(
            o.production_order_id, skus[orders[o.production_order_id].item_id],
            orders[o.production_order_id].quantity, orders[o.production_order_id].due_date,
            done[o.production_order_id], o.tardiness_minutes,
        )
        for o in schedule.orders
        if o.production_order_id in orders and o.production_order_id in done
    )  # fmt: skip
    makespan = max((b.end_minute for b in bars), default=0)
    count = -(-makespan // schedule.day_minutes) if schedule.day_minutes else 0
    days = (
        tuple(timeline.at(k * schedule.day_minutes).date() for k in range(count))
        if timeline
        else ()
    )
    return ScheduleView(schedule, resources, bars, scheduled, days)
