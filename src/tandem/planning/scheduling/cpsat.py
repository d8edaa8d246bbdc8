"""Scheduling released production orders with OR-Tools CP-SAT.

A flexible job shop with sequence-dependent family setups (Allahverdi et al. 2008): each
operation takes one of its eligible resources (optional intervals, ``AddExactlyOne`` over
the presence literals), respects its order's precedence and release time, and each resource
sequences its operations through ``AddCircuit`` — arc ``i -> j`` true means ``j`` directly
follows ``i`` and forces ``start_j >= end_i + setup(family_i, family_j)``; the start node
``0 -> j`` charges the initial setup (the circuit formulation of the CP-SAT scheduling
examples, Perron & Didier, OR-Tools; Laborie et al., "IBM ILOG CP Optimizer for scheduling",
*Constraints* 23:210–250, 2018, for the interval model). ``AddNoOverlap`` on the intervals
strengthens propagation. Objective:

.. code-block:: text

    min  a * sum_o w_o max(0, C_o - d_o)  +  b * sum of setup minutes  +  c * C_max

The best dispatch schedule (earliest due date, or ATCS over a small grid of its scalings, see
:func:`~tandem.planning.scheduling.dispatching.dispatch_best`) is the warm start (``AddHint``)
and the fallback when the time limit ends before CP-SAT reports a schedule, so the result is
never worse than the EDD or ATCS rules. ``best_bound`` is the larger of CP-SAT's bound and the
single-resource bound of :mod:`~tandem.planning.scheduling.bounds`.

With more than ``search_from_orders`` orders (default 15) the full model is not solved: the
circuit model grows with the square of the operations per resource and CP-SAT barely leaves its
warm start at 150+ operations (``bench/bench_scheduling.py``); the same weights and settings go
to the large-neighbourhood search of :class:`~tandem.planning.scheduling.lns.LnsScheduler`.

>>> from tandem.planning.scheduling.problem import (
...     FamilySetups, OrderOperation, ProductionOrder, SchedulingProblem, SchedulingResource)
>>> orders = tuple(
...     ProductionOrder(name, fam, (OrderOperation("op", ("m",), 10),), due=due)
...     for name, fam, due in [("a", "red", 10), ("b", "blue", 25), ("c", "red", 30)])
>>> problem = SchedulingProblem((SchedulingResource("m"),), orders, FamilySetups(default=5))
>>> result = CpSatScheduler().solve(problem)
>>> [(op.order_id, op.start, op.setup_before) for op in result.operations]
[('a', 0, 0), ('b', 25, 5), ('c', 10, 0)]
>>> result.status.value, result.objective
('optimal', 15.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tandem.planning.scheduling._model import ScheduleModel, SolverSettings
from tandem.planning.scheduling.bounds import lower_bound
from tandem.planning.scheduling.dispatching import dispatch_best
from tandem.planning.scheduling.lns import LnsScheduler
from tandem.planning.scheduling.problem import SchedulingProblem
from tandem.planning.scheduling.result import ObjectiveWeights, ScheduleResult, ScheduleStatus

__all__ = ["CpSatScheduler", "SolverSettings"]


@dataclass(frozen=True)
class CpSatScheduler:
    """Minimise weighted tardiness and setup time with CP-SAT.

    Parameters
    ----------
    weights
        Objective weights (tardiness, setup minutes, makespan).
    settings
        Time limit, worker count and random seed.
    warm_start
        Hint the best dispatch schedule (EDD or ATCS).
    search_from_orders
        Above this many orders, solve by large-neighbourhood search (``None``: never).
    """

    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    settings: SolverSettings = field(default_factory=SolverSettings)
    warm_start: bool = True
    search_from_orders: int | None = 15

    def solve(self, problem: SchedulingProblem) -> ScheduleResult:
        """Return the best schedule found, its objective, bound and status."""
        if self.search_from_orders is not None and len(problem.orders) > self.search_from_orders:
            return LnsScheduler(self.weights, self.settings).solve(problem)
        model = ScheduleModel.build(problem)
        model.minimise(self.weights)
        hint = dispatch_best(problem, self.weights) if self.warm_start else None
        if hint is not None and problem.orders:
            model.hint(hint.operations)
        solver = self.settings.solver()
        result = model.extract(solver, solver.solve(model.model))
        bound = max(result.best_bound, lower_bound(problem, self.weights))
        if hint is not None and result.status is ScheduleStatus.UNKNOWN:
            # time ran out before CP-SAT reported a schedule: the hint is one
            return replace(hint, status=ScheduleStatus.FEASIBLE, best_bound=bound)
        if result.status is ScheduleStatus.FEASIBLE:
            return replace(result, best_bound=min(bound, result.objective))
        return result
