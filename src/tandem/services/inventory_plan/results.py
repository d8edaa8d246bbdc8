"""What a coordinated inventory plan asks for and what it returns (frozen, plain data)."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.errors import ValidationFailed
from tandem.domain.sharing import DataCategory
from tandem.planning.meio import CostComponents, FairShare, GSMMethod, Policy

DEFAULT_CARRYING_RATE = 0.25  # a year; Humair & Willems (2011) use 0.35, Silver et al. 0.2-0.3


class NoDemandStages(ValidationFailed):
    code = "no_demand_stages"
    title = "No stocking point with demand"


class NetworkHasCycle(ValidationFailed):
    code = "stage_network_cycle"
    title = "The lanes and bills of materials form a cycle"


@dataclass(frozen=True)
class PlanRequest:
    """One run: the end-customer service level (cycle service, one ``z``) and the optimiser.

    ``per_point_service_levels`` uses a demand stage's own ``target_service_level`` where set;
    ``customer_service_days`` is the service time quoted to end customers (0: from stock).
    """

    service_level: float = 0.95
    method: GSMMethod | None = None
    carrying_rate: float = DEFAULT_CARRYING_RATE
    customer_service_days: int = 0
    per_point_service_levels: bool = False
    shapley: bool = True


@dataclass(frozen=True)
class StageArc:
    """``quantity`` units of ``upstream`` per unit of ``downstream``; ``lane_id`` is the lane
    moving it (``None``: a bill of materials at one site)."""

    upstream: int
    downstream: int
    quantity: float
    lane_id: int | None


@dataclass(frozen=True)
class StagePlan:
    """One stocking point under the optimum (c); per day for demand and times."""

    item_site_id: int
    member_id: int
    member: str
    item: str
    site: str
    depth: int
    demand_mean: float  # own external demand per day (0: internal stage)
    demand_std: float  # per day, lead-time variability folded in
    demand_source: str  # "forecast", "history" or "" (internal)
    flow_per_day: float  # units a day through the point, its own and downstream demand
    processing_time: float
    value: float  # inventory value v_j (landed-cost roll-up, carrying excluded)
    holding_cost_rate: float
    inbound_service_time: int
    outbound_service_time: int
    net_lead_time: float
    safety_stock: float
    base_stock: float
    current_safety_stock: float | None
    current_order_up_to: float | None

    @property
    def holding_cost_per_unit_year(self) -> float:
        return self.holding_cost_rate * self.value

    @property
    def safety_stock_value(self) -> float:
        return self.value * self.safety_stock

    @property
    def holding_cost(self) -> float:
        return self.holding_cost_per_unit_year * self.safety_stock


@dataclass(frozen=True)
class EndPointCost:
    """Landed cost per unit at one end point (no lane leaves it) under one placement."""

    item_site_id: int
    landed_cost: float


@dataclass(frozen=True)
class PolicySummary:
    """(a), (b) or (c): network totals and the landed cost at each end point."""

    policy: Policy
    safety_stock_units: float
    safety_stock_value: float
    holding_cost: float
    end_points: tuple[EndPointCost, ...]

    def landed_cost(self, item_site_id: int) -> float:
        return next(e.landed_cost for e in self.end_points if e.item_site_id == item_site_id)


@dataclass(frozen=True)
class MemberTotals:
    safety_stock_units: float
    safety_stock_value: float
    holding_cost: float


@dataclass(frozen=True)
class MemberComparisonRow:
    """One member's safety stock under (a), (b), (c); changes are (c) minus the baseline."""

    member_id: int
    member: str
    buffer_everywhere: MemberTotals
    push_to_customer: MemberTotals
    optimal: MemberTotals

    def totals(self, policy: Policy) -> MemberTotals:
        return {
            Policy.BUFFER_EVERYWHERE: self.buffer_everywhere,
            Policy.PUSH_TO_CUSTOMER: self.push_to_customer,
            Policy.OPTIMAL: self.optimal,
        }[policy]

    def change(self, baseline: Policy) -> MemberTotals:
        old, new = self.totals(baseline), self.optimal
        return MemberTotals(
            new.safety_stock_units - old.safety_stock_units,
            new.safety_stock_value - old.safety_stock_value,
            new.holding_cost - old.holding_cost,
        )


@dataclass(frozen=True)
class MemberCost:
    member: str
    costs: CostComponents


@dataclass(frozen=True)
class LandedCostLine:
    """The landed cost of one end point under the optimum, split by kind and by member."""

    item_site_id: int
    item: str
    site: str
    member: str
    value: float
    material: float
    local: CostComponents
    landed_cost: float
    members: tuple[MemberCost, ...]


@dataclass(frozen=True)
class Exclusion:
    """Data of one partner the run could not use, and why (never left out silently)."""

    member_id: int
    member: str
    category: DataCategory
    rows: int
    reason: str


@dataclass(frozen=True)
class InventoryPlan:
    """The whole result: stages, arcs, (a)/(b)/(c), members, landed cost, fair shares."""

    network_id: int
    request: PlanRequest
    stages: tuple[StagePlan, ...]
    arcs: tuple[StageArc, ...]
    policies: tuple[PolicySummary, PolicySummary, PolicySummary]
    members: tuple[MemberComparisonRow, ...]
    landed_costs: tuple[LandedCostLine, ...]
    fair_shares: tuple[FairShare, ...]
    method: str
    gap: float
    optimal_proven: bool
    included_member_ids: tuple[int, ...]
    exclusions: tuple[Exclusion, ...]
    warnings: tuple[str, ...]
    assumptions: tuple[str, ...]

    def policy(self, policy: Policy) -> PolicySummary:
        return next(p for p in self.policies if p.policy is policy)

    def stage(self, item_site_id: int) -> StagePlan:
        return next(s for s in self.stages if s.item_site_id == item_site_id)

    def member(self, member_id: int) -> MemberComparisonRow:
        return next(m for m in self.members if m.member_id == member_id)
