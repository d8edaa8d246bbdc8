"""Read a depot's stored routes of one day back: the route loads (reference ``route <depot>
<day>``, any status but cancelled) with their drops in driving order, the planned arrival at
each, what is dropped there and the road km from the previous point (great-circle × 1.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.domain import logistics as model
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import Site
from tandem.services.context import ServiceContext
from tandem.services.logistics.lane_options import road_km
from tandem.services.logistics.routes import depot_of, route_reference
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class StoredStop:
    sequence: int
    site_id: int
    code: str
    latitude: float
    longitude: float
    arrival_minute: int | None
    kg: float
    km_from_previous: float


@dataclass(frozen=True)
class StoredRoute:
    load_id: int
    number: str
    status: model.LoadStatus
    vehicle: str
    start_minute: int
    stops: tuple[StoredStop, ...]
    distance_km: float
    load_kg: float
    cost: float


@dataclass(frozen=True)
class DayRoutes:
    depot: Site
    day: date
    routes: tuple[StoredRoute, ...]

    @property
    def total_km(self) -> float:
        return round(sum(r.distance_km for r in self.routes), 1)

    @property
    def total_cost(self) -> float:
        return round(sum(r.cost for r in self.routes), 2)


def _minute(stop: model.LoadStop) -> int | None:
    if stop.planned_arrival is None:
        return None
    at = stop.planned_arrival
    return at.hour * 60 + at.minute


def _route(uow: UnitOfWork, depot: Site, load: model.Load) -> StoredRoute:
    vehicle = None if load.vehicle_type_id is None else uow.vehicle_types.get(load.vehicle_type_id)
    lines = uow.load_lines.find(load_id=load.id)
    stops, previous = [], depot
    for stop in sorted(uow.load_stops.find(load_id=load.id), key=lambda s: s.sequence):
        site = uow.sites.get(stop.site_id)
        assert site is not None
        kg = sum(x.weight_kg for x in lines if x.to_site_id == site.id)
        km = road_km(previous, site)
        stops.append(
            StoredStop(stop.sequence, site.id, site.code, site.latitude, site.longitude,
                       _minute(stop), round(kg, 3), round(km, 1))
        )  # fmt: skip
        previous = site
    start = load.pickup_from.hour * 60 + load.pickup_from.minute
    return StoredRoute(
        load.id, load.number, load.status, "" if vehicle is None else vehicle.code, start,
        tuple(stops), load.distance_km or 0.0, load.weight_kg, load.planned_cost_minor / 100,
    )  # fmt: skip


def day_routes(
    ctx: ServiceContext, principal: Principal, depot_site_id: int, day: date
) -> DayRoutes:
    """The stored routes of the caller's depot on ``day``, in order of load number."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        depot = depot_of(uow, principal, depot_site_id)
        loads = uow.loads.find(
            shipper_member_id=principal.member_id, reference=route_reference(depot, day)
        )
        live = [x for x in loads if x.status is not model.LoadStatus.CANCELLED]
        routes = tuple(_route(uow, depot, x) for x in sorted(live, key=lambda x: x.number))
    return DayRoutes(depot, day, routes)
