"""Entering and reading customer orders; what the other use cases of the context share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tandem.domain.customers import (
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
    OrderPromise,
    PromiseSource,
)
from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.quantities import ZERO, money, to_quantity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.customers import own_customer
from tandem.services.documents import add_numbered
from tandem.services.ports import UnitOfWork

Status = CustomerOrderStatus
UNFINISHED = (Status.OPEN, Status.PROMISED, Status.PARTIALLY_SHIPPED)
CANCELLABLE = (Status.OPEN, Status.PROMISED)
MAX_LINES = 500


def line_reference(line_id: int) -> str:
    """The allocation reference of an order line."""
    return f"customer-order-line:{line_id}"


@dataclass(frozen=True)
class OrderLineInput:
    item_id: int
    quantity: Decimal
    requested_date: date
    unit_price_minor: int


@dataclass(frozen=True)
class CreateCustomerOrder:
    customer_id: int
    ship_from_site_id: int
    lines: tuple[OrderLineInput, ...]
    customer_reference: str = ""


@dataclass(frozen=True)
class LineView:
    """A line with its promises (earliest first) and what they cover."""

    line: CustomerOrderLine
    promises: tuple[OrderPromise, ...]

    @property
    def open_quantity(self) -> Decimal:
        return self.line.quantity - self.line.shipped_quantity

    @property
    def promised_quantity(self) -> Decimal:
        return sum((p.quantity for p in self.promises), ZERO)

    @property
    def unpromised_quantity(self) -> Decimal:
        """Open quantity no promise covers (short, or not promised yet)."""
        return self.open_quantity - self.promised_quantity

    @property
    def amount_minor(self) -> int:
        return money(self.line.quantity, self.line.unit_price_minor)


@dataclass(frozen=True)
class CustomerOrderView:
    order: CustomerOrder
    lines: tuple[LineView, ...]

    @property
    def total_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines)


def own_order(
    uow: UnitOfWork, principal: Principal, order_id: int, *, lock: bool = True
) -> CustomerOrder:
    """The caller's order; locked until the transaction ends unless ``lock`` is false, so two
    writers of one order (ship and ship, ship and cancel) queue and the second sees the first's
    lines and allocations."""
    repository = uow.customer_orders
    order = repository.get_for_update(order_id) if lock else repository.get(order_id)
    if order is None or order.member_id != principal.member_id:
        raise NotFound(f"customer order {order_id} not found")
    return order


def order_lines(uow: UnitOfWork, order_id: int) -> list[CustomerOrderLine]:
    return sorted(uow.customer_order_lines.find(order_id=order_id), key=lambda x: x.line_no)


def order_view(uow: UnitOfWork, order: CustomerOrder) -> CustomerOrderView:
    views = []
    for line in order_lines(uow, order.id):
        promises = sorted(
            uow.order_promises.find(line_id=line.id),
            key=lambda p: (p.promised_date, p.source is not PromiseSource.ON_HAND, p.id),
        )
        views.append(LineView(line, tuple(promises)))
    return CustomerOrderView(order, tuple(views))


def get_order(ctx: ServiceContext, principal: Principal, order_id: int) -> CustomerOrderView:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return order_view(uow, own_order(uow, principal, order_id, lock=False))


def list_orders(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    customer_id: int | None = None,
    status: CustomerOrderStatus | None = None,
) -> Page[CustomerOrder]:
    """The caller's customer orders in id order, optionally of one customer or status."""
    principal.require(Scope.DATA_READ)
    pairs: tuple[tuple[str, Any], ...] = (("customer_id", customer_id), ("status", status))
    filters = {key: value for key, value in pairs if value is not None}
    with ctx.uow() as uow:
        rows = uow.customer_orders.find(
            offset=page.offset, limit=page.limit, member_id=principal.member_id, **filters
        )
        total = uow.customer_orders.count(member_id=principal.member_id, **filters)
    return Page(tuple(rows), total, page.offset, page.limit)


def _line_violations(
    uow: UnitOfWork, principal: Principal, index: int, line: OrderLineInput
) -> list[Violation]:
    where = f"lines[{index}]"
    found = []
    item = uow.items.get(line.item_id)
    if item is None or item.network_id != principal.network_id:
        found.append(Violation(where, f"item {line.item_id} does not exist", "item_id"))
    try:
        if to_quantity(line.quantity) <= 0:
            found.append(Violation(where, "must be positive", "quantity"))
    except ValueError as error:
        found.append(Violation(where, str(error), "quantity"))
    if line.unit_price_minor < 0:
        found.append(Violation(where, "must not be negative", "unit_price_minor"))
    return found


def _order_violations(
    uow: UnitOfWork, principal: Principal, command: CreateCustomerOrder
) -> list[Violation]:
    found = []
    try:
        own_customer(uow, principal, command.customer_id)
    except NotFound:
        found.append(Violation("order", "no such customer of yours", "customer_id"))
    site = uow.sites.get(command.ship_from_site_id)
    if site is None or site.member_id != principal.member_id:
        found.append(Violation("order", "not one of your sites", "ship_from_site_id"))
    if not 1 <= len(command.lines) <= MAX_LINES:
        found.append(Violation("order", f"needs 1 to {MAX_LINES} lines", "lines"))
    if len(command.customer_reference) > 120:
        found.append(Violation("order", "at most 120 characters", "customer_reference"))
    for index, line in enumerate(command.lines):
        found.extend(_line_violations(uow, principal, index, line))
    return found


def create_order(
    ctx: ServiceContext, principal: Principal, command: CreateCustomerOrder
) -> CustomerOrderView:
    """Enter an order (status ``open``, numbered ``CO-000001``); promise it separately."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        found = _order_violations(uow, principal, command)
        if found:
            raise ValidationFailed(
                "invalid customer order: " + "; ".join(str(v) for v in found), violations=found
            )
        draft = CustomerOrder(
            0,
            principal.network_id,
            principal.member_id,
            command.customer_id,
            "",
            command.ship_from_site_id,
            Status.OPEN,
            ctx.clock.now(),
            command.customer_reference,
        )
        order = add_numbered(uow.customer_orders, draft, "CO")
        for line_no, line in enumerate(command.lines, start=1):
            uow.customer_order_lines.add(
                CustomerOrderLine(
                    0,
                    order.id,
                    line_no,
                    line.item_id,
                    to_quantity(line.quantity),
                    line.requested_date,
                    line.unit_price_minor,
                )
            )
        view = order_view(uow, order)
        uow.commit()
    return view
