"""Scheduling of released production orders (order arrangement) and capable-to-promise.

* :mod:`~tandem.planning.scheduling.problem` — orders, operations, resources, family setups.
* :mod:`~tandem.planning.scheduling.cpsat` — CP-SAT scheduler (weighted tardiness + setups).
* :mod:`~tandem.planning.scheduling.lns` — large-neighbourhood search with CP-SAT (large sets).
* :mod:`~tandem.planning.scheduling.dispatching` — EDD (the reference) and ATCS dispatch rules.
* :mod:`~tandem.planning.scheduling.bounds` — single-resource lower bounds on the objective.
* :mod:`~tandem.planning.scheduling.ctp` — capable-to-promise against the current schedule.
"""

from tandem.planning.scheduling._model import SolverSettings
from tandem.planning.scheduling.bounds import lower_bound
from tandem.planning.scheduling.cpsat import CpSatScheduler
from tandem.planning.scheduling.ctp import (
    PromiseRequest,
    PromiseResult,
    RoutingStep,
    capable_to_promise,
)
from tandem.planning.scheduling.dispatching import dispatch_atcs, dispatch_best, dispatch_edd
from tandem.planning.scheduling.errors import SchedulingError, SchedulingInputError
from tandem.planning.scheduling.lns import LnsScheduler
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
    "LnsScheduler",
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
    "dispatch_atcs",
    "dispatch_best",
    "dispatch_edd",
    "evaluate",
    "lower_bound",
]
