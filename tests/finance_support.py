"""Test data of the capital flow: purchase orders written straight into storage, already shipped
and received as far as a test needs, so invoices and payments are tested on their own."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.quantities import to_quantity
from tandem.services.context import ServiceContext
from tandem.services.documents import add_numbered


@dataclass(frozen=True)
class OrderLineRow:
    """``sku`` ordered at ``price`` (minor units); shipped and received as far as given."""

    sku: str
    quantity: str
    price: int
    shipped: str = "0"
    received: str = "0"


@dataclass(frozen=True)
class SeededOrder:
    id: int
    number: str
    line_ids: tuple[int, ...]


def seed_order(
    ctx: ServiceContext,
    network_id: int,
    buyer: str,
    seller: str,
    ship_to: str,
    lines: list[OrderLineRow],
    payment_terms_days: int = 30,
) -> SeededOrder:
    """An acknowledged order of ``buyer`` (member code) from ``seller`` with ``lines``."""
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
        order = add_numbered(
            uow.purchase_orders,
            PurchaseOrder(
                0,
                network_id,
                "",
                members[buyer],
                members[seller],
                sites[ship_to],
                OrderStatus.PARTIALLY_SHIPPED,
                1,
                ctx.clock.now(),
                payment_terms_days,
            ),
            "PO",
        )
        stored = [
            uow.purchase_order_lines.add(
                PurchaseOrderLine(
                    0,
                    order.id,
                    line_no,
                    items[row.sku],
                    to_quantity(row.quantity),
                    row.price,
                    date(2026, 12, 1),
                    confirmed_quantity=to_quantity(row.quantity),
                    shipped_quantity=to_quantity(row.shipped),
                    received_quantity=to_quantity(row.received),
                )
            )
            for line_no, row in enumerate(lines, start=1)
        ]
        uow.commit()
    return SeededOrder(order.id, order.number, tuple(line.id for line in stored))


def set_received(ctx: ServiceContext, order_line_id: int, received: str) -> None:
    """A (late) receipt: the order line's received quantity becomes ``received``."""
    with ctx.uow() as uow:
        line = uow.purchase_order_lines.get(order_line_id)
        assert line is not None
        uow.purchase_order_lines.update(replace(line, received_quantity=to_quantity(received)))
        uow.commit()
