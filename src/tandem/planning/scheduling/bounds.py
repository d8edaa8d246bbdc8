"""Lower bounds on the scheduling objective from single-resource relaxations.

Every operation that can run on one resource only is kept on it with a *head* (its order's
release plus the longest chain of work before it), a *tail* (the longest chain of work after
it) and its duration plus the smallest setup that can precede it (the setup may start that much
before the head); the other resources,
precedence and non-preemption are relaxed. Preemptive shortest-remaining-processing-time
order (SRPT) finishes at least as many operations by any time as any schedule can (Schrage
1968), so its sorted completions ``C_(1) <= ... <= C_(m)`` bound the sorted completions of every
schedule from below; assigning operations to those completions at least cost (Hungarian
method, ``scipy.optimize.linear_sum_assignment``) bounds the weighted tardiness — the bound of
Chu, "A branch-and-bound algorithm to minimize total tardiness with different release dates",
*Naval Research Logistics* 39:265–283, 1992, with weights. One operation per order carries the
order's weight so no order is counted twice on a resource; the bound is the largest over the
resources (they share orders), and at least the orders' own critical paths past their due dates.

Setups: every family on a resource except the first one run there must be entered from another
family at least once. Makespan: the last SRPT completion, or the longest order.

>>> from tandem.planning.scheduling.problem import (
...     FamilySetups, OrderOperation, ProductionOrder, SchedulingProblem, SchedulingResource)
>>> orders = tuple(
...     ProductionOrder(name, "red", (OrderOperation("op", ("m",), 10),), due=5, weight=w)
...     for name, w in [("a", 1), ("b", 2)])
>>> problem = SchedulingProblem((SchedulingResource("m"),), orders, FamilySetups(default=5))
>>> lower_bound(problem, ObjectiveWeights())  # SRPT 10, 20: b at 10 (2 x 5) + a at 20 (15)
25.0
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.scheduling.problem import FlatOperation, SchedulingProblem
from tandem.planning.scheduling.result import ObjectiveWeights

__all__ = ["lower_bound", "srpt_completions"]


def srpt_completions(jobs: Sequence[tuple[int, int]]) -> list[int]:
    """Sorted completion times of preemptive SRPT on one machine; ``jobs`` are (head, minutes).

    >>> srpt_completions([(0, 5), (1, 1), (10, 2)])
    [2, 6, 12]
    """
    pending = sorted(jobs)
    remaining: list[int] = []
    done: list[int] = []
    clock, k = 0, 0
    while k < len(pending) or remaining:
        if not remaining:
            clock = max(clock, pending[k][0])
        while k < len(pending) and pending[k][0] <= clock:
            heapq.heappush(remaining, pending[k][1])
            k += 1
        shortest = heapq.heappop(remaining)
        arrival = pending[k][0] if k < len(pending) else None
        if arrival is not None and clock + shortest > arrival:
            heapq.heappush(remaining, shortest - (arrival - clock))
            clock = arrival
        else:
            clock += shortest
            done.append(clock)
    return done


def _heads_tails(problem: SchedulingProblem) -> tuple[list[int], list[int]]:
    ops = problem.operations
    head = [0] * len(ops)
    for f in ops:
        release = problem.orders[f.order].release
        head[f.index] = max(
            [release, *(head[p] + ops[p].operation.duration for p in f.predecessors)]
        )
    tail = [0] * len(ops)
    for f in reversed(ops):
        for p in f.predecessors:
            tail[p] = max(tail[p], tail[f.index] + f.operation.duration)
    return head, tail


def _entry_setups(problem: SchedulingProblem, resource: str) -> dict[str, int]:
    """Smallest setup into each family from another family that may run on ``resource``."""
    setups = problem.setups_on(resource)
    families = {f.family for f in problem.operations if resource in f.operation.resources}
    return {b: min((setups.minutes(a, b) for a in families if a != b), default=0) for b in families}


def _least_setup_into(problem: SchedulingProblem, resource: str, op: FlatOperation) -> int:
    """The smallest setup before ``op`` on ``resource``: initial, or after any other operation
    that may run there."""
    setups = problem.setups_on(resource)
    before = {
        f.family for f in problem.operations
        if resource in f.operation.resources and f.index != op.index
    }  # fmt: skip
    return min([setups.minutes(None, op.family), *(setups.minutes(a, op.family) for a in before)])


def _setup_bound(problem: SchedulingProblem, resource: str, fixed: list[FlatOperation]) -> int:
    """Entering every family that must run here; the first run family pays its initial setup."""
    setups = problem.setups_on(resource)
    entry = _entry_setups(problem, resource)
    must = {f.family for f in fixed}
    if not must:
        return 0
    options = [
        setups.minutes(None, first) + sum(entry[b] for b in must if b != first) for first in entry
    ]
    return min(options)


def _resource_bound(
    problem: SchedulingProblem, resource: str, fixed: list[FlatOperation]
) -> tuple[int, int]:
    """(weighted tardiness bound, last SRPT completion) of the operations fixed on ``resource``."""
    if not fixed:
        return 0, 0
    head, tail = _heads_tails(problem)
    jobs = []
    for f in fixed:  # the setup may run before the head: [start - setup, end) is exclusive
        setup = _least_setup_into(problem, resource, f)
        jobs.append((max(0, head[f.index] - setup), f.operation.duration + setup))
    completion = np.array(srpt_completions(jobs), dtype=float)
    carrier: dict[int, FlatOperation] = {}
    for f in fixed:  # the operation with the longest tail stands for its order
        if f.order not in carrier or tail[f.index] > tail[carrier[f.order].index]:
            carrier[f.order] = f
    cost = np.zeros((len(fixed), len(fixed)))
    for row, f in enumerate(fixed):
        if carrier[f.order] is f:
            order = problem.orders[f.order]
            cost[row] = order.weight * np.maximum(0.0, completion + tail[f.index] - order.due)
    rows, cols = linear_sum_assignment(cost)
    return round(float(cost[rows, cols].sum())), int(completion[-1])


def lower_bound(problem: SchedulingProblem, weights: ObjectiveWeights) -> float:
    """A lower bound on ``weights``' objective over every schedule of ``problem``."""
    head, tail = _heads_tails(problem)
    ops = problem.operations
    longest = [0] * len(problem.orders)
    for f in ops:
        longest[f.order] = max(
            longest[f.order], head[f.index] + f.operation.duration + tail[f.index]
        )
    tardy = sum(o.weight * max(0, longest[k] - o.due) for k, o in enumerate(problem.orders))
    makespan, setup = max(longest, default=0), 0
    for r in problem.resources:
        fixed = [f for f in ops if f.operation.resources == (r.id,)]
        resource_tardy, last = _resource_bound(problem, r.id, fixed)
        tardy, makespan = max(tardy, resource_tardy), max(makespan, last)
        setup += _setup_bound(problem, r.id, fixed)
    return float(weights.tardiness * tardy + weights.setup * setup + weights.makespan * makespan)
