"""Coordinated inventory plans: the request and the whole result of one run."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from tandem.api.schemas.common import RequestModel, ResponseModel
from tandem.domain.coordination import TransferRule
from tandem.domain.sharing import DataCategory
from tandem.planning.meio import GSMMethod, Policy, SharingRule
from tandem.services.inventory_plan import DEFAULT_CARRYING_RATE, PlanRequest

Method = Literal["auto", "tree_dp", "mip", "heuristic", "branch_and_bound"]


class InventoryPlanIn(RequestModel):
    service_level: Annotated[float, Field(gt=0, lt=1)] = Field(
        default=0.95, description="End-customer cycle service level (one z for every demand)"
    )
    method: Method = "auto"
    carrying_rate: Annotated[float, Field(ge=0, le=5)] = DEFAULT_CARRYING_RATE
    customer_service_days: Annotated[int, Field(ge=0, le=365)] = 0
    per_point_service_levels: bool = Field(
        default=False, description="Use a demand point's own target_service_level where set"
    )
    shapley: bool = Field(default=True, description="Build the coalition game (small networks)")

    def request(self) -> PlanRequest:
        return PlanRequest(
            service_level=self.service_level,
            method=None if self.method == "auto" else GSMMethod(self.method),
            carrying_rate=self.carrying_rate,
            customer_service_days=self.customer_service_days,
            per_point_service_levels=self.per_point_service_levels,
            shapley=self.shapley,
        )


class InventoryProposalIn(InventoryPlanIn):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    transfer_rule: TransferRule = TransferRule.PROPORTIONAL


class StageOut(ResponseModel):
    item_site_id: int
    member_id: int
    member: str
    item: str
    site: str
    depth: int
    demand_mean: float
    demand_std: float
    demand_source: str
    flow_per_day: float
    processing_time: float
    value: float
    holding_cost_rate: float
    holding_cost_per_unit_year: float
    inbound_service_time: int
    outbound_service_time: int
    net_lead_time: float
    safety_stock: float
    safety_stock_value: float
    base_stock: float
    holding_cost: float


class ArcOut(ResponseModel):
    upstream: int
    downstream: int
    quantity: float
    lane_id: int | None


class EndPointCostOut(ResponseModel):
    item_site_id: int
    landed_cost: float


class PolicyOut(ResponseModel):
    policy: Policy
    safety_stock_units: float
    safety_stock_value: float
    holding_cost: float
    end_points: list[EndPointCostOut]


class MemberTotalsOut(ResponseModel):
    safety_stock_units: float
    safety_stock_value: float
    holding_cost: float


class MemberRowOut(ResponseModel):
    member_id: int
    member: str
    buffer_everywhere: MemberTotalsOut
    push_to_customer: MemberTotalsOut
    optimal: MemberTotalsOut


class CostsOut(ResponseModel):
    added_cost: float
    freight: float
    duty: float
    handling: float
    pipeline_carrying: float
    cycle_stock_carrying: float
    safety_stock_carrying: float
    total: float


class MemberCostOut(ResponseModel):
    member: str
    costs: CostsOut


class LandedCostOut(ResponseModel):
    item_site_id: int
    item: str
    site: str
    member: str
    value: float
    material: float
    local: CostsOut
    landed_cost: float
    members: list[MemberCostOut]


class AllocationOut(ResponseModel):
    member: str
    standalone_cost: float
    coordinated_cost: float
    allocated_cost: float
    transfer_received: float
    savings: float
    alone_cost: float | None


class FairShareOut(ResponseModel):
    rule: SharingRule
    allocations: list[AllocationOut]
    standalone_total: float
    coordinated_total: float
    no_member_worse_off: bool
    individually_rational: bool | None
    in_core: bool | None
    proven_optimal: bool


class ExclusionOut(ResponseModel):
    member_id: int
    member: str
    category: DataCategory
    rows: int
    reason: str


class InventoryPlanOut(ResponseModel):
    network_id: int
    service_level: float
    method: str
    gap: float
    optimal_proven: bool
    stages: list[StageOut]
    arcs: list[ArcOut]
    policies: list[PolicyOut] = Field(description="(a) buffer everywhere, (b) push, (c) optimum")
    members: list[MemberRowOut]
    landed_costs: list[LandedCostOut]
    fair_shares: list[FairShareOut]
    included_member_ids: list[int]
    exclusions: list[ExclusionOut]
    warnings: list[str]
    assumptions: list[str]


class CreatedProposalOut(ResponseModel):
    id: int
    status: str
    cost_optimal: float
