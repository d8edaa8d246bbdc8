"""Inter-member purchase orders: one document, two views.

The buyer's purchase order *is* the seller's sales order. Every step is recorded once, as an
:class:`OrderEvent` with who, when and what, and both parties see the same history. Changes after
acknowledgement are :class:`ChangeRequest` s that the other party accepts or rejects, as the
:class:`TradeTerms` between the two members demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tandem.domain.quantities import ZERO


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PurchaseOrder:
    id: int
    network_id: int
    number: str
    buyer_member_id: int
    seller_member_id: int
    ship_to_site_id: int
    status: OrderStatus
    version: int
    created_at: datetime
    payment_terms_days: int = 30
    ship_from_site_id: int | None = None
    agreement_id: int | None = None
    buyer_reference: str = ""
    created_by_user_id: int | None = None


@dataclass(frozen=True)
class PurchaseOrderLine:
    """Ordered by the buyer; confirmed (possibly differently) by the seller on acknowledgement."""

    id: int
    order_id: int
    line_no: int
    item_id: int
    quantity: Decimal
    unit_price_minor: int
    requested_date: date
    confirmed_quantity: Decimal | None = None
    confirmed_date: date | None = None
    shipped_quantity: Decimal = ZERO
    received_quantity: Decimal = ZERO
    invoiced_quantity: Decimal = ZERO
    cancelled: bool = False


class OrderEventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    CHANGE_REQUESTED = "change_requested"
    CHANGE_ACCEPTED = "change_accepted"
    CHANGE_REJECTED = "change_rejected"
    CHANGE_WITHDRAWN = "change_withdrawn"
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    RECEIVED = "received"
    INVOICED = "invoiced"
    CLOSED = "closed"


@dataclass(frozen=True)
class OrderEvent:
    """One entry of an order's history; ``version`` is the order's version after the event."""

    id: int
    order_id: int
    version: int
    kind: OrderEventKind
    at: datetime
    actor_member_id: int
    detail: dict[str, Any]
    actor_user_id: int | None = None


class ChangeKind(StrEnum):
    CHANGE = "change"
    CANCEL = "cancel"


class ChangeStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LineChange:
    """A proposed change of one line; ``None`` keeps the current value."""

    line_no: int
    quantity: Decimal | None = None
    requested_date: date | None = None
    unit_price_minor: int | None = None
    cancel: bool = False


@dataclass(frozen=True)
class ChangeRequest:
    id: int
    order_id: int
    kind: ChangeKind
    status: ChangeStatus
    requested_by_member_id: int
    requested_at: datetime
    lines: tuple[LineChange, ...] = ()
    reason: str = ""
    decided_by_member_id: int | None = None
    decided_at: datetime | None = None
    decision_note: str = ""


@dataclass(frozen=True)
class TradeTerms:
    """The rules between one buyer and one seller; defaults apply where none were agreed."""

    id: int
    network_id: int
    buyer_member_id: int
    seller_member_id: int
    payment_terms_days: int = 30
    quantity_tolerance_pct: float = 0.0
    price_tolerance_pct: float = 2.0
    changes_need_acceptance: bool = True
    cancellation_needs_acceptance: bool = True


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    EXHAUSTED = "exhausted"
    CLOSED = "closed"


@dataclass(frozen=True)
class Agreement:
    """A blanket (framework) agreement: a quantity of one item at a fixed price over a period,
    released by call-off purchase orders."""

    id: int
    network_id: int
    number: str
    buyer_member_id: int
    seller_member_id: int
    item_id: int
    unit_price_minor: int
    total_quantity: Decimal
    valid_from: date
    valid_to: date
    status: AgreementStatus
    called_off_quantity: Decimal = ZERO

    @property
    def remaining_quantity(self) -> Decimal:
        return self.total_quantity - self.called_off_quantity
