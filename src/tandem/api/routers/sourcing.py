"""Supplier offers: your member's record of what suppliers offer it per item (lead time, MOQ,
multiple, price breaks, priority, validity). Only the buyer sees its offers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.planning import SupplierOfferIn, SupplierOfferOut
from tandem.services import sourcing

router = APIRouter(prefix="/supplier-offers", tags=["planning"])


@router.post("", name="create_supplier_offer", status_code=201)
def create_supplier_offer(
    services: Services, caller: Caller, body: SupplierOfferIn, request: Request, response: Response
) -> SupplierOfferOut:
    offer = sourcing.create_offer(services, caller, body.offer())
    created(request, response, "get_supplier_offer", offer_id=offer.id)
    return SupplierOfferOut.model_validate(offer)


@router.get("", name="list_supplier_offers")
def list_supplier_offers(
    services: Services,
    caller: Caller,
    page: Paging,
    item_id: Annotated[Id | None, Query()] = None,
    supplier_member_id: Annotated[Id | None, Query()] = None,
) -> PageOut[SupplierOfferOut]:
    found = sourcing.list_offers(services, caller, page, item_id, supplier_member_id)
    return PageOut[SupplierOfferOut].of(found)


@router.get("/{offer_id}", name="get_supplier_offer")
def get_supplier_offer(services: Services, caller: Caller, offer_id: Id) -> SupplierOfferOut:
    return SupplierOfferOut.model_validate(sourcing.get_offer(services, caller, offer_id))


@router.put("/{offer_id}", name="update_supplier_offer")
def update_supplier_offer(
    services: Services, caller: Caller, offer_id: Id, body: SupplierOfferIn
) -> SupplierOfferOut:
    offer = sourcing.update_offer(services, caller, offer_id, body.offer())
    return SupplierOfferOut.model_validate(offer)


@router.delete("/{offer_id}", name="delete_supplier_offer", status_code=204)
def delete_supplier_offer(services: Services, caller: Caller, offer_id: Id) -> Response:
    sourcing.delete_offer(services, caller, offer_id)
    return Response(status_code=204)
