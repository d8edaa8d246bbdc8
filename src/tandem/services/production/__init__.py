"""Production on the platform's data: resources and routings, the capacity check of a planning
run, the master production schedule, production orders scheduled with CP-SAT for the Gantt
chart, and capable-to-promise against that schedule.

See docs/production.md. The engines are :mod:`tandem.planning.production` (resources, MPS,
capacity check) and :mod:`tandem.planning.scheduling` (CP-SAT scheduling, capable-to-promise);
this package loads their inputs from the platform, runs them and stores or returns the results.
"""

from tandem.services.production.load import ResourceLoad, load_sheet, resource_load
from tandem.services.production.master_data import (
    ResourceSpec,
    RoutingSpec,
    create_resource,
    create_routing,
    delete_resource,
    delete_routing,
    get_resource,
    get_routing,
    list_resources,
    list_routings,
    update_resource,
    update_routing,
)
from tandem.services.production.mps import MasterSchedule, PlanMasterSchedule, plan_mps
from tandem.services.production.orders import (
    ReleaseOrders,
    complete_order,
    list_production_orders,
    release_orders,
)
from tandem.services.production.promise import CheckPromise, Promise, check_promise
from tandem.services.production.scheduling import (
    GanttBar,
    ScheduleOrders,
    ScheduleView,
    current_schedule,
    schedule_released,
)

__all__ = [
    "CheckPromise",
    "GanttBar",
    "MasterSchedule",
    "PlanMasterSchedule",
    "Promise",
    "ReleaseOrders",
    "ResourceLoad",
    "ResourceSpec",
    "RoutingSpec",
    "ScheduleOrders",
    "ScheduleView",
    "check_promise",
    "complete_order",
    "create_resource",
    "create_routing",
    "current_schedule",
    "delete_resource",
    "delete_routing",
    "get_resource",
    "get_routing",
    "list_production_orders",
    "list_resources",
    "list_routings",
    "load_sheet",
    "plan_mps",
    "release_orders",
    "resource_load",
    "schedule_released",
    "update_resource",
    "update_routing",
]
