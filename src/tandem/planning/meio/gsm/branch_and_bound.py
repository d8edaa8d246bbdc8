"""Exact guaranteed-service optimisation by Lagrangian branch and bound.

Each node of the search is the network with extra bounds ``S_i <= u_i`` and ``SI_j >= l_j``;
its lower bound is the Lagrangian relaxation over a spanning forest
(:mod:`tandem.planning.meio.gsm.lagrangian`), warm-started from the parent's multipliers, and
every relaxed solution is repaired into a feasible one for the incumbent. A node whose relaxed
solution breaks an outside arc ``i -> j`` (``S_i > SI_j``) is split on ``theta = S_i - 1``:
every feasible solution has either ``S_i <= theta`` or ``SI_j >= S_i >= theta + 1``, and both
children exclude the relaxed solution. When no arc is broken but the bound has not met the
incumbent, the node splits an open arc with a positive multiplier in its slack (arcs already
resolved by the node's bounds, ``u_i <= l_j``, get zero multipliers). Nodes
are explored best-bound first; the search is exhaustive, so it proves optimality when it ends
within ``max_nodes`` (Fisher 1981; for the tree subproblem Graves & Willems 2000).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.heuristic import arc_weights, improve, spanning_forest
from tandem.planning.meio.gsm.lagrangian import LagrangianRelaxation, repair, solution_cost
from tandem.planning.meio.gsm.network import GSMNetwork
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution, build_solution

__all__ = ["BranchAndBoundOutcome", "solve_branch_and_bound"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_BIG = np.iinfo(np.int64).max // 4


@dataclass(frozen=True)
class BranchAndBoundOutcome:
    """A branch-and-bound solution with its search statistics.

    Attributes
    ----------
    solution
        Best solution found; its ``lower_bound`` is the smallest open-node bound.
    nodes
        Nodes evaluated.
    completed
        Whether the search ended (optimality proven to the tolerance).
    """

    solution: GSMSolution
    nodes: int
    completed: bool


@dataclass(eq=False)
class _Node:
    bound: float
    cap: IntArray
    floor: IntArray
    multipliers: FloatArray


def solve_branch_and_bound(
    network: GSMNetwork,
    max_nodes: int = 2000,
    root_iterations: int = 200,
    node_iterations: int = 10,
    gap_tolerance: float = 1e-6,
    seed: int = 0,
    incumbent: GSMSolution | None = None,
) -> BranchAndBoundOutcome:
    """Optimal service times of an acyclic network, or the best found within ``max_nodes``.

    Parameters
    ----------
    network
        Any acyclic guaranteed-service network.
    max_nodes
        Node budget (deterministic; no clock).
    root_iterations, node_iterations
        Subgradient iterations at the root and at every other node.
    gap_tolerance
        Relative gap at which a node is pruned.
    seed
        Seed of the improvement heuristic.
    incumbent
        A known feasible solution (e.g. from :func:`solve_heuristic`).
    """
    st = network.structure
    rng = np.random.default_rng(seed)
    relaxation = LagrangianRelaxation(st, spanning_forest(st, arc_weights(st)))
    m = relaxation.up.size
    if incumbent is not None:
        best_out = np.array(incumbent.outbound_service_times, dtype=np.int64)
        best_in = np.array(incumbent.inbound_service_times, dtype=np.int64)
    else:
        best_out, best_in = repair(st, relaxation.evaluate(np.zeros(m))[1])
    best = solution_cost(st, best_out, best_in)
    cap0 = np.full(st.n, _BIG, dtype=np.int64)
    floor0 = np.zeros(st.n, dtype=np.int64)
    counter = itertools.count()
    heap: list[tuple[float, int, _Node]] = []
    heapq.heappush(heap, (-np.inf, next(counter), _Node(-np.inf, cap0, floor0, np.zeros(m))))
    nodes = 0
    improved_since = True
    while heap and nodes < max_nodes:
        parent_bound, _, node = heapq.heappop(heap)
        if parent_bound >= best - gap_tolerance * best:
            heap.clear()
            break
        nodes += 1
        resolved = node.cap[relaxation.up] <= node.floor[relaxation.down]
        dual = relaxation.optimize(
            np.where(resolved, 0.0, node.multipliers),
            best,
            root_iterations if nodes == 1 else node_iterations,
            max_outbound=node.cap,
            min_inbound=node.floor,
        )
        if dual.primal_cost < best - 1e-12 * best:
            best, best_out, best_in = dual.primal_cost, dual.primal_outbound, dual.primal_inbound
            improved_since = True
        if improved_since and (nodes == 1 or nodes % 50 == 0):
            best, best_out, best_in = improve(st, best_out, best_in, 10, rng)
            improved_since = False
        bound = max(dual.bound, parent_bound)
        if bound >= best - gap_tolerance * best:
            continue
        split = _choose_split(
            relaxation,
            [(dual.outbound, dual.inbound), (dual.last_outbound, dual.last_inbound)],
            dual.multipliers,
            node.cap,
            node.floor,
        )
        if split is None:
            continue  # no arc to split: the relaxed solution is optimal for the node
        arc, theta = split
        i, j = int(relaxation.up[arc]), int(relaxation.down[arc])
        left_cap = node.cap.copy()
        left_cap[i] = min(left_cap[i], theta)
        right_floor = node.floor.copy()
        right_floor[j] = max(right_floor[j], theta + 1)
        for cap, floor in ((left_cap, node.floor), (node.cap, right_floor)):
            child = _Node(bound, cap, floor, dual.multipliers)
            heapq.heappush(heap, (bound, next(counter), child))
    open_bound = min((b for b, _, _ in heap), default=best)
    completed = not heap
    lower = best if completed else min(open_bound, best)
    solution = build_solution(network, best_out, best_in, lower, GSMMethod.BRANCH_AND_BOUND)
    return BranchAndBoundOutcome(solution, nodes, completed)


def _choose_split(
    relaxation: LagrangianRelaxation,
    candidates: list[tuple[IntArray, IntArray]],
    multipliers: FloatArray,
    cap: IntArray,
    floor: IntArray,
) -> tuple[int, int] | None:
    """The outside arc to split and the threshold ``theta``.

    Prefer the arc most violated by a relaxed solution, with ``theta = S_i - 1``: one child
    lowers the supplier's ``S_i`` a step, the other raises the customer's ``SI_j`` to the
    supplier's ``S_i`` (any ``theta`` in ``[SI_j, S_i - 1]`` excludes the relaxed solution;
    this choice closed the Willems chains fastest). Otherwise split the slack of an arc still
    open in the node (``floor_j < cap_i``) with a positive multiplier. Both children shrink
    (``floor_j <= theta < cap_i``). When neither exists the relaxed solution is feasible with
    complementary slackness, so the node's bound is the cost of a feasible solution.
    """
    if relaxation.up.size == 0:
        return None
    up, down = relaxation.up, relaxation.down
    for outbound, inbound in candidates:
        violation = outbound[up] - inbound[down]
        arc = int(np.argmax(violation))
        if violation[arc] > 0:
            return arc, int(outbound[up[arc]]) - 1
    outbound, inbound = candidates[0]
    open_arc = floor[down] < cap[up]  # otherwise S_i <= cap_i <= floor_j <= SI_j already
    score = np.where(open_arc, multipliers * (inbound[down] - outbound[up]), 0.0)
    arc = int(np.argmax(score))
    if score[arc] <= 0:
        return None  # complementary slackness holds: the bound equals a feasible cost
    middle = (int(outbound[up[arc]]) + int(inbound[down[arc]]) - 1) // 2
    return arc, min(max(middle, int(floor[down[arc]])), int(cap[up[arc]]) - 1)
