"""Demand history: daily observed demand per item and site."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.services.demand import DemandObservation

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
