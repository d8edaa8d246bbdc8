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

The earliest-due-date dispatch schedule is the warm start (``AddHint``) and the fallback when the
time limit ends before CP-SAT reports a schedule, so the result is never worse than the EDD rule.

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
from tandem.planning.scheduling.dispatching import dispatch_edd
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
        Hint the earliest-due-date dispatch schedule.
    """

    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    settings: SolverSettings = field(default_factory=SolverSettings)
    warm_start: bool = True

    def solve(self, problem: SchedulingProblem) -> ScheduleResult:
        """Return the best schedule found, its objective, bound and status."""
        model = ScheduleModel.build(problem)
        model.minimise(self.weights)
        edd = dispatch_edd(problem, self.weights) if self.warm_start else None
        if edd is not None and problem.orders:
            model.hint(edd.operations)
        solver = self.settings.solver()
        result = model.extract(solver, solver.solve(model.model))
        if edd is not None and result.status is ScheduleStatus.UNKNOWN:
            # time ran out before CP-SAT reported a schedule: the hint is one
            return replace(edd, status=ScheduleStatus.FEASIBLE, best_bound=result.best_bound)
        return result
