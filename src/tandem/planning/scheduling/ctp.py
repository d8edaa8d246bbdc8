"""Capable-to-promise: the earliest completion a new order can get on the current schedule.

The new order's routing is turned into operations (``setup + ceil(quantity * minutes per
unit)`` minutes each, a chain) and added to the scheduled orders; CP-SAT re-sequences every
operation and minimises the new order's completion subject to **no already-scheduled order
completing later than it does in the current schedule** (``C_o <= C_o^current``). Bounding by
the current completion rather than by the due date is the choice made here: it keeps every
date already communicated to a customer, including the early ones, and an order that is
already late gets no later. Capable-to-promise in the sense of Fordyce, Wang, Wang & Zhang,
"Available to promise", in Kempf, Keskinocak & Uzsoy (eds.), *Planning Production and
Inventories in the Extended Enterprise*, Springer 2011, ch. 11 (promising against capacity,
not only stock).

>>> from tandem.planning.scheduling.cpsat import CpSatScheduler
>>> from tandem.planning.scheduling.problem import (
...     OrderOperation, ProductionOrder, SchedulingProblem, SchedulingResource)
>>> booked = ProductionOrder("a", "f", (OrderOperation("op", ("m",), 30),), due=100)
>>> problem = SchedulingProblem((SchedulingResource("m"),), (booked,))
>>> current = CpSatScheduler().solve(problem)
>>> request = PromiseRequest("new", "f", (RoutingStep(("m",), 2.0),), quantity=10, requested=15)
>>> promise = capable_to_promise(problem, current, request)
>>> promise.earliest_completion, promise.on_time  # after "a", which may not finish later
(50, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tandem.planning.scheduling._model import ScheduleModel, SolverSettings
from tandem.planning.scheduling.errors import SchedulingInputError
from tandem.planning.scheduling.problem import OrderOperation, ProductionOrder, SchedulingProblem
from tandem.planning.scheduling.result import ScheduleResult, ScheduleStatus

__all__ = ["PromiseRequest", "PromiseResult", "RoutingStep", "capable_to_promise"]


@dataclass(frozen=True)
class RoutingStep:
    """One routing step of the requested item: eligible resources and times in minutes."""

    resources: tuple[str, ...]
    minutes_per_unit: float
    setup_minutes: int = 0

    def duration(self, quantity: float) -> int:
        """Whole minutes to make ``quantity`` units."""
        return self.setup_minutes + math.ceil(self.minutes_per_unit * quantity - 1e-9)


@dataclass(frozen=True)
class PromiseRequest:
    """A customer order to promise: routing, quantity and requested completion (minutes)."""

    order_id: str
    family: str
    routing: tuple[RoutingStep, ...]
    quantity: float
    requested: int
    release: int = 0
    weight: int = 1

    def as_order(self) -> ProductionOrder:
        """The production order the request would become."""
        if self.quantity <= 0:
            raise SchedulingInputError(f"request {self.order_id!r} needs a quantity > 0")
        ops = tuple(
            OrderOperation(f"{k + 1}", step.resources, step.duration(self.quantity))
            for k, step in enumerate(self.routing)
        )
        return ProductionOrder(
            self.order_id, self.family, ops, self.requested, self.release, self.weight
        )


@dataclass(frozen=True)
class PromiseResult:
    """The earliest completion (``None`` if none was found) and the schedule that gives it."""

    order_id: str
    status: ScheduleStatus
    earliest_completion: int | None
    requested: int
    schedule: ScheduleResult

    @property
    def on_time(self) -> bool:
        """Whether the requested date can be promised."""
        return self.earliest_completion is not None and self.earliest_completion <= self.requested


def capable_to_promise(
    problem: SchedulingProblem,
    current: ScheduleResult,
    request: PromiseRequest,
    settings: SolverSettings | None = None,
) -> PromiseResult:
    """Earliest completion of ``request`` keeping every current completion (see module doc)."""
    booked = {o.order_id: o.completion for o in current.orders}
    missing = [o.id for o in problem.orders if o.id not in booked]
    if missing:
        raise SchedulingInputError(f"the current schedule lacks orders {missing}")
    if request.order_id in booked:
        raise SchedulingInputError(f"order {request.order_id!r} is already scheduled")
    extended = problem.with_order(request.as_order())
    model = ScheduleModel.build(extended)
    for k, order in enumerate(problem.orders):
        model.model.add(model.completion[k] <= booked[order.id])
    new = model.completion[len(problem.orders)]
    model.model.minimize(new)
    for k, op in enumerate(_booked_operations(extended, current)):
        model.model.add_hint(model.start[k], op)
    solver = (settings or SolverSettings()).solver()
    schedule = model.extract(solver, solver.solve(model.model))
    found = schedule.status in (ScheduleStatus.OPTIMAL, ScheduleStatus.FEASIBLE)
    completion = schedule.completion_of(request.order_id) if found else None
    return PromiseResult(request.order_id, schedule.status, completion, request.requested, schedule)


def _booked_operations(problem: SchedulingProblem, current: ScheduleResult) -> list[int]:
    """Current start of each already-scheduled operation, in the problem's operation order."""
    at = {(op.order_id, op.operation_id): op.start for op in current.operations}
    orders = problem.orders
    starts = []
    for f in problem.operations:
        key = (orders[f.order].id, f.operation.id)
        if key not in at:
            break
        starts.append(at[key])
    return starts
