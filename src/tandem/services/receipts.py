"""Goods receipts: the consignee receives a shipment once, line by line, and the discrepancies
(short, over, damaged) flow back to the shipper.

In one transaction a receipt takes the shipped quantity out of transit at the ship-to site,
puts the accepted quantity (received less damaged) on hand (a ``receipt`` movement, reference
``receipt:<id>``), adds it to the order lines' received quantities, records the step on the
order, marks the shipment received and stores the receiving EPCIS events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from tandem.domain.errors import (
    AlreadyReceived,
    Forbidden,
    UnknownShipment,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import MovementKind
from tandem.domain.orders import OrderEventKind, PurchaseOrder, plain
from tandem.domain.quantities import ZERO, to_quantity
from tandem.domain.shipments import (
    Discrepancy,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    discrepancy_of,
)
from tandem.services import epcis
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered, require_party
from tandem.services.inventory import StockChange, apply_stock_changes
from tandem.services.ports import UnitOfWork
from tandem.services.purchase_orders import record_fulfilment
from tandem.services.shipments import PARTIES

MAX_NOTE = 2000


@dataclass(frozen=True)
class ReceiveLine:
    shipment_line_id: int
    received_quantity: Decimal
    damaged_quantity: Decimal = ZERO


@dataclass(frozen=True)
class ReceiveShipment:
    """Receive ``shipment_id``; a shipment line not named arrived as shipped, undamaged."""

    shipment_id: int
    lines: tuple[ReceiveLine, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ReceiptDetail:
    receipt: Receipt
    lines: tuple[ReceiptLine, ...]


@dataclass(frozen=True)
class DiscrepancyRow:
    """One shipment line that did not arrive as shipped, as both parties see it."""

    shipment_id: int
    shipment_number: str
    receipt_id: int
    receipt_number: str
    shipment_line_id: int
    order_line_id: int
    item_id: int
    lot: str
    shipped_quantity: Decimal
    received_quantity: Decimal
    damaged_quantity: Decimal
    kind: Discrepancy


# ---------------------------------------------------------------- checks


def _quantity(value: Decimal, index: int, field: str, found: list[Violation]) -> Decimal:
    try:
        quantity = to_quantity(value)
    except ValueError as error:
        found.append(Violation(f"lines[{index}]", str(error), field))
        return ZERO
    if quantity < ZERO:
        found.append(Violation(f"lines[{index}]", "must not be negative", field))
    return quantity


def _checked_lines(command: ReceiveShipment) -> tuple[ReceiveLine, ...]:
    found: list[Violation] = []
    if len(command.note) > MAX_NOTE:
        found.append(Violation("receipt", f"at most {MAX_NOTE} characters", "note"))
    lines = []
    for index, line in enumerate(command.lines):
        received = _quantity(line.received_quantity, index, "received_quantity", found)
        damaged = _quantity(line.damaged_quantity, index, "damaged_quantity", found)
        if damaged > received:
            found.append(
                Violation(
                    f"lines[{index}]", "cannot exceed the received quantity", "damaged_quantity"
                )
            )
        lines.append(ReceiveLine(line.shipment_line_id, received, damaged))
    if found:
        raise ValidationFailed("invalid receipt", violations=found)
    return tuple(lines)


def _shipment_to_receive(uow: UnitOfWork, principal: Principal, shipment_id: int) -> Shipment:
    """The caller's inbound shipment; :class:`UnknownShipment` for one that does not exist or
    that the caller is no party to (the two are indistinguishable)."""
    shipment = uow.shipments.get_for_update(shipment_id)
    unknown = UnknownShipment(
        f"shipment {shipment_id} is not known to you",
        violations=[Violation("receipt", "unknown shipment", "shipment_id")],
    )
    if shipment is None or shipment.network_id != principal.network_id:
        raise unknown
    if principal.member_id == shipment.shipper_member_id:
        raise Forbidden(f"only the consignee receives shipment {shipment.number}")
    if principal.member_id != shipment.consignee_member_id:
        raise unknown
    return shipment


def _receipt_lines(
    shipped: Sequence[ShipmentLine], given: tuple[ReceiveLine, ...]
) -> list[ReceiptLine]:
    """One receipt line per shipment line, as given or else as shipped."""
    by_line = {line.id: line for line in shipped}
    found: list[Violation] = []
    seen: dict[int, ReceiveLine] = {}
    for index, line in enumerate(given):
        if line.shipment_line_id not in by_line:
            found.append(
                Violation(f"lines[{index}]", "not a line of the shipment", "shipment_line_id")
            )
        elif line.shipment_line_id in seen:
            found.append(Violation(f"lines[{index}]", "given twice", "shipment_line_id"))
        seen[line.shipment_line_id] = line
    if found:
        raise ValidationFailed("invalid receipt lines", violations=found)
    lines = []
    for s in shipped:
        got = seen.get(s.id, ReceiveLine(s.id, s.quantity))
        kind = discrepancy_of(s.quantity, got.received_quantity, got.damaged_quantity)
        lines.append(
            ReceiptLine(0, 0, s.id, s.item_id, got.received_quantity, got.damaged_quantity, kind)
        )
    return lines


# ---------------------------------------------------------------- effects


def _stock_changes(
    shipment: Shipment, receipt: Receipt, shipped: Sequence[ShipmentLine], lines: list[ReceiptLine]
) -> list[StockChange]:
    return [
        StockChange(
            shipment.to_site_id,
            s.item_id,
            on_hand=r.accepted_quantity,
            in_transit=-s.quantity,
            kind=MovementKind.RECEIPT,
            reference=f"receipt:{receipt.id}",
            lot=s.lot,
        )
        for s, r in zip(shipped, lines, strict=True)
    ]


def _book_received(
    uow: UnitOfWork, order: PurchaseOrder, shipped: Sequence[ShipmentLine], lines: list[ReceiptLine]
) -> None:
    order_lines = {line.id: line for line in uow.purchase_order_lines.find(order_id=order.id)}
    for s, r in zip(shipped, lines, strict=True):
        line = order_lines[s.order_line_id]
        order_lines[line.id] = replace(
            line, received_quantity=line.received_quantity + r.accepted_quantity
        )
    touched = sorted({s.order_line_id for s in shipped})
    uow.purchase_order_lines.update_many([order_lines[i] for i in touched])


def _add_receipt(
    uow: UnitOfWork,
    principal: Principal,
    shipment: Shipment,
    command: ReceiveShipment,
    lines: list[ReceiptLine],
    at: datetime,
) -> tuple[Receipt, list[ReceiptLine]]:
    draft = Receipt(
        0,
        shipment.network_id,
        "",
        shipment.id,
        principal.member_id,
        at,
        command.note,
        principal.user_id,
    )
    receipt = add_numbered(uow.receipts, draft, "GR")
    return receipt, [uow.receipt_lines.add(replace(r, receipt_id=receipt.id)) for r in lines]


def _record_events(
    uow: UnitOfWork,
    shipment: Shipment,
    receipt: Receipt,
    shipped: Sequence[ShipmentLine],
    lines: list[ReceiptLine],
) -> None:
    pairs = list(zip(shipped, lines, strict=True))
    accepted = [(r.item_id, r.accepted_quantity, s.lot) for s, r in pairs]
    damaged = [(r.item_id, r.damaged_quantity, s.lot) for s, r in pairs]
    epcis.record_receiving(uow, shipment, receipt.number, accepted, damaged, receipt.received_at)


def receive(ctx: ServiceContext, principal: Principal, command: ReceiveShipment) -> ReceiptDetail:
    """Receive an inbound shipment once (consignee only): :class:`UnknownShipment` for one the
    caller does not know, :class:`AlreadyReceived` for a second receipt; all or nothing."""
    principal.require(Scope.DATA_WRITE)
    given = _checked_lines(command)
    at = ctx.clock.now()
    with ctx.uow() as uow:
        # Locks in the platform's one order: the shipment, its purchase order, then the stock
        # positions (shipping takes the order, then positions), so a receipt and a shipment of
        # one order never deadlock, and a concurrent second receipt waits, then sees the first.
        shipment = _shipment_to_receive(uow, principal, command.shipment_id)
        order = _order_of(uow, shipment)
        shipped = uow.shipment_lines.find(shipment_id=shipment.id)
        uow.stock_positions.lock([(shipment.to_site_id, s.item_id) for s in shipped])
        if uow.receipts.count(shipment_id=shipment.id):
            raise AlreadyReceived(f"shipment {shipment.number} has already been received")
        receipt, lines = _add_receipt(
            uow, principal, shipment, command, _receipt_lines(shipped, given), at
        )
        changes = _stock_changes(shipment, receipt, shipped, lines)
        apply_stock_changes(uow, changes, at, principal.user_id)
        _book_received(uow, order, shipped, lines)
        uow.shipments.update(replace(shipment, status=ShipmentStatus.RECEIVED))
        detail = _event_detail(shipment, receipt, lines)
        actor = (principal.member_id, principal.user_id)
        record_fulfilment(uow, order, OrderEventKind.RECEIVED, *actor, at, detail)
        _record_events(uow, shipment, receipt, shipped, lines)
        uow.commit()
    return ReceiptDetail(receipt, tuple(lines))


def _order_of(uow: UnitOfWork, shipment: Shipment) -> PurchaseOrder:
    order = uow.purchase_orders.get_for_update(shipment.order_id)
    if order is None:  # pragma: no cover - a foreign key guarantees it
        raise UnknownShipment(f"shipment {shipment.number} has no order")
    return order


def _event_detail(
    shipment: Shipment, receipt: Receipt, lines: list[ReceiptLine]
) -> dict[str, object]:
    return {
        "shipment_id": shipment.id,
        "shipment_number": shipment.number,
        "receipt_id": receipt.id,
        "receipt_number": receipt.number,
        "lines": [
            {
                "shipment_line_id": r.shipment_line_id,
                "received_quantity": plain(r.received_quantity),
                "damaged_quantity": plain(r.damaged_quantity),
                "discrepancy": r.discrepancy.value,
            }
            for r in lines
        ],
    }


# ---------------------------------------------------------------- reads


def get_receipt(ctx: ServiceContext, principal: Principal, receipt_id: int) -> ReceiptDetail:
    """A receipt, to the shipment's shipper and consignee only (else :class:`NotFound`)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        receipt = uow.receipts.get(receipt_id)
        shipment = uow.shipments.get(receipt.shipment_id) if receipt is not None else None
        require_party(principal, shipment, PARTIES, "receipt", receipt_id)
        assert receipt is not None
        return ReceiptDetail(receipt, tuple(uow.receipt_lines.find(receipt_id=receipt.id)))


def list_discrepancies(
    ctx: ServiceContext, principal: Principal, page: PageRequest | None = None
) -> Page[DiscrepancyRow]:
    """Receipt lines that differ from what was shipped, of shipments the caller sent or
    received, newest receipt first."""
    principal.require(Scope.DATA_READ)
    page = page or PageRequest()
    rows: list[DiscrepancyRow] = []
    with ctx.uow() as uow:
        for shipment in _received_shipments(uow, principal):
            rows.extend(_discrepancies_of(uow, shipment))
    rows.sort(key=lambda r: (-r.receipt_id, r.shipment_line_id))
    chosen = rows[page.offset : page.offset + page.limit]
    return Page(tuple(chosen), len(rows), page.offset, page.limit)


def _received_shipments(uow: UnitOfWork, principal: Principal) -> list[Shipment]:
    found: dict[int, Shipment] = {}
    for party in PARTIES:
        mine: dict[str, Any] = {"network_id": principal.network_id, party: principal.member_id}
        rows = uow.shipments.find(status=ShipmentStatus.RECEIVED, **mine)
        found.update((row.id, row) for row in rows)
    return list(found.values())


def _discrepancies_of(uow: UnitOfWork, shipment: Shipment) -> list[DiscrepancyRow]:
    receipts = uow.receipts.find(shipment_id=shipment.id)
    if not receipts:  # pragma: no cover - a received shipment has its receipt
        return []
    receipt = receipts[0]
    shipped = {line.id: line for line in uow.shipment_lines.find(shipment_id=shipment.id)}
    rows = []
    for r in uow.receipt_lines.find(receipt_id=receipt.id):
        if r.discrepancy == Discrepancy.NONE:
            continue
        s = shipped[r.shipment_line_id]
        rows.append(
            DiscrepancyRow(
                shipment.id,
                shipment.number,
                receipt.id,
                receipt.number,
                s.id,
                s.order_line_id,
                s.item_id,
                s.lot,
                s.quantity,
                r.received_quantity,
                r.damaged_quantity,
                r.discrepancy,
            )
        )
    return rows
