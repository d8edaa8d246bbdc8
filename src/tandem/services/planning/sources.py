"""Loading a member's own supply and demand from the platform, as rows the mapping turns into an
:class:`~tandem.planning.mrp.MRPProblem`.

Independent demand: the member's stored daily forecasts, its open customer orders (less the
stock already allocated to each line) and the open purchase orders partners placed with it (its
sales orders). Scheduled receipts: its open purchase orders, what is not yet shipped at the
confirmed (else requested) date, and its inbound shipments in transit at their expected
arrival; together that is the confirmed quantity less what was received. Draft orders, and
transfers between the member's own sites, are not counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from tandem.domain.customers import CustomerOrderStatus
from tandem.domain.inventory import AllocationStatus
from tandem.domain.orders import OrderStatus, target_quantity
from tandem.domain.shipments import ShipmentStatus, open_to_ship
from tandem.services.ports import UnitOfWork

__all__ = ["DatedQuantity", "load_demands", "load_receipts"]

OPEN_CUSTOMER_ORDERS = (
    CustomerOrderStatus.OPEN,
    CustomerOrderStatus.PROMISED,
    CustomerOrderStatus.PARTIALLY_SHIPPED,
)
OPEN_PURCHASE_ORDERS = (
    OrderStatus.SUBMITTED,
    OrderStatus.ACKNOWLEDGED,
    OrderStatus.PARTIALLY_SHIPPED,
)


@dataclass(frozen=True)
class DatedQuantity:
    """``quantity`` of ``item_id`` at ``site_id`` on ``day``; ``ref`` names the document."""

    ref: str
    site_id: int
    item_id: int
    day: date
    quantity: float
    is_order: bool = True


def _forecasts(uow: UnitOfWork, member_id: int, first: date, end: date) -> list[DatedQuantity]:
    return [
        DatedQuantity(f"forecast {p.site_id}/{p.item_id}/{p.day}", p.site_id, p.item_id, p.day,
                      p.forecast, is_order=False)
        for p in uow.forecasts.find(owner_member_id=member_id)
        if first <= p.day < end and p.forecast > 0
    ]  # fmt: skip


def _allocated(uow: UnitOfWork, member_id: int) -> dict[str, float]:
    found: dict[str, float] = defaultdict(float)
    for row in uow.allocations.find(owner_member_id=member_id, status=AllocationStatus.OPEN):
        found[row.reference] += float(row.quantity)
    return found


def _customer_orders(uow: UnitOfWork, member_id: int) -> list[DatedQuantity]:
    allocated = _allocated(uow, member_id)
    found: list[DatedQuantity] = []
    for status in OPEN_CUSTOMER_ORDERS:
        for order in uow.customer_orders.find(member_id=member_id, status=status):
            for line in uow.customer_order_lines.find(order_id=order.id):
                held = allocated.get(f"customer-order-line:{line.id}", 0.0)
                open_quantity = float(line.quantity - line.shipped_quantity) - held
                if open_quantity <= 0:
                    continue
                promises = uow.order_promises.find(line_id=line.id)
                day = max((p.promised_date for p in promises), default=line.requested_date)
                ref = f"{order.number}/{line.line_no}"
                found.append(
                    DatedQuantity(ref, order.ship_from_site_id, line.item_id, day, open_quantity)
                )
    return found


def _sales_orders(uow: UnitOfWork, member_id: int, home: dict[int, int]) -> list[DatedQuantity]:
    """Open purchase orders placed with the member: demand at the ship-from site (or, before
    acknowledgement, the member's site stocking the item)."""
    found: list[DatedQuantity] = []
    for status in OPEN_PURCHASE_ORDERS:
        for order in uow.purchase_orders.find(seller_member_id=member_id, status=status):
            for line in uow.purchase_order_lines.find(order_id=order.id):
                site = order.ship_from_site_id or home.get(line.item_id)
                quantity = float(open_to_ship(line))
                if site is None or quantity <= 0:
                    continue
                day = line.confirmed_date or line.requested_date
                ref = f"{order.number}/{line.line_no}"
                found.append(DatedQuantity(ref, site, line.item_id, day, quantity))
    return found


def load_demands(
    uow: UnitOfWork, member_id: int, first: date, end: date, home: dict[int, int]
) -> list[DatedQuantity]:
    """Forecasts from ``first`` to ``end`` (exclusive), open customer and sales orders.

    ``home`` gives, per item, the member's site an order that names no site is demand at."""
    return [
        *_forecasts(uow, member_id, first, end),
        *_customer_orders(uow, member_id),
        *_sales_orders(uow, member_id, home),
    ]


def load_receipts(uow: UnitOfWork, member_id: int) -> list[DatedQuantity]:
    """Open purchase order lines (not yet shipped) and inbound shipments in transit."""
    found: list[DatedQuantity] = []
    for status in (*OPEN_PURCHASE_ORDERS, OrderStatus.SHIPPED):
        for order in uow.purchase_orders.find(buyer_member_id=member_id, status=status):
            for line in uow.purchase_order_lines.find(order_id=order.id):
                quantity = float(target_quantity(line) - line.shipped_quantity)
                if quantity <= 0:
                    continue
                day = line.confirmed_date or line.requested_date
                ref = f"{order.number}/{line.line_no}"
                found.append(DatedQuantity(ref, order.ship_to_site_id, line.item_id, day, quantity))
    shipments = uow.shipments.find(consignee_member_id=member_id, status=ShipmentStatus.IN_TRANSIT)
    for shipment in shipments:
        for row in uow.shipment_lines.find(shipment_id=shipment.id):
            ref = f"{shipment.number}/{row.id}"
            found.append(
                DatedQuantity(
                    ref, shipment.to_site_id, row.item_id, shipment.expected_arrival,
                    float(row.quantity),
                )
            )  # fmt: skip
    return found
