"""Dispatch rules: earliest due date (the reference) and ATCS (apparent tardiness cost with setups).

Both are list schedulers that put one operation at a time on a resource after that resource's
last operation plus the family setup, so every schedule they build is valid and semi-active.

* :func:`dispatch_edd` — a serial schedule-generation scheme (Kolisch, "Serial and parallel
  resource-constrained project scheduling methods revisited", *EJOR* 90:320–333, 1996) with the
  EDD priority of Jackson (1955): among the operations whose predecessors are scheduled, the one
  of the order due first, on the eligible resource where it ends earliest.
* :func:`dispatch_atcs` — a non-delay scheme: the next resource to decide is the one that can
  start something first; among the operations ready on it by then, the largest ATCS index of
  Lee, Bhaskaran & Pinedo, "A heuristic to minimize the total weighted tardiness with
  sequence-dependent setups", *IIE Transactions* 29:45–52, 1997::

      I_j(t, l) = w_j / p_j * exp(-max(d_j - p_j - t, 0) / (k1 p̄)) * exp(-s_lj / (k2 s̄))

  with the operation due date ``d_j`` = order due minus the work still to follow in the order
  (the job-shop adaptation of Vepsalainen & Morton, *Management Science* 33:1035–1047, 1987),
  ``s_lj`` the setup from the resource's last family ``l``, ``p̄`` and ``s̄`` mean processing
  and setup minutes. ``k1``/``k2`` default to Lee et al.'s estimates from the due-date
  tightness and range and the setup severity.
* :func:`dispatch_best` — the best of EDD and ATCS over a small grid of ``(k1, k2)``: the warm
  start and fallback of the CP-SAT schedulers.

>>> from tandem.planning.scheduling.problem import (
...     FamilySetups, OrderOperation, ProductionOrder, SchedulingProblem, SchedulingResource)
>>> orders = tuple(
...     ProductionOrder(name, fam, (OrderOperation("op", ("m",), p),), due=due, weight=w)
...     for name, fam, p, due, w in [("a", "red", 10, 10, 1), ("b", "red", 10, 12, 5)])
>>> problem = SchedulingProblem((SchedulingResource("m"),), orders, FamilySetups(default=5))
>>> dispatch_edd(problem).objective, dispatch_atcs(problem).objective  # EDD puts heavy b 2nd
(40.0, 10.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tandem.planning.scheduling.problem import FlatOperation, SchedulingProblem
from tandem.planning.scheduling.result import (
    ObjectiveWeights,
    ScheduledOperation,
    ScheduleResult,
    evaluate,
)

__all__ = ["dispatch_atcs", "dispatch_best", "dispatch_edd"]

_K1_GRID = (None, 0.5, 1.0, 2.0, 4.0)
_K2_GRID = (None, 0.25, 1.0)


@dataclass
class _Shop:
    """Resource state while a list scheduler places operations."""

    problem: SchedulingProblem
    free_at: dict[str, int] = field(default_factory=dict)
    last_family: dict[str, str | None] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    end: dict[int, int] = field(default_factory=dict)
    placed: list[ScheduledOperation] = field(default_factory=list)

    def __post_init__(self) -> None:
        for r in self.problem.resources:
            self.free_at[r.id], self.last_family[r.id], self.count[r.id] = 0, None, 0

    def head(self, flat: FlatOperation) -> int:
        """Earliest start from the order's release and its scheduled predecessors."""
        release = self.problem.orders[flat.order].release
        return max([release, *(self.end[p] for p in flat.predecessors)])

    def setup(self, resource: str, flat: FlatOperation) -> int:
        return self.problem.setups_on(resource).minutes(self.last_family[resource], flat.family)

    def finish(self, resource: str, flat: FlatOperation) -> int:
        start = max(self.head(flat), self.free_at[resource] + self.setup(resource, flat))
        return start + flat.operation.duration

    def place(self, flat: FlatOperation, resource: str) -> None:
        setup = self.setup(resource, flat)
        start = max(self.head(flat), self.free_at[resource] + setup)
        finish = start + flat.operation.duration
        order = self.problem.orders[flat.order]
        self.placed.append(
            ScheduledOperation(
                order.id, flat.operation.id, resource, start, finish, flat.family, setup,
                self.count[resource],
            )
        )  # fmt: skip
        self.free_at[resource], self.last_family[resource] = finish, flat.family
        self.end[flat.index] = finish
        self.count[resource] += 1


def _ready(problem: SchedulingProblem, shop: _Shop, waiting: set[int]) -> list[FlatOperation]:
    ops = problem.operations
    return [ops[i] for i in sorted(waiting) if all(p in shop.end for p in ops[i].predecessors)]


def dispatch_edd(
    problem: SchedulingProblem, weights: ObjectiveWeights | None = None
) -> ScheduleResult:
    """Schedule ``problem`` by the earliest-due-date rule and evaluate it with ``weights``."""
    shop, orders = _Shop(problem), problem.orders
    waiting = {f.index for f in problem.operations}
    while waiting:
        ready = _ready(problem, shop, waiting)
        flat = min(ready, key=lambda f: (orders[f.order].due, f.order, f.index))
        resource = min(flat.operation.resources, key=lambda r: shop.finish(r, flat))
        shop.place(flat, resource)
        waiting.discard(flat.index)
    return evaluate(problem, shop.placed, weights or ObjectiveWeights())


def _tails(problem: SchedulingProblem) -> list[int]:
    """Longest chain of work that must follow each operation within its order."""
    ops = problem.operations
    tail = [0] * len(ops)
    for f in reversed(ops):  # successors come later in the flat (topological) order
        for p in f.predecessors:
            tail[p] = max(tail[p], tail[f.index] + f.operation.duration)
    return tail


def _lee_parameters(
    problem: SchedulingProblem, p_mean: float, s_mean: float
) -> tuple[float, float]:
    """Lee, Bhaskaran & Pinedo (1997): k1 from the due-date range R, k2 from the tightness tau
    and the setup severity eta = s̄ / p̄, with the makespan estimated as total work / resources."""
    dues = [o.due for o in problem.orders]
    work = sum(f.operation.duration for f in problem.operations)
    cmax = max(1.0, (work + s_mean * len(problem.operations)) / max(1, len(problem.resources)))
    spread = (max(dues) - min(dues)) / cmax
    tightness = max(0.0, 1.0 - sum(dues) / len(dues) / cmax)
    k1 = 4.5 + spread if spread <= 0.5 else max(0.5, 6.0 - 2.0 * spread)
    eta = s_mean / p_mean if p_mean > 0 else 0.0
    k2 = tightness / (2.0 * math.sqrt(eta)) if eta > 0 else 1.0
    return k1, max(k2, 0.01)


def _means(problem: SchedulingProblem) -> tuple[float, float]:
    ops = problem.operations
    p_mean = sum(f.operation.duration for f in ops) / len(ops) if ops else 1.0
    families = sorted({f.family for f in ops})
    setups = [
        problem.setups_on(r.id).minutes(a, b)
        for r in problem.resources for a in families for b in families if a != b
    ]  # fmt: skip
    s_mean = sum(setups) / len(setups) if setups else 0.0
    return max(p_mean, 1e-9), s_mean


def _atcs_index(
    shop: _Shop, f: FlatOperation, resource: str, now: int, tail: int, scales: tuple[float, float]
) -> tuple[bool, float, int, int]:
    """Log of the ATCS index (no underflow); weight 0 ranks last, ties go by EDD."""
    order = shop.problem.orders[f.order]
    p = max(f.operation.duration, 1e-9)
    slack = max(order.due - tail - p - now, 0.0)
    log_index = math.log(max(order.weight, 1) / p) - slack / scales[0]
    log_index -= shop.setup(resource, f) / scales[1]
    return (order.weight > 0, log_index, -order.due, -f.index)


def dispatch_atcs(
    problem: SchedulingProblem,
    weights: ObjectiveWeights | None = None,
    k1: float | None = None,
    k2: float | None = None,
) -> ScheduleResult:
    """Schedule ``problem`` by the ATCS rule (see module doc); ``None`` scalings take Lee et
    al.'s estimates."""
    if not problem.orders:
        return evaluate(problem, [], weights or ObjectiveWeights())
    p_mean, s_mean = _means(problem)
    est1, est2 = _lee_parameters(problem, p_mean, s_mean)
    scales = ((k1 or est1) * p_mean, (k2 or est2) * max(s_mean, 1e-9))
    shop, tail = _Shop(problem), _tails(problem)
    waiting = {f.index for f in problem.operations}
    while waiting:
        ready = _ready(problem, shop, waiting)
        now, resource = min(
            (max(shop.free_at[r], shop.head(f)), r) for f in ready for r in f.operation.resources
        )
        candidates = [f for f in ready if resource in f.operation.resources and shop.head(f) <= now]
        pick = max(
            candidates, key=lambda f: _atcs_index(shop, f, resource, now, tail[f.index], scales)
        )
        shop.place(pick, resource)
        waiting.discard(pick.index)
    return evaluate(problem, shop.placed, weights or ObjectiveWeights())


def dispatch_best(
    problem: SchedulingProblem, weights: ObjectiveWeights | None = None
) -> ScheduleResult:
    """The best of EDD and ATCS with ``k1`` in (Lee et al.'s estimate, 0.5, 1, 2, 4) and ``k2`` in
    (estimate, 0.25, 1); the first listed wins ties, EDD first."""
    weights = weights or ObjectiveWeights()
    best = dispatch_edd(problem, weights)
    for k1 in _K1_GRID:
        for k2 in _K2_GRID:
            candidate = dispatch_atcs(problem, weights, k1, k2)
            if candidate.objective < best.objective:
                best = candidate
    return best
