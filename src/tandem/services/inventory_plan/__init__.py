"""Coordinated inventory from the platform's own data (guaranteed-service model, landed cost,
fair shares); see ``docs/coordinated-inventory.md``."""

from tandem.services.inventory_plan.builder import BuiltNetwork, build_network, folded_std
from tandem.services.inventory_plan.loading import DemandEstimate, PlanInputs, load_inputs
from tandem.services.inventory_plan.plan import plan_inventory, proposal_draft, propose
from tandem.services.inventory_plan.results import (
    DEFAULT_CARRYING_RATE,
    EndPointCost,
    Exclusion,
    InventoryPlan,
    LandedCostLine,
    MemberComparisonRow,
    MemberCost,
    MemberTotals,
    NetworkHasCycle,
    NoDemandStages,
    PlanRequest,
    PolicySummary,
    StageArc,
    StagePlan,
)

__all__ = [
    "DEFAULT_CARRYING_RATE",
    "BuiltNetwork",
    "DemandEstimate",
    "EndPointCost",
    "Exclusion",
    "InventoryPlan",
    "LandedCostLine",
    "MemberComparisonRow",
    "MemberCost",
    "MemberTotals",
    "NetworkHasCycle",
    "NoDemandStages",
    "PlanInputs",
    "PlanRequest",
    "PolicySummary",
    "StageArc",
    "StagePlan",
    "build_network",
    "folded_std",
    "load_inputs",
    "plan_inventory",
    "proposal_draft",
    "propose",
]
