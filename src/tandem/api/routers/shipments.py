"""Shipments (advance shipping notices): the seller ships against an acknowledged order; only
the shipper and the consignee see a shipment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.shipments import (
    DiscrepancyOut,
    ShipmentDetailOut,
    ShipmentIn,
    ShipmentOut,
)
from tandem.domain.shipments import ShipmentStatus
from tandem.services import receipts, shipments
from tandem.services.shipments import ShipmentRole

router = APIRouter(prefix="/shipments", tags=["shipments"])


@router.get("", name="list_shipments")
def list_shipments(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[ShipmentRole | None, Query(description="Omitted: either")] = None,
    status: Annotated[ShipmentStatus | None, Query()] = None,
) -> PageOut[ShipmentOut]:
    """Shipments you sent or received, newest first."""
    return PageOut[ShipmentOut].of(shipments.list_shipments(services, caller, page, role, status))


@router.get("/discrepancies", name="list_discrepancies")
def list_discrepancies(services: Services, caller: Caller, page: Paging) -> PageOut[DiscrepancyOut]:
    """Received lines that differ from what was shipped (short, over, damaged), newest first."""
    return PageOut[DiscrepancyOut].of(receipts.list_discrepancies(services, caller, page))


@router.get("/{shipment_id}", name="get_shipment")
def get_shipment(services: Services, caller: Caller, shipment_id: Id) -> ShipmentDetailOut:
    return ShipmentDetailOut.of(shipments.get_shipment(services, caller, shipment_id))


@router.post("", name="ship", status_code=201)
def ship(
    services: Services, caller: Caller, body: ShipmentIn, request: Request, response: Response
) -> ShipmentDetailOut:
    """Ship against an acknowledged purchase order (seller only): stock leaves the site and is in
    transit to the order's ship-to site. More than the open quantity is ``over_shipment``."""
    detail = shipments.ship(services, caller, body.command())
    created(request, response, "get_shipment", shipment_id=detail.shipment.id)
    return ShipmentDetailOut.of(detail)
