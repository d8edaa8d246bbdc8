"""Nearest-neighbour construction for the CVRPTW: the reference the OR-Tools routes are judged by.

Solomon's (1987, section 3) time-oriented nearest-neighbour heuristic: a vehicle leaves the
depot and repeatedly drives to the *closest* unvisited stop it can still serve — enough
capacity left, service starting by the window end, back at the depot within its hours and the
vehicle's maximum route duration — and returns when none is left; then the next vehicle starts.
Closeness from the last stop ``i`` to a candidate ``j`` is Solomon's

    c_ij = d1 km_ij + d2 T_ij + d3 v_ij

with ``T_ij`` the minutes from the end of service at ``i`` to the start of service at ``j``
(travel plus waiting) and ``v_ij`` the urgency, the minutes left until ``j``'s window closes on
arrival; ``weights=(1, 0, 0)`` is the plain distance rule.
The first stop of a route sets the departure so the vehicle arrives as the window opens (no
waiting at the first stop). Stops no vehicle can take are reported as dropped.
"""

from __future__ import annotations

from tandem.planning.logistics.routing import (
    Route,
    RoutingMethod,
    RoutingProblem,
    RoutingResult,
    Vehicle,
    schedule_route,
)

__all__ = ["nearest_neighbour_routes"]


DEFAULT_WEIGHTS = (0.4, 0.4, 0.2)


def nearest_neighbour_routes(
    problem: RoutingProblem, weights: tuple[float, float, float] = DEFAULT_WEIGHTS
) -> RoutingResult:
    """Routes built vehicle by vehicle, always to the closest stop that can still be served.

    ``weights`` are Solomon's ``(d1, d2, d3)`` for km, minutes to service start and urgency.
    """
    unvisited = set(range(1, len(problem.stops) + 1))
    routes: list[Route] = []
    for vehicle in problem.vehicles:
        if not unvisited:
            break
        route = _one_route(problem, vehicle, unvisited, weights)
        if route is not None:
            routes.append(route)
    dropped = tuple(problem.stops[k - 1].id for k in sorted(unvisited))
    distance = sum(r.distance_km for r in routes)
    cost = sum(r.cost for r in routes)
    return RoutingResult(
        tuple(routes), dropped, distance, cost, 0.0, RoutingMethod.NEAREST_NEIGHBOUR, cost
    )


def _one_route(
    problem: RoutingProblem,
    vehicle: Vehicle,
    unvisited: set[int],
    weights: tuple[float, float, float],
) -> Route | None:
    sequence: list[int] = []
    route: Route | None = None
    while True:
        best: tuple[float, int, Route] | None = None
        for candidate in unvisited:
            start = route.start_minute if route else _departure(problem, candidate)
            trial = schedule_route(problem, vehicle, [*sequence, candidate], start)
            if trial.feasible:
                score = _closeness(problem, candidate, route, trial, weights)
                if best is None or (score, candidate) < best[:2]:
                    best = (score, candidate, trial)
        if best is None:
            return route
        sequence.append(best[1])
        unvisited.discard(best[1])
        route = best[2]


def _closeness(
    problem: RoutingProblem,
    candidate: int,
    route: Route | None,
    trial: Route,
    weights: tuple[float, float, float],
) -> float:
    visit = trial.stops[-1]
    ready = route.stops[-1].departure_minute if route else problem.depot.open_minute
    window_end = problem.stops[candidate - 1].window_end
    d1, d2, d3 = weights
    return (
        d1 * visit.distance_km_from_previous
        + d2 * (visit.service_start_minute - ready)
        + d3 * (window_end - visit.arrival_minute)
    )


def _departure(problem: RoutingProblem, first: int) -> int:
    """Leave the depot so as to reach the first stop when its window opens (not before opening)."""
    travel = int(problem.travel_minutes[0, first])
    return max(problem.depot.open_minute, problem.stops[first - 1].window_start - travel)
