"""Shipments (advance shipping notices), goods receipts and their discrepancies.

Quantities travel as in the inventory ledger: decimal strings with three decimals in responses;
a decimal string or a JSON number with at most three decimals in requests.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field

from tandem.api.schemas.common import Id, Line64, Line120, Note, RequestModel, ResponseModel
from tandem.api.schemas.inventory import QuantityIn, QuantityOut
from tandem.domain.shipments import Discrepancy, ReceiptLine, ShipmentStatus
from tandem.services.receipts import ReceiptDetail, ReceiveLine, ReceiveShipment
from tandem.services.shipments import ShipGoods, ShipLine, ShipmentDetail

MAX_LINES = 500
PositiveQuantity = Annotated[QuantityIn, Field(gt=0)]
NonNegativeQuantity = Annotated[QuantityIn, Field(ge=0)]


class ShipmentLineIn(RequestModel):
    order_line_id: Id
    quantity: PositiveQuantity
    lot: Line64 = ""


class ShipmentIn(RequestModel):
    order_id: Id
    lines: Annotated[list[ShipmentLineIn], Field(min_length=1, max_length=MAX_LINES)]
    from_site_id: Id | None = Field(
        default=None, description="One of the seller's sites; omitted: the order's ship-from site"
    )
    carrier: Line120 = ""
    tracking_reference: Line120 = ""
    expected_arrival: date | None = Field(
        default=None,
        description="Omitted: today plus the lead time of the lane to the ship-to site",
    )

    def command(self) -> ShipGoods:
        return ShipGoods(
            self.order_id,
            tuple(ShipLine(x.order_line_id, x.quantity, x.lot) for x in self.lines),
            self.from_site_id,
            self.carrier,
            self.tracking_reference,
            self.expected_arrival,
        )


class ShipmentLineOut(ResponseModel):
    id: int
    order_line_id: int
    item_id: int
    quantity: QuantityOut
    lot: str


class ShipmentOut(ResponseModel):
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
    carrier: str
    tracking_reference: str


class ReceiptLineIn(RequestModel):
    shipment_line_id: Id
    received_quantity: NonNegativeQuantity
    damaged_quantity: NonNegativeQuantity = Decimal(0)


class ReceiptIn(RequestModel):
    shipment_id: Id
    lines: Annotated[list[ReceiptLineIn], Field(max_length=MAX_LINES)] = Field(
        default_factory=list,
        description="Shipment lines not named here arrived as shipped, undamaged",
    )
    note: Note = ""

    def command(self) -> ReceiveShipment:
        return ReceiveShipment(
            self.shipment_id,
            tuple(
                ReceiveLine(x.shipment_line_id, x.received_quantity, x.damaged_quantity)
                for x in self.lines
            ),
            self.note,
        )


class ReceiptLineOut(ResponseModel):
    id: int
    shipment_line_id: int
    item_id: int
    received_quantity: QuantityOut
    damaged_quantity: QuantityOut
    accepted_quantity: QuantityOut = Field(description="Received less damaged: what entered stock")
    discrepancy: Discrepancy


class ReceiptOut(ResponseModel):
    id: int
    network_id: int
    number: str
    shipment_id: int
    consignee_member_id: int
    received_at: datetime
    note: str
    received_by_user_id: int | None
    lines: list[ReceiptLineOut]

    @classmethod
    def of(cls, detail: ReceiptDetail) -> Self:
        return cls.model_validate({**vars(detail.receipt), "lines": _lines(detail.lines)})


def _lines(lines: tuple[ReceiptLine, ...]) -> list[ReceiptLineOut]:
    return [ReceiptLineOut.model_validate(line) for line in lines]


class ShipmentDetailOut(ShipmentOut):
    lines: list[ShipmentLineOut]
    receipt: ReceiptOut | None = Field(description="Null until the consignee received it")

    @classmethod
    def of(cls, detail: ShipmentDetail) -> Self:
        receipt = None
        if detail.receipt is not None:
            receipt = ReceiptOut.of(ReceiptDetail(detail.receipt, detail.receipt_lines))
        lines = [ShipmentLineOut.model_validate(line) for line in detail.lines]
        return cls.model_validate({**vars(detail.shipment), "lines": lines, "receipt": receipt})


class DiscrepancyOut(ResponseModel):
    shipment_id: int
    shipment_number: str
    receipt_id: int
    receipt_number: str
    shipment_line_id: int
    order_line_id: int
    item_id: int
    lot: str
    shipped_quantity: QuantityOut
    received_quantity: QuantityOut
    damaged_quantity: QuantityOut
    kind: Discrepancy
