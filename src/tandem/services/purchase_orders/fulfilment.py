"""After acknowledgement: shipments, receipts and invoices move the order along (through
:func:`record_fulfilment`, called by those contexts in their own transaction), and the buyer
closes it, short where something is still open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tandem.domain.errors import ChangePending
from tandem.domain.identity import Principal, Scope
from tandem.domain.orders import (
    STEP_EVENTS,
    OrderEventKind,
    OrderStatus,
    OrderStep,
    PurchaseOrder,
    PurchaseOrderLine,
    ensure_step,
    ensure_transition,
    fulfilment_status,
    target_quantity,
)
from tandem.domain.quantities import ZERO
from tandem.services.agreements import PartyRole
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
    require_side,
    view_of,
)


def record_fulfilment(
    uow: UnitOfWork,
    order: PurchaseOrder,
    kind: OrderEventKind,
    actor_member_id: int,
    actor_user_id: int | None,
    at: datetime,
    detail: dict[str, Any],
) -> PurchaseOrder:
    """Record a shipment, receipt or invoice of ``order`` in the caller's unit of work.

    Call it *after* storing the lines' new shipped / received / invoiced quantities. ``kind`` is
    ``shipped``, ``received`` or ``invoiced``; it must be allowed in the order's status
    (:class:`InvalidTransition` otherwise). Shipping and receiving recompute the status from the
    lines (any shipped but not all: ``partially_shipped``; all shipped: ``shipped``; all received:
    ``received``; a closed order stays closed); invoicing keeps it. Appends the event (``detail``
    must be JSON: quantities as strings) and returns the order, stored at the next version."""
    step = STEP_EVENTS.get(kind)
    if step is None:
        raise ValueError(f"{kind.value} is not a fulfilment event")
    ensure_step(step, order.status)
    status = order.status
    if kind != OrderEventKind.INVOICED and status != OrderStatus.CLOSED:
        status = fulfilment_status(lines_of(uow, order.id))
    ensure_transition(order.status, status)
    return record(uow, order, kind, (actor_member_id, actor_user_id), at, detail, status=status)


def _closed_short(line: PurchaseOrderLine) -> dict[str, Any] | None:
    """What a close leaves unshipped of ``line`` (``None`` if nothing): recorded in the close
    event, while the line keeps its ordered and confirmed quantities, so supplier scorecards
    still measure the delivery against what was confirmed."""
    open_quantity = target_quantity(line) - line.shipped_quantity
    if line.cancelled or open_quantity <= ZERO:
        return None
    return {"line_no": line.line_no, "not_shipped": str(open_quantity)}


def close_order(
    ctx: ServiceContext, principal: Principal, order_id: int, expected_version: int | None = None
) -> OrderView:
    """The buyer closes a received order, or closes short an acknowledged, partially shipped
    or shipped one: nothing more is shipped, received or invoiced beyond what was shipped; the
    close event names what was left unshipped per line; a call-off keeps only what was
    shipped."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        order = load_order(uow, principal, order_id, expected_version)
        require_side(principal, order, PartyRole.BUYER, "close")
        ensure_step(OrderStep.CLOSE, order.status)
        if pending_change(uow, order.id) is not None:
            raise ChangePending(f"purchase order {order.number} has a pending change request")
        lines = lines_of(uow, order.id)
        short = [entry for entry in map(_closed_short, lines) if entry is not None]
        detail: dict[str, Any] = {"closed_short": short}
        changed = record(
            uow,
            order,
            OrderEventKind.CLOSED,
            actor_of(principal),
            ctx.clock.now(),
            detail,
            status=OrderStatus.CLOSED,
        )
        follow_call_off(uow, (order, lines), (changed, lines))
        view = view_of(uow, changed)
        uow.commit()
    return view
