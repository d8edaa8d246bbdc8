"""A production schedule: operations on resources in time (the data of a Gantt chart)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.planning.scheduling.errors import SchedulingInputError
from tandem.planning.scheduling.problem import SchedulingProblem

__all__ = [
    "ObjectiveWeights",
    "OrderOutcome",
    "ScheduleResult",
    "ScheduleStatus",
    "ScheduledOperation",
    "evaluate",
]


@dataclass(frozen=True)
class ObjectiveWeights:
    """``tardiness * sum_o w_o T_o + setup * total setup minutes + makespan * C_max``."""

    tardiness: int = 1
    setup: int = 1
    makespan: int = 0

    def __post_init__(self) -> None:
        if min(self.tardiness, self.setup, self.makespan) < 0:
            raise SchedulingInputError("objective weights must be >= 0")


class ScheduleStatus(enum.Enum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """A schedule, not proven optimal within the time limit; see ``gap``."""
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    """No schedule found within the time limit."""


@dataclass(frozen=True)
class ScheduledOperation:
    """One bar of the Gantt chart: ``[start, end)`` on ``resource`` after ``setup_before``
    minutes of changeover; ``position`` is its place in the resource's sequence (0 = first)."""

    order_id: str
    operation_id: str
    resource: str
    start: int
    end: int
    family: str
    setup_before: int
    position: int


@dataclass(frozen=True)
class OrderOutcome:
    """Completion of an order against its due date."""

    order_id: str
    completion: int
    due: int
    tardiness: int


@dataclass(frozen=True)
class ScheduleResult:
    """Schedule, per-order outcomes, objective and proof status (empty if no schedule)."""

    status: ScheduleStatus
    operations: tuple[ScheduledOperation, ...]
    orders: tuple[OrderOutcome, ...]
    objective: float
    best_bound: float
    total_setup: int

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / max(1, |objective|)``."""
        return (self.objective - self.best_bound) / max(1.0, abs(self.objective))

    @property
    def makespan(self) -> int:
        """End of the last operation."""
        return max((op.end for op in self.operations), default=0)

    def completion_of(self, order_id: str) -> int:
        """Completion time of one order."""
        for outcome in self.orders:
            if outcome.order_id == order_id:
                return outcome.completion
        raise KeyError(order_id)


def evaluate(
    problem: SchedulingProblem,
    operations: Sequence[ScheduledOperation],
    weights: ObjectiveWeights,
    status: ScheduleStatus = ScheduleStatus.FEASIBLE,
) -> ScheduleResult:
    """Outcomes and objective of a given schedule (bound 0: nothing is proven)."""
    completion: dict[str, int] = {}
    for op in operations:
        completion[op.order_id] = max(completion.get(op.order_id, 0), op.end)
    outcomes = tuple(
        OrderOutcome(o.id, completion[o.id], o.due, max(0, completion[o.id] - o.due))
        for o in problem.orders
    )
    weight = {o.id: o.weight for o in problem.orders}
    setup = sum(op.setup_before for op in operations)
    makespan = max((op.end for op in operations), default=0)
    objective = (
        weights.tardiness * sum(weight[x.order_id] * x.tardiness for x in outcomes)
        + weights.setup * setup
        + weights.makespan * makespan
    )
    return ScheduleResult(status, tuple(operations), outcomes, float(objective), 0.0, setup)
