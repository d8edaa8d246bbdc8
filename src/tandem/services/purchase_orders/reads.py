"""What both parties read: one order, their orders, an order's history and change requests,
and the inbox of orders waiting for the caller."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tandem.domain.errors import NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.orders import (
    ALLOWED_FROM,
    ChangeRequest,
    OrderEvent,
    OrderStatus,
    OrderStep,
    PurchaseOrder,
)
from tandem.services.agreements import PartyRole, party_page
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.purchase_orders._records import (
    OrderView,
    load_order,
    pending_change,
    view_of,
)


class AwaitedAction(StrEnum):
    SUBMIT = "submit"
    ACKNOWLEDGE = "acknowledge"
    DECIDE_CHANGE = "decide_change"


@dataclass(frozen=True)
class AwaitedOrder:
    """An order waiting for the caller, and what it waits for."""

    order: PurchaseOrder
    action: AwaitedAction
    change_request_id: int | None = None


def get_order(ctx: ServiceContext, principal: Principal, order_id: int) -> OrderView:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return view_of(uow, load_order(uow, principal, order_id, lock=False))


def list_orders(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: PartyRole | None = None,
    status: OrderStatus | None = None,
) -> Page[PurchaseOrder]:
    """The caller's orders as buyer, as seller, or (no role) both, in id order. A seller never
    sees the buyer's drafts."""
    filters = {} if status is None else {"status": status}
    if role is PartyRole.BUYER:
        return party_page(lambda u: u.purchase_orders, ctx, principal, page, role, **filters)
    if role is PartyRole.SELLER and status is OrderStatus.DRAFT:
        return Page((), 0, page.offset, page.limit)
    principal.require(Scope.DATA_READ)
    mine: dict[str, Any] = {"network_id": principal.network_id, **filters}
    with ctx.uow() as uow:
        found = [
            o
            for o in uow.purchase_orders.find(seller_member_id=principal.member_id, **mine)
            if o.status is not OrderStatus.DRAFT
        ]
        if role is None:
            found += uow.purchase_orders.find(buyer_member_id=principal.member_id, **mine)
    found.sort(key=lambda o: o.id)
    return Page(tuple(found[page.offset : page.offset + page.limit]), len(found), *_at(page))


def _at(page: PageRequest) -> tuple[int, int]:
    return page.offset, page.limit


def order_history(
    ctx: ServiceContext, principal: Principal, order_id: int
) -> tuple[OrderEvent, ...]:
    """Every step of the order, oldest first (versions 1..n)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, lock=False)
        events = uow.order_events.find(order_id=order.id)
    return tuple(sorted(events, key=lambda e: e.version))


def list_change_requests(
    ctx: ServiceContext, principal: Principal, order_id: int
) -> tuple[ChangeRequest, ...]:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, lock=False)
        return tuple(uow.change_requests.find(order_id=order.id))


def get_change_request(
    ctx: ServiceContext, principal: Principal, order_id: int, change_id: int
) -> ChangeRequest:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, lock=False)
        change = uow.change_requests.get(change_id)
    if change is None or change.order_id != order.id:
        raise NotFound(f"change request {change_id} not found")
    return change


def awaiting_action(ctx: ServiceContext, principal: Principal) -> tuple[AwaitedOrder, ...]:
    """Orders where the caller must act: its drafts to submit, submitted orders to acknowledge
    (as seller), and change requests of the other party to decide; in order id order."""
    principal.require(Scope.DATA_READ)
    me, network = principal.member_id, principal.network_id
    awaited: list[AwaitedOrder] = []
    with ctx.uow() as uow:
        orders = uow.purchase_orders
        for order in orders.find(network_id=network, buyer_member_id=me, status=OrderStatus.DRAFT):
            awaited.append(AwaitedOrder(order, AwaitedAction.SUBMIT))
        submitted = orders.find(
            network_id=network, seller_member_id=me, status=OrderStatus.SUBMITTED
        )
        awaited += [AwaitedOrder(o, AwaitedAction.ACKNOWLEDGE) for o in submitted]
        for role in PartyRole:
            mine: dict[str, Any] = {"network_id": network, f"{role.value}_member_id": me}
            for order in orders.find(**mine):
                if order.status not in ALLOWED_FROM[OrderStep.DECIDE_CHANGE]:
                    continue
                change = pending_change(uow, order.id)
                if change is not None and change.requested_by_member_id != me:
                    awaited.append(AwaitedOrder(order, AwaitedAction.DECIDE_CHANGE, change.id))
    return tuple(sorted(awaited, key=lambda a: a.order.id))
