"""Collaborative forecasts: owned by the member who ran them, shared by ``forecasts`` grants."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.forecasts import (
    ForecastAccuracyOut,
    ForecastPointOut,
    ForecastRunIn,
    ForecastRunOut,
    ForecastTotalOut,
)
from tandem.services import forecast_accuracy, forecast_hierarchy, forecasts
from tandem.services.forecast_hierarchy import TotalLevel

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


@router.get("/forecasts/totals", name="read_forecast_totals")
def read_forecast_totals(
    services: Services,
    caller: Caller,
    page: Paging,
    level: Annotated[TotalLevel, Query()] = TotalLevel.ITEM,
    item_id: Annotated[Id | None, Query()] = None,
    family: Annotated[str | None, Query(max_length=200)] = None,
) -> PageOut[ForecastTotalOut]:
    """Per owner, item (or family) and day: the sum of the item-site forecasts you may read.

    A forecast run reconciles item-site forecasts with item and family totals, so these sums
    are the reconciled totals; they add up exactly at every level and day. Items without a
    family are left out of ``level=family``. Partner rows need a ``forecasts`` grant.
    """
    totals = forecast_hierarchy.forecast_totals(services, caller, level, item_id, family)
    rows = totals[page.offset : page.offset + page.limit]
    return PageOut[ForecastTotalOut].from_rows(rows, len(totals), page.offset, page.limit)


@router.get("/forecasts/accuracy", name="read_forecast_accuracy")
def read_forecast_accuracy(
    services: Services,
    caller: Caller,
    site_id: Annotated[Id | None, Query()] = None,
    item_id: Annotated[Id | None, Query()] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
) -> ForecastAccuracyOut:
    """Accuracy of archived forecasts whose actual demand is known: per item-site and overall
    mean error, relative bias ``Σe/Σy``, WAPE ``Σ|e|/Σy`` and MASE (each error scaled by the
    naive in-sample error of the history up to its forecast's origin); ``e = forecast −
    actual``. ``since``/``until`` select forecast days. Partner series need both a
    ``forecasts`` and a ``demand_history`` grant."""
    report = forecast_accuracy.forecast_accuracy(services, caller, site_id, item_id, since, until)
    return ForecastAccuracyOut.model_validate(report)


@router.post("/forecast-runs", name="run_forecasts", status_code=201)
def run_forecasts(services: Services, caller: Caller, body: ForecastRunIn) -> ForecastRunOut:
    """Forecast your own daily demand history and replace the stored forecasts of each
    item-site forecast (season length 7 days; a day without a record is zero demand)."""
    summary = forecasts.run_forecasts(
        services, caller, body.horizon_days, body.site_id, body.item_id
    )
    return ForecastRunOut.model_validate(summary)
