"""Shipments (advance shipping notices) and goods receipts between members, and the GS1 EPCIS
2.0 events that record them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tandem.domain.orders import PurchaseOrderLine, target_quantity
from tandem.domain.quantities import ZERO


class ShipmentStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


@dataclass(frozen=True)
class Shipment:
    """The advance shipping notice of goods sent against one purchase order."""

    id: int
    network_id: int
    number: str
    order_id: int
    shipper_member_id: int
    consignee_member_id: int
    from_site_id: int
    to_site_id: int
    status: ShipmentStatus
    shipped_at: datetime
    expected_arrival: date
    carrier: str = ""
    tracking_reference: str = ""


@dataclass(frozen=True)
class ShipmentLine:
    id: int
    shipment_id: int
    order_line_id: int
    item_id: int
    quantity: Decimal
    lot: str = ""


class Discrepancy(StrEnum):
    NONE = "none"
    SHORT = "short"
    OVER = "over"
    DAMAGED = "damaged"


def discrepancy_of(shipped: Decimal, received: Decimal, damaged: Decimal) -> Discrepancy:
    """What differs between a shipment line and its receipt, quantity first: ``short`` or
    ``over`` when the count differs, else ``damaged`` when some arrived damaged."""
    if received < shipped:
        return Discrepancy.SHORT
    if received > shipped:
        return Discrepancy.OVER
    if damaged > 0:
        return Discrepancy.DAMAGED
    return Discrepancy.NONE


def open_to_ship(line: PurchaseOrderLine) -> Decimal:
    """What the seller may still ship of an order line: the confirmed quantity (the ordered one
    if none was confirmed) less what was shipped; nothing of a cancelled line."""
    return max(target_quantity(line) - line.shipped_quantity, ZERO)


@dataclass(frozen=True)
class Receipt:
    id: int
    network_id: int
    number: str
    shipment_id: int
    consignee_member_id: int
    received_at: datetime
    note: str = ""
    received_by_user_id: int | None = None


@dataclass(frozen=True)
class ReceiptLine:
    """What arrived of one shipment line; only ``accepted_quantity`` enters stock."""

    id: int
    receipt_id: int
    shipment_line_id: int
    item_id: int
    received_quantity: Decimal
    damaged_quantity: Decimal = ZERO
    discrepancy: Discrepancy = Discrepancy.NONE

    @property
    def accepted_quantity(self) -> Decimal:
        return self.received_quantity - self.damaged_quantity


@dataclass(frozen=True)
class EpcisEvent:
    """A GS1 EPCIS 2.0 event (JSON-LD ``document``) seen by both parties of the shipment."""

    id: int
    network_id: int
    event_id: str
    event_type: str
    biz_step: str
    event_time: datetime
    shipment_id: int
    shipper_member_id: int
    consignee_member_id: int
    document: dict[str, Any]
