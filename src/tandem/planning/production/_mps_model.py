"""Matrix form of the master-schedule MIP (see :mod:`tandem.planning.production.mps`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.production.mps_result import MPSCosts, MPSPlan, MPSStatus

if TYPE_CHECKING:
    from tandem.planning.production.mps import MPSProblem

__all__ = ["MPSModel", "SolveOutcome", "solve_model"]

FloatArray = npt.NDArray[np.float64]
_X, _INV, _BACK, _SETUP = range(4)


@dataclass(frozen=True)
class SolveOutcome:
    """Raw HiGHS outcome: status, solution vector (if any), dual bound and relative gap."""

    status: MPSStatus
    x: FloatArray | None
    dual_bound: float
    gap: float


@dataclass(frozen=True)
class MPSModel:
    """``min c'v  s.t.  lo <= A v <= hi,  lb <= v <= ub`` over the first ``n`` buckets."""

    problem: MPSProblem
    n: int
    cost: FloatArray
    matrix: sparse.csr_array
    row_lo: FloatArray
    row_hi: FloatArray
    lb: FloatArray
    ub: FloatArray
    integrality: npt.NDArray[np.int8]

    @classmethod
    def build(cls, problem: MPSProblem, n: int) -> MPSModel:
        """The model over buckets ``0..n-1`` (ending-backlog limits only at the true end)."""
        b = _Builder(problem, n)
        for p in range(len(problem.products)):
            b.product(p)
        for r in range(len(problem.resources)):
            b.resource(r)
        matrix = sparse.csr_array((b.vals, (b.rows, b.cols)), shape=(len(b.row_lo), b.size))
        return cls(
            problem,
            n,
            b.cost,
            matrix,
            np.array(b.row_lo),
            np.array(b.row_hi),
            b.lb,
            b.ub,
            b.integrality,
        )

    def plan(self, v: FloatArray) -> MPSPlan:
        """Unpack a solution vector into a plan with its loads and costs."""
        problem, n = self.problem, self.n
        n_p = len(problem.products)
        parts = np.maximum(v[: 4 * n_p * n], 0.0).reshape(4, n_p, n)
        x, inv, back = parts[_X], parts[_INV], parts[_BACK]
        setups = parts[_SETUP] > 0.5
        overtime = np.maximum(v[4 * n_p * n :], 0.0).reshape(len(problem.resources), n)
        run, setup = problem.load_coefficients()
        load = run.T @ x + setup.T @ setups.astype(np.float64)
        regular = problem.capacity()[0][:, :n]
        prods = problem.products
        costs = MPSCosts(
            production=float(sum(p.unit_cost * x[i].sum() for i, p in enumerate(prods))),
            holding=float(sum(p.holding_cost * inv[i].sum() for i, p in enumerate(prods))),
            backlog=float(sum(p.backlog_cost * back[i].sum() for i, p in enumerate(prods))),
            overtime=float(
                sum(r.overtime_cost * overtime[k].sum() for k, r in enumerate(problem.resources))
            ),
            setup=float(sum(p.setup_cost * setups[i].sum() for i, p in enumerate(prods))),
        )
        return MPSPlan(x, inv, back, setups, overtime, load, regular, costs)


class _Builder:
    """Collects costs, bounds and sparse rows of the model, one product or resource at a time."""

    def __init__(self, problem: MPSProblem, n: int) -> None:
        self.problem, self.n = problem, n
        self.block = len(problem.products) * n
        self.size = 4 * self.block + len(problem.resources) * n
        self.demand = problem.demand()[:, :n]
        self.run, self.setup = problem.load_coefficients()
        self.regular, self.extra = (a[:, :n] for a in problem.capacity())
        self.cost = np.zeros(self.size)
        self.lb, self.ub = np.zeros(self.size), np.full(self.size, np.inf)
        self.integrality = np.zeros(self.size, dtype=np.int8)
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []

    def var(self, kind: int, p: int, t: int) -> int:
        return kind * self.block + p * self.n + t

    def add_row(self, entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(self.row_lo)
        for c, v in entries:
            self.rows.append(r)
            self.cols.append(c)
            self.vals.append(v)
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def product(self, p: int) -> None:
        """Costs and bounds of ``p``'s variables, setup forcing and inventory balance rows."""
        prod, n, whole = self.problem.products[p], self.n, self.problem.whole_units
        remaining = np.cumsum(self.demand[p, ::-1])[::-1]
        units = _capacity_in_units(self.run[p], self.setup[p], self.regular + self.extra)
        for t in range(n):
            x, inv, back, y = (self.var(k, p, t) for k in (_X, _INV, _BACK, _SETUP))
            self.cost[[x, inv, back, y]] = (
                prod.unit_cost, prod.holding_cost, prod.backlog_cost, prod.setup_cost
            )  # fmt: skip
            # stock for later demand, and backlogged earlier demand too when allowed
            need = remaining[0] if prod.backlog_allowed else remaining[t]
            big_m = max(0.0, min(need, units[t]))
            self.ub[x] = math.floor(big_m + 1e-9) if whole else big_m
            self.integrality[x] = 1 if whole else 0
            self.ub[back] = np.inf if prod.backlog_allowed else 0.0
            self.ub[y] = 1.0 if prod.has_setup else 0.0
            if prod.has_setup:
                self.integrality[y] = 1
                self.add_row([(x, 1.0), (y, -self.ub[x])], -np.inf, 0.0)
                # x_t <= d_t y_t + I_t + B_t-1: the single-period (l, S) inequality
                cut = [(x, 1.0), (y, -min(self.demand[p, t], self.ub[x])), (inv, -1.0)]
                if t > 0:
                    cut.append((self.var(_BACK, p, t - 1), -1.0))
                self.add_row(cut, -np.inf, 0.0)
            entries = [(x, 1.0), (inv, -1.0), (back, 1.0)]
            if t > 0:
                entries += [(self.var(_INV, p, t - 1), 1.0), (self.var(_BACK, p, t - 1), -1.0)]
            rhs = self.demand[p, t] - (prod.initial_inventory if t == 0 else 0.0)
            self.add_row(entries, rhs, rhs)
        if n == self.problem.buckets and prod.backlog_allowed:
            self.ub[self.var(_BACK, p, n - 1)] = prod.max_ending_backlog

    def resource(self, r: int) -> None:
        """Overtime variables and the capacity rows of resource ``r``."""
        res = self.problem.resources[r]
        for t in range(self.n):
            o = 4 * self.block + r * self.n + t
            self.cost[o], self.ub[o] = res.overtime_cost, self.extra[r, t]
            entries = [(o, -1.0)]
            for p in range(len(self.problem.products)):
                if self.run[p, r] > 0:
                    entries.append((self.var(_X, p, t), self.run[p, r]))
                if self.setup[p, r] > 0 and self.ub[self.var(_SETUP, p, t)] > 0:
                    entries.append((self.var(_SETUP, p, t), self.setup[p, r]))
            self.add_row(entries, -np.inf, self.regular[r, t])


def _capacity_in_units(run: FloatArray, setup: FloatArray, hours: FloatArray) -> FloatArray:
    """Most units of one product a bucket's regular + overtime hours allow, per bucket."""
    units = np.full(hours.shape[1], np.inf)
    for r in np.flatnonzero(run > 0):
        units = np.minimum(units, (hours[r] - setup[r]) / run[r])
    return units


def solve_model(model: MPSModel, time_limit_s: float, mip_rel_gap: float) -> SolveOutcome:
    """Run HiGHS: ``linprog`` when nothing is integer, ``milp`` otherwise."""
    if not model.integrality.any():
        lp = optimize.linprog(
            model.cost,
            bounds=np.column_stack([model.lb, model.ub]),
            method="highs",
            options={"time_limit": time_limit_s},
            **_split_rows(model),
        )
        return _outcome(lp.status, lp.x, lp.fun if lp.x is not None else math.inf, 0.0)
    res = optimize.milp(
        model.cost,
        constraints=optimize.LinearConstraint(model.matrix, model.row_lo, model.row_hi),
        integrality=model.integrality,
        bounds=optimize.Bounds(model.lb, model.ub),
        options={"time_limit": time_limit_s, "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    bound = getattr(res, "mip_dual_bound", None)
    gap = getattr(res, "mip_gap", None)
    x = None if res.x is None else _polish(model, res.x, time_limit_s)
    return _outcome(
        res.status,
        x,
        math.inf if bound is None else float(bound),
        math.inf if gap is None else float(gap),
    )


def _polish(model: MPSModel, v: FloatArray, time_limit_s: float) -> FloatArray:
    """Fix the integer variables at their rounded values and re-solve the LP, so that big-M
    slack within HiGHS's integrality tolerance does not leak into quantities and costs."""
    fixed = model.integrality == 1
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[fixed] = ub[fixed] = np.round(v[fixed])
    lp = optimize.linprog(
        model.cost,
        bounds=np.column_stack([lb, ub]),
        method="highs",
        options={"time_limit": time_limit_s},
        **_split_rows(model),
    )
    return np.asarray(lp.x, dtype=np.float64) if lp.status == 0 else v


def _split_rows(model: MPSModel) -> dict[str, object]:
    """Equality rows to ``A_eq``, one-sided ``<=`` rows to ``A_ub`` (as ``linprog`` wants)."""
    eq = model.row_lo == model.row_hi
    rows: dict[str, object] = {}
    for name, mask in (("eq", eq), ("ub", ~eq)):
        if mask.any():
            rows[f"A_{name}"] = model.matrix[np.flatnonzero(mask)]
            rows[f"b_{name}"] = model.row_hi[mask]
    return rows


def _outcome(status: int, x: FloatArray | None, bound: float, gap: float) -> SolveOutcome:
    if status == 2:
        return SolveOutcome(MPSStatus.INFEASIBLE, None, math.inf, math.inf)
    if status == 0 and x is not None:
        return SolveOutcome(MPSStatus.OPTIMAL, np.asarray(x, dtype=np.float64), bound, gap)
    if x is not None:
        return SolveOutcome(MPSStatus.FEASIBLE, np.asarray(x, dtype=np.float64), bound, gap)
    return SolveOutcome(MPSStatus.NOT_SOLVED, None, bound, math.inf)
