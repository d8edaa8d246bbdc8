"""Shipping customer orders (in full or per line) and cancelling them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from tandem.domain.customers import (
    CustomerOrder,
    CustomerOrderLine,
    PromiseSource,
    status_after_shipping,
)
from tandem.domain.errors import InvalidTransition, OverShipment, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import Allocation, AllocationStatus, MovementKind
from tandem.domain.quantities import to_quantity
from tandem.services.context import ServiceContext
from tandem.services.customer_orders.entry import (
    CANCELLABLE,
    UNFINISHED,
    CustomerOrderView,
    Status,
    line_reference,
    order_lines,
    order_view,
    own_order,
)
from tandem.services.customer_orders.promises import lock_stock, withdraw
from tandem.services.inventory import allocate_stock, issue_allocation
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class ShipLine:
    line_id: int
    quantity: Decimal


def _to_ship(
    lines: Sequence[CustomerOrderLine], wanted: Sequence[ShipLine] | None
) -> dict[int, Decimal]:
    """Quantity to ship per line id; everything open when ``wanted`` is ``None``."""
    if wanted is None:
        found = {
            x.id: x.quantity - x.shipped_quantity for x in lines if x.shipped_quantity < x.quantity
        }
        if not found:
            raise ValidationFailed("nothing is left to ship on this order")
        return found
    by_id = {line.id: line for line in lines}
    problems: list[Violation] = []
    quantities: dict[int, Decimal] = {}
    for index, ship in enumerate(wanted):
        where = f"lines[{index}]"
        if ship.line_id not in by_id or ship.line_id in quantities:
            problems.append(Violation(where, "not a line of this order, or repeated", "line_id"))
            continue
        try:
            quantity = to_quantity(ship.quantity)
        except ValueError as error:
            problems.append(Violation(where, str(error), "quantity"))
            continue
        if quantity <= 0:
            problems.append(Violation(where, "must be positive", "quantity"))
        quantities[ship.line_id] = quantity
    if problems or not quantities:
        problems = problems or [Violation("lines", "name at least one line", None)]
        raise ValidationFailed(
            "invalid shipment: " + "; ".join(str(v) for v in problems), violations=problems
        )
    over = [
        Violation(
            f"line {by_id[i].line_no}",
            f"only {by_id[i].quantity - by_id[i].shipped_quantity} open",
            "quantity",
        )
        for i, q in quantities.items()
        if q > by_id[i].quantity - by_id[i].shipped_quantity
    ]
    if over:
        raise OverShipment("shipment exceeds the open order quantity", violations=over)
    return quantities


def _issue(
    uow: UnitOfWork,
    order: CustomerOrder,
    line: CustomerOrderLine,
    quantity: Decimal,
    at: datetime,
    user_id: int | None,
) -> None:
    """Issue ``quantity`` through the line's allocations, splitting one if needed; the part not
    allocated (promised from receipts that have arrived) is allocated and issued."""
    reference = line_reference(line.id)
    remaining = quantity
    for allocation in uow.allocations.find(reference=reference, status=AllocationStatus.OPEN):
        if remaining <= 0:
            break
        part = _split(uow, allocation, remaining)
        issue_allocation(uow, part, MovementKind.ISSUE, at, user_id)
        remaining -= part.quantity
    if remaining > 0:
        extra = allocate_stock(uow, order.ship_from_site_id, line.item_id, remaining, reference, at)
        issue_allocation(uow, extra, MovementKind.ISSUE, at, user_id)


def _split(uow: UnitOfWork, allocation: Allocation, wanted: Decimal) -> Allocation:
    """At most ``wanted`` of ``allocation``; a larger one is split in two open allocations of the
    same reference (their sum, and so the position's allocated stock, unchanged)."""
    if allocation.quantity <= wanted:
        return allocation
    uow.allocations.add(replace(allocation, id=0, quantity=allocation.quantity - wanted))
    part = replace(allocation, quantity=wanted)
    uow.allocations.update(part)
    return part


def _consume_promises(uow: UnitOfWork, line: CustomerOrderLine, quantity: Decimal) -> None:
    """Take a shipped quantity off the line's promises: on-hand first, then earliest."""
    remaining = quantity
    kept = sorted(
        uow.order_promises.find(line_id=line.id),
        key=lambda p: (p.source is not PromiseSource.ON_HAND, p.promised_date, p.id),
    )
    for part in kept:
        if remaining <= 0:
            break
        if part.quantity <= remaining:
            uow.order_promises.delete(part.id)
        else:
            uow.order_promises.update(replace(part, quantity=part.quantity - remaining))
        remaining -= part.quantity


def _ship_line(
    uow: UnitOfWork,
    order: CustomerOrder,
    line: CustomerOrderLine,
    quantity: Decimal,
    at: datetime,
    user_id: int | None,
) -> CustomerOrderLine:
    _issue(uow, order, line, quantity, at, user_id)
    _consume_promises(uow, line, quantity)
    shipped = replace(line, shipped_quantity=line.shipped_quantity + quantity)
    uow.customer_order_lines.update(shipped)
    return shipped


def ship_order(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    lines: Sequence[ShipLine] | None = None,
) -> CustomerOrderView:
    """Ship the given quantities per line (``None``: everything open) from the ship-from site."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = own_order(uow, principal, order_id)
        if order.status not in UNFINISHED:
            raise InvalidTransition(f"a {order.status.value} order cannot be shipped")
        current = order_lines(uow, order.id)
        quantities = _to_ship(current, lines)
        at = ctx.clock.now()
        lock_stock(uow, order, current)
        shipped = [
            _ship_line(uow, order, line, quantities[line.id], at, principal.user_id)
            if line.id in quantities
            else line
            for line in current
        ]
        order = replace(order, status=status_after_shipping(shipped))
        uow.customer_orders.update(order)
        view = order_view(uow, order)
        uow.commit()
    return view


def cancel_order(ctx: ServiceContext, principal: Principal, order_id: int) -> CustomerOrderView:
    """Cancel an open or promised order, releasing its allocations and promises."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = own_order(uow, principal, order_id)
        if order.status not in CANCELLABLE:
            raise InvalidTransition(f"a {order.status.value} order cannot be cancelled")
        lines = order_lines(uow, order.id)
        lock_stock(uow, order, lines)
        withdraw(uow, lines, ctx.clock.now())
        order = replace(order, status=Status.CANCELLED)
        uow.customer_orders.update(order)
        view = order_view(uow, order)
        uow.commit()
    return view
