"""Blanket agreements (created by the buyer, binding at once) and the trade terms of a pair
(read and set by either party or a network administrator)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.orders import AgreementIn, AgreementOut, TradeTermsIn, TradeTermsOut
from tandem.domain.orders import AgreementStatus
from tandem.services import agreements
from tandem.services.agreements import PartyRole

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.get("/trade-terms", name="get_trade_terms")
def get_trade_terms(
    services: Services,
    caller: Caller,
    buyer_member_id: Annotated[Id, Query()],
    seller_member_id: Annotated[Id, Query()],
) -> TradeTermsOut:
    """The pair's terms; ``id`` 0 when none were set and the defaults apply."""
    terms = agreements.get_trade_terms(services, caller, buyer_member_id, seller_member_id)
    return TradeTermsOut.model_validate(terms)


@router.put("/trade-terms", name="set_trade_terms")
def set_trade_terms(services: Services, caller: Caller, body: TradeTermsIn) -> TradeTermsOut:
    return TradeTermsOut.model_validate(agreements.set_trade_terms(services, caller, body.fields()))


@router.post("", name="create_agreement", status_code=201)
def create_agreement(
    services: Services, caller: Caller, body: AgreementIn, request: Request, response: Response
) -> AgreementOut:
    """The caller's member, as buyer, agrees a quantity of one item at a price for a period."""
    agreement = agreements.create_agreement(services, caller, body.fields())
    created(request, response, "get_agreement", agreement_id=agreement.id)
    return AgreementOut.model_validate(agreement)


@router.get("", name="list_agreements")
def list_agreements(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[PartyRole | None, Query(description="Omitted: both sides")] = None,
    status: Annotated[AgreementStatus | None, Query()] = None,
) -> PageOut[AgreementOut]:
    found = agreements.list_agreements(services, caller, page, role, status)
    return PageOut[AgreementOut].of(found)


@router.get("/{agreement_id}", name="get_agreement")
def get_agreement(services: Services, caller: Caller, agreement_id: Id) -> AgreementOut:
    return AgreementOut.model_validate(agreements.get_agreement(services, caller, agreement_id))
