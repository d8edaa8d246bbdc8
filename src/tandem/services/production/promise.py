"""Capable-to-promise: the earliest completion of a customer order line (or of a hypothetical
item, quantity and date) on the member's current schedule.

The current schedule's operations are taken as they were scheduled (resource and duration), the
request becomes one more order along its item-site's routing, released at the start of today on
the schedule's working-minute axis, and :func:`tandem.planning.scheduling.capable_to_promise`
re-sequences everything while no scheduled order may complete later than it does now (Fordyce,
Wang, Wang & Zhang, "Available to promise", in Kempf, Keskinocak & Uzsoy (eds.), *Planning
Production and Inventories in the Extended Enterprise*, Springer 2011, ch. 11). Nothing is
stored: the answer is a date to promise, the schedule stays as it is until the next scheduling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.production import ProductionSchedule, Resource, Routing, ScheduledOperation
from tandem.planning import scheduling as engine
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.production.calendar import Timeline
from tandem.services.production.scheduling import engine_resources, family_of, minutes

__all__ = ["CheckPromise", "Promise", "check_promise"]

REQUEST_ID = "request"


@dataclass(frozen=True)
class CheckPromise:
    """A customer order line of the member, or an item made at a site, quantity and date."""

    customer_order_line_id: int | None = None
    item_id: int | None = None
    site_id: int | None = None
    quantity: float | None = None
    requested_date: date | None = None
    time_limit_s: float = 10.0


@dataclass(frozen=True)
class Promise:
    item_id: int
    site_id: int
    quantity: float
    requested_date: date
    status: str
    earliest_completion_at: datetime | None
    earliest_date: date | None
    on_time: bool
    schedule_id: int | None


@dataclass(frozen=True)
class _Request:
    item_id: int
    site_id: int
    quantity: float
    requested: date


def _request(uow: UnitOfWork, principal: Principal, command: CheckPromise) -> _Request:
    if command.customer_order_line_id is not None:
        line = uow.customer_order_lines.get(command.customer_order_line_id)
        order = uow.customer_orders.get(line.order_id) if line else None
        if line is None or order is None or order.member_id != principal.member_id:
            raise NotFound(f"customer order line {command.customer_order_line_id} not found")
        open_quantity = float(line.quantity - line.shipped_quantity)
        return _Request(line.item_id, order.ship_from_site_id, open_quantity, line.requested_date)
    given = (command.item_id, command.site_id, command.quantity, command.requested_date)
    if any(v is None for v in given):
        raise ValidationFailed(
            "name a customer order line, or an item, site, quantity and requested date",
            violations=[Violation("ctp", "is required", "customer_order_line_id")],
        )
    assert command.item_id and command.site_id and command.quantity and command.requested_date
    return _Request(command.item_id, command.site_id, command.quantity, command.requested_date)


def _routing(uow: UnitOfWork, principal: Principal, request: _Request) -> Routing:
    found = uow.routings.find(
        member_id=principal.member_id, item_id=request.item_id, site_id=request.site_id
    )
    if not found:
        raise ValidationFailed(
            "no routing makes this item at this site",
            violations=[Violation("ctp", "no routing for the item at the site", "item_id")],
        )
    if request.quantity <= 0:
        raise ValidationFailed(
            "nothing left to promise",
            violations=[Violation("ctp", "open quantity must be > 0", "quantity")],
        )
    return found[0]


def _booked(
    schedule: ProductionSchedule | None, rows: list[ScheduledOperation]
) -> tuple[tuple[engine.ProductionOrder, ...], engine.ScheduleResult]:
    """The current schedule as the engine's problem orders and result (durations as stored)."""
    if schedule is None:
        return (), engine.ScheduleResult(engine.ScheduleStatus.OPTIMAL, (), (), 0.0, 0.0, 0)
    orders, outcomes, ops = [], [], []
    for outcome in schedule.orders:
        mine = sorted((r for r in rows if r.production_order_id == outcome.production_order_id),
                      key=lambda r: r.operation_no)  # fmt: skip
        key = str(outcome.production_order_id)
        steps = tuple(
            engine.OrderOperation(str(r.operation_no), (str(r.resource_id),),
                                  r.end_minute - r.start_minute)
            for r in mine
        )  # fmt: skip
        orders.append(engine.ProductionOrder(key, mine[0].family, steps, outcome.due_minute))
        outcomes.append(engine.OrderOutcome(key, outcome.completion_minute, outcome.due_minute,
                                            outcome.tardiness_minutes))  # fmt: skip
        ops += [
            engine.ScheduledOperation(key, str(r.operation_no), str(r.resource_id),
                                      r.start_minute, r.end_minute, r.family, r.setup_minutes,
                                      r.position)
            for r in mine
        ]  # fmt: skip
    current = engine.ScheduleResult(
        engine.ScheduleStatus(schedule.status), tuple(ops), tuple(outcomes),
        schedule.objective, schedule.best_bound, schedule.total_setup_minutes,
    )  # fmt: skip
    return tuple(orders), current


def check_promise(ctx: ServiceContext, principal: Principal, command: CheckPromise) -> Promise:
    """The earliest completion the request can get without delaying any scheduled order."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        request = _request(uow, principal, command)
        routing = _routing(uow, principal, request)
        found = uow.production_schedules.find(
            member_id=principal.member_id, descending=True, limit=1
        )
        schedule = found[0] if found else None
        rows = uow.scheduled_operations.find(schedule_id=schedule.id) if schedule else []
        resources: list[Resource] = uow.resources.find(member_id=principal.member_id)
    today = ctx.clock.now().date()
    timeline = Timeline(resources, schedule.origin if schedule else today)
    orders, current = _booked(schedule, rows)
    problem = engine.SchedulingProblem(engine_resources(resources), orders)
    steps = tuple(
        engine.RoutingStep((str(op.resource_id),), op.run_hours_per_unit * 60,
                           minutes(op.setup_hours))
        for op in routing.operations
    )  # fmt: skip
    release = timeline.end_of(today - timedelta(days=1))
    wanted = engine.PromiseRequest(
        REQUEST_ID, family_of(routing), steps, request.quantity,
        timeline.end_of(request.requested), release,
    )  # fmt: skip
    settings = engine.SolverSettings(time_limit_s=command.time_limit_s)
    promised = engine.capable_to_promise(problem, current, wanted, settings)
    at = None
    if promised.earliest_completion is not None:
        at = timeline.at(promised.earliest_completion, end=True)
    return Promise(
        request.item_id, request.site_id, request.quantity, request.requested,
        promised.status.value, at, at.date() if at else None, promised.on_time,
        schedule.id if schedule else None,
    )  # fmt: skip
