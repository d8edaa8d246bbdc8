"""Finite-capacity check of a planning run: load per resource per bucket of its planned
production orders (capacity requirements planning, computed on read).

Each planned production order of the run is loaded on the resources of its item-site's routing
by :func:`tandem.planning.production.capacity.check_capacity`: back-scheduled from its due
bucket, one bucket per operation, but never before its release bucket (operations beyond the
order's release-to-due span share the release bucket) — so a one-operation order loads its
release bucket as MRP releases it (one released past due is loaded in the first bucket and
listed as a late start). Capacity is each resource's regular hours in the run's
buckets. Overloaded buckets list the orders loading them, largest first, and the levelling
heuristic suggests pulling orders earlier (Vollmann, Berry, Whybark & Jacobs, *Manufacturing
Planning and Control for Supply Chain Management*, 5th ed., 2005, §6.3).

Nothing is stored: the check reads the run and the member's current resources and routings, so
it follows their changes (a run is a record of demand, the routings are master data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.domain.errors import Conflict
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import PlanBucket, PlannedOrderRow, PlanningRun, RunStatus
from tandem.domain.production import Resource, Routing
from tandem.planning.production import Operation
from tandem.planning.production import Resource as EngineResource
from tandem.planning.production import Routing as EngineRouting
from tandem.planning.production.capacity import CapacityCheck, PlannedOrder, check_capacity
from tandem.services.context import ServiceContext
from tandem.services.planning.problem import planning_calendar
from tandem.services.planning.runs import own_run
from tandem.services.production.calendar import bucket_calendar

__all__ = [
    "LevellingSuggestion",
    "OrderHours",
    "OverloadRow",
    "ResourceLoad",
    "ResourceLoadRow",
    "load_sheet",
    "resource_load",
]


@dataclass(frozen=True)
class ResourceLoadRow:
    """Capacity and load (hours) of one resource per bucket; ``utilisation`` is ``None``
    where a closed bucket carries load."""

    resource_id: int
    code: str
    name: str
    capacity: tuple[float, ...]
    load: tuple[float, ...]
    utilisation: tuple[float | None, ...]
    levelled_load: tuple[float, ...]


@dataclass(frozen=True)
class OrderHours:
    ref: str
    hours: float


@dataclass(frozen=True)
class OverloadRow:
    resource_id: int
    code: str
    bucket_start: date
    load: float
    capacity: float
    excess: float
    orders: tuple[OrderHours, ...]


@dataclass(frozen=True)
class LevellingSuggestion:
    """Start planned order ``ref`` in the bucket from ``to_start`` instead of ``from_start``."""

    ref: str
    from_start: date
    to_start: date


@dataclass(frozen=True)
class ResourceLoad:
    run_id: int
    bucket: PlanBucket
    buckets: tuple[date, ...]
    resources: tuple[ResourceLoadRow, ...]
    overloads: tuple[OverloadRow, ...]
    moves: tuple[LevellingSuggestion, ...]
    late_starts: tuple[str, ...]
    """Orders whose first operation would start before the first bucket."""
    unrouted: tuple[str, ...]
    """Planned production orders of item-sites without a routing (not loaded)."""
    beyond_horizon: tuple[str, ...]


def resource_load(ctx: ServiceContext, principal: Principal, run_id: int) -> ResourceLoad:
    """Load of the run's planned production orders on the member's resources."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        run = own_run(uow, principal, run_id)
        if run.status is not RunStatus.SUCCEEDED:
            raise Conflict(f"planning run {run_id} has not succeeded ({run.status.value})")
        orders = [o for o in uow.planned_orders.find(run_id=run_id) if o.kind == "production"]
        resources = uow.resources.find(member_id=principal.member_id)
        routings = uow.routings.find(member_id=principal.member_id)
    return _check(run, orders, resources, routings)


@dataclass
class _Loading:
    starts: tuple[date, ...]
    days: int
    orders: list[PlannedOrder]
    routings: list[EngineRouting]
    unrouted: list[str]
    beyond: list[str]

    def bucket_of(self, day: date) -> int:
        return (day - self.starts[0]).days // self.days


def _engine_routing(ref: str, routing: Routing, span: int) -> EngineRouting:
    """One bucket per operation from the due bucket back, none earlier than the release."""
    n = len(routing.operations)
    ops = tuple(
        Operation(str(op.resource_id), op.setup_hours, op.run_hours_per_unit,
                  1 if k >= n - span else 0)
        for k, op in enumerate(routing.operations)
    )  # fmt: skip
    return EngineRouting(ref, ops)


def _loading(run: PlanningRun, orders: list[PlannedOrderRow], routings: list[Routing]) -> _Loading:
    starts = planning_calendar(run.as_of, run.horizon_buckets, run.bucket).starts
    days = 1 if run.bucket is PlanBucket.DAY else 7
    loading = _Loading(starts, days, [], [], [], [])
    by_item_site = {(r.item_id, r.site_id): r for r in routings}
    for order in orders:
        routing = by_item_site.get((order.item_id, order.site_id))
        due = loading.bucket_of(order.due_date)
        if routing is None:
            loading.unrouted.append(order.ref)
            continue
        if not 0 <= due < len(starts):
            loading.beyond.append(order.ref)
            continue
        release = min(loading.bucket_of(order.release_date), due)
        loading.orders.append(
            PlannedOrder(order.ref, str(order.item_id), order.quantity, max(release, 0), due,
                         order.ref)
        )  # fmt: skip
        # a release before the first bucket back-schedules before it: a late start
        loading.routings.append(_engine_routing(order.ref, routing, due - release))
    return loading


def _check(
    run: PlanningRun, orders: list[PlannedOrderRow], resources: list[Resource],
    routings: list[Routing],
) -> ResourceLoad:  # fmt: skip
    loading = _loading(run, orders, routings)
    engine = [
        EngineResource(str(r.id), bucket_calendar(r, loading.starts, loading.days))
        for r in resources
    ]
    if not engine:
        return ResourceLoad(run.id, run.bucket, loading.starts, (), (), (), (),
                            tuple(loading.unrouted + [o.id for o in loading.orders]),
                            tuple(loading.beyond))  # fmt: skip
    check = check_capacity(loading.orders, loading.routings, engine)
    return _result(run, loading, resources, check)


def _ratio(load: float, capacity: float) -> float | None:
    if capacity > 0:
        return round(load / capacity, 6)
    return 0.0 if load <= 1e-9 else None


def _result(
    run: PlanningRun, loading: _Loading, resources: list[Resource], check: CapacityCheck
) -> ResourceLoad:
    by_id = {str(r.id): r for r in resources}
    rows = tuple(
        ResourceLoadRow(
            r.id, r.code, r.name,
            tuple(float(x) for x in check.capacity[i]),
            tuple(round(float(x), 6) for x in check.load[i]),
            tuple(_ratio(float(ld), float(c)) for ld, c in zip(check.load[i], check.capacity[i],
                                                                strict=True)),
            tuple(round(float(x), 6) for x in check.levelled_load[i]),
        )
        for i, r in enumerate(resources)
    )  # fmt: skip
    overloads = tuple(
        OverloadRow(
            by_id[o.resource].id, by_id[o.resource].code, loading.starts[o.bucket],
            round(o.load, 6), o.capacity, round(o.excess, 6),
            tuple(OrderHours(ref, round(h, 6)) for ref, h in o.orders),
        )
        for o in check.overloads
    )  # fmt: skip
    moves = tuple(
        LevellingSuggestion(m.order_id, loading.starts[m.from_start], loading.starts[m.to_start])
        for m in check.moves
    )
    return ResourceLoad(
        run.id, run.bucket, loading.starts, rows, overloads, moves, check.late_starts,
        tuple(loading.unrouted), tuple(loading.beyond),
    )  # fmt: skip


def load_sheet(load: ResourceLoad) -> list[list[Any]]:
    """The "resource load" sheet: capacity, load and utilisation per resource and bucket, then
    the overloaded buckets with the orders loading them, then the levelling suggestions."""
    sheet: list[list[Any]] = [["resource", "row", *load.buckets]]
    for row in load.resources:
        sheet.append([row.code, "capacity (h)", *row.capacity])
        sheet.append([row.code, "load (h)", *row.load])
        sheet.append([row.code, "utilisation", *(_cell(u) for u in row.utilisation)])
    sheet += [[], ["overloads"], ["resource", "bucket", "load (h)", "capacity (h)", "excess (h)",
                                  "orders (hours)"]]  # fmt: skip
    for over in load.overloads:
        orders = "; ".join(f"{o.ref} ({o.hours:g} h)" for o in over.orders)
        sheet.append([over.code, over.bucket_start, over.load, over.capacity, over.excess, orders])
    sheet += [[], ["levelling suggestions"], ["planned order", "from bucket", "to bucket"]]
    sheet += [[m.ref, m.from_start, m.to_start] for m in load.moves]
    if load.unrouted:
        sheet += [[], ["not loaded (no routing)", ", ".join(load.unrouted)]]
    return sheet


def _cell(value: float | None) -> float | str:
    return "closed" if value is None else value
