"""Multi-echelon inventory optimisation.

* :mod:`~tandem.planning.meio.serial` — stochastic-service serial systems (Clark & Scarf 1960;
  Chen & Zheng 1994).
* :mod:`~tandem.planning.meio.gsm` — the guaranteed-service model (Simpson 1958; Graves &
  Willems 2000) on spanning trees (exact DP) and general acyclic networks (MIP on HiGHS,
  Lagrangian heuristic and branch and bound).
* :mod:`~tandem.planning.meio.landed_cost` — landed cost roll-up along lanes and bills of
  materials, per-member shares, GSM holding costs.
* :mod:`~tandem.planning.meio.member_view` — safety stock per member under the three placements.
* :mod:`~tandem.planning.meio.fair_share` — sharing the savings of coordination (proportional,
  Shapley value of the coalition game, core check).
"""

from tandem.planning.meio.fair_share import (
    MAX_EXACT_MEMBERS,
    CostGame,
    FairShare,
    MemberAllocation,
    SharingRule,
    coalition_cost_game,
    core_excess,
    proportional_allocation,
    shapley_value,
    share_savings,
)
from tandem.planning.meio.gsm import (
    Arc,
    Breakpoints,
    GSMMethod,
    GSMNetwork,
    GSMSolution,
    GuaranteedServiceOptimizer,
    Policy,
    PolicyComparison,
    PolicyResult,
    Stage,
    compare_policies,
    parse_willems_chain,
    solve_branch_and_bound,
    solve_heuristic,
    solve_mip,
    solve_tree,
)
from tandem.planning.meio.landed_cost import (
    CostComponents,
    CustomsBasis,
    LandedCostBreakdown,
    LandedCostResult,
    MemberShare,
    PointLandedCost,
    StockingPoint,
    SupplyLane,
    holding_costs,
    roll_up_landed_cost,
)
from tandem.planning.meio.member_view import (
    MemberComparison,
    MemberPolicyTotals,
    MemberView,
    compare_members,
)
from tandem.planning.meio.serial import ChenZheng, SerialDemand, SerialResult, SerialSystem

__all__ = [
    "MAX_EXACT_MEMBERS",
    "Arc",
    "Breakpoints",
    "ChenZheng",
    "CostComponents",
    "CostGame",
    "CustomsBasis",
    "FairShare",
    "GSMMethod",
    "GSMNetwork",
    "GSMSolution",
    "GuaranteedServiceOptimizer",
    "LandedCostBreakdown",
    "LandedCostResult",
    "MemberAllocation",
    "MemberComparison",
    "MemberPolicyTotals",
    "MemberShare",
    "MemberView",
    "PointLandedCost",
    "Policy",
    "PolicyComparison",
    "PolicyResult",
    "SerialDemand",
    "SerialResult",
    "SerialSystem",
    "SharingRule",
    "Stage",
    "StockingPoint",
    "SupplyLane",
    "coalition_cost_game",
    "compare_members",
    "compare_policies",
    "core_excess",
    "holding_costs",
    "parse_willems_chain",
    "proportional_allocation",
    "roll_up_landed_cost",
    "shapley_value",
    "share_savings",
    "solve_branch_and_bound",
    "solve_heuristic",
    "solve_mip",
    "solve_tree",
]
