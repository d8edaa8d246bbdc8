"""The caller's money ledger: trial balance, journal, ageing of open invoices, dunning runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import PageOut
from tandem.api.schemas.finance import (
    AgeingReportOut,
    DunningRunOut,
    JournalEntryOut,
    TrialBalanceOut,
)
from tandem.domain.finance import AgeingSide
from tandem.services import finance

router = APIRouter(prefix="/finance", tags=["finance"])

AsOf = Annotated[date | None, Query(description="Omitted: today")]


@router.get("/trial-balance", name="trial_balance")
def trial_balance(services: Services, caller: Caller) -> TrialBalanceOut:
    """Debits, credits and balance (debits − credits) of each of the caller's accounts."""
    return TrialBalanceOut.model_validate(finance.trial_balance(services, caller))


@router.get("/journal", name="journal")
def journal(services: Services, caller: Caller, page: Paging) -> PageOut[JournalEntryOut]:
    """The caller's journal entries, oldest first, each with the caller's postings."""
    return PageOut[JournalEntryOut].of(finance.journal(services, caller, page))


@router.get("/ageing", name="ageing_report")
def ageing_report(
    services: Services, caller: Caller, side: Annotated[AgeingSide, Query()], as_of: AsOf = None
) -> AgeingReportOut:
    """Open amounts per counterparty by days past due: current, 1–30, 31–60, 61–90, 90+."""
    return AgeingReportOut.model_validate(finance.ageing_report(services, caller, side, as_of))


@router.post("/dunning-runs", name="run_dunning")
def run_dunning(services: Services, caller: Caller, as_of: AsOf = None) -> DunningRunOut:
    """The seller's dunning run: a notice for each open invoice that reached a higher level (1
    from the first day overdue, 2 from day 31, 3 from day 61). Running twice issues nothing."""
    return DunningRunOut.model_validate(finance.run_dunning(services, caller, as_of))
