"""Stocking points (an item at a site) and their planning parameters."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.domain.network import PlanningParameters

Quantity = Annotated[float, Field(ge=0)] | None


class PlanningParametersIn(RequestModel):
    target_service_level: Annotated[float, Field(gt=0, lt=1)] | None = None
    review_period_days: Quantity = None
    safety_stock: Quantity = None
    reorder_point: Quantity = None
    order_up_to_level: Quantity = None
    min_order_quantity: Quantity = None
    order_multiple: Quantity = None
    holding_cost_rate: Quantity = None

    def parameters(self) -> PlanningParameters:
        return PlanningParameters(**self.model_dump())


class ItemSiteIn(RequestModel):
    item_id: Id
    site_id: Id
    parameters: PlanningParametersIn = Field(default_factory=PlanningParametersIn)


class PlanningParametersOut(ResponseModel):
    target_service_level: float | None
    review_period_days: float | None
    safety_stock: float | None
    reorder_point: float | None
    order_up_to_level: float | None
    min_order_quantity: float | None
    order_multiple: float | None
    holding_cost_rate: float | None


class ItemSiteOut(ResponseModel):
    id: int
    owner_member_id: int
    item_id: int
    site_id: int
    parameters: PlanningParametersOut
