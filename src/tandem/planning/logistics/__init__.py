"""Logistics engines: load building, transport mode choice and delivery routing.

* :mod:`~tandem.planning.logistics.geo` — great-circle x road-factor distances, travel times.
* :mod:`~tandem.planning.logistics.loads` — consolidate order lines by lane and date window and
  pack them into vehicles (:mod:`~tandem.planning.logistics.packing`: FFD and an exact MIP).
* :mod:`~tandem.planning.logistics.modes` — mode choice per shipment by total landed cost.
* :mod:`~tandem.planning.logistics.routing` — the CVRPTW problem and result types;
  :mod:`~tandem.planning.logistics.vrp` solves it with OR-Tools and
  :mod:`~tandem.planning.logistics.nearest` is the nearest-neighbour baseline.

Conventions: ids are ``str`` or ``int`` and come back unchanged; quantities are floats (kg, m3,
pallets, km, currency); planning days are ``int`` (days on one calendar, e.g. days since an
epoch or ``date.toordinal()``); routing times are ``int`` minutes from the start of the day.
"""

from tandem.planning.logistics.errors import LogisticsError, LogisticsInputError
from tandem.planning.logistics.geo import (
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    EARTH_RADIUS_KM,
    TravelMatrix,
    great_circle_km,
    great_circle_matrix_km,
)
from tandem.planning.logistics.loads import (
    GroupReport,
    Lane,
    Load,
    LoadLine,
    LoadPlan,
    OrderLine,
    VehicleType,
    build_loads,
)
from tandem.planning.logistics.modes import (
    FreightMode,
    ModeChoice,
    ModeCost,
    ModeOption,
    ModePolicy,
    Shipment,
    choose_mode,
    freight_cost,
)
from tandem.planning.logistics.nearest import nearest_neighbour_routes
from tandem.planning.logistics.packing import PackingMethod
from tandem.planning.logistics.routing import (
    Depot,
    Route,
    RouteStop,
    RoutingMethod,
    RoutingProblem,
    RoutingResult,
    RoutingSettings,
    Stop,
    Vehicle,
    schedule_route,
)
from tandem.planning.logistics.vrp import solve_routes

__all__ = [
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "EARTH_RADIUS_KM",
    "Depot",
    "FreightMode",
    "GroupReport",
    "Lane",
    "Load",
    "LoadLine",
    "LoadPlan",
    "LogisticsError",
    "LogisticsInputError",
    "ModeChoice",
    "ModeCost",
    "ModeOption",
    "ModePolicy",
    "OrderLine",
    "PackingMethod",
    "Route",
    "RouteStop",
    "RoutingMethod",
    "RoutingProblem",
    "RoutingResult",
    "RoutingSettings",
    "Shipment",
    "Stop",
    "TravelMatrix",
    "Vehicle",
    "VehicleType",
    "build_loads",
    "choose_mode",
    "freight_cost",
    "great_circle_km",
    "great_circle_matrix_km",
    "nearest_neighbour_routes",
    "schedule_route",
    "solve_routes",
]
