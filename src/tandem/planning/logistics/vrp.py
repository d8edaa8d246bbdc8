"""CVRPTW on the OR-Tools routing solver (Perron & Furnon, OR-Tools 9.15, Google).

The model (see :mod:`~tandem.planning.logistics.routing` for the problem): one node per stop,
node 0 the depot; arc cost per vehicle ``cost_per_km x km`` in cents (rounded per arc), plus
the vehicle's fixed cost when used; capacity dimensions in grams and cm3 (demands rounded up,
capacities down, so the integer model is never looser than the real one); a time dimension
whose transit is the service time at the origin plus the whole travel minutes, slack for
waiting, service start windows as cumul ranges, the depot's hours at both ends and the vehicle's
maximum route duration as a span bound. Each stop is a disjunction with a drop penalty, so an
unserviceable stop is dropped and reported rather than making the model infeasible.

Search: first solution ``PATH_CHEAPEST_ARC``, then the ``GUIDED_LOCAL_SEARCH`` metaheuristic
(Voudouris & Tsang 1999, "Guided local search and its application to the traveling salesman
problem", EJOR 113(2):469-499) until the time or solution limit. A finalizer starts every
route as late and ends it as early as its schedule allows, so reported durations hold no idle
time at the depot.
"""

from __future__ import annotations

import math

from ortools.constraint_solver import (  # type: ignore[import-untyped, unused-ignore]
    pywrapcp,
    routing_enums_pb2,
)

from tandem.planning.logistics.errors import LogisticsError
from tandem.planning.logistics.routing import (
    Route,
    RoutingMethod,
    RoutingProblem,
    RoutingResult,
    RoutingSettings,
    schedule_route,
)

__all__ = ["solve_routes"]

_CENTS = 100
_BIG = 2**40


def solve_routes(problem: RoutingProblem, settings: RoutingSettings | None = None) -> RoutingResult:
    """Routes of least cost (fixed + distance) serving every stop it can, within the limits."""
    rules = settings or RoutingSettings()
    n, fleet = len(problem.stops), len(problem.vehicles)
    manager = pywrapcp.RoutingIndexManager(n + 1, fleet, 0)
    model = pywrapcp.RoutingModel(manager)
    _add_costs(problem, manager, model)
    _add_capacities(problem, manager, model)
    time = _add_time(problem, manager, model)
    penalty = _drop_penalty(problem, rules)
    if rules.allow_drops:
        for node in range(1, n + 1):
            model.AddDisjunction([manager.NodeToIndex(node)], round(penalty * _CENTS))
    solution = model.SolveWithParameters(_search_parameters(rules))
    if solution is None:
        raise LogisticsError("OR-Tools found no routing solution within the limits")
    return _result(problem, manager, model, time, solution, penalty)


def _add_costs(
    problem: RoutingProblem, manager: pywrapcp.RoutingIndexManager, model: pywrapcp.RoutingModel
) -> None:
    km = problem.matrix.distance_km
    callbacks: dict[float, int] = {}
    for v, vehicle in enumerate(problem.vehicles):
        rate = vehicle.cost_per_km
        if rate not in callbacks:
            cents = [[round(float(d) * rate * _CENTS) for d in row] for row in km]
            callbacks[rate] = model.RegisterTransitMatrix(cents)
        model.SetArcCostEvaluatorOfVehicle(callbacks[rate], v)
        model.SetFixedCostOfVehicle(round(vehicle.fixed_cost * _CENTS), v)


def _add_capacities(
    problem: RoutingProblem, manager: pywrapcp.RoutingIndexManager, model: pywrapcp.RoutingModel
) -> None:
    for name, demand, capacity in (
        ("weight", "demand_kg", "capacity_kg"),
        ("volume", "demand_m3", "capacity_m3"),
    ):
        units = [0] + [math.ceil(getattr(s, demand) * 1000 - 1e-6) for s in problem.stops]
        caps = [_units(getattr(v, capacity)) for v in problem.vehicles]
        if all(u == 0 for u in units):
            continue
        callback = model.RegisterUnaryTransitVector(units)
        model.AddDimensionWithVehicleCapacity(callback, 0, caps, True, name)


def _units(capacity: float) -> int:
    return _BIG if math.isinf(capacity) else math.floor(capacity * 1000 + 1e-6)


def _add_time(
    problem: RoutingProblem, manager: pywrapcp.RoutingIndexManager, model: pywrapcp.RoutingModel
) -> pywrapcp.RoutingDimension:
    service = [0] + [s.service_minutes for s in problem.stops]
    transit = [[service[i] + int(t) for t in row] for i, row in enumerate(problem.travel_minutes)]
    depot = problem.depot
    horizon = depot.close_minute
    callback = model.RegisterTransitMatrix(transit)
    model.AddDimension(callback, horizon, horizon, False, "time")
    time = model.GetDimensionOrDie("time")
    for k, stop in enumerate(problem.stops, start=1):
        time.CumulVar(manager.NodeToIndex(k)).SetRange(
            stop.window_start, min(stop.window_end, horizon)
        )
    for v, vehicle in enumerate(problem.vehicles):
        start, end = time.CumulVar(model.Start(v)), time.CumulVar(model.End(v))
        start.SetRange(depot.open_minute, horizon)
        end.SetRange(depot.open_minute, horizon)
        time.SetSpanUpperBoundForVehicle(vehicle.max_route_minutes, v)
        model.AddVariableMaximizedByFinalizer(start)
        model.AddVariableMinimizedByFinalizer(end)
    return time


def _drop_penalty(problem: RoutingProblem, rules: RoutingSettings) -> float:
    if rules.drop_penalty is not None:
        return rules.drop_penalty
    km = problem.matrix.distance_km
    trip = float((km[0, :] + km[:, 0]).max())
    dearest = max(v.cost_per_km * trip + v.fixed_cost for v in problem.vehicles)
    return 100.0 * max(dearest, 1.0)


def _search_parameters(rules: RoutingSettings) -> pywrapcp.DefaultRoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(max(1, round(rules.time_limit_s * 1000)))
    if rules.solution_limit is not None:
        params.solution_limit = rules.solution_limit
    return params


def _result(
    problem: RoutingProblem,
    manager: pywrapcp.RoutingIndexManager,
    model: pywrapcp.RoutingModel,
    time: pywrapcp.RoutingDimension,
    solution: pywrapcp.Assignment,
    penalty: float,
) -> RoutingResult:
    routes: list[Route] = []
    served: set[int] = set()
    for v, vehicle in enumerate(problem.vehicles):
        index, sequence = solution.Value(model.NextVar(model.Start(v))), []
        while not model.IsEnd(index):
            sequence.append(manager.IndexToNode(index))
            index = solution.Value(model.NextVar(index))
        if sequence:
            start = solution.Min(time.CumulVar(model.Start(v)))
            routes.append(schedule_route(problem, vehicle, sequence, start))
            served.update(sequence)
    dropped = tuple(s.id for k, s in enumerate(problem.stops, start=1) if k not in served)
    distance = sum(r.distance_km for r in routes)
    cost = sum(r.cost for r in routes)
    penalty_cost = penalty * len(dropped)
    objective = solution.ObjectiveValue() / _CENTS
    return RoutingResult(
        tuple(routes),
        dropped,
        distance,
        cost,
        penalty_cost,
        RoutingMethod.GUIDED_LOCAL_SEARCH,
        objective,
    )
