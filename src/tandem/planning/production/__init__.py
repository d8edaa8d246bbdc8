"""Production planning with capacity: resources, routings, the master schedule, load checks.

* :mod:`~tandem.planning.production.resources` — work centres with calendars, routings.
* :mod:`~tandem.planning.production.mps` — master production schedule as an LP/MIP on HiGHS
  (Nahmias aggregate planning; Pochet & Wolsey capacitated lot sizing).
* :mod:`~tandem.planning.production.capacity` — finite-capacity check of planned orders
  (capacity requirements planning) with a levelling suggestion.
"""

from tandem.planning.production.errors import ProductionError, ProductionInputError
from tandem.planning.production.mps import MPSProblem, MPSProduct, MPSSolver
from tandem.planning.production.mps_result import MPSCosts, MPSPlan, MPSResult, MPSStatus
from tandem.planning.production.resources import Calendar, Operation, Resource, Routing

__all__ = [
    "Calendar",
    "MPSCosts",
    "MPSPlan",
    "MPSProblem",
    "MPSProduct",
    "MPSResult",
    "MPSSolver",
    "MPSStatus",
    "Operation",
    "ProductionError",
    "ProductionInputError",
    "Resource",
    "Routing",
]
