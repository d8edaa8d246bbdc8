"""What every use case of an order shares: load it for a party, check its version and side,
record a step (event + version), and keep a call-off's reservation in step with its lines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tandem.domain.errors import Forbidden, NotFound, StaleVersion
from tandem.domain.identity import Principal
from tandem.domain.orders import (
    ChangeRequest,
    ChangeStatus,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    call_off_quantity,
    plain,
)
from tandem.services.agreements import PARTIES, PartyRole, move_call_off
from tandem.services.documents import require_party
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class OrderView:
    """One order as both parties see it: header, lines by number, the pending change request."""

    order: PurchaseOrder
    lines: tuple[PurchaseOrderLine, ...]
    pending_change: ChangeRequest | None = None


def load_order(
    uow: UnitOfWork,
    principal: Principal,
    order_id: int,
    expected_version: int | None = None,
    *,
    lock: bool = True,
) -> PurchaseOrder:
    """The order if the caller is a party (else :class:`NotFound`), at ``expected_version``.

    Locked until the transaction ends unless ``lock`` is false (reads), so two writers of one
    order on PostgreSQL queue instead of both passing the version and quantity checks."""
    repository = uow.purchase_orders
    found = repository.get_for_update(order_id) if lock else repository.get(order_id)
    order = require_party(principal, found, PARTIES, "purchase order", order_id)
    if order.status is OrderStatus.DRAFT and principal.member_id != order.buyer_member_id:
        raise NotFound(f"purchase order {order_id} not found")  # a draft is the buyer's alone
    if expected_version is not None and expected_version != order.version:
        raise StaleVersion(
            f"purchase order {order.number} is at version {order.version}, not {expected_version}"
        )
    return order


def require_side(principal: Principal, order: PurchaseOrder, role: PartyRole, what: str) -> None:
    if getattr(order, f"{role.value}_member_id") != principal.member_id:
        raise Forbidden(f"only the {role.value} may {what} purchase order {order.number}")


def lines_of(uow: UnitOfWork, order_id: int) -> list[PurchaseOrderLine]:
    return sorted(uow.purchase_order_lines.find(order_id=order_id), key=lambda x: x.line_no)


def pending_change(uow: UnitOfWork, order_id: int) -> ChangeRequest | None:
    found = uow.change_requests.find(order_id=order_id, status=ChangeStatus.PENDING)
    return found[0] if found else None


def view_of(uow: UnitOfWork, order: PurchaseOrder) -> OrderView:
    return OrderView(order, tuple(lines_of(uow, order.id)), pending_change(uow, order.id))


def record(
    uow: UnitOfWork,
    order: PurchaseOrder,
    kind: OrderEventKind,
    actor: tuple[int, int | None],
    at: datetime,
    detail: dict[str, Any],
    **changes: Any,
) -> PurchaseOrder:
    """Store ``order`` with ``changes`` at the next version and append the event of the step;
    a status change is added to the event's detail as ``[old, new]``."""
    changed = replace(order, version=order.version + 1, **changes)
    if changed.status != order.status:
        detail = {**detail, "status": [order.status.value, changed.status.value]}
    uow.purchase_orders.update(changed)
    member_id, user_id = actor
    uow.order_events.add(
        OrderEvent(0, order.id, changed.version, kind, at, member_id, detail, user_id)
    )
    return changed


def actor_of(principal: Principal) -> tuple[int, int | None]:
    return principal.member_id, principal.user_id


def line_snapshot(line: PurchaseOrderLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "item_id": line.item_id,
        "quantity": plain(line.quantity),
        "unit_price_minor": line.unit_price_minor,
        "requested_date": plain(line.requested_date),
    }


def follow_call_off(
    uow: UnitOfWork,
    before: tuple[PurchaseOrder, list[PurchaseOrderLine]],
    after: tuple[PurchaseOrder, list[PurchaseOrderLine]],
) -> None:
    """Move the agreement's called-off quantity by what a step changed of a call-off order."""
    order = after[0]
    if order.agreement_id is None:
        return
    held_before = call_off_quantity(before[0].status, before[1])
    held_after = call_off_quantity(order.status, after[1])
    move_call_off(uow, order.agreement_id, held_before, held_after)
