"""Fast guaranteed-service solutions with a certified gap for large acyclic networks.

* **Lower bound** — the Lagrangian relaxation of the arcs outside a maximum-weight spanning
  forest (:mod:`tandem.planning.meio.gsm.lagrangian`), solved by subgradient ascent.
* **Upper bound** — each relaxed solution is repaired (``SI_j = max(si_j, max_i S_i)``), then
  improved by (a) *restricted tree DP*: for a random spanning forest, each outside arc
  ``i -> j`` is replaced by ``S_i <= a_ij <= SI_j`` at the current ``a_ij``, which keeps the
  current solution feasible, so the tree DP (Graves & Willems 2000) never returns a worse
  one; and (b) coordinate descent on single outbound service times.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.lagrangian import LagrangianRelaxation, repair, solution_cost
from tandem.planning.meio.gsm.network import GSMNetwork, Structure
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution, build_solution
from tandem.planning.meio.gsm.tree import tree_dp

__all__ = ["arc_weights", "improve", "solve_heuristic", "spanning_forest"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def arc_weights(st: Structure) -> FloatArray:
    """Arc weights for the spanning forest: cost coefficients of both ends."""
    c = st.cost_coefficient
    return np.asarray(c[st.arc_up] + c[st.arc_down], dtype=np.float64)


def spanning_forest(st: Structure, weights: FloatArray) -> IntArray:
    """Arc indices of a maximum-weight spanning forest (Kruskal)."""
    parent = list(range(st.n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    chosen = []
    for a in np.argsort(-weights, kind="stable").tolist():
        ru, rd = find(int(st.arc_up[a])), find(int(st.arc_down[a]))
        if ru != rd:
            parent[ru] = rd
            chosen.append(a)
    return np.array(sorted(chosen), dtype=np.int64)


def _restricted_tree(
    st: Structure, tree: IntArray, outbound: IntArray, inbound: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Re-optimise over a forest with the other arcs fixed at thresholds between S_i and SI_j."""
    mask = np.ones(st.arc_up.size, dtype=bool)
    mask[tree] = False
    up, down = st.arc_up[mask], st.arc_down[mask]
    threshold = np.where(rng.random(up.size) < 0.5, outbound[up], inbound[down])
    cap = np.full(st.n, np.iinfo(np.int64).max // 4, dtype=np.int64)
    floor = np.zeros(st.n, dtype=np.int64)
    np.minimum.at(cap, up, threshold)
    np.maximum.at(floor, down, threshold)
    return repair(st, tree_dp(st, tree, max_outbound=cap, min_inbound=floor).outbound)


def _local_search(
    st: Structure, outbound: IntArray, inbound: IntArray, sweeps: int = 20
) -> tuple[IntArray, IntArray]:
    """Coordinate descent: move one ``S_j`` at a time to its best value."""
    out, inn = outbound.copy(), inbound.copy()
    t, c, floor_t = st.processing_time, st.cost_coefficient, st.floor_processing_time
    for _ in range(sweeps):
        improved = False
        for j in st.topological_order.tolist():
            succ = st.succs[j].tolist()
            values = np.arange(0, int(min(st.max_outbound[j], inn[j] + floor_t[j])) + 1)
            total = c[j] * np.sqrt(np.maximum(inn[j] + t[j] - values, 0.0))
            for k in succ:
                others = [int(out[i]) for i in st.preds[k].tolist() if i != j]
                rest = max([int(st.min_inbound[k]), int(out[k] - floor_t[k]), *others])
                si_k = np.maximum(values, rest)
                total = total + c[k] * np.sqrt(np.maximum(si_k + t[k] - out[k], 0.0))
            best = int(np.argmin(total))
            if total[best] < total[out[j]] - 1e-12 * max(1.0, abs(float(total[best]))):
                out[j] = best
                for k in succ:
                    preds = [int(out[i]) for i in st.preds[k].tolist()]
                    inn[k] = max(int(st.min_inbound[k]), int(out[k] - floor_t[k]), *preds)
                improved = True
        if not improved:
            break
    return out, inn


def improve(
    st: Structure,
    outbound: IntArray,
    inbound: IntArray,
    rounds: int,
    rng: np.random.Generator,
    target: float = 0.0,
) -> tuple[float, IntArray, IntArray]:
    """Restricted-tree rounds and local search until ``rounds`` fail in a row."""
    best_out, best_in = _local_search(st, outbound, inbound)
    best = solution_cost(st, best_out, best_in)
    weights = arc_weights(st)
    stale = 0
    while stale < rounds and best - target > 1e-9 * best and st.arc_up.size:
        forest = spanning_forest(st, weights * rng.random(weights.size))
        out, inn = _local_search(st, *_restricted_tree(st, forest, best_out, best_in, rng), 3)
        cost = solution_cost(st, out, inn)
        if cost < best - 1e-9 * best:
            best, best_out, best_in, stale = cost, out, inn, 0
        else:
            stale += 1
    return best, best_out, best_in


def solve_heuristic(
    network: GSMNetwork,
    lagrangian_iterations: int = 150,
    improvement_rounds: int = 30,
    seed: int = 0,
    lower_bound: float = 0.0,
) -> GSMSolution:
    """A good solution and a Lagrangian lower bound for any acyclic network.

    Parameters
    ----------
    network
        The network.
    lagrangian_iterations
        Subgradient iterations (each one tree DP).
    improvement_rounds
        Restricted-tree rounds without improvement before stopping.
    seed
        Seed of the random spanning forests and thresholds.
    lower_bound
        A bound known from elsewhere (e.g. a MIP); the best of both is reported.
    """
    st = network.structure
    rng = np.random.default_rng(seed)
    relaxation = LagrangianRelaxation(st, spanning_forest(st, arc_weights(st)))
    start_out, start_in = repair(st, relaxation.evaluate(np.zeros(relaxation.up.size))[1])
    upper = solution_cost(st, start_out, start_in)
    dual = relaxation.optimize(np.zeros(relaxation.up.size), upper, lagrangian_iterations)
    if dual.primal_cost < upper:
        start_out, start_in = dual.primal_outbound, dual.primal_inbound
    bound = max(lower_bound, dual.bound)
    _, out, inn = improve(st, start_out, start_in, improvement_rounds, rng, bound)
    return build_solution(network, out, inn, bound, GSMMethod.HEURISTIC)
