"""Goods receipts: the consignee receives a shipment once, line by line."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from tandem.api.deps import Caller, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id
from tandem.api.schemas.shipments import ReceiptIn, ReceiptOut
from tandem.services import receipts

router = APIRouter(prefix="/receipts", tags=["receipts"])


@router.get("/{receipt_id}", name="get_receipt")
def get_receipt(services: Services, caller: Caller, receipt_id: Id) -> ReceiptOut:
    return ReceiptOut.of(receipts.get_receipt(services, caller, receipt_id))


@router.post("", name="receive", status_code=201)
def receive(
    services: Services, caller: Caller, body: ReceiptIn, request: Request, response: Response
) -> ReceiptOut:
    """Receive one of your inbound shipments: ``unknown_shipment`` for one you do not know,
    ``already_received`` for a second receipt."""
    detail = receipts.receive(services, caller, body.command())
    created(request, response, "get_receipt", receipt_id=detail.receipt.id)
    return ReceiptOut.of(detail)
