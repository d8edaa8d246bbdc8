"""Plan a depot's delivery routes for one day: OR-Tools CVRPTW, nearest neighbour alongside.

1. **Load** the day's deliveries from the depot (the caller's site): shipments it sent that
   arrive that day, open purchase order lines it sells shipping from the depot due that day,
   planned transfers of its live plan from the depot due that day — lines not yet on another
   live load. Customer orders carry no delivery site (no coordinates) and are not routed.
   Lines go to one stop per destination site (weight and volume summed; lines without
   shipping data are reported, not routed).
2. **Compute** (:mod:`tandem.planning.logistics`): every stop may be served from 07:00 to 18:00
   (the default opening window, or the window given for its site) and takes 15 minutes; the
   depot is open 05:00-22:00; a route lasts at most 10 hours. The fleet is ``vehicles_per_type``
   vehicles of every road vehicle type the member may use (its own and the network-wide ones):
   capacity, fixed cost per route and cost per km of the type. Distances are great-circle
   × 1.3, driven at 60 km/h. :func:`~tandem.planning.logistics.solve_routes` (guided local
   search) gives the routes, each then timed to leave as early as serves its first stop when
   it opens; :func:`~tandem.planning.logistics.nearest_neighbour_routes` gives the baseline
   figure beside it.
3. **Store** one planned load per route (reference ``route <depot> <day>``) with its drops in
   driving order (``LoadStop`` with the planned arrival) and its lines, replacing the route
   loads stored before for that depot and day that are still planned and never tendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from tandem.domain import logistics as model
from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import Site, TransportMode
from tandem.planning import logistics as engine
from tandem.services.context import ServiceContext
from tandem.services.logistics import load_store
from tandem.services.logistics.lane_options import ROAD_MODES
from tandem.services.logistics.planning import usable_vehicles
from tandem.services.logistics.shipping_lines import (
    ShippingLine,
    claimed_lines,
    order_lines,
    planned_transfers,
    shipments_arriving,
    without_claimed,
)
from tandem.services.ports import UnitOfWork

OPENING = (7 * 60, 18 * 60)
DEPOT_HOURS = (5 * 60, 22 * 60)
SERVICE_MINUTES = 15
MAX_ROUTE_MINUTES = 10 * 60
VEHICLES_PER_TYPE = 3


@dataclass(frozen=True)
class RouteSettings:
    time_limit_s: float = 5.0
    solution_limit: int | None = None
    vehicles_per_type: int = VEHICLES_PER_TYPE
    site_windows: Mapping[int, tuple[int, int]] | None = None


@dataclass(frozen=True)
class RouteStopView:
    site_id: int
    code: str
    latitude: float
    longitude: float
    arrival_minute: int
    service_start_minute: int
    departure_minute: int
    delivered_kg: float
    delivered_m3: float
    km_from_previous: float
    window: tuple[int, int]


@dataclass(frozen=True)
class PlannedRoute:
    vehicle: str
    vehicle_type_id: int
    capacity_kg: float
    capacity_m3: float
    load_id: int | None
    number: str
    stops: tuple[RouteStopView, ...]
    start_minute: int
    end_minute: int
    distance_km: float
    load_kg: float
    load_m3: float
    cost: float
    mode: TransportMode = TransportMode.VAN


@dataclass(frozen=True)
class UnroutedStop:
    site_id: int
    code: str
    reason: str


@dataclass(frozen=True)
class RoutePlan:
    depot_site_id: int
    depot: str
    depot_latitude: float
    depot_longitude: float
    day: date
    routes: tuple[PlannedRoute, ...]
    unrouted: tuple[UnroutedStop, ...]
    total_km: float
    total_cost: float
    baseline_km: float
    baseline_cost: float
    baseline_unrouted: int
    method: str
    replaced_loads: int


@dataclass(frozen=True)
class _Drop:
    site: Site
    consignee_member_id: int
    lines: tuple[ShippingLine, ...]

    @property
    def kg(self) -> float:
        return sum(x.weight_kg or 0.0 for x in self.lines)

    @property
    def m3(self) -> float:
        return sum(x.volume_m3 or 0.0 for x in self.lines)


def route_reference(depot: Site, day: date) -> str:
    return f"{load_store.ROUTE_REFERENCE} {depot.code} {day.isoformat()}"


def depot_of(uow: UnitOfWork, principal: Principal, depot_site_id: int) -> Site:
    site = uow.sites.get(depot_site_id)
    if site is None or site.network_id != principal.network_id:
        raise NotFound(f"site {depot_site_id} not found")
    principal.require_owner(site.member_id, "depot")
    return site


def _day_lines(
    uow: UnitOfWork, principal: Principal, depot: Site, day: date, skip: set[int]
) -> list[ShippingLine]:
    nid, member = principal.network_id, principal.member_id
    sites = {s.id: s for s in uow.sites.find(network_id=nid)}
    items = {i.id: i for i in uow.items.find(network_id=nid)}
    lanes = tuple(uow.lanes.find(network_id=nid))
    lines = shipments_arriving(uow, member, depot.id, day, items)
    lines += [
        x
        for x in order_lines(uow, member, items, sites, lanes)
        + planned_transfers(uow, member, items, sites)
        if x.origin_site_id == depot.id and x.due == day
    ]
    return without_claimed(lines, claimed_lines(uow, nid, skip))


def _drops(uow: UnitOfWork, lines: list[ShippingLine]) -> list[_Drop]:
    by_site: dict[int, list[ShippingLine]] = {}
    for line in lines:
        by_site.setdefault(line.destination_site_id, []).append(line)
    drops = []
    for site_id in sorted(by_site):
        site = uow.sites.get(site_id)
        assert site is not None
        drops.append(_Drop(site, by_site[site_id][0].consignee_member_id, tuple(by_site[site_id])))
    return drops


def _problem(
    depot: Site,
    drops: list[_Drop],
    fleet: list[tuple[str, model.VehicleType]],
    settings: RouteSettings,
) -> engine.RoutingProblem:
    windows = settings.site_windows or {}
    stops = tuple(
        engine.Stop(
            d.site.id, d.site.latitude, d.site.longitude, d.kg, d.m3,
            *windows.get(d.site.id, OPENING), service_minutes=SERVICE_MINUTES,
        )
        for d in drops
    )  # fmt: skip
    vehicles = tuple(
        engine.Vehicle(
            label, v.max_weight_kg, v.max_volume_m3, MAX_ROUTE_MINUTES, v.fixed_cost, v.cost_per_km
        )
        for label, v in fleet
    )
    home = engine.Depot(depot.id, depot.latitude, depot.longitude, *DEPOT_HOURS)
    return engine.RoutingProblem(home, stops, vehicles)


def _fleet(
    uow: UnitOfWork, principal: Principal, per_type: int
) -> list[tuple[str, model.VehicleType]]:
    road = [v for v in usable_vehicles(uow, principal) if v.mode in ROAD_MODES]
    if not road:
        violation = Violation("routes", "the member has no road vehicle type", "vehicle_types")
        raise ValidationFailed("no vehicle to route with", violations=[violation])
    return [(f"{v.code}-{k}", v) for v in road for k in range(1, per_type + 1)]


def plan_routes(
    ctx: ServiceContext,
    principal: Principal,
    depot_site_id: int,
    day: date,
    settings: RouteSettings | None = None,
) -> RoutePlan:
    """Route the day's deliveries from the depot and store one planned load per route."""
    principal.require(Scope.DATA_WRITE)
    rules = settings or RouteSettings()
    if not 1 <= rules.vehicles_per_type <= 20 or not 0 < rules.time_limit_s <= 300:
        violation = Violation("routes", "vehicles_per_type in [1, 20], time limit in (0, 300] s")
        raise ValidationFailed("invalid routing settings", violations=[violation])
    with ctx.uow() as uow:
        depot = depot_of(uow, principal, depot_site_id)
        reference = route_reference(depot, day)
        replaced = load_store.replaceable(uow, principal, reference, day, day)
        lines = _day_lines(uow, principal, depot, day, {x.id for x in replaced})
        unrouted = [
            UnroutedStop(x.destination_site_id, _code(uow, x.destination_site_id), x.reason)
            for x in lines
            if not x.plannable
        ]
        drops = _drops(uow, [x for x in lines if x.plannable])
        fleet = _fleet(uow, principal, rules.vehicles_per_type)
        problem = _problem(depot, drops, fleet, rules)
        search = engine.RoutingSettings(rules.time_limit_s, rules.solution_limit)
        result = engine.solve_routes(problem, search) if drops else None
        baseline = engine.nearest_neighbour_routes(problem) if drops else None
        routes = [] if result is None else _routes(problem, result, drops, dict(fleet), rules)
        stored = load_store.replace_loads(
            uow, ctx, principal, replaced, [_draft(depot, day, r, drops) for r in routes]
        )
        uow.commit()
    dropped = [] if result is None else result.dropped_stop_ids
    unrouted += [
        UnroutedStop(int(k), _site(drops, int(k)).code, "no vehicle can serve it") for k in dropped
    ]
    routes = [
        replace(r, load_id=s.id, number=s.number) for r, s in zip(routes, stored, strict=True)
    ]
    return RoutePlan(
        depot.id, depot.code, depot.latitude, depot.longitude, day, tuple(routes),
        tuple(unrouted), round(sum(r.distance_km for r in routes), 1),
        round(sum(r.cost for r in routes), 2),
        0.0 if baseline is None else round(baseline.total_distance_km, 1),
        0.0 if baseline is None else round(baseline.total_cost, 2),
        0 if baseline is None else len(baseline.dropped_stop_ids),
        "" if result is None else result.method.value, len(replaced),
    )  # fmt: skip


def _code(uow: UnitOfWork, site_id: int) -> str:
    site = uow.sites.get(site_id)
    return "?" if site is None else site.code


def _site(drops: list[_Drop], site_id: int) -> Site:
    return next(d.site for d in drops if d.site.id == site_id)


def earliest(problem: engine.RoutingProblem, route: engine.Route) -> engine.Route:
    """``route`` re-timed to leave the depot as early as serves its first stop when that stop
    opens (never before the depot opens): the solver may start a route at any time its
    windows allow, the plan shows the earliest."""
    index = {stop.id: k for k, stop in enumerate(problem.stops, start=1)}
    sequence = [index[s.stop_id] for s in route.stops]
    first = problem.stops[sequence[0] - 1]
    travel = int(problem.travel_minutes[0, sequence[0]])
    start = max(problem.depot.open_minute, first.window_start - travel)
    vehicle = next(v for v in problem.vehicles if v.id == route.vehicle_id)
    timed = engine.schedule_route(problem, vehicle, sequence, start)
    return timed if timed.feasible else route


def _routes(
    problem: engine.RoutingProblem,
    result: engine.RoutingResult,
    drops: list[_Drop],
    fleet: dict[str, model.VehicleType],
    rules: RouteSettings,
) -> list[PlannedRoute]:
    windows = rules.site_windows or {}
    by_site = {d.site.id: d for d in drops}
    planned = []
    for solved in result.routes:
        route = earliest(problem, solved)
        vehicle = fleet[str(route.vehicle_id)]
        stops = tuple(
            RouteStopView(
                int(s.stop_id), by_site[int(s.stop_id)].site.code,
                by_site[int(s.stop_id)].site.latitude, by_site[int(s.stop_id)].site.longitude,
                s.arrival_minute, s.service_start_minute, s.departure_minute,
                round(by_site[int(s.stop_id)].kg, 3), round(by_site[int(s.stop_id)].m3, 4),
                round(s.distance_km_from_previous, 1), windows.get(int(s.stop_id), OPENING),
            )
            for s in route.stops
        )  # fmt: skip
        planned.append(
            PlannedRoute(
                str(route.vehicle_id), vehicle.id, vehicle.max_weight_kg, vehicle.max_volume_m3,
                None, "", stops, route.start_minute, route.end_minute,
                round(route.distance_km, 1), round(route.load_kg, 3), round(route.load_m3, 4),
                round(route.cost, 2), vehicle.mode,
            )
        )  # fmt: skip
    return planned


def at_minute(day: date, minute: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=minute)


def _draft(depot: Site, day: date, route: PlannedRoute, drops: list[_Drop]) -> load_store.DraftLoad:
    by_site = {d.site.id: d for d in drops}
    start = at_minute(day, route.start_minute)
    last = at_minute(day, route.stops[-1].arrival_minute)
    return load_store.DraftLoad(
        depot.id,
        route.mode,
        route.vehicle_type_id,
        (start, start),
        (at_minute(day, route.stops[0].arrival_minute), last),
        route.cost,
        route.distance_km,
        route_reference(depot, day),
        tuple(
            load_store.DraftStop(
                s.site_id, by_site[s.site_id].consignee_member_id, at_minute(day, s.arrival_minute)
            )
            for s in route.stops
        ),
        tuple(
            load_store.DraftLine(
                x.item_id, x.quantity, x.weight_kg or 0.0, x.volume_m3 or 0.0,
                x.destination_site_id, x.order_line_id, x.transfer_reference, x.shipment_id,
            )
            for s in route.stops
            for x in by_site[s.site_id].lines
        ),
    )  # fmt: skip


def site_id_of(ctx: ServiceContext, principal: Principal, code: str) -> int:
    """The id of the site ``code`` of the caller's network."""
    with ctx.uow() as uow:
        found = uow.sites.find(network_id=principal.network_id, code=code)
    if not found:
        raise NotFound(f"site {code} not found")
    return found[0].id
