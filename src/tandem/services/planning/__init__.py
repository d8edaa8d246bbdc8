"""Supply planning on the platform's data: MRP runs as stored objects, what-if scenarios,
procurement (requisitions to purchase orders) and the plan shared with suppliers.

See docs/planning.md. The engine is :mod:`tandem.planning.mrp`; this package loads its inputs
from the platform (:mod:`.problem`, :mod:`.sources`), runs it (:mod:`.runs`), stores and reads
its results (:mod:`.results`, :mod:`.reads`), and turns planned purchases into requisitions and
purchase orders (:mod:`.procurement`) and into the suppliers' view (:mod:`.shared_plan`).
"""

from tandem.services.planning.problem import PlanningInput, build_problem, planning_calendar
from tandem.services.planning.reads import (
    OrderPegging,
    PlanComparison,
    compare_runs,
    run_exceptions,
    run_pegging,
    run_planned_orders,
    run_records,
)
from tandem.services.planning.runs import (
    StartRun,
    execute_run,
    get_run,
    list_runs,
    live_run,
    start_run,
)

__all__ = [
    "OrderPegging",
    "PlanComparison",
    "PlanningInput",
    "StartRun",
    "build_problem",
    "compare_runs",
    "execute_run",
    "get_run",
    "list_runs",
    "live_run",
    "planning_calendar",
    "run_exceptions",
    "run_pegging",
    "run_planned_orders",
    "run_records",
    "start_run",
]
