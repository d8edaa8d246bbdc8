"""One entry point that picks the right guaranteed-service algorithm."""

from __future__ import annotations

from tandem.planning.meio.gsm.branch_and_bound import solve_branch_and_bound
from tandem.planning.meio.gsm.heuristic import solve_heuristic
from tandem.planning.meio.gsm.mip import Breakpoints, solve_mip
from tandem.planning.meio.gsm.network import GSMNetwork
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution
from tandem.planning.meio.gsm.tree import solve_tree

__all__ = ["GuaranteedServiceOptimizer"]


class GuaranteedServiceOptimizer:
    """Safety-stock placement under the guaranteed-service model.

    Parameters
    ----------
    method
        ``None`` (default) chooses: the Graves & Willems (2000) tree DP for spanning trees,
        otherwise the Lagrangian heuristic followed by branch and bound.
        :attr:`GSMMethod.MIP` solves the HiGHS MIP instead.
    max_nodes
        Branch-and-bound node budget.
    time_limit
        Seconds for the MIP (HiGHS clock); unused by the other methods.
    seed
        Seed of the heuristic's random spanning forests.

    Examples
    --------
    S&S Example 6.5 (a tree): cost ``2 sqrt(2) + sqrt(6) + 3``.

    >>> from tandem.planning.meio.gsm.network import Arc, Stage
    >>> net = GSMNetwork(
    ...     stages=(
    ...         Stage("1", 2, 1, external_inbound_service_time=1),
    ...         Stage("2", 1, 3, demand_std=1, max_service_time=0),
    ...         Stage("3", 1, 2),
    ...         Stage("4", 1, 3, demand_std=1, max_service_time=1),
    ...     ),
    ...     arcs=(Arc("1", "3"), Arc("3", "2"), Arc("3", "4")),
    ... )
    >>> solution = GuaranteedServiceOptimizer().solve(net)
    >>> solution.method.value, round(solution.cost, 6)
    ('tree_dp', 8.277917)
    """

    def __init__(
        self,
        method: GSMMethod | None = None,
        max_nodes: int = 500,
        time_limit: float = 60.0,
        seed: int = 0,
    ) -> None:
        self.method = method
        self.max_nodes = max_nodes
        self.time_limit = time_limit
        self.seed = seed

    def solve(self, network: GSMNetwork) -> GSMSolution:
        """Optimal (or best found, with a proven lower bound) service times."""
        method = self.method
        if method is None:
            method = (
                GSMMethod.TREE_DP if network.structure.is_forest else GSMMethod.BRANCH_AND_BOUND
            )
        if method is GSMMethod.TREE_DP:
            return solve_tree(network)
        if method is GSMMethod.MIP:
            return solve_mip(network, Breakpoints.ADAPTIVE, time_limit=self.time_limit).solution
        heuristic = solve_heuristic(network, seed=self.seed)
        if method is GSMMethod.HEURISTIC or heuristic.is_proven_optimal():
            return heuristic
        outcome = solve_branch_and_bound(
            network, max_nodes=self.max_nodes, seed=self.seed, incumbent=heuristic
        )
        return outcome.solution
