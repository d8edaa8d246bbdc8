"""Guaranteed-service model (Simpson 1958; Graves & Willems 2000) for trees and general
acyclic networks."""

from tandem.planning.meio.gsm.branch_and_bound import (
    BranchAndBoundOutcome,
    solve_branch_and_bound,
)
from tandem.planning.meio.gsm.compare import (
    Policy,
    PolicyComparison,
    PolicyResult,
    compare_policies,
)
from tandem.planning.meio.gsm.heuristic import solve_heuristic
from tandem.planning.meio.gsm.mip import Breakpoints, MIPOutcome, solve_mip
from tandem.planning.meio.gsm.network import Arc, GSMNetwork, Stage
from tandem.planning.meio.gsm.optimizer import GuaranteedServiceOptimizer
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution
from tandem.planning.meio.gsm.tree import solve_tree
from tandem.planning.meio.gsm.willems import parse_willems_chain

__all__ = [
    "Arc",
    "BranchAndBoundOutcome",
    "Breakpoints",
    "GSMMethod",
    "GSMNetwork",
    "GSMSolution",
    "GuaranteedServiceOptimizer",
    "MIPOutcome",
    "Policy",
    "PolicyComparison",
    "PolicyResult",
    "Stage",
    "compare_policies",
    "parse_willems_chain",
    "solve_branch_and_bound",
    "solve_heuristic",
    "solve_mip",
    "solve_tree",
]
