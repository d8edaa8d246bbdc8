"""Multi-echelon inventory optimisation.

* :mod:`~tandem.planning.meio.serial` — stochastic-service serial systems (Clark & Scarf 1960;
  Chen & Zheng 1994).
* :mod:`~tandem.planning.meio.gsm` — the guaranteed-service model (Simpson 1958; Graves &
  Willems 2000) on spanning trees (exact DP) and general acyclic networks (MIP on HiGHS,
  Lagrangian heuristic and branch and bound).
"""

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
from tandem.planning.meio.serial import ChenZheng, SerialDemand, SerialResult, SerialSystem

__all__ = [
    "Arc",
    "Breakpoints",
    "ChenZheng",
    "GSMMethod",
    "GSMNetwork",
    "GSMSolution",
    "GuaranteedServiceOptimizer",
    "Policy",
    "PolicyComparison",
    "PolicyResult",
    "SerialDemand",
    "SerialResult",
    "SerialSystem",
    "Stage",
    "compare_policies",
    "parse_willems_chain",
    "solve_branch_and_bound",
    "solve_heuristic",
    "solve_mip",
    "solve_tree",
]
