"""Reading a run's stored results: planned orders, records, exceptions, pegging; comparing two.

Results are the planning member's own: only it reads them here (a supplier sees the buyer's
planned purchases through the shared plan, :mod:`.shared_plan`, with a grant).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tandem.domain.errors import Conflict, NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import (
    PlannedOrderRow,
    PlanningException,
    PlanningItemSite,
    PlanningPeg,
    PlanningRun,
    RunStatus,
    end_pegging,
)
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.planning.runs import own_run
from tandem.services.ports import UnitOfWork

__all__ = [
    "ItemSiteResult",
    "OrderPegging",
    "PlanComparison",
    "compare_runs",
    "run_exceptions",
    "run_item_site",
    "run_pegging",
    "run_planned_orders",
    "run_records",
    "week_of",
]


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def _page(
    ctx: ServiceContext,
    principal: Principal,
    run_id: int,
    page: PageRequest,
    repository: str,
    **equals: Any,
) -> Page[Any]:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        own_run(uow, principal, run_id)
        repo = getattr(uow, repository)
        rows = repo.find(offset=page.offset, limit=page.limit, run_id=run_id, **equals)
        total = repo.count(run_id=run_id, **equals)
    return Page(tuple(rows), total, page.offset, page.limit)


def run_planned_orders(
    ctx: ServiceContext,
    principal: Principal,
    run_id: int,
    page: PageRequest,
    kind: str | None = None,
) -> Page[PlannedOrderRow]:
    equals = {} if kind is None else {"kind": kind}
    return _page(ctx, principal, run_id, page, "planned_orders", **equals)


def run_records(
    ctx: ServiceContext,
    principal: Principal,
    run_id: int,
    page: PageRequest,
    item_id: int | None = None,
    site_id: int | None = None,
) -> Page[PlanningItemSite]:
    equals = {k: v for k, v in (("item_id", item_id), ("site_id", site_id)) if v is not None}
    return _page(ctx, principal, run_id, page, "planning_item_sites", **equals)


def run_exceptions(
    ctx: ServiceContext,
    principal: Principal,
    run_id: int,
    page: PageRequest,
    code: str | None = None,
) -> Page[PlanningException]:
    equals = {} if code is None else {"code": code}
    return _page(ctx, principal, run_id, page, "planning_exceptions", **equals)


@dataclass(frozen=True)
class ItemSiteResult:
    """One item-site of a run: its time-phased record, its planned orders (by due date) and
    the exception messages about it (by date)."""

    record: PlanningItemSite
    orders: tuple[PlannedOrderRow, ...]
    exceptions: tuple[PlanningException, ...]


def run_item_site(
    ctx: ServiceContext, principal: Principal, run_id: int, record_id: int
) -> ItemSiteResult:
    """The record ``record_id`` of the caller's run ``run_id`` with its orders and messages."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        own_run(uow, principal, run_id)
        record = uow.planning_item_sites.get(record_id)
        if record is None or record.run_id != run_id:
            raise NotFound(f"item-site record {record_id} not found in run {run_id}")
        key: dict[str, Any] = {
            "run_id": run_id,
            "item_id": record.item_id,
            "site_id": record.site_id,
        }
        orders = uow.planned_orders.find(**key)
        exceptions = uow.planning_exceptions.find(**key)
    return ItemSiteResult(
        record,
        tuple(sorted(orders, key=lambda o: (o.due_date, o.id))),
        tuple(sorted(exceptions, key=lambda e: (e.day, e.id))),
    )


@dataclass(frozen=True)
class OrderPegging:
    """One planned order, its one-level pegs and the end demands it serves (``""``: none)."""

    order: PlannedOrderRow
    pegs: tuple[PlanningPeg, ...]
    end_demands: tuple[tuple[str, float], ...]


def pegs_by_supply(uow: UnitOfWork, run_id: int) -> dict[str, list[PlanningPeg]]:
    found: dict[str, list[PlanningPeg]] = defaultdict(list)
    for peg in uow.planning_pegs.find(run_id=run_id):
        found[peg.supply_ref].append(peg)
    return found


def run_pegging(
    ctx: ServiceContext, principal: Principal, run_id: int, order_id: int
) -> OrderPegging:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        own_run(uow, principal, run_id)
        order = uow.planned_orders.get(order_id)
        if order is None or order.run_id != run_id:
            raise NotFound(f"planned order {order_id} not found in run {run_id}")
        pegs = pegs_by_supply(uow, run_id)
    ends = end_pegging(pegs, order.ref)
    rounded = tuple((demand, round(q, 6)) for demand, q in sorted(ends.items()))
    return OrderPegging(order, tuple(pegs.get(order.ref, ())), rounded)


@dataclass(frozen=True)
class PlanDifference:
    """Planned receipts of one item-site in the week from ``week_start`` in runs a and b."""

    item_id: int
    site_id: int
    week_start: date
    quantity_a: float
    quantity_b: float

    @property
    def difference(self) -> float:
        return round(self.quantity_b - self.quantity_a, 6)


@dataclass(frozen=True)
class PlanComparison:
    run_a: PlanningRun
    run_b: PlanningRun
    rows: tuple[PlanDifference, ...]


def _weekly(orders: list[PlannedOrderRow]) -> dict[tuple[int, int, date], float]:
    found: dict[tuple[int, int, date], float] = defaultdict(float)
    for order in orders:
        found[(order.item_id, order.site_id, week_of(order.due_date))] += order.quantity
    return found


def compare_runs(
    ctx: ServiceContext, principal: Principal, run_a: int, run_b: int
) -> PlanComparison:
    """Per item-site and week, the planned receipts of two succeeded runs; rows where either
    plans something, by item, site and week."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        a, b = own_run(uow, principal, run_a), own_run(uow, principal, run_b)
        for run in (a, b):
            if run.status is not RunStatus.SUCCEEDED:
                raise Conflict(f"planning run {run.id} is {run.status.value}, not succeeded")
        weekly_a = _weekly(uow.planned_orders.find(run_id=a.id))
        weekly_b = _weekly(uow.planned_orders.find(run_id=b.id))
    rows = tuple(
        PlanDifference(*key, round(weekly_a.get(key, 0.0), 6), round(weekly_b.get(key, 0.0), 6))
        for key in sorted(set(weekly_a) | set(weekly_b))
    )
    return PlanComparison(a, b, rows)
