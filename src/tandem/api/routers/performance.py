"""Supplier scorecards and cash-to-cash metrics, computed from the recorded flows."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.api.schemas.performance import (
    CashToCashListOut,
    CashToCashOut,
    SupplierScorecardOut,
    SupplierScorecardsOut,
)
from tandem.domain.performance import MAX_WINDOW_DAYS
from tandem.services import performance

router = APIRouter(prefix="/performance", tags=["performance"])

Since = Annotated[date, Query(description="First day of the period (UTC)")]
Until = Annotated[date, Query(description="Day after the period (exclusive)")]
AsOf = Annotated[date | None, Query(description="Last day of the window (UTC); omitted: today")]
Days = Annotated[int, Query(ge=1, le=MAX_WINDOW_DAYS, description="Length of the window")]


@router.get("/supplier-scorecards", name="list_supplier_scorecards")
def list_supplier_scorecards(
    services: Services, caller: Caller, since: Since, until: Until
) -> SupplierScorecardsOut:
    """A scorecard of each member you ordered from (you are the buyer)."""
    cards = performance.supplier_scorecards(services, caller, since, until)
    return SupplierScorecardsOut.model_validate({"items": cards}, from_attributes=True)


@router.get("/supplier-scorecards/{seller_member_id}", name="get_supplier_scorecard")
def get_supplier_scorecard(
    services: Services,
    caller: Caller,
    seller_member_id: Id,
    since: Since,
    until: Until,
    buyer_member_id: Annotated[
        Id | None, Query(description="The buyer; omitted: you. Sellers name their buyer.")
    ] = None,
) -> SupplierScorecardOut:
    """The scorecard of one supplier of one buyer: for the two parties of their orders only."""
    card = performance.supplier_scorecard(
        services, caller, seller_member_id, since, until, buyer_member_id
    )
    return SupplierScorecardOut.model_validate(card)


@router.get("/cash-to-cash", name="get_cash_to_cash")
def get_cash_to_cash(
    services: Services, caller: Caller, as_of: AsOf = None, days: Days = 90
) -> CashToCashOut:
    """Your cash conversion cycle (DIO + DSO - DPO) over the trailing window."""
    return CashToCashOut.model_validate(performance.cash_to_cash(services, caller, as_of, days))


@router.get("/cash-to-cash/network", name="list_cash_to_cash")
def list_cash_to_cash(
    services: Services, caller: Caller, as_of: AsOf = None, days: Days = 90
) -> CashToCashListOut:
    """Every member's cash conversion cycle (network administrators only)."""
    found = performance.cash_to_cash_by_member(services, caller, as_of, days)
    return CashToCashListOut.model_validate({"items": found}, from_attributes=True)
