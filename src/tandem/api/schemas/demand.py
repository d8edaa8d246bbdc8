"""Demand history: daily observed demand per item and site."""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.services.demand import DemandObservation
from tandem.services.demand_series import DemandSeries, Frequency, Partial

if TYPE_CHECKING:
    from tandem.planning.forecasting.aggregation import Bucket

MAX_UPLOAD = 10_000


class DemandObservationIn(RequestModel):
    site_id: Id
    item_id: Id
    day: date
    quantity: Annotated[float, Field(ge=0)]

    def observation(self) -> DemandObservation:
        return DemandObservation(self.site_id, self.item_id, self.day, self.quantity)


class DemandUploadIn(RequestModel):
    observations: Annotated[list[DemandObservationIn], Field(min_length=1, max_length=MAX_UPLOAD)]


class DemandUploadOut(ResponseModel):
    inserted: int
    replaced: int


class DemandPointOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    day: date
    quantity: float


class DemandBucketOut(ResponseModel):
    """One bucket: calendar bounds, observed days, total, per-day rate and flags."""

    start: date
    end: date
    days: int
    observed_days: int
    quantity: float
    per_day: float
    partial: bool
    outlier: bool
    score: float | None
    reason: str

    @classmethod
    def of(cls, bucket: Bucket) -> DemandBucketOut:
        score = None if math.isnan(bucket.score) else bucket.score
        return cls.model_validate({**asdict(bucket), "per_day": bucket.per_day, "score": score})


class OutlierRuleOut(ResponseModel):
    method: str
    half_width: int
    threshold: float


class DemandSeriesOut(ResponseModel):
    site_id: int
    item_id: int
    freq: Frequency
    partial: Partial
    outlier_rule: OutlierRuleOut
    first_day: date | None
    last_day: date | None
    buckets: list[DemandBucketOut]

    @classmethod
    def of(cls, series: DemandSeries) -> DemandSeriesOut:
        rule = OutlierRuleOut(
            method="hampel", half_width=series.rule.half_width, threshold=series.rule.threshold
        )
        return cls(
            site_id=series.site_id,
            item_id=series.item_id,
            freq=series.freq,
            partial=series.partial,
            outlier_rule=rule,
            first_day=series.first_day,
            last_day=series.last_day,
            buckets=[DemandBucketOut.of(b) for b in series.buckets],
        )
