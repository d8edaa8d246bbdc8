"""Purchase orders between members: the inbox, the new-order form and the order page.

The buyer's purchase order *is* the seller's sales order: both parties open the same page and
see the same document, history, shipments and invoices; what differs is the actions each may
take now (:class:`Actions`). A third member gets the 404 page, exactly as for an order that
does not exist. The state-changing forms are in :mod:`tandem.web.order_actions`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.finance import Invoice, MatchStatus
from tandem.domain.orders import (
    ALLOWED_FROM,
    OrderStatus,
    OrderStep,
    PurchaseOrder,
    PurchaseOrderLine,
    target_quantity,
)
from tandem.domain.quantities import ZERO
from tandem.domain.quantities import money as line_value
from tandem.domain.shipments import ReceiptLine, ShipmentLine, ShipmentStatus, open_to_ship
from tandem.services import invoices, shipments
from tandem.services import purchase_orders as po
from tandem.services.agreements import PartyRole
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.services.shipments import ShipmentDetail
from tandem.web.core import Viewer, Web, status_of, web_route_class
from tandem.web.flows import Directory, directory, install_filters, rows
from tandem.web.order_forms import NEW_ORDER_ROWS, parse_new_order
from tandem.web.order_history import Wording, history

INBOX_PAGE = 50
ACTION_LABELS = {
    po.AwaitedAction.SUBMIT: "Submit your draft",
    po.AwaitedAction.ACKNOWLEDGE: "Acknowledge",
    po.AwaitedAction.DECIDE_CHANGE: "Decide a change request",
}


def order_total(lines: Iterable[PurchaseOrderLine]) -> int:
    """The value of what the seller owes: confirmed (else ordered) quantities at their prices."""
    return sum(line_value(target_quantity(x), x.unit_price_minor) for x in lines)


@dataclass(frozen=True)
class OrderRow:
    """One order in a list, as the viewer sees it."""

    order: PurchaseOrder
    counterparty: str
    total_minor: int
    first_date: date | None
    last_date: date | None
    action: str = ""


def _row(
    web: Web, viewer: Viewer, d: Directory, order: PurchaseOrder, action: str = ""
) -> OrderRow:
    lines = po.get_order(web.services, viewer.principal, order.id).lines
    other = (
        order.seller_member_id
        if order.buyer_member_id == viewer.member_id
        else order.buyer_member_id
    )
    days = [x.requested_date for x in lines if not x.cancelled]
    return OrderRow(
        order,
        d.member_name(other),
        order_total(lines),
        min(days, default=None),
        max(days, default=None),
        action,
    )


@dataclass(frozen=True)
class ShipmentRow:
    line: ShipmentLine
    line_no: int
    received: ReceiptLine | None


@dataclass(frozen=True)
class ShipmentView:
    detail: ShipmentDetail
    rows: tuple[ShipmentRow, ...]


@dataclass(frozen=True)
class Actions:
    """What the viewer may do to the order now."""

    submit: bool = False
    cancel: bool = False
    acknowledge: bool = False
    request_change: bool = False
    request_cancellation: bool = False
    decide_change: bool = False
    withdraw_change: bool = False
    ship: bool = False
    receive: tuple[int, ...] = field(default=())  # shipment ids the viewer may receive
    invoice: bool = False
    close: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.submit,
                self.cancel,
                self.acknowledge,
                self.request_change,
                self.request_cancellation,
                self.ship,
                self.receive,
                self.invoice,
                self.close,
            )
        )


def actions_of(view: po.OrderView, me: int, shipped: list[ShipmentView]) -> Actions:
    order, pending = view.order, view.pending_change
    status = order.status
    buyer, seller = order.buyer_member_id == me, order.seller_member_id == me
    free = pending is None

    def may(step: OrderStep) -> bool:
        return status in ALLOWED_FROM[step]

    return Actions(
        submit=buyer and may(OrderStep.SUBMIT),
        cancel=buyer and may(OrderStep.CANCEL),
        acknowledge=seller and may(OrderStep.ACKNOWLEDGE),
        request_change=free and may(OrderStep.REQUEST_CHANGE),
        request_cancellation=free and may(OrderStep.REQUEST_CANCELLATION),
        decide_change=pending is not None and pending.requested_by_member_id != me,
        withdraw_change=pending is not None and pending.requested_by_member_id == me,
        ship=seller and may(OrderStep.SHIP) and any(open_to_ship(x) > ZERO for x in view.lines),
        receive=tuple(
            s.detail.shipment.id
            for s in shipped
            if s.detail.shipment.status is ShipmentStatus.IN_TRANSIT
            and s.detail.shipment.consignee_member_id == me
        ),
        invoice=seller
        and may(OrderStep.INVOICE)
        and any(x.shipped_quantity > x.invoiced_quantity for x in view.lines),
        close=buyer and free and may(OrderStep.CLOSE),
    )


def payable(invoice: Invoice, me: int) -> bool:
    return (
        invoice.buyer_member_id == me
        and invoice.match_status is not MatchStatus.BLOCKED
        and invoice.open_minor > 0
    )


def _shipments_of(web: Web, viewer: Viewer, view: po.OrderView) -> list[ShipmentView]:
    ctx, principal = web.services, viewer.principal
    everything = shipments.list_shipments(ctx, principal, PageRequest(0, MAX_PAGE))
    line_nos = {x.id: x.line_no for x in view.lines}
    found = []
    for shipment in sorted(everything.items, key=lambda s: s.id):
        if shipment.order_id != view.order.id:
            continue
        detail = shipments.get_shipment(ctx, principal, shipment.id)
        received = {r.shipment_line_id: r for r in detail.receipt_lines}
        rows = tuple(
            ShipmentRow(x, line_nos.get(x.order_line_id, 0), received.get(x.id))
            for x in detail.lines
        )
        found.append(ShipmentView(detail, rows))
    return found


def order_context(web: Web, viewer: Viewer, order_id: int, flash: str = "") -> dict[str, Any]:
    """Everything the order page shows; raises :class:`NotFound` to a non-party."""
    ctx, principal = web.services, viewer.principal
    view = po.get_order(ctx, principal, order_id)
    events = po.order_history(ctx, principal, order_id)
    shipped = _shipments_of(web, viewer, view)
    billed = invoices.list_invoices(ctx, principal, PageRequest(0, MAX_PAGE), order_id=order_id)
    d = directory(web, viewer)
    wording = Wording(
        d,
        {x.id: x.line_no for x in view.lines},
        {r.line.id: r.line_no for s in shipped for r in s.rows},
    )
    order, me = view.order, viewer.member_id
    today = ctx.clock.now().date()
    return {
        "view": view,
        "order": order,
        "lines": view.lines,
        "pending": view.pending_change,
        "d": d,
        "currency": d.currency,
        "is_buyer": order.buyer_member_id == me,
        "is_seller": order.seller_member_id == me,
        "ordered_minor": sum(
            line_value(x.quantity, x.unit_price_minor) for x in view.lines if not x.cancelled
        ),
        "total_minor": order_total(view.lines),
        "history": history(events, wording, me),
        "shipments": shipped,
        "invoices": billed.items,
        "payable": {i.id: payable(i, me) for i in billed.items},
        "actions": actions_of(view, me, shipped),
        "open_to_ship": {x.id: open_to_ship(x) for x in view.lines},
        "seller_sites": d.own_sites(order.seller_member_id) if order.seller_member_id == me else [],
        "default_arrival": today + timedelta(days=2),
        "flash": flash,
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    install_filters(web)

    @router.get("/orders", response_class=HTMLResponse)
    def orders_page(
        request: Request, viewer: SignedIn, status: Annotated[str, Query()] = ""
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        chosen = OrderStatus(status) if status in set(OrderStatus) else None
        d = directory(web, viewer)
        awaited = [
            _row(web, viewer, d, a.order, ACTION_LABELS[a.action])
            for a in po.awaiting_action(ctx, principal)
        ]
        sections = {}
        for role in PartyRole:
            found = po.list_orders(ctx, principal, PageRequest(0, INBOX_PAGE), role, chosen)
            newest = sorted(found.items, key=lambda o: o.id, reverse=True)
            sections[role.value] = ([_row(web, viewer, d, o) for o in newest], found.total)
        return web.render(
            request,
            "orders.html",
            viewer,
            nav="orders",
            awaited=awaited,
            outgoing=sections["buyer"],
            incoming=sections["seller"],
            statuses=list(OrderStatus),
            status=chosen.value if chosen else "",
            currency=d.currency,
        )

    def new_order_page(
        request: Request,
        viewer: Viewer,
        error: TandemError | None = None,
        values: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        d = directory(web, viewer)
        today = web.services.clock.now().date()
        return web.render(
            request,
            "order_new.html",
            viewer,
            status_code=status_of(error) if error else 200,
            nav="orders",
            sellers=sorted(
                (m for m in d.members.values() if m.id != viewer.member_id), key=lambda m: m.name
            ),
            sites=d.own_sites(viewer.member_id),
            items=sorted(d.items.values(), key=lambda i: i.sku),
            rows=range(NEW_ORDER_ROWS),
            default_date=today + timedelta(days=7),
            error=error,
            values=values or {"seller": "", "ship_to": "", "reference": "", "lines": []},
        )

    @router.get("/orders/new", response_class=HTMLResponse)
    def new_order(request: Request, viewer: SignedIn) -> HTMLResponse:
        return new_order_page(request, viewer)

    @router.post("/orders", dependencies=[Depends(web.check_csrf)])
    def create_order(
        request: Request,
        viewer: SignedIn,
        seller: Annotated[str, Form()] = "",
        ship_to: Annotated[str, Form()] = "",
        reference: Annotated[str, Form(max_length=200)] = "",
        item_id: Annotated[list[str] | None, Form()] = None,
        quantity: Annotated[list[str] | None, Form()] = None,
        unit_price: Annotated[list[str] | None, Form()] = None,
        requested_date: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        lines = (item_id or [], quantity or [], unit_price or [], requested_date or [])
        try:
            command = parse_new_order(seller, ship_to, reference, *lines)
            created = po.create_order(web.services, viewer.principal, command)
        except TandemError as error:
            values = {
                "seller": seller,
                "ship_to": ship_to,
                "reference": reference,
                "lines": rows(*lines),
            }
            return new_order_page(request, viewer, error, values)
        return RedirectResponse(f"/orders/{created.order.id}", status_code=303)

    @router.get("/orders/{order_id}", response_class=HTMLResponse)
    def order_page(request: Request, viewer: SignedIn, order_id: int) -> HTMLResponse:
        context = order_context(web, viewer, order_id)
        return web.render(request, "order.html", viewer, nav="orders", **context)

    return router
