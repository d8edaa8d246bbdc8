"""Master production schedule with capacity: an aggregate-planning / lot-sizing MIP on HiGHS.

For products ``p``, resources ``r`` and buckets ``t`` with demand ``d_pt``:

.. code-block:: text

    min  sum c_p x_pt + h_p I_pt + b_p B_pt + f_p y_pt + sum o_r O_rt
    s.t. I_p,t-1 - B_p,t-1 + x_pt - d_pt = I_pt - B_pt        (inventory balance)
         sum_p (a_pr x_pt + s_pr y_pt) <= C_rt + O_rt          (capacity, regular + overtime)
         x_pt <= M_pt y_pt                                      (setup forcing, big-M)
         0 <= O_rt <= Omax_rt,  B_p,T-1 <= Bmax_p,  B_pt = 0 if backlog is not allowed
         x, I, B >= 0,  y_pt in {0, 1}

``a_pr``/``s_pr`` are the run hours per unit and setup hours per batch of ``p``'s routing on
``r`` (all operations of a bucket's batch are loaded in that bucket) and
``M_pt = min(D_pt, min_r (C_rt + Omax_rt - s_pr) / a_pr)`` with ``D_pt`` the demand of ``p``
from ``t`` on (all of ``p``'s demand when backlog is allowed). Without
setup costs or setup times the model is the aggregate-planning LP of Nahmias (*Production and
Operations Analysis*, 6th ed., 2009, §3.5) and is solved with ``scipy.optimize.linprog``;
with them it is the capacitated lot-sizing problem with backlogging and overtime of Pochet &
Wolsey (*Production Planning by Mixed Integer Programming*, Springer 2006, ch. 9, "CLSP"),
solved with ``scipy.optimize.milp``. Both run HiGHS.

Example: one product, demand 2 then 4, 3 regular hours a bucket, 1 hour a unit, overtime 10 an
hour: produce 3 in bucket 0 and hold one (cost 1) beats 1 overtime hour in bucket 1.

>>> from tandem.planning.production.resources import Calendar, Operation, Resource, Routing
>>> line = Resource("line", Calendar.uniform(2, 3.0), overtime_cost=10.0, max_overtime_hours=2)
>>> routing = Routing("r", (Operation("line", run_hours=1.0),))
>>> plan = MPSSolver().solve(MPSProblem(
...     (MPSProduct("p", routing, (2.0, 4.0), holding_cost=1.0, backlog_allowed=False),),
...     (line,))).plan
>>> plan.production.tolist(), plan.overtime.tolist(), plan.costs.total
([[3.0, 3.0]], [[0.0, 0.0]], 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.production._mps_model import MPSModel, solve_model
from tandem.planning.production.errors import ProductionInputError
from tandem.planning.production.mps_result import MPSCosts, MPSPlan, MPSResult, MPSStatus
from tandem.planning.production.resources import Resource, Routing, index_resources

__all__ = ["MPSCosts", "MPSPlan", "MPSProblem", "MPSProduct", "MPSResult", "MPSSolver", "MPSStatus"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class MPSProduct:
    """A product (or product family) to plan.

    Attributes
    ----------
    id
        Product id.
    routing
        Operations loaded in the bucket the product is made.
    demand
        Demand per bucket (the horizon is its length).
    unit_cost, holding_cost, backlog_cost, setup_cost
        Cost per unit made, per unit held at the end of a bucket, per unit backlogged at the
        end of a bucket, and per bucket with production.
    initial_inventory
        Stock on hand before the first bucket.
    backlog_allowed
        Whether demand may be met late; if not, every bucket's demand is met from stock.
    max_ending_backlog
        Backlog allowed at the end of the horizon.
    """

    id: str
    routing: Routing
    demand: tuple[float, ...]
    unit_cost: float = 0.0
    holding_cost: float = 0.0
    backlog_cost: float = 0.0
    setup_cost: float = 0.0
    initial_inventory: float = 0.0
    backlog_allowed: bool = True
    max_ending_backlog: float = 0.0

    def __post_init__(self) -> None:
        for name in ("unit_cost", "holding_cost", "backlog_cost", "setup_cost"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ProductionInputError(f"{name} of product {self.id!r} must be >= 0")
        for t, d in enumerate(self.demand):
            if not math.isfinite(d) or d < 0:
                raise ProductionInputError(
                    f"demand of product {self.id!r} in bucket {t} must be >= 0, got {d!r}"
                )
        if self.initial_inventory < 0 or self.max_ending_backlog < 0:
            raise ProductionInputError(
                f"initial inventory and ending backlog of {self.id!r} must be >= 0"
            )

    @property
    def has_setup(self) -> bool:
        """Whether a bucket with production costs a setup or takes setup time."""
        return self.setup_cost > 0 or any(op.setup_hours > 0 for op in self.routing.operations)


@dataclass(frozen=True)
class MPSProblem:
    """Products and the resources their routings load, over a common horizon."""

    products: tuple[MPSProduct, ...]
    resources: tuple[Resource, ...]
    whole_units: bool = False
    """Produce whole units only (integer production)."""

    def __post_init__(self) -> None:
        if not self.products:
            raise ProductionInputError("the master schedule needs at least one product")
        horizons = {len(p.demand) for p in self.products}
        if len(horizons) != 1 or 0 in horizons:
            raise ProductionInputError("every product needs demand for the same, non-empty horizon")
        ids = [p.id for p in self.products]
        if len(set(ids)) != len(ids):
            raise ProductionInputError("product ids must be unique")
        known = index_resources(self.resources, self.buckets)
        for p in self.products:
            p.routing.check_resources(known)

    @property
    def buckets(self) -> int:
        """Length of the horizon."""
        return len(self.products[0].demand)

    def demand(self) -> FloatArray:
        """Demand as a products x buckets array."""
        return np.array([p.demand for p in self.products], dtype=np.float64)

    def load_coefficients(self) -> tuple[FloatArray, FloatArray]:
        """Run hours per unit and setup hours per batch, each products x resources."""
        index = index_resources(self.resources, self.buckets)
        run = np.zeros((len(self.products), len(self.resources)))
        setup = np.zeros_like(run)
        for i, p in enumerate(self.products):
            for op in p.routing.operations:
                run[i, index[op.resource]] += op.run_hours
                setup[i, index[op.resource]] += op.setup_hours
        return run, setup

    def capacity(self) -> tuple[FloatArray, FloatArray]:
        """Regular hours and overtime limits, each resources x buckets."""
        t = range(self.buckets)
        regular = np.array([[r.capacity(b) for b in t] for r in self.resources]).reshape(-1, len(t))
        extra = np.array([[r.overtime_limit(b) for b in t] for r in self.resources])
        return regular, extra.reshape(-1, len(t))


@dataclass(frozen=True)
class MPSSolver:
    """Solve an :class:`MPSProblem` on HiGHS (LP without setups, MIP with them)."""

    time_limit_s: float = 60.0
    mip_rel_gap: float = 1e-6

    def solve(self, problem: MPSProblem) -> MPSResult:
        """Return the cost-minimal plan, or an infeasible result naming the first short bucket."""
        model = MPSModel.build(problem, problem.buckets)
        outcome = solve_model(model, self.time_limit_s, self.mip_rel_gap)
        if outcome.status is MPSStatus.INFEASIBLE:
            short = self._first_short_bucket(problem)
            names = ", ".join(r.id for r in problem.resources)
            return MPSResult(
                MPSStatus.INFEASIBLE,
                None,
                math.inf,
                math.inf,
                math.inf,
                short,
                f"infeasible: demand cannot be met by bucket {short} within the regular and"
                f" overtime capacity of {names} (backlog not allowed or limited)",
            )
        if outcome.x is None:
            return MPSResult(
                MPSStatus.NOT_SOLVED, None, math.inf, outcome.dual_bound, math.inf, None,
                f"no plan found within {self.time_limit_s} s",
            )  # fmt: skip
        plan = model.plan(outcome.x)
        return MPSResult(
            outcome.status,
            plan,
            plan.costs.total,
            outcome.dual_bound,
            outcome.gap,
            None,
            outcome.status.value,
        )

    def _first_short_bucket(self, problem: MPSProblem) -> int:
        """Shortest infeasible prefix of the horizon, by bisection (feasibility is monotone)."""
        lo, hi = 1, problem.buckets  # prefix of length hi is infeasible
        while lo < hi:
            mid = (lo + hi) // 2
            outcome = solve_model(MPSModel.build(problem, mid), self.time_limit_s, 1e-4)
            if outcome.status is MPSStatus.INFEASIBLE:
                hi = mid
            else:
                lo = mid + 1
        return hi - 1
