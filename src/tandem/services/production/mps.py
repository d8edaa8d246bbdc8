"""Master production schedule of a member's made items over a planning run's horizon.

Demand per bucket is the gross requirements of each made item-site (one with a routing) in the
run's time-phased records — its customers' orders, forecast and the dependent demand of its own
parents, as MRP netted them; stock on hand at the start is read back from the same record
(``projected_available[0] + gross[0] - receipts[0]``). The MIP of
:mod:`tandem.planning.production.mps` (Nahmias's aggregate-planning LP without setups, Pochet &
Wolsey's capacitated lot sizing with them, on HiGHS) chooses production, overtime, inventory and
backlog per bucket against the regular hours of the routings' resources in the run's buckets.

Costs: a unit's conversion cost is the item-site's ``added_cost``; holding a unit for one bucket
costs ``unit_value * holding_cost_rate * bucket_days / 365`` (rate 0.25 when unset) unless
given; a unit backlogged for one bucket costs ``backlog_cost_factor`` times that. Overtime per
bucket is the resource's daily limit times its working days in a week (weekly buckets) or in the
day. Nothing is stored: the schedule is a proposal read from the response.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import PlanBucket, PlanningItemSite, PlanningRun, RunStatus
from tandem.domain.production import Resource, Routing
from tandem.planning.production import (
    MPSProblem,
    MPSProduct,
    MPSResult,
    MPSSolver,
    Operation,
)
from tandem.planning.production import Resource as EngineResource
from tandem.planning.production import Routing as EngineRouting
from tandem.services.context import ServiceContext
from tandem.services.planning.problem import planning_calendar
from tandem.services.planning.runs import live_run, own_run
from tandem.services.ports import UnitOfWork
from tandem.services.production.calendar import bucket_calendar

__all__ = ["MasterSchedule", "MpsProductRow", "MpsResourceRow", "PlanMasterSchedule", "plan_mps"]

DEFAULT_HOLDING_RATE = 0.25


@dataclass(frozen=True)
class PlanMasterSchedule:
    """Which run's demand (default: the live plan), which items (default: every made item with
    demand) and the cost settings."""

    run_id: int | None = None
    item_ids: tuple[int, ...] = ()
    setup_cost: float = 0.0
    holding_cost: float | None = None
    backlog_cost_factor: float = 4.0
    allow_backlog: bool = True
    whole_units: bool = False
    time_limit_s: float = 30.0


@dataclass(frozen=True)
class MpsProductRow:
    item_id: int
    site_id: int
    sku: str
    demand: tuple[float, ...]
    production: tuple[float, ...]
    inventory: tuple[float, ...]
    backlog: tuple[float, ...]
    setups: tuple[bool, ...]
    initial_inventory: float


@dataclass(frozen=True)
class MpsResourceRow:
    resource_id: int
    code: str
    capacity: tuple[float, ...]
    load: tuple[float, ...]
    overtime: tuple[float, ...]


@dataclass(frozen=True)
class MasterSchedule:
    """The plan (empty rows when none was found), its cost components, status and gap."""

    run_id: int
    status: str
    message: str
    objective: float | None
    dual_bound: float | None
    mip_gap: float | None
    costs: dict[str, float]
    buckets: tuple[date, ...]
    products: tuple[MpsProductRow, ...]
    resources: tuple[MpsResourceRow, ...]


@dataclass(frozen=True)
class _Made:
    routing: Routing
    record: PlanningItemSite
    sku: str
    unit_value: float
    added_cost: float
    holding_rate: float


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _demand_run(uow: UnitOfWork, principal: Principal, run_id: int | None) -> PlanningRun:
    run = own_run(uow, principal, run_id) if run_id is not None else live_run(
        uow, principal.member_id
    )  # fmt: skip
    if run is None or run.status is not RunStatus.SUCCEEDED:
        raise ValidationFailed(
            "the master schedule needs a succeeded planning run",
            violations=[Violation("mps", "no succeeded run (or live plan)", "run_id")],
        )
    return run


def _made(uow: UnitOfWork, principal: Principal, run: PlanningRun, items: tuple[int, ...]
          ) -> list[_Made]:  # fmt: skip
    records = {(r.item_id, r.site_id): r for r in uow.planning_item_sites.find(run_id=run.id)}
    found = []
    for routing in uow.routings.find(member_id=principal.member_id):
        record = records.get((routing.item_id, routing.site_id))
        if record is None or (items and routing.item_id not in items):
            continue
        if not items and sum(record.record["gross_requirements"]) <= 0:
            continue
        item = uow.items.get(routing.item_id)
        assert item is not None
        point = uow.item_sites.find(item_id=routing.item_id, site_id=routing.site_id)
        params = point[0].parameters if point else None
        found.append(_Made(
            routing, record, item.sku, item.unit_value,
            (params.added_cost if params else None) or 0.0,
            (params.holding_cost_rate if params else None) or DEFAULT_HOLDING_RATE,
        ))  # fmt: skip
    if not found:
        raise ValidationFailed(
            "no made item to schedule",
            violations=[Violation("mps", "no item with a routing and demand in the run")],
        )
    return found


def _initial(record: PlanningItemSite) -> float:
    r = record.record
    start = r["projected_available"][0] + r["gross_requirements"][0]
    return max(0.0, start - r["scheduled_receipts"][0] - r["planned_receipts"][0])


def _product(made: _Made, command: PlanMasterSchedule, days: int) -> MPSProduct:
    holding = command.holding_cost
    if holding is None:
        holding = made.unit_value * made.holding_rate * days / 365
    demand = tuple(float(d) for d in made.record.record["gross_requirements"])
    ops = tuple(
        Operation(str(op.resource_id), op.setup_hours, op.run_hours_per_unit)
        for op in made.routing.operations
    )
    return MPSProduct(
        str(made.routing.id), EngineRouting(str(made.routing.id), ops), demand,
        unit_cost=made.added_cost, holding_cost=holding,
        backlog_cost=holding * command.backlog_cost_factor, setup_cost=command.setup_cost,
        initial_inventory=_initial(made.record), backlog_allowed=command.allow_backlog,
        max_ending_backlog=sum(demand) if command.allow_backlog else 0.0,
    )  # fmt: skip


def plan_mps(
    ctx: ServiceContext, principal: Principal, command: PlanMasterSchedule
) -> MasterSchedule:
    """Solve the master schedule of the member's made items (see module doc)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        run = _demand_run(uow, principal, command.run_id)
        made = _made(uow, principal, run, command.item_ids)
        used = {op.resource_id for m in made for op in m.routing.operations}
        resources = [r for r in uow.resources.find(member_id=principal.member_id) if r.id in used]
    starts = planning_calendar(run.as_of, run.horizon_buckets, run.bucket).starts
    days = 1 if run.bucket is PlanBucket.DAY else 7
    engine = tuple(
        EngineResource(
            str(r.id), bucket_calendar(r, starts, days), r.overtime_cost_per_hour,
            r.max_overtime_hours_per_day * (1 if days == 1 else len(r.working_weekdays)),
        )
        for r in resources
    )  # fmt: skip
    products = tuple(_product(m, command, days) for m in made)
    problem = MPSProblem(products, engine, whole_units=command.whole_units)
    result = MPSSolver(time_limit_s=command.time_limit_s).solve(problem)
    return _schedule(run, starts, made, resources, result)


def _rounded(values: object) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in values)  # type: ignore[attr-defined]


def _schedule(
    run: PlanningRun, starts: tuple[date, ...], made: list[_Made], resources: list[Resource],
    result: MPSResult,
) -> MasterSchedule:  # fmt: skip
    plan = result.plan
    costs: dict[str, float] = {}
    products: tuple[MpsProductRow, ...] = ()
    rows: tuple[MpsResourceRow, ...] = ()
    if plan is not None:
        c = plan.costs
        costs = {"production": c.production, "holding": c.holding, "backlog": c.backlog,
                 "overtime": c.overtime, "setup": c.setup, "total": c.total}  # fmt: skip
        costs = {k: round(v, 6) for k, v in costs.items()}
        products = tuple(
            MpsProductRow(
                m.routing.item_id, m.routing.site_id, m.sku,
                _rounded(m.record.record["gross_requirements"]), _rounded(plan.production[i]),
                _rounded(plan.inventory[i]), _rounded(plan.backlog[i]),
                tuple(bool(s) for s in plan.setups[i]), round(_initial(m.record), 6),
            )
            for i, m in enumerate(made)
        )  # fmt: skip
        rows = tuple(
            MpsResourceRow(r.id, r.code, _rounded(plan.capacity[k]), _rounded(plan.load[k]),
                           _rounded(plan.overtime[k]))
            for k, r in enumerate(resources)
        )  # fmt: skip
    return MasterSchedule(
        run.id, result.status.value, result.message, _finite(result.objective),
        _finite(result.dual_bound), _finite(result.mip_gap), costs, starts, products, rows,
    )  # fmt: skip
