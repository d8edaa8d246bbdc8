"""Promising customer orders from available-to-promise at the ship-from site.

Three visible steps per item of the order: load the supply plan (:func:`supply_plan`), run the
pure engine (:func:`tandem.planning.promising.promise`), persist its promises. The part promised
from on-hand is allocated in the same transaction, so two orders never promise the same units;
parts promised from scheduled receipts are commitments that every later promise respects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from tandem.domain.customers import CustomerOrder, CustomerOrderLine, OrderPromise, PromiseSource
from tandem.domain.errors import Forbidden, InvalidTransition, NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import AllocationStatus
from tandem.domain.orders import OrderStatus
from tandem.domain.quantities import ZERO
from tandem.domain.shipments import ShipmentStatus
from tandem.planning import promising
from tandem.services.context import ServiceContext
from tandem.services.customer_orders.entry import (
    UNFINISHED,
    CustomerOrderView,
    Status,
    line_reference,
    order_lines,
    order_view,
    own_order,
)
from tandem.services.inventory import allocate_stock, release_allocation
from tandem.services.ports import UnitOfWork

INBOUND = (
    OrderStatus.SUBMITTED,
    OrderStatus.ACKNOWLEDGED,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
)


@dataclass(frozen=True)
class AtpView:
    """The ATP profile of one item at one site, as of ``today``."""

    site_id: int
    item_id: int
    today: date
    on_hand_available: Decimal
    buckets: tuple[promising.AtpBucket, ...]


def _scheduled_receipts(
    uow: UnitOfWork, site_id: int, item_id: int
) -> list[promising.DatedQuantity]:
    """Open inbound purchase-order quantity not shipped yet (on its confirmed, else requested
    date) and goods in transit (on the expected arrival) to ``site_id``."""
    found = []
    orders = [
        o for s in INBOUND for o in uow.purchase_orders.find(ship_to_site_id=site_id, status=s)
    ]
    for order in orders:
        for line in uow.purchase_order_lines.find(order_id=order.id, item_id=item_id):
            ordered = (
                line.confirmed_quantity if line.confirmed_quantity is not None else line.quantity
            )
            open_quantity = ordered - max(line.shipped_quantity, line.received_quantity)
            if open_quantity > 0 and not line.cancelled:
                due = line.confirmed_date or line.requested_date
                found.append(promising.DatedQuantity(due, open_quantity))
    for shipment in uow.shipments.find(to_site_id=site_id, status=ShipmentStatus.IN_TRANSIT):
        for shipped in uow.shipment_lines.find(shipment_id=shipment.id, item_id=item_id):
            found.append(promising.DatedQuantity(shipment.expected_arrival, shipped.quantity))
    return found


def _committed(uow: UnitOfWork, site_id: int, item_id: int) -> list[promising.DatedQuantity]:
    """What unfinished customer orders shipping from ``site_id`` were promised from receipts."""
    found = []
    orders = [
        o for s in UNFINISHED for o in uow.customer_orders.find(ship_from_site_id=site_id, status=s)
    ]
    for order in orders:
        for line in uow.customer_order_lines.find(order_id=order.id, item_id=item_id):
            for kept in uow.order_promises.find(
                line_id=line.id, source=PromiseSource.SCHEDULED_RECEIPT
            ):
                found.append(promising.DatedQuantity(kept.promised_date, kept.quantity))
    return found


def supply_plan(uow: UnitOfWork, site_id: int, item_id: int, today: date) -> promising.SupplyPlan:
    """The engine's input for ``item_id`` at ``site_id``: available stock (on hand − allocated,
    never below zero), scheduled receipts and commitments from them."""
    positions = uow.stock_positions.find(site_id=site_id, item_id=item_id)
    available = max(ZERO, positions[0].available) if positions else ZERO
    return promising.SupplyPlan(
        today,
        available,
        tuple(_scheduled_receipts(uow, site_id, item_id)),
        tuple(_committed(uow, site_id, item_id)),
    )


def lock_stock(uow: UnitOfWork, order: CustomerOrder, lines: Sequence[CustomerOrderLine]) -> None:
    """Lock the order's positions in (site, item) order before reading or changing any."""
    uow.stock_positions.lock(sorted({(order.ship_from_site_id, line.item_id) for line in lines}))


def withdraw(uow: UnitOfWork, lines: Sequence[CustomerOrderLine], at: datetime) -> None:
    """Release the lines' allocations and forget their promises."""
    for line in lines:
        reference = line_reference(line.id)
        for allocation in uow.allocations.find(reference=reference, status=AllocationStatus.OPEN):
            release_allocation(uow, allocation, at)
        for kept in uow.order_promises.find(line_id=line.id):
            uow.order_promises.delete(kept.id)


def _record(
    uow: UnitOfWork,
    order: CustomerOrder,
    line: CustomerOrderLine,
    result: promising.LinePromise,
    at: datetime,
) -> None:
    for part in result.promises:
        source = PromiseSource(part.source.value)
        uow.order_promises.add(OrderPromise(0, line.id, part.quantity, part.promised_date, source))
        if source is PromiseSource.ON_HAND:
            site_id, reference = order.ship_from_site_id, line_reference(line.id)
            allocate_stock(uow, site_id, line.item_id, part.quantity, reference, at)


def _promise_item(
    uow: UnitOfWork, order: CustomerOrder, lines: Sequence[CustomerOrderLine], at: datetime
) -> None:
    plan = supply_plan(uow, order.ship_from_site_id, lines[0].item_id, at.date())
    requests = [
        promising.PromiseRequest(
            line.id, line.quantity - line.shipped_quantity, line.requested_date
        )
        for line in lines
    ]
    result = promising.promise(plan, requests)
    for line, line_result in zip(lines, result.lines, strict=True):
        _record(uow, order, line, line_result, at)


def promise_order(ctx: ServiceContext, principal: Principal, order_id: int) -> CustomerOrderView:
    """Promise the open quantity of every line from available-to-promise at the ship-from site,
    after releasing the order's earlier allocations and promises."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = own_order(uow, principal, order_id)
        if order.status not in UNFINISHED:
            raise InvalidTransition(f"a {order.status.value} order cannot be promised")
        lines = order_lines(uow, order.id)
        at = ctx.clock.now()
        lock_stock(uow, order, lines)
        withdraw(uow, lines, at)
        for item_id in sorted({line.item_id for line in lines}):
            open_lines = [
                x for x in lines if x.item_id == item_id and x.shipped_quantity < x.quantity
            ]
            if open_lines:
                _promise_item(uow, order, open_lines, at)
        if order.status is Status.OPEN:
            order = replace(order, status=Status.PROMISED)
            uow.customer_orders.update(order)
        view = order_view(uow, order)
        uow.commit()
    return view


def available_to_promise(
    ctx: ServiceContext, principal: Principal, site_id: int, item_id: int
) -> AtpView:
    """The ATP profile of an item at one of the caller's sites."""
    principal.require(Scope.DATA_READ)
    today = ctx.clock.now().date()
    with ctx.uow() as uow:
        site = uow.sites.get(site_id)
        if site is None or site.network_id != principal.network_id:
            raise NotFound(f"site {site_id} not found")
        if site.member_id != principal.member_id:
            raise Forbidden("only the site's member may see its available-to-promise")
        item = uow.items.get(item_id)
        if item is None or item.network_id != principal.network_id:
            raise NotFound(f"item {item_id} not found")
        plan = supply_plan(uow, site_id, item_id, today)
    return AtpView(site_id, item_id, today, plan.on_hand, promising.atp_profile(plan))
