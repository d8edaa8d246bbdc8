"""The order forms' fields as the services' commands, every problem reported at once.

Tables of inputs post one list per column (``quantity``, ``confirmed_date``, …) in row order;
rows left blank are skipped where the form says so (new order, shipping, invoicing).
"""

from __future__ import annotations

from decimal import Decimal

from tandem.domain.orders import ChangeKind, LineChange
from tandem.domain.quantities import ZERO
from tandem.services import invoices, receipts, shipments
from tandem.services import purchase_orders as po
from tandem.web.flows import Fields, rows

NEW_ORDER_ROWS = 4


def expected(version: str) -> int | None:
    """The order version a form was rendered at (``stale_version`` if it moved since)."""
    return int(version) if version.strip().isdigit() else None


def parse_new_order(
    seller: str,
    ship_to: str,
    reference: str,
    item_ids: list[str],
    quantities: list[str],
    prices: list[str],
    dates: list[str],
) -> po.CreatePurchaseOrder:
    f = Fields("purchase_order")
    seller_id = f.identifier(seller, "seller", "choose the seller")
    site_id = f.identifier(ship_to, "ship_to", "choose the site to ship to")
    lines: list[po.OrderLineInput] = []
    for index, (item, quantity, price, day) in enumerate(
        rows(item_ids, quantities, prices, dates), start=1
    ):
        if not item.strip() and not quantity.strip():
            continue  # a blank row
        at = f"line {index}"
        item_id = f.identifier(item, "item", "choose an item", at)
        amount = f.amount(price or "0", "unit_price", at)
        q, d = f.quantity(quantity, "quantity", at), f.day(day, "requested_date", at)
        if q is not None and amount is not None and d is not None:
            lines.append(po.OrderLineInput(item_id, q, amount, d))
    if not lines and not f.found:
        f.fail("lines", "fill in at least one line")
    f.raise_if_any("Invalid purchase order")
    return po.CreatePurchaseOrder(seller_id, site_id, tuple(lines), reference.strip())


def parse_acknowledgement(
    line_nos: list[str], quantities: list[str], dates: list[str], ship_from: str, version: str
) -> po.AcknowledgeOrder:
    f = Fields("acknowledgement")
    lines = []
    for line_no, quantity, day in rows(line_nos, quantities, dates):
        at = f"line {line_no}"
        number = f.identifier(line_no, "line_no", "is not a line number", at)
        q, d = f.quantity(quantity, "confirmed_quantity", at), f.day(day, "confirmed_date", at)
        if q is not None and d is not None:
            lines.append(po.LineConfirmation(number, q, d))
    site = f.optional_identifier(ship_from, "ship_from_site_id")
    f.raise_if_any("Invalid acknowledgement")
    return po.AcknowledgeOrder(tuple(lines), site, expected(version))


def parse_change(
    kind: str,
    line_nos: list[str],
    quantities: list[str],
    dates: list[str],
    prices: list[str],
    cancelled: list[str],
    reason: str,
    version: str,
) -> po.RequestChange:
    f = Fields("change_request")
    if kind == ChangeKind.CANCEL.value:
        return po.RequestChange(ChangeKind.CANCEL, (), reason.strip(), expected(version))
    changes = []
    for line_no, quantity, day, price in rows(line_nos, quantities, dates, prices):
        at = f"line {line_no}"
        number = f.identifier(line_no, "line_no", "is not a line number", at)
        change = LineChange(
            number,
            f.optional_quantity(quantity, "quantity", at),
            f.optional_day(day, "requested_date", at),
            f.optional_amount(price, "unit_price", at),
            cancel=line_no in cancelled,
        )
        if change != LineChange(number):
            changes.append(change)
    if not changes and not f.found:
        f.fail("lines", "change at least one line: a quantity, a date, a price or cancel it")
    f.raise_if_any("Invalid change request")
    return po.RequestChange(ChangeKind.CHANGE, tuple(changes), reason.strip(), expected(version))


def _positive(f: Fields, text: str, field: str, at: str) -> Decimal | None:
    """A quantity of a row that may be left at 0 or blank (``None``: skip the row)."""
    if not text.strip():
        return None
    quantity = f.quantity(text, field, at)
    return quantity if quantity is not None and quantity != ZERO else None


def parse_shipment(
    order_id: int,
    line_ids: list[str],
    quantities: list[str],
    lots: list[str],
    from_site: str,
    carrier: str,
    tracking: str,
    arrival: str,
) -> shipments.ShipGoods:
    f = Fields("shipment")
    lines = []
    for line_id, quantity, lot in rows(line_ids, quantities, lots):
        at = f"order line {line_id}"
        number = f.identifier(line_id, "order_line_id", "is not an order line", at)
        q = _positive(f, quantity, "quantity", at)
        if q is not None:
            lines.append(shipments.ShipLine(number, q, lot.strip()))
    if not lines and not f.found:
        f.fail("quantity", "ship a quantity of at least one line")
    site = f.optional_identifier(from_site, "from_site_id")
    day = f.optional_day(arrival, "expected_arrival")
    f.raise_if_any("Invalid shipment")
    return shipments.ShipGoods(order_id, tuple(lines), site, carrier.strip(), tracking.strip(), day)


def parse_receipt(
    shipment_id: int, line_ids: list[str], received: list[str], damaged: list[str], note: str
) -> receipts.ReceiveShipment:
    f = Fields("receipt")
    lines = []
    for line_id, quantity, broken in rows(line_ids, received, damaged):
        at = f"shipment line {line_id}"
        number = f.identifier(line_id, "shipment_line_id", "is not a shipment line", at)
        q = f.quantity(quantity or "0", "received_quantity", at)
        b = f.quantity(broken or "0", "damaged_quantity", at)
        if q is not None and b is not None:
            lines.append(receipts.ReceiveLine(number, q, b))
    f.raise_if_any("Invalid receipt")
    return receipts.ReceiveShipment(shipment_id, tuple(lines), note.strip())


def parse_invoice(
    order_id: int, line_ids: list[str], quantities: list[str], prices: list[str]
) -> invoices.IssueInvoice:
    f = Fields("invoice")
    lines = []
    for line_id, quantity, price in rows(line_ids, quantities, prices):
        at = f"order line {line_id}"
        number = f.identifier(line_id, "order_line_id", "is not an order line", at)
        q = _positive(f, quantity, "quantity", at)
        amount = f.optional_amount(price, "unit_price", at)
        if q is not None:
            lines.append(invoices.InvoiceLineInput(number, q, amount))
    if not lines and not f.found:
        f.fail("quantity", "invoice a quantity of at least one line")
    f.raise_if_any("Invalid invoice")
    return invoices.IssueInvoice(order_id, tuple(lines))
