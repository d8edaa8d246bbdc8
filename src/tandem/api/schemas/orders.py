"""Purchase orders between members, blanket agreements and trade terms.

Quantities are read as decimal strings or numbers with at most three decimals (``"12.5"``,
``12.5``) and always written as decimal strings with three decimals (``"12.500"``). Money is an
integer of minor units (cents) in fields ending ``_minor``. Dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import Field

from tandem.api.schemas.common import Id, Line120, Note, RequestModel, ResponseModel
from tandem.domain.orders import (
    AgreementStatus,
    ChangeKind,
    ChangeStatus,
    LineChange,
    OrderEventKind,
    OrderStatus,
)
from tandem.services.agreements import AgreementFields, TermsFields
from tandem.services.purchase_orders import (
    AcknowledgeOrder,
    AwaitedAction,
    ChangeOutcome,
    CreatePurchaseOrder,
    LineConfirmation,
    OrderLineInput,
    OrderView,
    RequestChange,
)

_QUANTITY = "Decimal string or number, at most three decimals"
Quantity = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=3, description=_QUANTITY)]
ConfirmedQuantity = Annotated[
    Decimal, Field(ge=0, max_digits=15, decimal_places=3, description=_QUANTITY)
]
Minor = Annotated[int, Field(ge=0, le=10**15, description="Minor units (cents)")]
LineNo = Annotated[int, Field(ge=1, le=10_000)]
QuantityOut = Annotated[Decimal, Field(description="Decimal string with three decimals")]


# ---------------------------------------------------------------- requests


class OrderLineIn(RequestModel):
    item_id: Id
    quantity: Quantity
    unit_price_minor: Minor
    requested_date: date

    def line(self) -> OrderLineInput:
        return OrderLineInput(
            self.item_id, self.quantity, self.unit_price_minor, self.requested_date
        )


OrderLinesField = Annotated[list[OrderLineIn], Field(min_length=1, max_length=500)]


class PurchaseOrderIn(RequestModel):
    seller_member_id: Id
    ship_to_site_id: Id = Field(description="One of the buyer's sites")
    lines: OrderLinesField
    buyer_reference: Line120 = ""
    agreement_id: Id | None = Field(default=None, description="A call-off of this agreement")

    def command(self) -> CreatePurchaseOrder:
        return CreatePurchaseOrder(
            self.seller_member_id,
            self.ship_to_site_id,
            tuple(x.line() for x in self.lines),
            self.buyer_reference,
            self.agreement_id,
        )


class OrderLinesIn(RequestModel):
    lines: OrderLinesField

    def lines_in(self) -> list[OrderLineInput]:
        return [x.line() for x in self.lines]


class LineConfirmationIn(RequestModel):
    line_no: LineNo
    confirmed_quantity: ConfirmedQuantity
    confirmed_date: date


class AcknowledgeIn(RequestModel):
    lines: Annotated[list[LineConfirmationIn], Field(max_length=500)] = Field(
        default_factory=list, description="Lines not named are confirmed as ordered"
    )
    ship_from_site_id: Id | None = Field(default=None, description="One of the seller's sites")

    def command(self, expected_version: int | None) -> AcknowledgeOrder:
        confirmations = tuple(
            LineConfirmation(x.line_no, x.confirmed_quantity, x.confirmed_date) for x in self.lines
        )
        return AcknowledgeOrder(confirmations, self.ship_from_site_id, expected_version)


class CancelIn(RequestModel):
    reason: Note = ""


class LineChangeIn(RequestModel):
    line_no: LineNo
    quantity: Quantity | None = None
    requested_date: date | None = None
    unit_price_minor: Minor | None = None
    cancel: bool = False


class ChangeRequestIn(RequestModel):
    kind: ChangeKind = Field(description="change: of the named lines; cancel: the whole order")
    lines: Annotated[list[LineChangeIn], Field(max_length=500)] = Field(default_factory=list)
    reason: Note = ""

    def command(self, expected_version: int | None) -> RequestChange:
        changes = tuple(LineChange(**x.model_dump()) for x in self.lines)
        return RequestChange(self.kind, changes, self.reason, expected_version)


class DecisionIn(RequestModel):
    note: Note = Field(default="", description="Required to reject")


class AgreementIn(RequestModel):
    seller_member_id: Id
    item_id: Id
    unit_price_minor: Minor
    total_quantity: Quantity
    valid_from: date
    valid_to: date

    def fields(self) -> AgreementFields:
        return AgreementFields(**self.model_dump())


class TradeTermsIn(RequestModel):
    buyer_member_id: Id
    seller_member_id: Id
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    quantity_tolerance_pct: Annotated[float, Field(ge=0, le=100)] = 0.0
    price_tolerance_pct: Annotated[float, Field(ge=0, le=100)] = 2.0
    changes_need_acceptance: bool = True
    cancellation_needs_acceptance: bool = True

    def fields(self) -> TermsFields:
        return TermsFields(**self.model_dump())


# ---------------------------------------------------------------- responses


class OrderLineOut(ResponseModel):
    id: int
    line_no: int
    item_id: int
    quantity: QuantityOut
    unit_price_minor: int
    requested_date: date
    confirmed_quantity: QuantityOut | None
    confirmed_date: date | None
    shipped_quantity: QuantityOut
    received_quantity: QuantityOut
    invoiced_quantity: QuantityOut
    cancelled: bool


class LineChangeOut(ResponseModel):
    line_no: int
    quantity: QuantityOut | None
    requested_date: date | None
    unit_price_minor: int | None
    cancel: bool


class ChangeRequestOut(ResponseModel):
    id: int
    order_id: int
    kind: ChangeKind
    status: ChangeStatus
    requested_by_member_id: int
    requested_at: datetime
    lines: list[LineChangeOut]
    reason: str
    decided_by_member_id: int | None = Field(description="null when the trade terms decided")
    decided_at: datetime | None
    decision_note: str


class PurchaseOrderOut(ResponseModel):
    id: int
    network_id: int
    number: str
    buyer_member_id: int
    seller_member_id: int
    ship_to_site_id: int
    ship_from_site_id: int | None
    status: OrderStatus
    version: int = Field(description="Send as If-Match to refuse a change of a newer version")
    created_at: datetime
    payment_terms_days: int
    agreement_id: int | None
    buyer_reference: str
    created_by_user_id: int | None


class OrderOut(PurchaseOrderOut):
    lines: list[OrderLineOut]
    pending_change: ChangeRequestOut | None

    @classmethod
    def of(cls, view: OrderView) -> Self:
        fields: dict[str, Any] = {
            **view.order.__dict__,
            "lines": list(view.lines),
            "pending_change": view.pending_change,
        }
        return cls.model_validate(fields, from_attributes=True)


class ChangeOutcomeOut(ResponseModel):
    change_request: ChangeRequestOut
    order: OrderOut

    @classmethod
    def of(cls, outcome: ChangeOutcome) -> Self:
        return cls(
            change_request=ChangeRequestOut.model_validate(outcome.change),
            order=OrderOut.of(outcome.view),
        )


class OrderEventOut(ResponseModel):
    id: int
    order_id: int
    version: int
    kind: OrderEventKind
    at: datetime
    actor_member_id: int
    actor_user_id: int | None
    detail: dict[str, Any] = Field(description="What changed: per field [old, new]")


class AwaitedOrderOut(ResponseModel):
    order: PurchaseOrderOut
    action: AwaitedAction
    change_request_id: int | None


class AgreementOut(ResponseModel):
    id: int
    network_id: int
    number: str
    buyer_member_id: int
    seller_member_id: int
    item_id: int
    unit_price_minor: int
    total_quantity: QuantityOut
    called_off_quantity: QuantityOut
    remaining_quantity: QuantityOut
    valid_from: date
    valid_to: date
    status: AgreementStatus


class TradeTermsOut(ResponseModel):
    id: int = Field(description="0: no terms stored, the defaults apply")
    network_id: int
    buyer_member_id: int
    seller_member_id: int
    payment_terms_days: int
    quantity_tolerance_pct: float
    price_tolerance_pct: float
    changes_need_acceptance: bool
    cancellation_needs_acceptance: bool
