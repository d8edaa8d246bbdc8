"""Collaborative forecasts: stored daily forecasts per item and site, and forecast runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.services.forecasts import MAX_HORIZON_DAYS


class ForecastRunIn(RequestModel):
    horizon_days: Annotated[int, Field(ge=1, le=MAX_HORIZON_DAYS)]
    site_id: Id | None = None
    item_id: Id | None = None


class ForecastRunOut(ResponseModel):
    horizon_days: int
    series: int
    points: int
    models: list[str]
    reconciliation: str


class ForecastPointOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    day: date
    forecast: float
    lo_80: float | None
    hi_80: float | None
    lo_95: float | None
    hi_95: float | None
    model: str
    created_at: datetime


class ForecastTotalOut(ResponseModel):
    """The sum of one owner's stored item-site forecasts of one item or family on one day."""

    level: str
    owner_member_id: int
    item_id: int | None
    family: str | None
    day: date
    forecast: float
    item_sites: int


class AccuracyScoreOut(ResponseModel):
    """``null`` where a measure is undefined (no forecast scored, no actual demand, no scale)."""

    points: int
    forecast_total: float
    actual_total: float
    mean_error: float | None
    bias: float | None
    wape: float | None
    mase: float | None


class SeriesAccuracyOut(ResponseModel):
    owner_member_id: int
    site_id: int
    item_id: int
    origins: int
    first_day: date | None
    last_day: date | None
    models: list[str]
    score: AccuracyScoreOut


class ForecastAccuracyOut(ResponseModel):
    series: list[SeriesAccuracyOut]
    evaluated: int
    overall: AccuracyScoreOut
