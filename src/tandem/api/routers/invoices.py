"""Invoices: issued by the seller of a purchase order, matched, released and paid by its buyer.
Only the two parties see an invoice; anybody else gets 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.finance import (
    CreditNoteIn,
    CreditNoteOut,
    InvoiceDetailOut,
    InvoiceIn,
    InvoiceOut,
    ReleaseIn,
)
from tandem.domain.finance import InvoiceStatus, MatchStatus, PartyRole
from tandem.services import invoices, payments

router = APIRouter(prefix="/invoices", tags=["invoices"])


@router.get("", name="list_invoices")
def list_invoices(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[PartyRole | None, Query(description="Omitted: either side")] = None,
    status: Annotated[InvoiceStatus | None, Query()] = None,
    match_status: Annotated[MatchStatus | None, Query()] = None,
    order_id: Annotated[Id | None, Query()] = None,
) -> PageOut[InvoiceOut]:
    """Invoices the caller's member issued (role seller) or received (role buyer)."""
    found = invoices.list_invoices(services, caller, page, role, status, match_status, order_id)
    return PageOut[InvoiceOut].of(found)


@router.get("/{invoice_id}", name="get_invoice")
def get_invoice(services: Services, caller: Caller, invoice_id: Id) -> InvoiceDetailOut:
    return InvoiceDetailOut.of(invoices.get_invoice(services, caller, invoice_id))


@router.post("", name="issue_invoice", status_code=201)
def issue_invoice(
    services: Services, caller: Caller, body: InvoiceIn, request: Request, response: Response
) -> InvoiceDetailOut:
    """The seller invoices shipped, not yet invoiced quantities; the three-way match runs at
    once (``match_status`` blocked, with a reason, when it fails)."""
    detail = invoices.issue_invoice(services, caller, body.command())
    created(request, response, "get_invoice", invoice_id=detail.invoice.id)
    return InvoiceDetailOut.of(detail)


@router.post("/{invoice_id}/rematch", name="rematch_invoice")
def rematch_invoice(services: Services, caller: Caller, invoice_id: Id) -> InvoiceOut:
    """The buyer runs the three-way match of a blocked invoice again (after a late receipt)."""
    return InvoiceOut.model_validate(invoices.rematch_invoice(services, caller, invoice_id))


@router.post("/{invoice_id}/release", name="release_invoice")
def release_invoice(
    services: Services, caller: Caller, invoice_id: Id, body: ReleaseIn
) -> InvoiceOut:
    """The buyer releases a blocked invoice for payment, with a note saying why."""
    return InvoiceOut.model_validate(
        invoices.release_invoice(services, caller, invoice_id, body.note)
    )


@router.post("/{invoice_id}/credit-notes", name="issue_credit_note", status_code=201)
def issue_credit_note(
    services: Services, caller: Caller, invoice_id: Id, body: CreditNoteIn
) -> CreditNoteOut:
    """The seller credits part or all of the open amount (listed with the invoice)."""
    return CreditNoteOut.model_validate(
        payments.issue_credit_note(services, caller, body.command(invoice_id))
    )
