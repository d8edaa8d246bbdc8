"""Changes after acknowledgement: either party requests a change of lines or the cancellation of
the order; the other party accepts (the change is applied) or rejects it, the requester may
withdraw it. Where the pair's trade terms ask no acceptance, a request is applied at once.
One request at a time may be pending on an order (``change_pending``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from tandem.domain.errors import (
    ChangePending,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.orders import (
    Agreement,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    LineChange,
    OrderEventKind,
    OrderStatus,
    OrderStep,
    PurchaseOrder,
    PurchaseOrderLine,
    apply_line_change,
    ensure_step,
    ensure_transition,
    fulfilment_status,
    line_diff,
    plain,
    price_violations,
    quantity_violations,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.services.agreements import terms_between
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.purchase_orders._records import (
    OrderView,
    actor_of,
    follow_call_off,
    lines_of,
    load_order,
    pending_change,
    record,
    view_of,
)

APPLIED_BY_TERMS = "applied at once: the trade terms ask no acceptance"


@dataclass(frozen=True)
class RequestChange:
    """A change of lines (``kind`` change) or the cancellation of the whole order (no lines)."""

    kind: ChangeKind
    lines: tuple[LineChange, ...] = ()
    reason: str = ""
    expected_version: int | None = None


@dataclass(frozen=True)
class ChangeOutcome:
    change: ChangeRequest
    view: OrderView


# ---------------------------------------------------------------- validation and application


def _line_change_violations(
    index: int, change: LineChange, agreement: Agreement | None
) -> list[Violation]:
    at = f"lines[{index}]"
    found: list[Violation] = []
    fields = (change.quantity, change.requested_date, change.unit_price_minor)
    if not change.cancel and all(value is None for value in fields):
        found.append(Violation(at, "the change changes nothing", "line_no"))
    if change.quantity is not None:
        found += quantity_violations(change.quantity, at, "quantity")
    if change.unit_price_minor is not None:
        found += price_violations(change.unit_price_minor, at)
        if agreement is not None and change.unit_price_minor != agreement.unit_price_minor:
            message = f"the agreement's price is {agreement.unit_price_minor}"
            found.append(Violation(at, message, "unit_price_minor"))
    day = change.requested_date
    if day is not None and agreement is not None and not _within(agreement, day):
        message = f"outside the agreement's {agreement.valid_from}..{agreement.valid_to}"
        found.append(Violation(at, message, "requested_date"))
    return found


def _within(agreement: Agreement, day: date) -> bool:
    return agreement.valid_from <= day <= agreement.valid_to


def _change_violations(
    lines: Sequence[PurchaseOrderLine], command: RequestChange, agreement: Agreement | None
) -> list[Violation]:
    if command.kind == ChangeKind.CANCEL:
        if command.lines:
            return [Violation("change_request", "a cancellation names no lines", "lines")]
        return []
    if not command.lines:
        return [Violation("change_request", "name at least one line to change", "lines")]
    numbers = {line.line_no for line in lines}
    seen: set[int] = set()
    found: list[Violation] = []
    for index, change in enumerate(command.lines):
        if change.line_no not in numbers or change.line_no in seen:
            message = f"line {change.line_no} is unknown or named twice"
            found.append(Violation(f"lines[{index}]", message, "line_no"))
        seen.add(change.line_no)
        found += _line_change_violations(index, change, agreement)
    return found


def _normalised(change: LineChange) -> LineChange:
    quantity = None if change.quantity is None else to_quantity(change.quantity)
    return replace(change, quantity=quantity)


def _applied(
    order: PurchaseOrder, lines: list[PurchaseOrderLine], change: ChangeRequest
) -> tuple[OrderStatus, list[PurchaseOrderLine]]:
    """The status and lines after ``change``; :class:`Conflict` if goods shipped forbid it."""
    if change.kind == ChangeKind.CANCEL:
        if any(line.shipped_quantity > ZERO for line in lines):
            raise Conflict(f"purchase order {order.number} has shipments: it cannot be cancelled")
        return OrderStatus.CANCELLED, lines
    by_number = {c.line_no: c for c in change.lines}
    changed = [
        apply_line_change(line, by_number[line.line_no]) if line.line_no in by_number else line
        for line in lines
    ]
    everything_cancelled = all(line.cancelled for line in changed)
    status = OrderStatus.CANCELLED if everything_cancelled else fulfilment_status(changed)
    ensure_transition(order.status, status)
    return status, changed


def _apply(
    uow: UnitOfWork,
    order: PurchaseOrder,
    change: ChangeRequest,
    decision: tuple[int, int | None, datetime, str],
    decided_by: int | None,
) -> tuple[ChangeRequest, PurchaseOrder]:
    member_id, user_id, now, note = decision
    lines = lines_of(uow, order.id)
    status, changed_lines = _applied(order, lines, change)
    pairs = [(a, b) for a, b in zip(lines, changed_lines, strict=True) if a != b]
    uow.purchase_order_lines.update_many([b for _, b in pairs])
    decided = replace(
        change,
        status=ChangeStatus.ACCEPTED,
        decided_by_member_id=decided_by,
        decided_at=now,
        decision_note=note,
    )
    uow.change_requests.update(decided)
    detail: dict[str, Any] = {
        "change_request_id": change.id,
        "kind": change.kind.value,
        "lines": [line_diff(a, b) for a, b in pairs],
        "note": note,
    }
    accepted = record(
        uow, order, OrderEventKind.CHANGE_ACCEPTED, (member_id, user_id), now, detail, status=status
    )
    follow_call_off(uow, (order, lines), (accepted, changed_lines))
    return decided, accepted


def _proposal(change: LineChange) -> dict[str, Any]:
    proposed = {
        "quantity": change.quantity,
        "requested_date": change.requested_date,
        "unit_price_minor": change.unit_price_minor,
    }
    shown = {k: plain(v) for k, v in proposed.items() if v is not None}
    return {"line_no": change.line_no, **shown, **({"cancel": True} if change.cancel else {})}


# ---------------------------------------------------------------- use cases


def request_change(
    ctx: ServiceContext, principal: Principal, order_id: int, command: RequestChange
) -> ChangeOutcome:
    """Either party asks for a change or the cancellation of an acknowledged order."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, command.expected_version)
        cancelling = command.kind == ChangeKind.CANCEL
        step = OrderStep.REQUEST_CANCELLATION if cancelling else OrderStep.REQUEST_CHANGE
        ensure_step(step, order.status)
        if pending_change(uow, order.id) is not None:
            raise ChangePending(f"purchase order {order.number} has a pending change request")
        lines = lines_of(uow, order.id)
        agreement = None if order.agreement_id is None else uow.agreements.get(order.agreement_id)
        raise_if(_change_violations(lines, command, agreement), "invalid change request")
        proposed = ChangeRequest(
            0,
            order.id,
            command.kind,
            ChangeStatus.PENDING,
            principal.member_id,
            now,
            tuple(_normalised(c) for c in command.lines),
            command.reason,
        )
        _applied(order, lines, proposed)  # refuse now what could never be applied
        change = uow.change_requests.add(proposed)
        detail = {
            "change_request_id": change.id,
            "kind": change.kind.value,
            "lines": [_proposal(c) for c in change.lines],
            "reason": command.reason,
        }
        actor = actor_of(principal)
        order = record(uow, order, OrderEventKind.CHANGE_REQUESTED, actor, now, detail)
        terms = terms_between(uow, order.network_id, order.buyer_member_id, order.seller_member_id)
        needed = (
            terms.cancellation_needs_acceptance if cancelling else terms.changes_need_acceptance
        )
        if not needed:
            decision = (*actor, now, APPLIED_BY_TERMS)
            change, order = _apply(uow, order, change, decision, None)
        view = view_of(uow, order)
        uow.commit()
    return ChangeOutcome(change, view)


def _pending_of(uow: UnitOfWork, order: PurchaseOrder, change_id: int) -> ChangeRequest:
    change = uow.change_requests.get(change_id)
    if change is None or change.order_id != order.id:
        raise NotFound(f"change request {change_id} not found")
    if change.status != ChangeStatus.PENDING:
        raise InvalidTransition(f"change request {change_id} is {change.status.value}, not pending")
    return change


def _require_other_party(principal: Principal, change: ChangeRequest) -> None:
    if change.requested_by_member_id == principal.member_id:
        raise Forbidden("the other party decides a change request")


def accept_change(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    change_id: int,
    note: str = "",
    expected_version: int | None = None,
) -> ChangeOutcome:
    """The other party accepts: the lines change (confirmed values follow), or it is cancelled."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, expected_version)
        change = _pending_of(uow, order, change_id)
        _require_other_party(principal, change)
        ensure_step(OrderStep.DECIDE_CHANGE, order.status)
        decision = (*actor_of(principal), now, note)
        change, order = _apply(uow, order, change, decision, principal.member_id)
        view = view_of(uow, order)
        uow.commit()
    return ChangeOutcome(change, view)


def reject_change(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    change_id: int,
    note: str,
    expected_version: int | None = None,
) -> ChangeOutcome:
    """The other party refuses, saying why (a note is required); the order stays as it was."""
    return _close_request(
        ctx, principal, (order_id, change_id, expected_version), ChangeStatus.REJECTED, note
    )


def withdraw_change(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    change_id: int,
    expected_version: int | None = None,
) -> ChangeOutcome:
    """The requester takes its pending request back."""
    return _close_request(
        ctx, principal, (order_id, change_id, expected_version), ChangeStatus.WITHDRAWN, ""
    )


_CLOSING_EVENTS = {
    ChangeStatus.REJECTED: OrderEventKind.CHANGE_REJECTED,
    ChangeStatus.WITHDRAWN: OrderEventKind.CHANGE_WITHDRAWN,
}


def _close_request(
    ctx: ServiceContext,
    principal: Principal,
    keys: tuple[int, int, int | None],
    status: ChangeStatus,
    note: str,
) -> ChangeOutcome:
    principal.require(Scope.DATA_WRITE)
    order_id, change_id, expected_version = keys
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, expected_version)
        change = _pending_of(uow, order, change_id)
        if status == ChangeStatus.REJECTED:
            _require_other_party(principal, change)
            if not note.strip():
                violation = Violation("change_request", "must not be empty", "note")
                raise ValidationFailed("a rejection needs a note", violations=[violation])
        elif change.requested_by_member_id != principal.member_id:
            raise Forbidden("only the requester withdraws a change request")
        change = replace(
            change,
            status=status,
            decided_by_member_id=principal.member_id,
            decided_at=now,
            decision_note=note,
        )
        uow.change_requests.update(change)
        detail = {"change_request_id": change.id, "note": note}
        order = record(uow, order, _CLOSING_EVENTS[status], actor_of(principal), now, detail)
        view = view_of(uow, order)
        uow.commit()
    return ChangeOutcome(change, view)
