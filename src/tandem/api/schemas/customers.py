"""Customers of a selling member, their orders, promises and available-to-promise.

Quantities travel as decimal strings with exactly three decimals (``"12.500"``); requests accept
a decimal string or a JSON number with at most three decimals. Money is an integer of minor units
(cents) in fields ending ``_minor``. Dates are ISO 8601 (``"2026-11-24"``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import Code, Id, Line64, Line120, Name, RequestModel, ResponseModel
from tandem.api.schemas.inventory import MAX_DIGITS, QuantityOut
from tandem.domain.customers import CustomerOrderStatus, PromiseSource, ServiceClass
from tandem.services.customer_orders import (
    CreateCustomerOrder,
    CustomerOrderView,
    LineView,
    OrderLineInput,
    ShipLine,
)
from tandem.services.customers import CustomerFields

PositiveQuantity = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=MAX_DIGITS,
        decimal_places=3,
        description='Positive decimal string (or JSON number), at most three decimals: "12.5".',
        examples=["12.500"],
    ),
]
MinorUnits = Annotated[
    int,
    Field(ge=0, le=9_007_199_254_740_991, description="Money in minor units (cents)."),
]


class CustomerIn(RequestModel):
    code: Code = Field(description="Unique among your customers.")
    name: Name
    segment: Line64 = ""
    service_class: ServiceClass = ServiceClass.STANDARD
    street: Line120 = ""
    postal_code: Line64 = ""
    city: Line120 = ""
    country: Line64 = ""

    def fields(self) -> CustomerFields:
        return CustomerFields(**self.model_dump())


class CustomerOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    code: str
    name: str
    segment: str
    service_class: ServiceClass
    street: str
    postal_code: str
    city: str
    country: str


class OrderLineIn(RequestModel):
    item_id: Id
    quantity: PositiveQuantity
    requested_date: date
    unit_price_minor: MinorUnits

    def line(self) -> OrderLineInput:
        return OrderLineInput(
            self.item_id, self.quantity, self.requested_date, self.unit_price_minor
        )


class CustomerOrderIn(RequestModel):
    customer_id: Id = Field(description="One of your customers.")
    ship_from_site_id: Id = Field(description="One of your sites.")
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=500)]
    customer_reference: Line120 = ""

    def command(self) -> CreateCustomerOrder:
        return CreateCustomerOrder(
            self.customer_id,
            self.ship_from_site_id,
            tuple(line.line() for line in self.lines),
            self.customer_reference,
        )


class ShipLineIn(RequestModel):
    line_id: Id
    quantity: PositiveQuantity


class ShipIn(RequestModel):
    """What to ship; without ``lines`` (or without a body) every open quantity ships."""

    lines: Annotated[list[ShipLineIn], Field(min_length=1, max_length=500)] | None = None

    def ship_lines(self) -> tuple[ShipLine, ...] | None:
        if self.lines is None:
            return None
        return tuple(ShipLine(line.line_id, line.quantity) for line in self.lines)


class PromiseOut(ResponseModel):
    id: int
    quantity: QuantityOut
    promised_date: date
    source: PromiseSource = Field(
        description="on_hand: allocated now; scheduled_receipt: from inbound supply due then."
    )


class CustomerOrderLineOut(ResponseModel):
    id: int
    line_no: int
    item_id: int
    quantity: QuantityOut
    requested_date: date
    unit_price_minor: int
    amount_minor: int = Field(description="quantity × unit price, rounded half up.")
    shipped_quantity: QuantityOut
    open_quantity: QuantityOut = Field(description="Ordered, not shipped yet.")
    promised_quantity: QuantityOut = Field(description="Of the open quantity, promised.")
    unpromised_quantity: QuantityOut = Field(description="Of the open quantity, not promised.")
    promises: list[PromiseOut] = Field(description="Promises of the open quantity, earliest first.")

    @classmethod
    def of(cls, view: LineView) -> CustomerOrderLineOut:
        line = view.line
        return cls(
            id=line.id,
            line_no=line.line_no,
            item_id=line.item_id,
            quantity=line.quantity,
            requested_date=line.requested_date,
            unit_price_minor=line.unit_price_minor,
            amount_minor=view.amount_minor,
            shipped_quantity=line.shipped_quantity,
            open_quantity=view.open_quantity,
            promised_quantity=view.promised_quantity,
            unpromised_quantity=view.unpromised_quantity,
            promises=[PromiseOut.model_validate(p) for p in view.promises],
        )


class CustomerOrderSummaryOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    customer_id: int
    number: str
    ship_from_site_id: int
    status: CustomerOrderStatus
    created_at: datetime
    customer_reference: str


class CustomerOrderOut(CustomerOrderSummaryOut):
    total_minor: int = Field(description="Sum of the lines' amounts.")
    lines: list[CustomerOrderLineOut]

    @classmethod
    def of(cls, view: CustomerOrderView) -> CustomerOrderOut:
        header = CustomerOrderSummaryOut.model_validate(view.order).model_dump()
        return cls(
            **header,
            total_minor=view.total_minor,
            lines=[CustomerOrderLineOut.of(line) for line in view.lines],
        )


class AtpBucketOut(ResponseModel):
    day: date
    supply: QuantityOut = Field(description="On hand (today) plus receipts due that day.")
    committed: QuantityOut = Field(description="Already promised from receipts for that day.")
    atp: QuantityOut = Field(description="Becomes promisable that day (discrete ATP).")
    cumulative_atp: QuantityOut = Field(
        description="Promisable for delivery by that day (cumulative ATP with look-ahead)."
    )


class AtpOut(ResponseModel):
    site_id: int
    item_id: int
    today: date
    on_hand_available: QuantityOut = Field(description="On hand minus allocated, at least 0.")
    buckets: list[AtpBucketOut] = Field(
        description="Today and every day with supply or commitments."
    )
