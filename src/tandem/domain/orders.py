"""Inter-member purchase orders: one document, two views.

The buyer's purchase order *is* the seller's sales order. Every step is recorded once, as an
:class:`OrderEvent` with who, when and what, and both parties see the same history. Changes after
acknowledgement are :class:`ChangeRequest` s that the other party accepts or rejects, as the
:class:`TradeTerms` between the two members demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tandem.domain.errors import Conflict, InvalidTransition, Violation
from tandem.domain.quantities import QUANTUM, ZERO, to_quantity


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


# ---------------------------------------------------------------- rules of the lifecycle


class OrderStep(StrEnum):
    """What a party does to an order; :data:`ALLOWED_FROM` says in which statuses."""

    EDIT = "edit"
    SUBMIT = "submit"
    CANCEL = "cancel"
    ACKNOWLEDGE = "acknowledge"
    REQUEST_CHANGE = "request a change of"
    REQUEST_CANCELLATION = "request the cancellation of"
    DECIDE_CHANGE = "decide a change request of"
    SHIP = "ship"
    RECEIVE = "receive"
    INVOICE = "invoice"
    CLOSE = "close"


_S = OrderStatus
_AFTER_SHIPPING = frozenset({_S.PARTIALLY_SHIPPED, _S.SHIPPED, _S.RECEIVED})

ALLOWED_FROM: dict[OrderStep, frozenset[OrderStatus]] = {
    OrderStep.EDIT: frozenset({_S.DRAFT}),
    OrderStep.SUBMIT: frozenset({_S.DRAFT}),
    OrderStep.CANCEL: frozenset({_S.DRAFT, _S.SUBMITTED}),
    OrderStep.ACKNOWLEDGE: frozenset({_S.SUBMITTED}),
    OrderStep.REQUEST_CHANGE: frozenset({_S.ACKNOWLEDGED, _S.PARTIALLY_SHIPPED}),
    OrderStep.REQUEST_CANCELLATION: frozenset({_S.ACKNOWLEDGED}),
    OrderStep.DECIDE_CHANGE: frozenset({_S.ACKNOWLEDGED, _S.PARTIALLY_SHIPPED}),
    OrderStep.SHIP: frozenset({_S.ACKNOWLEDGED, _S.PARTIALLY_SHIPPED}),
    OrderStep.RECEIVE: _AFTER_SHIPPING | {_S.CLOSED},
    OrderStep.INVOICE: _AFTER_SHIPPING | {_S.ACKNOWLEDGED, _S.CLOSED},
    OrderStep.CLOSE: _AFTER_SHIPPING | {_S.ACKNOWLEDGED},
}

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED, _S.CANCELLED}),
    _S.SUBMITTED: frozenset({_S.ACKNOWLEDGED, _S.CANCELLED}),
    _S.ACKNOWLEDGED: frozenset({_S.PARTIALLY_SHIPPED, _S.SHIPPED, _S.CLOSED, _S.CANCELLED}),
    _S.PARTIALLY_SHIPPED: frozenset({_S.SHIPPED, _S.RECEIVED, _S.CLOSED}),
    _S.SHIPPED: frozenset({_S.PARTIALLY_SHIPPED, _S.RECEIVED, _S.CLOSED}),
    _S.RECEIVED: frozenset({_S.CLOSED}),
    _S.CLOSED: frozenset(),
    _S.CANCELLED: frozenset(),
}

STEP_EVENTS: dict[OrderEventKind, OrderStep] = {
    OrderEventKind.SHIPPED: OrderStep.SHIP,
    OrderEventKind.RECEIVED: OrderStep.RECEIVE,
    OrderEventKind.INVOICED: OrderStep.INVOICE,
}


def ensure_step(step: OrderStep, status: OrderStatus) -> None:
    """Raise :class:`InvalidTransition` naming ``status`` unless ``step`` is allowed in it."""
    if status not in ALLOWED_FROM[step]:
        raise InvalidTransition(f"cannot {step.value} a purchase order that is {status.value}")


def ensure_transition(current: OrderStatus, target: OrderStatus) -> None:
    if target != current and target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"a purchase order that is {current.value} cannot become {target.value}"
        )


def target_quantity(line: PurchaseOrderLine) -> Decimal:
    """What the seller owes on ``line``: the confirmed quantity, else the ordered one."""
    if line.cancelled:
        return ZERO
    return line.quantity if line.confirmed_quantity is None else line.confirmed_quantity


def fulfilment_status(lines: Iterable[PurchaseOrderLine]) -> OrderStatus:
    """The status that the shipped and received quantities of an acknowledged order imply."""
    owed = [line for line in lines if target_quantity(line) > ZERO]
    if not owed:
        return OrderStatus.ACKNOWLEDGED
    if all(line.received_quantity >= target_quantity(line) for line in owed):
        return OrderStatus.RECEIVED
    if all(line.shipped_quantity >= target_quantity(line) for line in owed):
        return OrderStatus.SHIPPED
    if any(line.shipped_quantity > ZERO for line in owed):
        return OrderStatus.PARTIALLY_SHIPPED
    return OrderStatus.ACKNOWLEDGED


def call_off_quantity(status: OrderStatus, lines: Iterable[PurchaseOrderLine]) -> Decimal:
    """How much of a blanket agreement an order of ``status`` holds: nothing as a draft or once
    cancelled, what was shipped once closed, else the ordered quantity of its open lines."""
    if status in (OrderStatus.DRAFT, OrderStatus.CANCELLED):
        return ZERO
    if status == OrderStatus.CLOSED:
        return sum((line.shipped_quantity for line in lines), ZERO)
    return sum((line.quantity for line in lines if not line.cancelled), ZERO)


def quantity_violations(value: Decimal, location: str, field: str) -> list[Violation]:
    """A quantity must be positive and have at most three decimals."""
    try:
        quantity = to_quantity(value)
    except ValueError as error:
        return [Violation(location, str(error), field)]
    if quantity <= ZERO:
        return [Violation(location, "must be greater than 0", field)]
    return []


def price_violations(unit_price_minor: int, location: str) -> list[Violation]:
    if unit_price_minor < 0:
        return [Violation(location, "must not be negative", "unit_price_minor")]
    return []


def apply_line_change(line: PurchaseOrderLine, change: LineChange) -> PurchaseOrderLine:
    """``line`` after ``change``; a changed quantity or date also becomes the confirmed one.

    Raises :class:`Conflict` for a change that cuts the line below what was already shipped."""
    if change.cancel:
        if line.shipped_quantity > ZERO:
            raise Conflict(f"line {line.line_no} cannot be cancelled: goods were already shipped")
        return replace(line, cancelled=True)
    changed = line
    if change.quantity is not None:
        if change.quantity < line.shipped_quantity:
            raise Conflict(
                f"line {line.line_no} cannot drop to {change.quantity}: "
                f"{line.shipped_quantity} were already shipped"
            )
        changed = replace(changed, quantity=change.quantity, confirmed_quantity=change.quantity)
    if change.requested_date is not None:
        changed = replace(
            changed, requested_date=change.requested_date, confirmed_date=change.requested_date
        )
    if change.unit_price_minor is not None:
        changed = replace(changed, unit_price_minor=change.unit_price_minor)
    return changed


LINE_FIELDS = (
    "quantity",
    "unit_price_minor",
    "requested_date",
    "confirmed_quantity",
    "confirmed_date",
    "cancelled",
)


def plain(value: Any) -> Any:
    """``value`` as JSON: quantities as ``"12.500"``, dates as ISO strings."""
    if isinstance(value, Decimal):
        return str(value.quantize(QUANTUM))
    if isinstance(value, date):
        return value.isoformat()
    return value


def line_diff(before: PurchaseOrderLine, after: PurchaseOrderLine) -> dict[str, Any]:
    """``{"line_no": 1, "quantity": ["10.000", "8.000"]}``: each changed field, old and new;
    just the line number when nothing changed."""
    diff: dict[str, Any] = {"line_no": after.line_no}
    for name in LINE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            diff[name] = [plain(old), plain(new)]
    return diff
