"""Collaborative forecasts: owned by the member who ran them, shared by ``forecasts`` grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.forecasts import ForecastPointOut, ForecastRunIn, ForecastRunOut
from tandem.services import forecasts

router = APIRouter(tags=["forecasts"])


@router.get("/forecasts", name="read_forecasts")
def read_forecasts(
    services: Services,
    caller: Caller,
    page: Paging,
    item_id: Annotated[Id | None, Query()] = None,
    site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[ForecastPointOut]:
    """Your forecasts and what partners granted you; partner reads are audited."""
    found = forecasts.read_forecasts(services, caller, page, item_id, site_id)
    return PageOut[ForecastPointOut].of(found)


@router.post("/forecast-runs", name="run_forecasts", status_code=201)
def run_forecasts(services: Services, caller: Caller, body: ForecastRunIn) -> ForecastRunOut:
    """Forecast your own daily demand history and replace the stored forecasts of each
    item-site forecast (season length 7 days; a day without a record is zero demand)."""
    summary = forecasts.run_forecasts(
        services, caller, body.horizon_days, body.site_id, body.item_id
    )
    return ForecastRunOut.model_validate(summary)
