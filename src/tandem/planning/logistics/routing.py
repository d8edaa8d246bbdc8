"""Delivery routing problem and result: a depot, stops with time windows, a vehicle fleet.

A capacitated vehicle routing problem with time windows (CVRPTW; Toth & Vigo 2014, "Vehicle
Routing: Problems, Methods, and Applications", 2nd ed., ch. 5; Solomon 1987, "Algorithms for
the vehicle routing and scheduling problems with time window constraints", Operations Research
35(2):254-265). Each vehicle leaves the depot, serves a sequence of stops and returns. At a
stop the service starts at ``max(arrival, window start)`` and must start by the window end
(waiting is allowed); loads (kg, m3) delivered on a route stay within the vehicle capacity; the
route (depot departure to depot return) lasts at most the vehicle's maximum duration and stays
within the depot's opening hours.

Units: times are integer minutes from the start of the day; travel minutes between points are
rounded *up* to whole minutes (:meth:`RoutingProblem.travel_minutes`), so a schedule feasible in
whole minutes is feasible in continuous time; distances are km (floats). Point index 0 is the
depot and index ``k`` (1-based) is ``stops[k - 1]``.

:func:`schedule_route` times a given stop sequence from a given depot departure (earliest
service start at every stop); both :func:`~tandem.planning.logistics.vrp.solve_routes` and
:func:`~tandem.planning.logistics.nearest.nearest_neighbour_routes` report routes through it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import numpy as np
import numpy.typing as npt

from tandem.planning.logistics.errors import LogisticsInputError
from tandem.planning.logistics.geo import DEFAULT_ROAD_FACTOR, DEFAULT_SPEED_KMH, TravelMatrix

__all__ = [
    "Depot",
    "Route",
    "RouteStop",
    "RoutingMethod",
    "RoutingProblem",
    "RoutingResult",
    "RoutingSettings",
    "Stop",
    "Vehicle",
    "route_cost",
    "schedule_route",
]

Key = str | int
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Depot:
    """Where every route starts and ends, open from ``open_minute`` to ``close_minute``."""

    id: Key
    latitude: float = 0.0
    longitude: float = 0.0
    open_minute: int = 0
    close_minute: int = DAY_MINUTES


@dataclass(frozen=True)
class Stop:
    """A delivery: demand, the window in which service must start, and the service time."""

    id: Key
    latitude: float
    longitude: float
    demand_kg: float
    demand_m3: float = 0.0
    window_start: int = 0
    window_end: int = DAY_MINUTES
    service_minutes: int = 0

    def __post_init__(self) -> None:
        if self.demand_kg < 0 or self.demand_m3 < 0 or self.service_minutes < 0:
            raise LogisticsInputError(f"stop {self.id}: demand and service time must be >= 0")
        if self.window_start > self.window_end:
            raise LogisticsInputError(f"stop {self.id}: window starts after it ends")


@dataclass(frozen=True)
class Vehicle:
    """A delivery vehicle: capacities, longest route, fixed cost per route used, cost per km."""

    id: Key
    capacity_kg: float
    capacity_m3: float = math.inf
    max_route_minutes: int = DAY_MINUTES
    fixed_cost: float = 0.0
    cost_per_km: float = 1.0

    def __post_init__(self) -> None:
        if not self.capacity_kg >= 0 or not self.capacity_m3 >= 0 or self.max_route_minutes < 0:
            raise LogisticsInputError(f"vehicle {self.id}: capacities and duration must be >= 0")
        if self.fixed_cost < 0 or self.cost_per_km < 0:
            raise LogisticsInputError(f"vehicle {self.id}: costs must be >= 0")


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """Depot, stops and fleet; distances from ``travel`` or from coordinates x road factor."""

    depot: Depot
    stops: tuple[Stop, ...]
    vehicles: tuple[Vehicle, ...]
    travel: TravelMatrix | None = None
    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH

    def __post_init__(self) -> None:
        if not self.vehicles:
            raise LogisticsInputError("a routing problem needs at least one vehicle")
        if self.travel is not None and self.travel.size != len(self.stops) + 1:
            raise LogisticsInputError("the travel matrix must have one row per stop plus the depot")
        if len({s.id for s in self.stops}) != len(self.stops):
            raise LogisticsInputError("stop ids must be unique")

    @cached_property
    def matrix(self) -> TravelMatrix:
        """Distances (km) and minutes, row 0 the depot."""
        if self.travel is not None:
            return self.travel
        points = [(self.depot.latitude, self.depot.longitude)]
        points += [(s.latitude, s.longitude) for s in self.stops]
        return TravelMatrix.from_coordinates(points, self.road_factor, self.speed_kmh)

    @cached_property
    def travel_minutes(self) -> npt.NDArray[np.int64]:
        """Whole travel minutes, rounded up."""
        return np.ceil(self.matrix.minutes - 1e-9).astype(np.int64)


class RoutingMethod(StrEnum):
    """The algorithm that produced a routing result."""

    GUIDED_LOCAL_SEARCH = "or_tools_guided_local_search"
    NEAREST_NEIGHBOUR = "nearest_neighbour"


@dataclass(frozen=True)
class RoutingSettings:
    """Search limits for OR-Tools and the penalty for leaving a stop unserved.

    The search stops at ``time_limit_s`` or after ``solution_limit`` solutions (set the latter
    for repeatable results). ``drop_penalty`` ``None`` uses 100 x (the dearest depot round trip
    plus the largest fixed cost), so a stop is dropped only when no vehicle can serve it.
    """

    time_limit_s: float = 10.0
    solution_limit: int | None = None
    drop_penalty: float | None = None
    allow_drops: bool = True


@dataclass(frozen=True)
class RouteStop:
    """One visit: arrival, service start and departure minutes, load on board after it."""

    stop_id: Key
    arrival_minute: int
    service_start_minute: int
    departure_minute: int
    load_kg_on_board: float
    load_m3_on_board: float
    distance_km_from_previous: float


@dataclass(frozen=True)
class Route:
    """A vehicle's tour from the depot and back; ``feasible`` checks windows, capacity, hours."""

    vehicle_id: Key
    stops: tuple[RouteStop, ...]
    start_minute: int
    end_minute: int
    distance_km: float
    load_kg: float
    load_m3: float
    cost: float
    feasible: bool

    @property
    def duration_minutes(self) -> int:
        return self.end_minute - self.start_minute


@dataclass(frozen=True)
class RoutingResult:
    """Routes of the vehicles used, stops left unserved (never silently), totals."""

    routes: tuple[Route, ...]
    dropped_stop_ids: tuple[Key, ...]
    total_distance_km: float
    total_cost: float
    drop_penalty_cost: float
    method: RoutingMethod
    objective: float = field(default=0.0)


def route_cost(vehicle: Vehicle, distance_km: float) -> float:
    """Fixed cost of using the vehicle plus its cost per km."""
    return vehicle.fixed_cost + vehicle.cost_per_km * distance_km


def schedule_route(
    problem: RoutingProblem, vehicle: Vehicle, sequence: Sequence[int], start_minute: int
) -> Route:
    """Time the stops ``sequence`` (1-based point indices) from a depot departure minute."""
    minutes, km = problem.travel_minutes, problem.matrix.distance_km
    stops = [problem.stops[k - 1] for k in sequence]
    kg = sum(s.demand_kg for s in stops)
    m3 = sum(s.demand_m3 for s in stops)
    feasible = kg <= vehicle.capacity_kg + 1e-9 and m3 <= vehicle.capacity_m3 + 1e-9
    feasible &= start_minute >= problem.depot.open_minute
    visits, clock, previous, distance = [], start_minute, 0, 0.0
    on_kg, on_m3 = kg, m3
    for point, stop in zip(sequence, stops, strict=True):
        arrival = clock + int(minutes[previous, point])
        begin = max(arrival, stop.window_start)
        feasible &= begin <= stop.window_end
        clock = begin + stop.service_minutes
        on_kg, on_m3 = on_kg - stop.demand_kg, on_m3 - stop.demand_m3
        leg = float(km[previous, point])
        distance += leg
        visits.append(RouteStop(stop.id, arrival, begin, clock, on_kg, on_m3, leg))
        previous = point
    end = clock + int(minutes[previous, 0])
    distance += float(km[previous, 0])
    feasible &= end <= problem.depot.close_minute
    feasible &= end - start_minute <= vehicle.max_route_minutes
    cost = route_cost(vehicle, distance)
    return Route(
        vehicle.id, tuple(visits), start_minute, end, distance, kg, m3, cost, bool(feasible)
    )
