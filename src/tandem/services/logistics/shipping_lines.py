"""What a shipper has to move: open purchase order lines it sells, planned transfers of its live
plan and shipments already on their way, as :class:`ShippingLine` s with weight and volume.

* **Purchase order lines** of orders the member sells (acknowledged or partially shipped),
  open quantity ``target − shipped`` (the confirmed quantity, else the ordered one), due on the
  confirmed date, else the requested one; from the order's ship-from site (else the seller's
  one site with a lane into the ship-to site) to its ship-to site.
* **Planned transfers** of the member's live MRP plan: ``from_site_id`` → ``site_id``, due on
  the planned due date.
* **Shipments** (routing only) the member sent from a depot that arrive on a given day.

Weight and volume are the quantity × the item's ``weight_kg`` / ``volume_m3``; a line whose
item lacks either is *reported* (``reason``), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from tandem.domain.logistics import LoadStatus
from tandem.domain.network import Item, Lane, Site
from tandem.domain.orders import OrderStatus, PurchaseOrder, target_quantity
from tandem.domain.planning_runs import RunKind, RunStatus
from tandem.services.ports import UnitOfWork

OPEN_ORDER_STATUSES = (OrderStatus.ACKNOWLEDGED, OrderStatus.PARTIALLY_SHIPPED)
CLOSED_LOADS = (LoadStatus.CANCELLED,)


@dataclass(frozen=True)
class ShippingLine:
    """One thing to move: ``key`` is ``po:<order line id>`` or ``tr:<reference>`` (a planned
    transfer's ref, or ``shipment <number> line <id>``); weight and volume ``None``: unknown."""

    key: str
    item_id: int
    quantity: Decimal
    origin_site_id: int | None
    destination_site_id: int
    consignee_member_id: int
    due: date
    value: float
    weight_kg: float | None
    volume_m3: float | None
    order_line_id: int | None = None
    transfer_reference: str = ""
    shipment_id: int | None = None
    reason: str = ""

    @property
    def plannable(self) -> bool:
        return not self.reason


def sized(item: Item, quantity: Decimal) -> tuple[float | None, float | None, str]:
    """Weight and volume of ``quantity`` of ``item``, or why they are unknown."""
    if item.weight_kg is None or item.volume_m3 is None:
        return None, None, f"item {item.sku} has no shipping weight or volume"
    weight, volume = float(quantity) * item.weight_kg, float(quantity) * item.volume_m3
    if weight + volume <= 0:
        return weight, volume, f"item {item.sku} weighs nothing and takes no room"
    return weight, volume, ""


def _origin(order: PurchaseOrder, sites: dict[int, Site], lanes: Iterable[Lane]) -> int | None:
    if order.ship_from_site_id is not None:
        return order.ship_from_site_id
    own = sorted(
        lane.from_site_id
        for lane in lanes
        if lane.to_site_id == order.ship_to_site_id
        and sites[lane.from_site_id].member_id == order.seller_member_id
    )
    return own[0] if own else None


def claimed_lines(uow: UnitOfWork, network_id: int, skip_load_ids: set[int]) -> set[str]:
    """Keys of the lines already on a live (not cancelled) load other than ``skip_load_ids``:
    ``po:<order line id>`` or ``tr:<transfer reference>`` (a shipment's lines are routed under
    the reference ``shipment <number> line <id>``)."""
    claimed: set[str] = set()
    for load in uow.loads.find(network_id=network_id):
        if load.status in CLOSED_LOADS or load.id in skip_load_ids:
            continue
        for line in uow.load_lines.find(load_id=load.id):
            if line.order_line_id is not None:
                claimed.add(f"po:{line.order_line_id}")
            if line.transfer_reference:
                claimed.add(f"tr:{line.transfer_reference}")
    return claimed


def order_lines(
    uow: UnitOfWork,
    member_id: int,
    items: dict[int, Item],
    sites: dict[int, Site],
    lanes: tuple[Lane, ...],
) -> list[ShippingLine]:
    """The open purchase order lines the member sells (see the module docstring)."""
    found: list[ShippingLine] = []
    for status in OPEN_ORDER_STATUSES:
        for order in uow.purchase_orders.find(seller_member_id=member_id, status=status):
            origin = _origin(order, sites, lanes)
            for line in uow.purchase_order_lines.find(order_id=order.id):
                open_quantity = target_quantity(line) - line.shipped_quantity
                if open_quantity <= 0:
                    continue
                item = items[line.item_id]
                key = f"po:{line.id}"
                weight, volume, reason = sized(item, open_quantity)
                if origin is None:
                    reason = f"order {order.number} names no ship-from site"
                found.append(
                    ShippingLine(
                        key, line.item_id, open_quantity, origin, order.ship_to_site_id,
                        order.buyer_member_id, line.confirmed_date or line.requested_date,
                        float(open_quantity) * item.unit_value, weight, volume,
                        order_line_id=line.id, reason=reason,
                    )
                )  # fmt: skip
    return sorted(found, key=lambda x: (x.due, x.key))


def planned_transfers(
    uow: UnitOfWork, member_id: int, items: dict[int, Item], sites: dict[int, Site]
) -> list[ShippingLine]:
    """The transfers between the member's sites in its live plan."""
    runs = uow.planning_runs.find(
        member_id=member_id,
        kind=RunKind.LIVE,
        status=RunStatus.SUCCEEDED,
        descending=True,
        limit=1,
    )
    if not runs:
        return []
    found: list[ShippingLine] = []
    for row in uow.planned_orders.find(run_id=runs[0].id, kind="transfer"):
        if row.from_site_id is None or row.quantity <= 0:
            continue
        item, quantity = items[row.item_id], Decimal(str(row.quantity))
        key = f"tr:{row.ref}"
        weight, volume, reason = sized(item, quantity)
        found.append(
            ShippingLine(
                key, row.item_id, quantity, row.from_site_id, row.site_id,
                sites[row.site_id].member_id, row.due_date, float(quantity) * item.unit_value,
                weight, volume, transfer_reference=row.ref, reason=reason,
            )
        )  # fmt: skip
    return sorted(found, key=lambda x: (x.due, x.key))


def shipments_arriving(
    uow: UnitOfWork, member_id: int, depot_site_id: int, day: date, items: dict[int, Item]
) -> list[ShippingLine]:
    """Lines of the shipments the member sent from the depot that arrive on ``day``."""
    found: list[ShippingLine] = []
    for shipment in uow.shipments.find(
        shipper_member_id=member_id, from_site_id=depot_site_id, expected_arrival=day
    ):
        for line in uow.shipment_lines.find(shipment_id=shipment.id):
            item = items[line.item_id]
            reference = f"shipment {shipment.number} line {line.id}"
            weight, volume, reason = sized(item, line.quantity)
            found.append(
                ShippingLine(
                    f"tr:{reference}", line.item_id, line.quantity, depot_site_id,
                    shipment.to_site_id, shipment.consignee_member_id, day,
                    float(line.quantity) * item.unit_value, weight, volume,
                    order_line_id=line.order_line_id, transfer_reference=reference,
                    shipment_id=shipment.id, reason=reason,
                )
            )  # fmt: skip
    return found


def without_claimed(lines: list[ShippingLine], claimed: set[str]) -> list[ShippingLine]:
    """Lines not already on another live load."""
    return [line for line in lines if line.key not in claimed]


def unplannable(line: ShippingLine, reason: str) -> ShippingLine:
    return replace(line, reason=reason)
