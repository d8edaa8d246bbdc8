"""Production orders: released from a run's planned production orders, then scheduled.

Releasing turns planned production orders (MRP's proposals) into production orders with status
``released``, the ones the scheduler sequences; a planned order is released at most once (the
run and the planned order's ref identify it), so a retried release returns the same orders.
Only item-sites with a routing can be released: without one the order could not be scheduled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tandem.domain.errors import InvalidTransition, NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import PlannedOrderRow, PlanningRun, RunStatus
from tandem.domain.production import ProductionOrder, ProductionOrderStatus
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.planning.runs import live_run, own_run
from tandem.services.ports import UnitOfWork

__all__ = ["ReleaseOrders", "complete_order", "list_production_orders", "release_orders"]


@dataclass(frozen=True)
class ReleaseOrders:
    """Planned production orders of a run (default: the live plan) to release; none named
    releases every one whose item-site has a routing."""

    run_id: int | None = None
    planned_order_ids: tuple[int, ...] = ()


def _run(uow: UnitOfWork, principal: Principal, run_id: int | None) -> PlanningRun:
    run = own_run(uow, principal, run_id) if run_id is not None else live_run(
        uow, principal.member_id
    )  # fmt: skip
    if run is None or run.status is not RunStatus.SUCCEEDED:
        raise ValidationFailed(
            "only a succeeded run releases production orders",
            violations=[Violation("release", "no succeeded run (or live plan)", "run_id")],
        )
    return run


def _selected(
    uow: UnitOfWork, run: PlanningRun, ids: tuple[int, ...], routed: set[tuple[int, int]]
) -> list[PlannedOrderRow]:
    production = [o for o in uow.planned_orders.find(run_id=run.id) if o.kind == "production"]
    if not ids:
        return [o for o in production if (o.item_id, o.site_id) in routed]
    by_id = {o.id: o for o in production}
    found = []
    for k, order_id in enumerate(ids):
        order = by_id.get(order_id)
        if order is None:
            found.append(Violation(f"planned_order_ids[{k}]", "no planned production order"))
        elif (order.item_id, order.site_id) not in routed:
            found.append(Violation(f"planned_order_ids[{k}]", f"{order.ref} has no routing"))
    if found:
        raise ValidationFailed("cannot release: " + "; ".join(map(str, found)), violations=found)
    return [by_id[i] for i in dict.fromkeys(ids)]


def release_orders(
    ctx: ServiceContext, principal: Principal, command: ReleaseOrders
) -> tuple[ProductionOrder, ...]:
    """Release the selected planned orders; returns their production orders (new or found)."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        run = _run(uow, principal, command.run_id)
        routed = {(r.item_id, r.site_id) for r in uow.routings.find(member_id=principal.member_id)}
        released = []
        for planned in _selected(uow, run, command.planned_order_ids, routed):
            existing = uow.production_orders.find(run_id=run.id, planned_order_ref=planned.ref)
            released.append(existing[0] if existing else uow.production_orders.add(
                ProductionOrder(
                    0, principal.network_id, principal.member_id, planned.item_id,
                    planned.site_id, planned.quantity, planned.due_date,
                    ProductionOrderStatus.RELEASED, now, run.id, planned.ref,
                )
            ))  # fmt: skip
        uow.commit()
    return tuple(released)


def list_production_orders(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    status: ProductionOrderStatus | None = None,
) -> Page[ProductionOrder]:
    principal.require(Scope.DATA_READ)
    equals: dict[str, Any] = {"member_id": principal.member_id}
    if status is not None:
        equals["status"] = status
    with ctx.uow() as uow:
        rows = uow.production_orders.find(offset=page.offset, limit=page.limit, **equals)
        total = uow.production_orders.count(**equals)
    return Page(tuple(rows), total, page.offset, page.limit)


def complete_order(ctx: ServiceContext, principal: Principal, order_id: int) -> ProductionOrder:
    """Mark a released order done: the scheduler leaves it out from then on."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = uow.production_orders.get_for_update(order_id)
        if order is None or order.member_id != principal.member_id:
            raise NotFound(f"production order {order_id} not found")
        if order.status is not ProductionOrderStatus.RELEASED:
            raise InvalidTransition(f"production order {order_id} is {order.status.value}")
        done = replace(order, status=ProductionOrderStatus.DONE)
        uow.production_orders.update(done)
        uow.commit()
    return done
