"""Demand history: owned by the site's member, shared by ``demand_history`` grants."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.demand import (
    DemandPointOut,
    DemandSeriesOut,
    DemandUploadIn,
    DemandUploadOut,
)
from tandem.services import demand, demand_series
from tandem.services.demand_series import Frequency, Partial

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


@router.get("/series", name="read_demand_series")
def read_demand_series(
    services: Services,
    caller: Caller,
    site_id: Annotated[Id, Query()],
    item_id: Annotated[Id, Query()],
    freq: Annotated[Frequency, Query()] = "week",
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    partial: Annotated[Partial, Query()] = "flag",
) -> DemandSeriesOut:
    """One item-site's demand in days, ISO weeks (Monday start) or months, with flags.

    Inside the observed span (first to last recorded day, narrowed by ``since``/``until``) a
    day without a record is zero demand. A bucket sticking out of the span is ``partial``
    (``partial=drop`` leaves it out). Whole buckets are tested for outliers by a Hampel filter
    on their per-day rates (7 buckets, 3 scaled MADs); each flag comes with a ``reason``.
    Partner reads need a ``demand_history`` grant and are audited.
    """
    found = demand_series.demand_series(
        services, caller, site_id, item_id, freq, since, until, partial
    )
    return DemandSeriesOut.of(found)


@router.post("", name="record_demand")
def record_demand(services: Services, caller: Caller, body: DemandUploadIn) -> DemandUploadOut:
    """Record observed demand at your sites; a day already recorded is replaced.

    One bad row rejects the whole upload (422 naming each row) and nothing is written.
    """
    observations = [row.observation() for row in body.observations]
    return DemandUploadOut.model_validate(demand.record_demand(services, caller, observations))
