"""Demand history: owned by the site's member, shared by ``demand_history`` grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.demand import DemandPointOut, DemandUploadIn, DemandUploadOut
from tandem.services import demand

router = APIRouter(prefix="/demand-history", tags=["demand history"])


@router.get("", name="read_demand")
def read_demand(
    services: Services,
    caller: Caller,
    page: Paging,
    item_id: Annotated[Id | None, Query()] = None,
    site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[DemandPointOut]:
    """Your demand history and what partners granted you; partner reads are audited."""
    return PageOut[DemandPointOut].of(demand.read_demand(services, caller, page, item_id, site_id))


@router.post("", name="record_demand")
def record_demand(services: Services, caller: Caller, body: DemandUploadIn) -> DemandUploadOut:
    """Record observed demand at your sites; a day already recorded is replaced.

    One bad row rejects the whole upload (422 naming each row) and nothing is written.
    """
    observations = [row.observation() for row in body.observations]
    return DemandUploadOut.model_validate(demand.record_demand(services, caller, observations))
