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
