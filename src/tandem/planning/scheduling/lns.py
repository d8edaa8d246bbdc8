"""Large-neighbourhood search with CP-SAT for large order sets.

The full circuit model of :mod:`~tandem.planning.scheduling.cpsat` has ``O(n^2)`` arc literals
per resource and at a few hundred operations CP-SAT hardly leaves its warm start. This search
keeps a complete schedule, frees the operations of ``k`` orders at a time and re-optimises them
with CP-SAT while every other operation keeps its resource and its place in its resource's
sequence (``_window.py``; large-neighbourhood search of Shaw, "Using constraint programming and
local search methods to solve vehicle routing problems", *CP 1998*, LNCS 1520:417–431; applied to
scheduling with CP by Godard, Laborie & Nuijten, "Randomized large neighborhood search for
cumulative scheduling", *ICAPS 2005*). A neighbourhood is alternately the ``k`` orders finishing
next to a random order, or the orders of ``k`` consecutive operations on a random resource; ``k``
grows after a neighbourhood is solved to optimality and shrinks when its time runs out
(Pisinger & Ropke, "Large neighborhood search", *Handbook of Metaheuristics* 2010, ch. 13).

The start is the best dispatch schedule (``dispatching.dispatch_best``), a neighbourhood's
incumbent is hinted, and a move is kept only if it lowers the objective, so the result is never
worse than the warm start. With every order freed the neighbourhood is the full model, which
runs without a step limit: small instances are solved to proven optimality. Every other
neighbourhood solve is bounded by CP-SAT's *deterministic* time, so one worker and a fixed seed
repeat the same search when ``max_iterations`` (not the wall-clock ``time_limit_s``) ends it.
``best_bound`` is the single-resource bound of :mod:`~tandem.planning.scheduling.bounds`, or
the objective once optimality is proven.

>>> from tandem.planning.scheduling.problem import (
...     FamilySetups, OrderOperation, ProductionOrder, SchedulingProblem, SchedulingResource)
>>> orders = tuple(
...     ProductionOrder(name, fam, (OrderOperation("op", ("m",), 10),), due=due)
...     for name, fam, due in [("a", "red", 10), ("b", "blue", 25), ("c", "red", 30)])
>>> problem = SchedulingProblem((SchedulingResource("m"),), orders, FamilySetups(default=5))
>>> result = LnsScheduler().solve(problem)
>>> [(op.order_id, op.start) for op in result.operations], result.objective, result.status.value
([('a', 0), ('b', 25), ('c', 10)], 15.0, 'optimal')
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, replace

from tandem.planning.scheduling._model import SolverSettings
from tandem.planning.scheduling._window import build_window
from tandem.planning.scheduling.bounds import lower_bound
from tandem.planning.scheduling.dispatching import dispatch_best
from tandem.planning.scheduling.errors import SchedulingInputError
from tandem.planning.scheduling.problem import SchedulingProblem
from tandem.planning.scheduling.result import ObjectiveWeights, ScheduleResult, ScheduleStatus

__all__ = ["LnsScheduler"]


@dataclass(frozen=True)
class LnsScheduler:
    """Minimise weighted tardiness and setup time by CP-SAT large-neighbourhood search.

    Parameters
    ----------
    weights
        Objective weights (tardiness, setup minutes, makespan).
    settings
        Wall-clock limit of the whole search, workers per neighbourhood solve, random seed.
    window_orders
        Orders freed in the first neighbourhood (``k``; adapted between 2 and all orders).
    step_time
        CP-SAT deterministic time limit of one neighbourhood solve.
    max_iterations
        Neighbourhoods to try at most.
    """

    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    settings: SolverSettings = field(default_factory=SolverSettings)
    window_orders: int = 3
    step_time: float = 0.05
    max_iterations: int = 10_000

    def __post_init__(self) -> None:
        if self.window_orders < 1 or self.step_time <= 0 or self.max_iterations < 0:
            raise SchedulingInputError(
                "window_orders must be >= 1, step_time > 0 and max_iterations >= 0"
            )

    def solve(self, problem: SchedulingProblem) -> ScheduleResult:
        """Return the best schedule found, its objective, bound and status."""
        deadline = time.monotonic() + self.settings.time_limit_s
        best = dispatch_best(problem, self.weights)
        bound = lower_bound(problem, self.weights)
        rng = random.Random(self.settings.random_seed)
        size, n = min(self.window_orders, len(problem.orders)), len(problem.orders)
        scores = [1.0, 1.0, 1.0]  # adaptive choice of the neighbourhood kind (Ropke & Pisinger)
        for iteration in range(self.max_iterations):
            remaining = deadline - time.monotonic()
            if n == 0 or remaining <= 0 or best.objective <= bound:
                break
            kind = rng.choices(range(3), weights=[0.2 + x for x in scores])[0]
            freed = _neighbourhood(best, problem, size, rng, kind)
            found = self._improve(problem, best, freed, iteration, remaining)
            if found.status is ScheduleStatus.OPTIMAL and len(freed) == n:
                return replace(found, best_bound=found.objective)
            improved = found.objective < best.objective
            scores[kind] = 0.7 * scores[kind] + 0.3 * improved
            best = found if improved else best
            grow = found.status is ScheduleStatus.OPTIMAL
            size = min(n, size + 1 if grow else max(2, size - 1))
        proven = best.objective <= bound
        status = ScheduleStatus.OPTIMAL if proven else ScheduleStatus.FEASIBLE
        return replace(best, status=status, best_bound=min(bound, best.objective))

    def _improve(
        self,
        problem: SchedulingProblem,
        incumbent: ScheduleResult,
        freed: set[int],
        iteration: int,
        remaining: float,
    ) -> ScheduleResult:
        window = build_window(problem, incumbent.operations, freed)
        window.minimise(self.weights)
        window.hint(incumbent.operations)
        solver = replace(
            self.settings, time_limit_s=remaining, random_seed=self.settings.random_seed + iteration
        ).solver()
        if len(freed) < len(problem.orders):  # the full model runs until proof or time out
            solver.parameters.max_deterministic_time = self.step_time
        solver.parameters.linearization_level = 0  # faster on small windows (measured)
        return window.extract(solver, solver.solve(window.model))


def _neighbourhood(
    incumbent: ScheduleResult, problem: SchedulingProblem, size: int, rng: random.Random, kind: int
) -> set[int]:
    """``size`` orders: around a late order (kind 0), next to each other in completion time (1),
    or on one resource (2)."""
    n = len(problem.orders)
    if kind == 0:
        freed = _around_late_order(incumbent, problem, size, rng)
    elif kind == 1:
        ranked = sorted(range(n), key=lambda i: (incumbent.orders[i].completion, i))
        first = min(rng.randrange(n), n - size)
        freed = set(ranked[first : first + size])
    else:
        resource = rng.choice([r.id for r in problem.resources])
        freed = _along_resource(incumbent, problem, resource, size, rng)
    while len(freed) < size:
        freed.add(rng.randrange(n))
    return freed


def _along_resource(
    incumbent: ScheduleResult, problem: SchedulingProblem, resource: str, size: int,
    rng: random.Random,
) -> set[int]:  # fmt: skip
    index = {o.id: i for i, o in enumerate(problem.orders)}
    sequence = sorted(
        (op for op in incumbent.operations if op.resource == resource), key=lambda op: op.position
    )
    freed: set[int] = set()
    first = rng.randrange(len(sequence)) if sequence else 0
    for op in sequence[first:] + sequence[:first]:
        if len(freed) >= size:
            break
        freed.add(index[op.order_id])
    return freed


def _around_late_order(
    incumbent: ScheduleResult, problem: SchedulingProblem, size: int, rng: random.Random
) -> set[int]:
    """A late order drawn by weighted tardiness, with the orders run just before its operations."""
    late = [(i, problem.orders[i].weight * o.tardiness) for i, o in enumerate(incumbent.orders)]
    late = [(i, cost) for i, cost in late if cost > 0]
    if not late:
        return set()
    pick = rng.choices([i for i, _ in late], weights=[cost for _, cost in late])[0]
    index = {o.id: i for i, o in enumerate(problem.orders)}
    own = [op for op in incumbent.operations if op.order_id == problem.orders[pick].id]
    freed = {pick}
    for step in range(1, size + 1):
        for op in own:
            ahead = [
                x for x in incumbent.operations
                if x.resource == op.resource and x.position == op.position - step
            ]  # fmt: skip
            freed.update(index[x.order_id] for x in ahead[: size - len(freed)])
        if len(freed) >= size:
            break
    return freed
