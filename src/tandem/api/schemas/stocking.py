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
    processing_days: Quantity = Field(
        default=None, description="Production or handling days at the point (absent: 0)"
    )
    added_cost: Quantity = Field(
        default=None,
        description="Purchase price (bought) or conversion cost (made) per unit",
    )
    handling_cost: Quantity = Field(default=None, description="Handling per unit (absent: 0)")
    order_quantity: Quantity = Field(
        default=None, description="Replenishment batch; cycle stock is half of it"
    )

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
    processing_days: float | None
    added_cost: float | None
    handling_cost: float | None
    order_quantity: float | None


class ItemSiteOut(ResponseModel):
    id: int
    owner_member_id: int
    item_id: int
    site_id: int
    parameters: PlanningParametersOut
