"""Exact guaranteed-service optimisation of acyclic networks as a MIP on HiGHS.

Variables per stage: integer service times ``S_j`` and ``SI_j`` and, for stages that carry cost,
the net lead time ``x_j = SI_j + T_j - S_j`` written in the incremental (delta) form over
breakpoints ``b_0 < ... < b_K`` of its reachable values ``T_j + m`` (``m`` integer):

``x_j = b_0 + sum_m (b_{m+1} - b_m) delta_m``, ``delta_{m+1} <= w_m <= delta_m``,
``w_m`` binary, cost ``c_j (sqrt(b_0) + sum_m (sqrt(b_{m+1}) - sqrt(b_m)) delta_m)``

with ``c_j = h_j z sigma_j``. The interpolation equals ``sqrt`` at the breakpoints and lies below
it between them (``sqrt`` is concave), so with every reachable value as a breakpoint
(:attr:`Breakpoints.ALL`) the MIP is exact, and with fewer it is a relaxation whose bound is a
valid lower bound. :attr:`Breakpoints.ADAPTIVE` starts from a geometric set and adds each
solution's net lead times until the relaxation is tight at its own optimum: the dynamic
discretisation of Magnanti, Shen, Shu, Simchi-Levi & Teo (2006). Arcs give ``SI_j >= S_i``,
bounds give ``S_j <= s_j`` and ``SI_j >= si_j``.
"""

from __future__ import annotations

import enum
import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.meio.gsm.network import GSMNetwork, Structure, minimal_inbound
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution, build_solution

__all__ = ["Breakpoints", "MIPOutcome", "solve_mip"]

IntArray = npt.NDArray[np.int64]


class Breakpoints(enum.Enum):
    """Which net lead times the piecewise-linear cost interpolates."""

    ALL = "all"
    """Every reachable net lead time: one exact MIP (a binary per value)."""
    ADAPTIVE = "adaptive"
    """Geometric start, refined at each solution until the bound meets the cost."""


@dataclass(frozen=True)
class MIPOutcome:
    """A MIP solution with its solver statistics.

    Attributes
    ----------
    solution
        The best solution found; its ``lower_bound`` is the best proven bound.
    rounds
        MIPs solved (1 for :attr:`Breakpoints.ALL`).
    binaries
        Binary variables in the last MIP.
    completed
        Whether the gap closed to the tolerance before the time limit.
    """

    solution: GSMSolution
    rounds: int
    binaries: int
    completed: bool


def _initial_breakpoints(lo: int, hi: int, rule: Breakpoints) -> set[int]:
    if rule is Breakpoints.ALL:
        return set(range(lo, hi + 1))
    points = {lo, hi}
    step = 1
    while lo + step < hi:
        points.add(lo + step)
        step *= 2
    return points


class _Model:
    """Index bookkeeping for one MIP over fixed breakpoint sets (offsets ``m = SI - S``)."""

    integer_times = 1

    def __init__(self, st: Structure, breaks: list[list[int]]) -> None:
        self.st = st
        n = st.n
        self.breaks = breaks
        cols = 2 * n  # S_j at j, SI_j at n + j
        self.delta_start = np.zeros(n, dtype=np.int64)
        self.binary_start = np.zeros(n, dtype=np.int64)
        for j in range(n):
            k = max(len(breaks[j]) - 1, 0)
            self.delta_start[j] = cols
            cols += k
            self.binary_start[j] = cols
            cols += max(k - 1, 0)
        self.columns = cols

    def solve(self, time_limit: float, rel_gap: float) -> tuple[IntArray, IntArray, float] | None:
        st, n = self.st, self.st.n
        t = st.processing_time
        cost = np.zeros(self.columns)
        lower = np.zeros(self.columns)
        upper = np.ones(self.columns)
        integrality = np.zeros(self.columns, dtype=np.int64)
        lower[:n], upper[:n] = 0, st.max_outbound
        lower[n : 2 * n], upper[n : 2 * n] = st.min_inbound, st.max_inbound
        integrality[: 2 * n] = self.integer_times
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        row_lo: list[float] = []
        row_hi: list[float] = []
        constant = 0.0

        def add_row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
            r = len(row_lo)
            for c, v in entries:
                rows.append(r)
                cols.append(c)
                vals.append(v)
            row_lo.append(lo)
            row_hi.append(hi)

        for a in range(st.arc_up.size):  # SI_j - S_i >= 0
            add_row([(n + int(st.arc_down[a]), 1.0), (int(st.arc_up[a]), -1.0)], 0.0, np.inf)
        for j in range(n):
            b = self.breaks[j]
            coef = float(st.cost_coefficient[j])
            if not b:  # no cost: only a non-negative net lead time
                add_row([(n + j, 1.0), (j, -1.0)], -math.floor(t[j] + 1e-9), np.inf)
                continue
            constant += coef * math.sqrt(t[j] + b[0])
            entries = [(n + j, 1.0), (j, -1.0)]
            d0, w0 = int(self.delta_start[j]), int(self.binary_start[j])
            for m in range(len(b) - 1):
                entries.append((d0 + m, -float(b[m + 1] - b[m])))
                cost[d0 + m] = coef * (math.sqrt(t[j] + b[m + 1]) - math.sqrt(t[j] + b[m]))
            add_row(entries, float(b[0]), float(b[0]))
            for m in range(len(b) - 2):  # delta_{m+1} <= w_m <= delta_m
                integrality[w0 + m] = 1
                add_row([(w0 + m, 1.0), (d0 + m, -1.0)], -np.inf, 0.0)
                add_row([(d0 + m + 1, 1.0), (w0 + m, -1.0)], -np.inf, 0.0)
        matrix = sparse.csr_array(
            (vals, (rows, cols)), shape=(len(row_lo), self.columns), dtype=np.float64
        )
        result = optimize.milp(
            cost,
            constraints=optimize.LinearConstraint(matrix, row_lo, row_hi),
            integrality=integrality,
            bounds=optimize.Bounds(lower, upper),
            options={"time_limit": max(time_limit, 1e-3), "mip_rel_gap": rel_gap},
        )
        if result.x is None:
            return None
        x = np.asarray(result.x)
        outbound = np.rint(x[:n]).astype(np.int64)
        inbound = np.rint(x[n : 2 * n]).astype(np.int64)
        bound = getattr(result, "mip_dual_bound", None)
        if bound is None or not np.isfinite(bound):
            bound = result.fun if result.status == 0 else -np.inf
        return outbound, inbound, float(bound) + constant

    @property
    def binaries(self) -> int:
        return sum(max(len(b) - 2, 0) for b in self.breaks)


def solve_mip(
    network: GSMNetwork,
    breakpoints: Breakpoints = Breakpoints.ADAPTIVE,
    time_limit: float = 60.0,
    gap_tolerance: float = 1e-6,
    max_rounds: int = 50,
) -> MIPOutcome:
    """Optimal service times of an acyclic network by MIP (HiGHS via ``scipy.optimize.milp``).

    Parameters
    ----------
    network
        Any acyclic guaranteed-service network.
    breakpoints
        :attr:`Breakpoints.ALL` for the exact one-shot MIP, :attr:`Breakpoints.ADAPTIVE` for
        dynamic discretisation (usually much faster; same optimum when it completes).
    time_limit
        Wall-clock seconds for all rounds together (HiGHS's own clock).
    gap_tolerance
        Relative gap at which to stop.
    max_rounds
        Cap on adaptive refinements.

    Examples
    --------
    >>> from tandem.planning.meio.gsm.network import Arc, Stage
    >>> net = GSMNetwork(
    ...     stages=(Stage("a", 2, 1.0), Stage("b", 3, 1.0), Stage("c", 1, 2.0, 1.0, 0)),
    ...     arcs=(Arc("a", "c"), Arc("b", "c")),
    ... )
    >>> outcome = solve_mip(net)
    >>> round(outcome.solution.cost, 6), outcome.solution.is_proven_optimal()
    (4.0, True)
    """
    st = network.structure
    floor_t = st.floor_processing_time
    breaks: list[list[int]] = []
    for j in range(st.n):
        if st.cost_coefficient[j] <= 0:
            breaks.append([])
            continue
        lo = max(-int(floor_t[j]), int(st.min_inbound[j] - st.max_outbound[j]))
        hi = int(st.max_inbound[j])
        breaks.append(sorted(_initial_breakpoints(lo, hi, breakpoints)))
    best: tuple[IntArray, IntArray] | None = None
    best_cost = np.inf
    bound = 0.0
    rounds = 0
    model = _Model(st, breaks)
    deadline = time.monotonic() + time_limit
    completed = False
    while rounds < max_rounds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        model = _Model(st, breaks)
        found = model.solve(remaining, gap_tolerance * 0.5)
        rounds += 1
        if found is None:
            break
        outbound, _, round_bound = found
        inbound = np.maximum(minimal_inbound(st, outbound), outbound - floor_t)
        bound = max(bound, round_bound)
        cost = network.cost(outbound, inbound)
        if cost < best_cost:
            best, best_cost = (outbound, inbound), cost
        if best_cost - bound <= gap_tolerance * max(best_cost, 1e-12):
            completed = True
            break
        offsets = inbound - outbound
        added = False
        for j in range(st.n):
            if breaks[j] and int(offsets[j]) not in breaks[j]:
                breaks[j] = sorted({*breaks[j], int(offsets[j])})
                added = True
        if not added:  # the relaxation is exact at its optimum: the HiGHS gap remains
            completed = best_cost - bound <= 2 * gap_tolerance * max(best_cost, 1e-12)
            break
    if best is None:
        raise TimeoutError("the MIP found no feasible solution within the time limit")
    solution = build_solution(network, best[0], best[1], bound, GSMMethod.MIP)
    return MIPOutcome(solution, rounds, model.binaries, completed)
