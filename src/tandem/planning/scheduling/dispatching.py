"""Earliest-due-date list scheduling: the reference rule for the CP-SAT scheduler.

A serial schedule-generation scheme (Kolisch, "Serial and parallel resource-constrained
project scheduling methods revisited", *EJOR* 90:320–333, 1996) with the EDD priority of
Jackson (1955): repeatedly take, among the operations whose predecessors are scheduled, the one
of the order due first, and put it on the eligible resource where it ends earliest, after that
resource's last operation plus the family setup. It is used as the benchmark reference and as
the warm start of :class:`~tandem.planning.scheduling.cpsat.CpSatScheduler`.
"""

from __future__ import annotations

from tandem.planning.scheduling.problem import SchedulingProblem
from tandem.planning.scheduling.result import (
    ObjectiveWeights,
    ScheduledOperation,
    ScheduleResult,
    evaluate,
)

__all__ = ["dispatch_edd"]


def dispatch_edd(
    problem: SchedulingProblem, weights: ObjectiveWeights | None = None
) -> ScheduleResult:
    """Schedule ``problem`` by the earliest-due-date rule and evaluate it with ``weights``."""
    ops = problem.operations
    orders = problem.orders
    free_at = {r.id: 0 for r in problem.resources}
    last_family: dict[str, str | None] = {r.id: None for r in problem.resources}
    end: dict[int, int] = {}
    placed: list[ScheduledOperation] = []
    count = dict.fromkeys(free_at, 0)
    waiting = {f.index for f in ops}
    while waiting:
        ready = [i for i in waiting if all(p in end for p in ops[i].predecessors)]
        i = min(ready, key=lambda k: (orders[ops[k].order].due, ops[k].order, k))
        flat = ops[i]
        order = orders[flat.order]
        earliest = max([order.release, *(end[p] for p in flat.predecessors)])
        best: tuple[int, int, str, int] | None = None
        for r in flat.operation.resources:
            setup = problem.setups_on(r).minutes(last_family[r], flat.family)
            start = max(earliest, free_at[r] + setup)
            finish = start + flat.operation.duration
            if best is None or finish < best[1]:
                best = (start, finish, r, setup)
        assert best is not None  # every operation has an eligible resource
        start, finish, resource, setup = best
        free_at[resource], last_family[resource], end[i] = finish, flat.family, finish
        placed.append(
            ScheduledOperation(
                order.id, flat.operation.id, resource, start, finish, flat.family, setup,
                count[resource],
            )
        )  # fmt: skip
        count[resource] += 1
        waiting.discard(i)
    return evaluate(problem, placed, weights or ObjectiveWeights())
