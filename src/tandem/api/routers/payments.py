"""Payments of invoices by their buyers; seen by payer and payee only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.finance import PaymentIn, PaymentOut
from tandem.domain.finance import PartyRole
from tandem.services import payments

router = APIRouter(prefix="/payments", tags=["payments"])


@router.get("", name="list_payments")
def list_payments(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[
        PartyRole | None, Query(description="buyer: payments made; seller: received")
    ] = None,
    invoice_id: Annotated[Id | None, Query()] = None,
) -> PageOut[PaymentOut]:
    return PageOut[PaymentOut].of(payments.list_payments(services, caller, page, role, invoice_id))


@router.get("/{payment_id}", name="get_payment")
def get_payment(services: Services, caller: Caller, payment_id: Id) -> PaymentOut:
    return PaymentOut.model_validate(payments.get_payment(services, caller, payment_id))


@router.post("", name="pay_invoice", status_code=201)
def pay_invoice(
    services: Services, caller: Caller, body: PaymentIn, request: Request, response: Response
) -> PaymentOut:
    """The buyer pays all or part of the open amount of a matched or released invoice. Send an
    ``Idempotency-Key`` so that a retry pays once."""
    payment = payments.pay_invoice(services, caller, body.command())
    created(request, response, "get_payment", payment_id=payment.id)
    return PaymentOut.model_validate(payment)
