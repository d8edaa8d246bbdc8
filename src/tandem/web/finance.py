"""Invoices and ageing: the viewer's receivables and payables with their match status, the AR
and AP ageing tables, and one invoice's page with its lines, payments and credit notes.

The buyer pays a matched (or released) invoice and releases a blocked one; the seller issues
credit notes. Only the two parties of an invoice see it; anybody else gets the 404 page.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.finance import AgeingBucket, AgeingSide, PartyRole
from tandem.services import finance, invoices, payments
from tandem.services import purchase_orders as po
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web, is_htmx, status_of, web_route_class
from tandem.web.flows import Fields, directory, install_filters, major

INVOICE_ERRORS = "#invoice-errors"
BUCKETS = (
    (AgeingBucket.CURRENT, "Current"),
    (AgeingBucket.DAYS_1_30, "1–30"),
    (AgeingBucket.DAYS_31_60, "31–60"),
    (AgeingBucket.DAYS_61_90, "61–90"),
    (AgeingBucket.DAYS_OVER_90, "90+"),
)

Text = Annotated[str, Form(max_length=500)]


def parse_payment(invoice_id: int, amount: str, reference: str) -> payments.PayInvoice:
    f = Fields("payment")
    minor = f.amount(amount, "amount")
    f.raise_if_any("Invalid payment")
    return payments.PayInvoice(invoice_id, minor or 0, reference.strip())


def parse_credit_note(invoice_id: int, amount: str, reason: str) -> payments.IssueCreditNote:
    f = Fields("credit_note")
    minor = f.amount(amount, "amount")
    f.raise_if_any("Invalid credit note")
    return payments.IssueCreditNote(invoice_id, minor or 0, reason.strip())


def _as_of(text: str) -> date | None:
    f = Fields("query")
    day = f.optional_day(text, "as_of")
    f.raise_if_any("Invalid date")
    return day


def invoice_context(web: Web, viewer: Viewer, invoice_id: int, flash: str = "") -> dict[str, Any]:
    ctx, principal = web.services, viewer.principal
    detail = invoices.get_invoice(ctx, principal, invoice_id)
    invoice = detail.invoice
    order = po.get_order(ctx, principal, invoice.order_id)
    d = directory(web, viewer)
    is_buyer = invoice.buyer_member_id == viewer.member_id
    return {
        "detail": detail,
        "invoice": invoice,
        "order": order.order,
        "line_nos": {x.id: x.line_no for x in order.lines},
        "d": d,
        "currency": invoice.currency,
        "is_buyer": is_buyer,
        "is_seller": not is_buyer,
        "may_pay": is_buyer and invoice.match_status.value != "blocked" and invoice.open_minor > 0,
        "may_release": is_buyer and invoice.match_status.value == "blocked",
        "may_credit": not is_buyer and invoice.open_minor > 0,
        "flash": flash,
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]
    install_filters(web)

    @router.get("/invoices", response_class=HTMLResponse)
    def invoices_page(
        request: Request, viewer: SignedIn, as_of: Annotated[str, Query(max_length=20)] = ""
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        day = _as_of(as_of)
        everything = PageRequest(0, MAX_PAGE)
        sold = invoices.list_invoices(ctx, principal, everything, role=PartyRole.SELLER)
        bought = invoices.list_invoices(ctx, principal, everything, role=PartyRole.BUYER)
        receivable = finance.ageing_report(ctx, principal, AgeingSide.RECEIVABLE, day)
        payable = finance.ageing_report(ctx, principal, AgeingSide.PAYABLE, day)
        d = directory(web, viewer)
        return web.render(
            request,
            "invoices.html",
            viewer,
            nav="invoices",
            receivables=sorted(sold.items, key=lambda i: i.id, reverse=True),
            payables=sorted(bought.items, key=lambda i: i.id, reverse=True),
            ageing=(("ar", "Receivables ageing", receivable), ("ap", "Payables ageing", payable)),
            buckets=BUCKETS,
            as_of=receivable.as_of,
            d=d,
            currency=d.currency,
        )

    @router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
    def invoice_page(request: Request, viewer: SignedIn, invoice_id: int) -> HTMLResponse:
        context = invoice_context(web, viewer, invoice_id)
        return web.render(request, "invoice.html", viewer, nav="invoices", **context)

    def step(
        request: Request, viewer: Viewer, invoice_id: int, action: Callable[[], str]
    ) -> Response:
        try:
            flash = action()
        except TandemError as error:
            if is_htmx(request):
                return web.message(request, error, status_of(error), target=INVOICE_ERRORS)
            raise
        if not is_htmx(request):
            return RedirectResponse(f"/invoices/{invoice_id}", status_code=303)
        context = invoice_context(web, viewer, invoice_id, flash)
        return web.render(request, "_fin_invoice_doc.html", viewer, **context)

    @router.post("/invoices/{invoice_id}/payments", dependencies=checked)
    def pay(
        request: Request, viewer: SignedIn, invoice_id: int, amount: Text = "", reference: Text = ""
    ) -> Response:
        def act() -> str:
            command = parse_payment(invoice_id, amount, reference)
            paid = payments.pay_invoice(web.services, viewer.principal, command)
            return f"Payment of {major(paid.amount_minor)} recorded."

        return step(request, viewer, invoice_id, act)

    @router.post("/invoices/{invoice_id}/release", dependencies=checked)
    def release(request: Request, viewer: SignedIn, invoice_id: int, note: Text = "") -> Response:
        def act() -> str:
            released = invoices.release_invoice(web.services, viewer.principal, invoice_id, note)
            return f"Invoice {released.number} released for payment."

        return step(request, viewer, invoice_id, act)

    @router.post("/invoices/{invoice_id}/credit-notes", dependencies=checked)
    def credit(
        request: Request, viewer: SignedIn, invoice_id: int, amount: Text = "", reason: Text = ""
    ) -> Response:
        def act() -> str:
            command = parse_credit_note(invoice_id, amount, reason)
            note = payments.issue_credit_note(web.services, viewer.principal, command)
            return f"Credit note {note.number} issued: {major(note.amount_minor)}."

        return step(request, viewer, invoice_id, act)

    return router
