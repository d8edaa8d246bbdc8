"""Scheduling of released production orders (order arrangement) and capable-to-promise.

* :mod:`~tandem.planning.scheduling.problem` — orders, operations, resources, family setups.
* :mod:`~tandem.planning.scheduling.cpsat` — CP-SAT scheduler (weighted tardiness + setups).
* :mod:`~tandem.planning.scheduling.dispatching` — earliest-due-date rule (the reference).
* :mod:`~tandem.planning.scheduling.ctp` — capable-to-promise against the current schedule.
"""

from tandem.planning.scheduling._model import SolverSettings
from tandem.planning.scheduling.cpsat import CpSatScheduler
from tandem.planning.scheduling.ctp import (
    PromiseRequest,
    PromiseResult,
    RoutingStep,
    capable_to_promise,
)
from tandem.planning.scheduling.dispatching import dispatch_edd
from tandem.planning.scheduling.errors import SchedulingError, SchedulingInputError
from tandem.planning.scheduling.problem import (
    FamilySetups,
    OrderOperation,
    ProductionOrder,
    SchedulingProblem,
    SchedulingResource,
)
from tandem.planning.scheduling.result import (
    ObjectiveWeights,
    OrderOutcome,
    ScheduledOperation,
    ScheduleResult,
    ScheduleStatus,
    evaluate,
)

__all__ = [
    "CpSatScheduler",
    "FamilySetups",
    "ObjectiveWeights",
    "OrderOperation",
    "OrderOutcome",
    "ProductionOrder",
    "PromiseRequest",
    "PromiseResult",
    "RoutingStep",
    "ScheduleResult",
    "ScheduleStatus",
    "ScheduledOperation",
    "SchedulingError",
    "SchedulingInputError",
    "SchedulingProblem",
    "SchedulingResource",
    "SolverSettings",
    "capable_to_promise",
    "dispatch_edd",
    "evaluate",
]
