"""Shipments (advance shipping notices) between members.

The seller ships against an acknowledged purchase order. In one transaction the shipment takes
the goods out of the seller's site (an ``issue`` movement, reference ``shipment:<id>``), puts
them in transit at the buyer's ship-to site, adds to the order lines' shipped quantities,
records the step on the order, and stores its GS1 EPCIS events. Only the two parties see it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tandem.domain.errors import Forbidden, OverShipment, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import MovementKind
from tandem.domain.network import Site
from tandem.domain.orders import (
    OrderEventKind,
    OrderStep,
    PurchaseOrder,
    PurchaseOrderLine,
    ensure_step,
    plain,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.domain.shipments import (
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    open_to_ship,
)
from tandem.services import epcis
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered, require_party
from tandem.services.inventory import StockChange, apply_stock_changes
from tandem.services.ports import UnitOfWork
from tandem.services.purchase_orders import record_fulfilment

PARTIES = ("shipper_member_id", "consignee_member_id")
MAX_TEXT = {"lot": 64, "carrier": 120, "tracking_reference": 120}


class ShipmentRole(StrEnum):
    SHIPPER = "shipper"
    CONSIGNEE = "consignee"


@dataclass(frozen=True)
class ShipLine:
    order_line_id: int
    quantity: Decimal
    lot: str = ""


@dataclass(frozen=True)
class ShipGoods:
    """Ship ``lines`` of purchase order ``order_id``; ``from_site_id`` defaults to the order's
    ship-from site, ``expected_arrival`` to today plus the lane's lead time."""

    order_id: int
    lines: tuple[ShipLine, ...]
    from_site_id: int | None = None
    carrier: str = ""
    tracking_reference: str = ""
    expected_arrival: date | None = None


@dataclass(frozen=True)
class ShipmentDetail:
    """A shipment with its lines and, once received, its receipt."""

    shipment: Shipment
    lines: tuple[ShipmentLine, ...]
    receipt: Receipt | None = None
    receipt_lines: tuple[ReceiptLine, ...] = ()


# ---------------------------------------------------------------- checks


def _text_violations(command: ShipGoods) -> list[Violation]:
    found = [
        Violation("shipment", f"at most {MAX_TEXT[name]} characters", name)
        for name in ("carrier", "tracking_reference")
        if len(getattr(command, name)) > MAX_TEXT[name]
    ]
    for index, line in enumerate(command.lines):
        if len(line.lot) > MAX_TEXT["lot"]:
            found.append(Violation(f"lines[{index}]", "at most 64 characters", "lot"))
    return found


def _checked_lines(command: ShipGoods) -> tuple[ShipLine, ...]:
    """The lines with exact quantities; :class:`ValidationFailed` naming each bad one."""
    found = _text_violations(command)
    if not command.lines:
        found.append(Violation("shipment", "at least one line is required", "lines"))
    lines = []
    for index, line in enumerate(command.lines):
        try:
            quantity = to_quantity(line.quantity)
        except ValueError as error:
            found.append(Violation(f"lines[{index}]", str(error), "quantity"))
            continue
        if quantity <= ZERO:
            found.append(Violation(f"lines[{index}]", "must be greater than 0", "quantity"))
        lines.append(replace(line, quantity=quantity))
    if found:
        raise ValidationFailed("invalid shipment", violations=found)
    return tuple(lines)


def _order_to_ship(uow: UnitOfWork, principal: Principal, order_id: int) -> PurchaseOrder:
    order = require_party(
        principal,
        uow.purchase_orders.get_for_update(order_id),
        ("buyer_member_id", "seller_member_id"),
        "purchase order",
        order_id,
    )
    if principal.member_id != order.seller_member_id:
        raise Forbidden(f"only the seller ships purchase order {order.number}")
    ensure_step(OrderStep.SHIP, order.status)
    return order


def _from_site(uow: UnitOfWork, order: PurchaseOrder, site_id: int | None) -> Site:
    chosen = site_id if site_id is not None else order.ship_from_site_id
    if chosen is None:
        raise ValidationFailed(
            f"purchase order {order.number} names no ship-from site",
            violations=[Violation("shipment", "required", "from_site_id")],
        )
    site = uow.sites.get(chosen)
    if site is None or site.network_id != order.network_id:
        problem = f"site {chosen} does not exist"
    elif site.member_id != order.seller_member_id:
        problem = f"site {site.code} is not one of the seller's sites"
    else:
        return site
    raise ValidationFailed(problem, violations=[Violation("shipment", problem, "from_site_id")])


def _order_lines(
    uow: UnitOfWork, order: PurchaseOrder, wanted: tuple[ShipLine, ...]
) -> dict[int, PurchaseOrderLine]:
    lines = {line.id: line for line in uow.purchase_order_lines.find(order_id=order.id)}
    strangers = [
        Violation(f"lines[{i}]", f"not a line of {order.number}", "order_line_id")
        for i, line in enumerate(wanted)
        if line.order_line_id not in lines
    ]
    if strangers:
        raise ValidationFailed("unknown order lines", violations=strangers)
    return lines


def _check_open(lines: dict[int, PurchaseOrderLine], wanted: tuple[ShipLine, ...]) -> None:
    asked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in wanted:
        asked[line.order_line_id] += line.quantity
    over = [
        Violation(
            f"order line {lines[line_id].line_no}",
            f"{quantity} to ship, only {open_to_ship(lines[line_id])} open",
            "quantity",
        )
        for line_id, quantity in asked.items()
        if quantity > open_to_ship(lines[line_id])
    ]
    if over:
        raise OverShipment("the shipment exceeds the open order quantity", violations=over)


def _arrival(uow: UnitOfWork, source: Site, to_site_id: int, items: set[int], today: date) -> date:
    lanes = [
        lane
        for lane in uow.lanes.find(
            network_id=source.network_id, from_site_id=source.id, to_site_id=to_site_id
        )
        if lane.item_id is None or lane.item_id in items
    ]
    if not lanes:
        raise ValidationFailed(
            "expected_arrival is required: no lane leads to the order's ship-to site",
            violations=[Violation("shipment", "required (no lane)", "expected_arrival")],
        )
    days = math.ceil(max(lane.lead_time_mean_days for lane in lanes))
    return today + timedelta(days=days)


# ---------------------------------------------------------------- effects


def _stock_changes(shipment: Shipment, lines: list[ShipmentLine]) -> list[StockChange]:
    reference = f"shipment:{shipment.id}"
    changes = []
    for line in lines:
        changes.append(
            StockChange(
                shipment.from_site_id,
                line.item_id,
                on_hand=-line.quantity,
                kind=MovementKind.ISSUE,
                reference=reference,
                lot=line.lot,
            )
        )
        changes.append(StockChange(shipment.to_site_id, line.item_id, in_transit=line.quantity))
    return changes


def _book_shipped(
    uow: UnitOfWork, order_lines: dict[int, PurchaseOrderLine], lines: list[ShipmentLine]
) -> None:
    shipped: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        shipped[line.order_line_id] += line.quantity
    uow.purchase_order_lines.update_many(
        [
            replace(order_lines[i], shipped_quantity=order_lines[i].shipped_quantity + q)
            for i, q in sorted(shipped.items())
        ]
    )


def _add_shipment(
    uow: UnitOfWork,
    order: PurchaseOrder,
    source: Site,
    command: ShipGoods,
    arrival: date,
    at: datetime,
) -> Shipment:
    draft = Shipment(
        0,
        order.network_id,
        "",
        order.id,
        order.seller_member_id,
        order.buyer_member_id,
        source.id,
        order.ship_to_site_id,
        ShipmentStatus.IN_TRANSIT,
        at,
        arrival,
        command.carrier,
        command.tracking_reference,
    )
    return add_numbered(uow.shipments, draft, "SHP")


def _locked_lines(
    uow: UnitOfWork, order: PurchaseOrder, source: Site, wanted: tuple[ShipLine, ...]
) -> dict[int, PurchaseOrderLine]:
    """The order's lines, read again after locking the positions the shipment changes: two
    shipments of one order queue up on the locks instead of both seeing the same open
    quantity."""
    first = _order_lines(uow, order, wanted)
    items = {first[w.order_line_id].item_id for w in wanted}
    uow.stock_positions.lock(
        [(site, item) for item in items for site in (source.id, order.ship_to_site_id)]
    )
    return _order_lines(uow, order, wanted)


def _add_lines(
    uow: UnitOfWork,
    shipment: Shipment,
    order_lines: dict[int, PurchaseOrderLine],
    wanted: tuple[ShipLine, ...],
) -> list[ShipmentLine]:
    return [
        uow.shipment_lines.add(
            ShipmentLine(
                0,
                shipment.id,
                w.order_line_id,
                order_lines[w.order_line_id].item_id,
                w.quantity,
                w.lot,
            )
        )
        for w in wanted
    ]


def ship(ctx: ServiceContext, principal: Principal, command: ShipGoods) -> ShipmentDetail:
    """Send goods against an acknowledged order (seller only); :class:`OverShipment` for more
    than is open, :class:`InsufficientStock` for more than the site has; nothing is written
    unless everything succeeds."""
    principal.require(Scope.DATA_WRITE)
    at = ctx.clock.now()
    with ctx.uow() as uow:
        detail = ship_within(uow, principal, command, at)
        uow.commit()
    return detail


def ship_within(
    uow: UnitOfWork, principal: Principal, command: ShipGoods, at: datetime
) -> ShipmentDetail:
    """:func:`ship` inside the caller's unit of work (which commits): a carrier's pick-up of
    a load ships its order lines in the transaction that records the pick-up."""
    wanted = _checked_lines(command)
    order = _order_to_ship(uow, principal, command.order_id)
    source = _from_site(uow, order, command.from_site_id)
    order_lines = _locked_lines(uow, order, source, wanted)
    _check_open(order_lines, wanted)
    items = {order_lines[w.order_line_id].item_id for w in wanted}
    arrival = command.expected_arrival or _arrival(
        uow, source, order.ship_to_site_id, items, at.date()
    )
    shipment = _add_shipment(uow, order, source, command, arrival, at)
    lines = _add_lines(uow, shipment, order_lines, wanted)
    apply_stock_changes(uow, _stock_changes(shipment, lines), at, principal.user_id)
    _book_shipped(uow, order_lines, lines)
    detail = _event_detail(shipment, lines)
    actor = (principal.member_id, principal.user_id)
    record_fulfilment(uow, order, OrderEventKind.SHIPPED, *actor, at, detail)
    epcis.record_shipping(uow, shipment, [(x.item_id, x.quantity, x.lot) for x in lines], at)
    return ShipmentDetail(shipment, tuple(lines))


def _event_detail(shipment: Shipment, lines: list[ShipmentLine]) -> dict[str, object]:
    return {
        "shipment_id": shipment.id,
        "shipment_number": shipment.number,
        "lines": [
            {"order_line_id": x.order_line_id, "quantity": plain(x.quantity), "lot": x.lot}
            for x in lines
        ],
    }


# ---------------------------------------------------------------- reads


def detail_of(uow: UnitOfWork, shipment: Shipment) -> ShipmentDetail:
    lines = tuple(uow.shipment_lines.find(shipment_id=shipment.id))
    receipts = uow.receipts.find(shipment_id=shipment.id)
    if not receipts:
        return ShipmentDetail(shipment, lines)
    receipt_lines = tuple(uow.receipt_lines.find(receipt_id=receipts[0].id))
    return ShipmentDetail(shipment, lines, receipts[0], receipt_lines)


def get_shipment(ctx: ServiceContext, principal: Principal, shipment_id: int) -> ShipmentDetail:
    """The shipment, if the caller is its shipper or consignee (else :class:`NotFound`)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        shipment = require_party(
            principal, uow.shipments.get(shipment_id), PARTIES, "shipment", shipment_id
        )
        return detail_of(uow, shipment)


def list_shipments(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: ShipmentRole | None = None,
    status: ShipmentStatus | None = None,
) -> Page[Shipment]:
    """Shipments the caller sent (``role=shipper``), received (``consignee``) or either, newest
    first."""
    principal.require(Scope.DATA_READ)
    equals: dict[str, Any] = {} if status is None else {"status": status}
    with ctx.uow() as uow:
        if role is not None:
            mine = {**_side(principal, role), **equals}
            rows = uow.shipments.find(offset=page.offset, limit=page.limit, descending=True, **mine)
            return Page(tuple(rows), uow.shipments.count(**mine), page.offset, page.limit)
        found: dict[int, Shipment] = {}
        for side in ShipmentRole:
            rows = uow.shipments.find(**_side(principal, side), **equals)
            found.update((row.id, row) for row in rows)
    ordered = [found[key] for key in sorted(found, reverse=True)]
    chosen = ordered[page.offset : page.offset + page.limit]
    return Page(tuple(chosen), len(ordered), page.offset, page.limit)


def _side(principal: Principal, role: ShipmentRole) -> dict[str, Any]:
    return {"network_id": principal.network_id, f"{role.value}_member_id": principal.member_id}
