"""Placing an order: the buyer drafts, edits, submits or cancels it; the seller acknowledges it,
confirming per line a quantity and a date that may differ from those asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from tandem.domain.errors import Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.orders import (
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    OrderStep,
    PurchaseOrder,
    PurchaseOrderLine,
    ensure_step,
    line_diff,
    price_violations,
    quantity_violations,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.services.agreements import (
    PartyRole,
    call_off_violations,
    item_violations,
    member_violations,
    terms_between,
)
from tandem.services.context import ServiceContext
from tandem.services.documents import add_numbered
from tandem.services.ports import UnitOfWork
from tandem.services.purchase_orders._records import (
    OrderView,
    actor_of,
    follow_call_off,
    line_snapshot,
    lines_of,
    load_order,
    record,
    require_side,
    view_of,
)

MAX_REFERENCE = 120


@dataclass(frozen=True)
class OrderLineInput:
    item_id: int
    quantity: Decimal
    unit_price_minor: int
    requested_date: date


@dataclass(frozen=True)
class CreatePurchaseOrder:
    seller_member_id: int
    ship_to_site_id: int
    lines: tuple[OrderLineInput, ...]
    buyer_reference: str = ""
    agreement_id: int | None = None


@dataclass(frozen=True)
class LineConfirmation:
    line_no: int
    confirmed_quantity: Decimal
    confirmed_date: date


@dataclass(frozen=True)
class AcknowledgeOrder:
    """The seller's confirmation; lines it does not name are confirmed as ordered."""

    lines: tuple[LineConfirmation, ...] = ()
    ship_from_site_id: int | None = None
    expected_version: int | None = None


# ---------------------------------------------------------------- validation


def site_violations(
    uow: UnitOfWork, principal: Principal, site_id: int, owner: int, field: str
) -> list[Violation]:
    site = uow.sites.get(site_id)
    if site is None or site.network_id != principal.network_id or site.member_id != owner:
        return [
            Violation("purchase_order", f"site {site_id} is not a site of member {owner}", field)
        ]
    return []


def _lines_violations(
    uow: UnitOfWork, principal: Principal, lines: Sequence[OrderLineInput]
) -> list[Violation]:
    if not lines:
        return [Violation("purchase_order", "an order needs at least one line", "lines")]
    found: list[Violation] = []
    for index, line in enumerate(lines):
        at = f"lines[{index}]"
        found += item_violations(uow, principal, line.item_id, at)
        found += quantity_violations(line.quantity, at, "quantity")
        found += price_violations(line.unit_price_minor, at)
    return found


def _call_off_violations(
    uow: UnitOfWork,
    agreement_id: int | None,
    buyer: int,
    seller: int,
    lines: Sequence[OrderLineInput],
) -> list[Violation]:
    if agreement_id is None:
        return []
    terms = [(x.item_id, x.unit_price_minor, x.requested_date) for x in lines]
    agreement = uow.agreements.get(agreement_id)
    return call_off_violations(agreement, agreement_id, buyer, seller, terms)


def _order_violations(
    uow: UnitOfWork, principal: Principal, command: CreatePurchaseOrder
) -> list[Violation]:
    seller, where = command.seller_member_id, "purchase_order"
    found = member_violations(uow, principal, seller, "seller_member_id", where)
    if seller == principal.member_id:
        found.append(Violation(where, "the seller must be another member", "seller_member_id"))
    found += site_violations(
        uow, principal, command.ship_to_site_id, principal.member_id, "ship_to_site_id"
    )
    if len(command.buyer_reference) > MAX_REFERENCE:
        message = f"at most {MAX_REFERENCE} characters"
        found.append(Violation(where, message, "buyer_reference"))
    found += _lines_violations(uow, principal, command.lines)
    if not found:
        found += _call_off_violations(
            uow, command.agreement_id, principal.member_id, seller, command.lines
        )
    return found


def _add_lines(
    uow: UnitOfWork, order_id: int, lines: Sequence[OrderLineInput]
) -> list[PurchaseOrderLine]:
    return [
        uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0,
                order_id,
                line_no,
                line.item_id,
                to_quantity(line.quantity),
                line.unit_price_minor,
                line.requested_date,
            )
        )
        for line_no, line in enumerate(lines, start=1)
    ]


# ---------------------------------------------------------------- the buyer's steps


def create_order(
    ctx: ServiceContext, principal: Principal, command: CreatePurchaseOrder
) -> OrderView:
    """A draft order of the caller's member (the buyer) to a seller, at version 1."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        raise_if(_order_violations(uow, principal, command), "invalid purchase order")
        terms = terms_between(
            uow, principal.network_id, principal.member_id, command.seller_member_id
        )
        draft = PurchaseOrder(
            0,
            principal.network_id,
            "",
            principal.member_id,
            command.seller_member_id,
            command.ship_to_site_id,
            OrderStatus.DRAFT,
            1,
            now,
            payment_terms_days=terms.payment_terms_days,
            agreement_id=command.agreement_id,
            buyer_reference=command.buyer_reference,
            created_by_user_id=principal.user_id,
        )
        order = add_numbered(uow.purchase_orders, draft, "PO")
        lines = _add_lines(uow, order.id, command.lines)
        detail = {"lines": [line_snapshot(x) for x in lines]}
        member, user = actor_of(principal)
        uow.order_events.add(
            OrderEvent(0, order.id, 1, OrderEventKind.CREATED, now, member, detail, user)
        )
        uow.commit()
    return OrderView(order, tuple(lines))


def replace_lines(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    lines: Sequence[OrderLineInput],
    expected_version: int | None = None,
) -> OrderView:
    """The buyer replaces every line of a draft (numbered 1..n again)."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, expected_version)
        require_side(principal, order, PartyRole.BUYER, "edit")
        ensure_step(OrderStep.EDIT, order.status)
        found = _lines_violations(uow, principal, lines) or _call_off_violations(
            uow, order.agreement_id, order.buyer_member_id, order.seller_member_id, lines
        )
        raise_if(found, "invalid purchase order lines")
        before = lines_of(uow, order.id)
        for line in before:
            uow.purchase_order_lines.delete(line.id)
        after = _add_lines(uow, order.id, lines)
        detail = {
            "before": [line_snapshot(x) for x in before],
            "after": [line_snapshot(x) for x in after],
        }
        changed = record(
            uow, order, OrderEventKind.EDITED, actor_of(principal), ctx.clock.now(), detail
        )
        uow.commit()
    return OrderView(changed, tuple(after))


def submit_order(
    ctx: ServiceContext, principal: Principal, order_id: int, expected_version: int | None = None
) -> OrderView:
    """The buyer sends the draft to the seller; a call-off reserves its quantity now."""
    return _buyer_moves(ctx, principal, order_id, expected_version, OrderStep.SUBMIT)


def cancel_order(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    reason: str = "",
    expected_version: int | None = None,
) -> OrderView:
    """The buyer cancels at once before acknowledgement (afterwards: a change request)."""
    return _buyer_moves(ctx, principal, order_id, expected_version, OrderStep.CANCEL, reason)


_MOVES = {
    OrderStep.SUBMIT: (OrderStatus.SUBMITTED, OrderEventKind.SUBMITTED),
    OrderStep.CANCEL: (OrderStatus.CANCELLED, OrderEventKind.CANCELLED),
}


def _buyer_moves(
    ctx: ServiceContext,
    principal: Principal,
    order_id: int,
    expected_version: int | None,
    step: OrderStep,
    reason: str = "",
) -> OrderView:
    principal.require(Scope.DATA_WRITE)
    status, kind = _MOVES[step]
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, expected_version)
        require_side(principal, order, PartyRole.BUYER, step.value)
        ensure_step(step, order.status)
        lines = lines_of(uow, order.id)
        detail = {"reason": reason} if reason else {}
        changed = record(
            uow, order, kind, actor_of(principal), ctx.clock.now(), detail, status=status
        )
        follow_call_off(uow, (order, lines), (changed, lines))
        view = view_of(uow, changed)
        uow.commit()
    return view


# ---------------------------------------------------------------- the seller's acknowledgement


def _confirmation_violations(
    lines: Sequence[PurchaseOrderLine], confirmations: Sequence[LineConfirmation]
) -> list[Violation]:
    numbers = {line.line_no for line in lines}
    seen: set[int] = set()
    found: list[Violation] = []
    for index, confirmation in enumerate(confirmations):
        at = f"lines[{index}]"
        if confirmation.line_no not in numbers or confirmation.line_no in seen:
            message = f"line {confirmation.line_no} is unknown or confirmed twice"
            found.append(Violation(at, message, "line_no"))
        seen.add(confirmation.line_no)
        try:
            if to_quantity(confirmation.confirmed_quantity) < ZERO:
                found.append(Violation(at, "must not be negative", "confirmed_quantity"))
        except ValueError as error:
            found.append(Violation(at, str(error), "confirmed_quantity"))
    return found


def _confirmed(
    lines: Sequence[PurchaseOrderLine], confirmations: Sequence[LineConfirmation]
) -> list[PurchaseOrderLine]:
    by_number = {c.line_no: c for c in confirmations}
    confirmed = []
    for line in lines:
        given = by_number.get(line.line_no)
        quantity = line.quantity if given is None else to_quantity(given.confirmed_quantity)
        day = line.requested_date if given is None else given.confirmed_date
        confirmed.append(replace(line, confirmed_quantity=quantity, confirmed_date=day))
    return confirmed


def acknowledge_order(
    ctx: ServiceContext, principal: Principal, order_id: int, command: AcknowledgeOrder
) -> OrderView:
    """The seller accepts a submitted order, confirming each line's quantity and date."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, command.expected_version)
        require_side(principal, order, PartyRole.SELLER, "acknowledge")
        ensure_step(OrderStep.ACKNOWLEDGE, order.status)
        lines = lines_of(uow, order.id)
        found = _confirmation_violations(lines, command.lines)
        ship_from = command.ship_from_site_id
        if ship_from is not None:
            found += site_violations(
                uow, principal, ship_from, principal.member_id, "ship_from_site_id"
            )
        raise_if(found, "invalid acknowledgement")
        confirmed = _confirmed(lines, command.lines)
        uow.purchase_order_lines.update_many(confirmed)
        detail = {
            "lines": [line_diff(a, b) for a, b in zip(lines, confirmed, strict=True)],
            "ship_from_site_id": ship_from,
        }
        changed = record(
            uow,
            order,
            OrderEventKind.ACKNOWLEDGED,
            actor_of(principal),
            ctx.clock.now(),
            detail,
            status=OrderStatus.ACKNOWLEDGED,
            ship_from_site_id=ship_from,
        )
        view = view_of(uow, changed)
        uow.commit()
    return view
