"""Lagrangian relaxation of a guaranteed-service network over a spanning forest.

Keeping the arcs of a spanning forest and pricing the others, ``i -> j``, with multipliers
``mu_ij >= 0`` gives

``L(mu) = min sum_j c_j sqrt(SI_j + T_j - S_j) + sum_{i->j outside} mu_ij (S_i - SI_j)``

over service times that satisfy the forest's arcs and the bounds. For a tree this is the
Graves & Willems (2000) dynamic program with linear terms, so each ``L(mu)`` is exact and is a
lower bound on the optimum (Fisher 1981). Multipliers follow the Polyak subgradient rule
``mu <- max(0, mu + theta (UB - L(mu)) g / |g|^2)`` with ``g = S_i - SI_j`` and ``theta``
halved after stalls (Held, Wolfe & Crowder 1974).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.network import Structure, minimal_inbound
from tandem.planning.meio.gsm.tree import tree_dp

__all__ = ["DualResult", "LagrangianRelaxation", "repair", "solution_cost"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def repair(st: Structure, outbound: IntArray) -> tuple[IntArray, IntArray]:
    """Feasible service times with the given ``S`` (clipped) and the least ``SI``."""
    out = np.clip(outbound, 0, st.max_outbound)
    inbound = np.maximum(minimal_inbound(st, out), out - st.floor_processing_time)
    return out, inbound


def solution_cost(st: Structure, outbound: IntArray, inbound: IntArray) -> float:
    """``sum_j c_j sqrt(SI_j + T_j - S_j)``."""
    net = np.maximum(inbound + st.processing_time - outbound, 0.0)
    return float(st.cost_coefficient @ np.sqrt(net))


@dataclass(frozen=True, eq=False)
class DualResult:
    """Outcome of a subgradient run.

    Attributes
    ----------
    bound
        The best ``L(mu)`` found: a lower bound for the (sub)problem.
    multipliers
        The multipliers that achieved it.
    outbound, inbound
        The relaxed solution at those multipliers.
    primal_cost, primal_outbound, primal_inbound
        The best repaired (feasible) solution seen.
    last_outbound, last_inbound
        The relaxed solution of the last iteration.
    """

    bound: float
    multipliers: FloatArray
    outbound: IntArray
    inbound: IntArray
    primal_cost: float
    primal_outbound: IntArray
    primal_inbound: IntArray
    last_outbound: IntArray
    last_inbound: IntArray


class LagrangianRelaxation:
    """Relax the arcs outside ``tree`` (indices of arcs forming a spanning forest)."""

    def __init__(self, st: Structure, tree: IntArray) -> None:
        self.st = st
        self.tree = tree
        self.outside = np.setdiff1d(np.arange(st.arc_up.size), tree)
        self.up = st.arc_up[self.outside]
        self.down = st.arc_down[self.outside]

    def evaluate(
        self,
        multipliers: FloatArray,
        max_outbound: IntArray | None = None,
        min_inbound: IntArray | None = None,
    ) -> tuple[float, IntArray, IntArray]:
        """``L(mu)`` and its minimiser under optional extra bounds."""
        n = self.st.n
        lin_s = np.bincount(self.up, weights=multipliers, minlength=n).astype(np.float64)
        lin_si = -np.bincount(self.down, weights=multipliers, minlength=n).astype(np.float64)
        result = tree_dp(
            self.st,
            self.tree,
            max_outbound=max_outbound,
            min_inbound=min_inbound,
            linear_outbound=lin_s,
            linear_inbound=lin_si,
        )
        return result.objective, result.outbound, result.inbound

    def optimize(
        self,
        multipliers: FloatArray,
        upper: float,
        iterations: int,
        max_outbound: IntArray | None = None,
        min_inbound: IntArray | None = None,
        stall_limit: int = 8,
    ) -> DualResult:
        """Subgradient ascent on ``L`` from ``multipliers``; ``upper`` is a known cost."""
        st = self.st
        mu = multipliers.copy()
        best_bound, best_mu = -math.inf, mu.copy()
        best_out = best_in = np.zeros(st.n, dtype=np.int64)
        primal_cost = math.inf
        primal_out = primal_in = best_out
        theta, stall = 1.0, 0
        out = inn = best_out
        for _ in range(max(iterations, 1)):
            value, out, inn = self.evaluate(mu, max_outbound, min_inbound)
            if value > best_bound + 1e-12 * max(1.0, abs(upper)):
                best_bound, best_mu, best_out, best_in, stall = value, mu.copy(), out, inn, 0
            else:
                stall += 1
                if stall >= stall_limit:
                    theta, stall = theta / 2.0, 0
            fixed_out, fixed_in = repair(st, out)
            cost = solution_cost(st, fixed_out, fixed_in)
            if cost < primal_cost:
                primal_cost, primal_out, primal_in = cost, fixed_out, fixed_in
            upper = min(upper, cost)
            if upper - best_bound <= 1e-9 * max(upper, 1e-12) or self.outside.size == 0:
                break
            gradient = (out[self.up] - inn[self.down]).astype(np.float64)
            gradient[(mu <= 0.0) & (gradient < 0.0)] = 0.0
            norm = float(gradient @ gradient)
            if norm == 0.0:
                break
            step = theta * max(upper - value, 1e-9 * max(upper, 1e-12)) / norm
            mu = np.maximum(0.0, mu + step * gradient)
        return DualResult(
            best_bound, best_mu, best_out, best_in, primal_cost, primal_out, primal_in, out, inn
        )
