"""The steps of an order, one form each: parse the fields, call one service, show the order.

Through htmx a step answers with the order document (``_order_doc.html``) with a line saying
what happened, and a refusal is shown above the document's actions (``#order-errors``); without
JavaScript a step redirects back to the order page and a refusal is a page of its own.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from tandem.domain.errors import NotFound, TandemError
from tandem.services import invoices, payments, receipts, shipments
from tandem.services import purchase_orders as po
from tandem.web.core import Viewer, Web, is_htmx, status_of, web_route_class
from tandem.web.finance import parse_payment
from tandem.web.flows import major, money
from tandem.web.order_forms import (
    expected,
    parse_acknowledgement,
    parse_change,
    parse_invoice,
    parse_receipt,
    parse_shipment,
)
from tandem.web.orders import order_context

ORDER_ERRORS = "#order-errors"

Lines = Annotated[list[str] | None, Form()]
Text = Annotated[str, Form(max_length=500)]


Step = Callable[[Request, Viewer, int, Callable[[], str]], Response]


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)

    def step(
        request: Request, viewer: Viewer, order_id: int, action: Callable[[], str]
    ) -> Response:
        """Run ``action`` (which returns the flash line) and show the order again."""
        try:
            flash = action()
        except TandemError as error:
            if is_htmx(request):
                return web.message(request, error, status_of(error), target=ORDER_ERRORS)
            raise
        if not is_htmx(request):
            return RedirectResponse(f"/orders/{order_id}", status_code=303)
        context = order_context(web, viewer, order_id, flash)
        return web.render(request, "_order_doc.html", viewer, **context)

    _placing(web, router, step)
    _fulfilling(web, router, step)
    return router


def _placing(web: Web, router: APIRouter, step: Step) -> None:
    """Submit, cancel, close, acknowledge, and change requests."""
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.post("/orders/{order_id}/submit", dependencies=checked)
    def submit(request: Request, viewer: SignedIn, order_id: int, version: Text = "") -> Response:
        def act() -> str:
            view = po.submit_order(web.services, viewer.principal, order_id, expected(version))
            return f"{view.order.number} submitted to the seller."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/cancel", dependencies=checked)
    def cancel(
        request: Request, viewer: SignedIn, order_id: int, version: Text = "", reason: Text = ""
    ) -> Response:
        def act() -> str:
            view = po.cancel_order(
                web.services, viewer.principal, order_id, reason.strip(), expected(version)
            )
            return f"{view.order.number} cancelled."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/close", dependencies=checked)
    def close(request: Request, viewer: SignedIn, order_id: int, version: Text = "") -> Response:
        def act() -> str:
            view = po.close_order(web.services, viewer.principal, order_id, expected(version))
            return f"{view.order.number} closed."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/acknowledge", dependencies=checked)
    def acknowledge(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        line_no: Lines = None,
        confirmed_quantity: Lines = None,
        confirmed_date: Lines = None,
        ship_from: Text = "",
        version: Text = "",
    ) -> Response:
        def act() -> str:
            command = parse_acknowledgement(
                line_no or [], confirmed_quantity or [], confirmed_date or [], ship_from, version
            )
            view = po.acknowledge_order(web.services, viewer.principal, order_id, command)
            return f"{view.order.number} acknowledged."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/changes", dependencies=checked)
    def request_change(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        kind: Text = "change",
        line_no: Lines = None,
        quantity: Lines = None,
        requested_date: Lines = None,
        unit_price: Lines = None,
        cancel_line: Lines = None,
        reason: Text = "",
        version: Text = "",
    ) -> Response:
        def act() -> str:
            command = parse_change(
                kind,
                line_no or [],
                quantity or [],
                requested_date or [],
                unit_price or [],
                cancel_line or [],
                reason,
                version,
            )
            outcome = po.request_change(web.services, viewer.principal, order_id, command)
            if outcome.change.status.value == "accepted":
                return "Change applied at once: the trade terms ask no acceptance."
            return "Change requested: the other party decides."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/changes/{change_id}/{decision}", dependencies=checked)
    def decide_change(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        change_id: int,
        decision: str,
        note: Text = "",
        version: Text = "",
    ) -> Response:
        deciders = {
            "accept": (po.accept_change, "Change accepted."),
            "reject": (po.reject_change, "Change rejected."),
        }

        def act() -> str:
            ctx, principal, at = web.services, viewer.principal, expected(version)
            if decision == "withdraw":
                po.withdraw_change(ctx, principal, order_id, change_id, at)
                return "Change request withdrawn."
            if decision not in deciders:
                raise NotFound(f"change request {change_id} not found")
            decide, said = deciders[decision]
            decide(ctx, principal, order_id, change_id, note.strip(), at)
            return said

        return step(request, viewer, order_id, act)


def _fulfilling(web: Web, router: APIRouter, step: Step) -> None:
    """Ship, receive, invoice and pay."""
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.post("/orders/{order_id}/shipments", dependencies=checked)
    def ship(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        order_line_id: Lines = None,
        quantity: Lines = None,
        lot: Lines = None,
        from_site: Text = "",
        carrier: Text = "",
        tracking_reference: Text = "",
        expected_arrival: Text = "",
    ) -> Response:
        def act() -> str:
            command = parse_shipment(
                order_id,
                order_line_id or [],
                quantity or [],
                lot or [],
                from_site,
                carrier,
                tracking_reference,
                expected_arrival,
            )
            shipped = shipments.ship(web.services, viewer.principal, command)
            return f"Shipment {shipped.shipment.number} sent."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/shipments/{shipment_id}/receipt", dependencies=checked)
    def receive(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        shipment_id: int,
        shipment_line_id: Lines = None,
        received_quantity: Lines = None,
        damaged_quantity: Lines = None,
        note: Text = "",
    ) -> Response:
        def act() -> str:
            command = parse_receipt(
                shipment_id,
                shipment_line_id or [],
                received_quantity or [],
                damaged_quantity or [],
                note,
            )
            received = receipts.receive(web.services, viewer.principal, command)
            return f"Receipt {received.receipt.number} recorded."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/invoices", dependencies=checked)
    def invoice(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        order_line_id: Lines = None,
        quantity: Lines = None,
        unit_price: Lines = None,
    ) -> Response:
        def act() -> str:
            command = parse_invoice(order_id, order_line_id or [], quantity or [], unit_price or [])
            issued = invoices.issue_invoice(web.services, viewer.principal, command)
            found = issued.invoice
            return f"Invoice {found.number} issued: {money(found.total_minor, found.currency)}."

        return step(request, viewer, order_id, act)

    @router.post("/orders/{order_id}/invoices/{invoice_id}/payments", dependencies=checked)
    def pay(
        request: Request,
        viewer: SignedIn,
        order_id: int,
        invoice_id: int,
        amount: Text = "",
        reference: Text = "",
    ) -> Response:
        def act() -> str:
            command = parse_payment(invoice_id, amount, reference)
            paid = payments.pay_invoice(web.services, viewer.principal, command)
            return f"Payment of {major(paid.amount_minor)} recorded."

        return step(request, viewer, order_id, act)
