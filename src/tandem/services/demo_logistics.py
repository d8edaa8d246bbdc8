"""The demo network's transport: vehicle types, a week of the roaster's loads, a distribution
centre's delivery routes, and one load tendered to the carrier and on its way.

:func:`seed_demo_logistics` runs once after the demo's flows, first plan and showcase, each
step through the service a member would call (docs/logistics.md, docs/logistics-planning.md):

1. **Vehicle types** (:data:`VEHICLES`, :func:`tandem.services.logistics.vehicles.
   add_vehicle_type`): the roaster ships roasted coffee from Harburg to the distributor's
   three centres on 7.5 t trucks and 40 t articulated lorries; the distributor delivers the
   cafés with 3.5 t vans and 7.5 t trucks. Capacities are those of common German vehicles;
   the costs are assumptions (see :data:`VEHICLES`).
2. **Loads** (:func:`tandem.services.logistics.planning.plan_loads`): the roaster's open sales
   order lines leaving in the coming week (:data:`PLAN_DAYS`), consolidated over
   :data:`WINDOW_DAYS` days.
3. **Routes** (:func:`tandem.services.logistics.routes.plan_routes`): the deliveries of the
   distributor's busiest centre today — or, when none of its centres delivers today, on the
   first day of the coming week that one does; the printed line says which day and why.
   Routing stops after :data:`ROUTE_SOLUTIONS` solutions, so the demo is the same every time.
4. **Tender and tracking** (:mod:`tandem.services.logistics.tenders`,
   :mod:`tandem.services.logistics.tracking`): the first planned load whose goods are in stock
   at its origin is offered to the carrier (:data:`CARRIER`) at its planned cost, accepted,
   picked up and departed, so the carrier's load board and the consignee's inbound page show
   a load in transit with its expected arrival.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from tandem.domain.errors import NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.logistics import Load, LoadStatus, TrackingStatus
from tandem.domain.network import Member, TransportMode
from tandem.services.context import ServiceContext
from tandem.services.logistics import tenders, tracking
from tandem.services.logistics.planning import LoadPlanSummary, plan_loads
from tandem.services.logistics.routes import RoutePlan, RouteSettings, plan_routes
from tandem.services.logistics.shipping_lines import order_lines, shipments_arriving
from tandem.services.logistics.vehicles import VehicleTypeFields, add_vehicle_type
from tandem.services.ports import UnitOfWork

__all__ = [
    "CARRIER",
    "DISTRIBUTOR",
    "PLAN_DAYS",
    "ROASTER",
    "ROUTE_SOLUTIONS",
    "VEHICLES",
    "WINDOW_DAYS",
    "LogisticsSummary",
    "seed_demo_logistics",
]

ROASTER = "ELBE"
DISTRIBUTOR = "NORDLOG"
CARRIER = "HANSA"
PLAN_DAYS = 7  # the roaster plans the loads leaving this week
WINDOW_DAYS = 2  # lines due within two days of each other may share a truck
ROUTE_SOLUTIONS = 50  # routing stops after this many solutions: repeatable, well under a second
ROUTE_TIME_LIMIT_S = 2.0
RESPOND_HOURS = 24  # the carrier has a day to answer a tender

_M = TransportMode
# Owner, code, name, mode, payload kg, load space m³, EUR per km, EUR fixed per trip or route.
# Capacities are those of common German vehicles: a 3.5 t panel van (Sprinter class, about
# 1 t payload, 12 m³), a 7.5 t box truck (about 3 t payload, 35 m³, 15 pallets) and a 40 t
# articulated lorry (24 t payload, 13.6 m trailer, 33 Euro pallets, about 80 m³ of stacked
# bags). The costs are ASSUMPTIONS for Germany (2025), not quotes: per km diesel, tolls
# (HGV toll from 7.5 t) and wear; fixed a driver's day with the vehicle's daily share.
VEHICLES: tuple[tuple[str, str, str, TransportMode, float, float, float, float], ...] = (
    (ROASTER, "ELBE-7.5T", "7.5 t box truck (15 pallets)", _M.ROAD, 3000.0, 35.0, 0.85, 260.0),
    (ROASTER, "ELBE-40T", "40 t articulated lorry (33 pallets)", _M.FULL_TRUCKLOAD, 24000.0,
     80.0, 1.55, 380.0),
    (DISTRIBUTOR, "NORDLOG-VAN", "3.5 t delivery van", _M.VAN, 1000.0, 12.0, 0.45, 180.0),
    (DISTRIBUTOR, "NORDLOG-7.5T", "7.5 t box truck (15 pallets)", _M.ROAD, 3000.0, 35.0, 0.85,
     260.0),
)  # fmt: skip


@dataclass(frozen=True)
class LogisticsSummary:
    """What the step made: vehicle types, the roaster's loads, the routes and the tender."""

    vehicle_types: int
    loads: LoadPlanSummary
    routes: RoutePlan | None
    route_note: str
    tendered: Load | None
    events: int
    eta: datetime | None
    seconds: float

    @property
    def line(self) -> str:
        """The demo's one printed line."""
        plan = self.loads
        days = f"{plan.from_day:%d %b}–{plan.to_day:%d %b}"
        if plan.loads:
            loads = (
                f"{ROASTER} loads {days}: {_n(len(plan.loads), 'load')}, "
                f"cost {plan.total_cost:,.2f} EUR, {len(plan.unplanned)} lines unplanned"
            )
        else:
            loads = f"{ROASTER} loads {days}: none (no open sales order lines leave that week)"
        if self.routes is None:
            routes = f"{DISTRIBUTOR} routes: none ({self.route_note})"
        else:
            r = self.routes
            note = f" ({self.route_note})" if self.route_note else ""
            routes = (
                f"{DISTRIBUTOR} routes from {r.depot} on {r.day.isoformat()}{note}: "
                f"{_n(len(r.routes), 'route')}, {_n(sum(len(x.stops) for x in r.routes), 'drop')}, "
                f"{r.total_km:,.1f} km, cost {r.total_cost:,.2f} EUR"
            )
        if self.tendered is None:
            tender = "no planned load with its goods in stock to tender"
        else:
            eta = "" if self.eta is None else f", expected {self.eta:%Y-%m-%d %H:%M} UTC"
            tender = (
                f"{self.tendered.number} tendered to {CARRIER}, accepted and "
                f"{self.tendered.status.value.replace('_', ' ')} "
                f"({self.events} tracking events{eta})"
            )
        return (
            f"logistics: {self.vehicle_types} vehicle types; {loads}; {routes}; {tender} "
            f"({self.seconds:.1f} s)"
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class _At:
    """A clock stopped at ``moment``: each step of the story at its own time."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment


def _principals(uow: UnitOfWork, network_code: str) -> dict[str, Principal]:
    networks = uow.networks.find(code=network_code)
    if not networks:
        raise NotFound(f"network {network_code} not found")
    network = networks[0]
    principals = {}
    for member in uow.members.find(network_id=network.id):
        users = uow.users.find(member_id=member.id)
        principals[member.code] = _principal(member, users[0].id if users else None)
    return principals


def _principal(member: Member, user_id: int | None) -> Principal:
    return Principal(
        member.id, member.network_id, f"demo planner ({member.code})", ALL_SCOPES, user_id,
        is_network_admin=False,
    )  # fmt: skip


def _vehicles(ctx: ServiceContext, principals: dict[str, Principal]) -> int:
    for owner, code, name, mode, kg, m3, per_km, fixed in VEHICLES:
        fields = VehicleTypeFields(code, name, mode, kg, m3, per_km, fixed)
        add_vehicle_type(ctx, principals[owner], fields)
    return len(VEHICLES)


def _route_day(ctx: ServiceContext, distributor: Principal, today: date) -> tuple[int, date] | None:
    """The first day of the planning week on which one of the distributor's centres delivers
    (open sales order lines due, shipments arriving: what routing reads), and the centre with
    the most drops that day."""
    member, network = distributor.member_id, distributor.network_id
    with ctx.uow() as uow:
        sites = {s.id: s for s in uow.sites.find(network_id=network)}
        items = {i.id: i for i in uow.items.find(network_id=network)}
        lanes = tuple(uow.lanes.find(network_id=network))
        depots = sorted(k for k, site in sites.items() if site.member_id == member)
        open_lines = order_lines(uow, member, items, sites, lanes)
        for offset in range(PLAN_DAYS):
            day = today + timedelta(days=offset)
            drops = {}
            for depot in depots:
                lines = shipments_arriving(uow, member, depot, day, items) + [
                    x for x in open_lines if x.origin_site_id == depot and x.due == day
                ]
                drops[depot] = len({x.destination_site_id for x in lines})
            best = max(depots, key=lambda k: (drops[k], -k), default=None)
            if best is not None and drops[best]:
                return best, day
    return None


def _routes(
    ctx: ServiceContext, distributor: Principal, today: date
) -> tuple[RoutePlan | None, str]:
    chosen = _route_day(ctx, distributor, today)
    if chosen is None:
        return None, "no deliveries due from its centres this week"
    depot_id, day = chosen
    settings = RouteSettings(time_limit_s=ROUTE_TIME_LIMIT_S, solution_limit=ROUTE_SOLUTIONS)
    plan = plan_routes(ctx, distributor, depot_id, day, settings)
    note = "" if day == today else "none due today"
    return plan, note


def _in_stock(uow: UnitOfWork, load: Load) -> bool:
    """Whether the origin holds every unshipped order line of ``load`` (pick-up ships them)."""
    needed: dict[int, Decimal] = defaultdict(Decimal)
    for line in uow.load_lines.find(load_id=load.id):
        if line.order_line_id is not None and line.shipment_id is None:
            needed[line.item_id] += line.quantity
    for item_id, quantity in needed.items():
        found = uow.stock_positions.find(site_id=load.origin_site_id, item_id=item_id)
        if not found or found[0].available < quantity:
            return False
    return True


def _tender_and_track(
    ctx: ServiceContext, shipper: Principal, carrier: Principal, candidates: Sequence[int]
) -> tuple[Load | None, int, datetime | None]:
    """Offer the first candidate load in stock to the carrier at its planned cost; the carrier
    accepts, picks it up and departs, an hour and a half of the carrier's day up to now."""
    with ctx.uow() as uow:
        loads = [x for i in candidates if (x := uow.loads.get(i)) is not None]
        load = next((x for x in loads if x.status is LoadStatus.PLANNED and _in_stock(uow, x)),
                    None)  # fmt: skip
    if load is None:
        return None, 0, None
    now = ctx.clock.now()
    offered = tenders.tender_load(
        replace(ctx, clock=_At(now - timedelta(minutes=90))),
        shipper,
        tenders.TenderLoad(
            load.id,
            carrier.member_id,
            load.planned_cost_minor,
            now + timedelta(hours=RESPOND_HOURS),
        ),
    )
    tenders.accept_tender(replace(ctx, clock=_At(now - timedelta(minutes=75))), carrier,
                          offered.tender.id)  # fmt: skip
    tendered, events, eta = load, 0, None
    for status, minutes in ((TrackingStatus.PICKED_UP, 45), (TrackingStatus.DEPARTED, 20)):
        report = tracking.ReportStatus(
            load.id, f"demo-{load.number}-{status.value}", status,
            now - timedelta(minutes=minutes), site_id=load.origin_site_id,
        )  # fmt: skip
        recorded = tracking.record_event(ctx, carrier, report)
        events += 1
        eta = None if recorded.eta is None else recorded.eta.estimated_arrival
        tendered = recorded.load
    return tendered, events, eta


def seed_demo_logistics(ctx: ServiceContext, network_code: str) -> LogisticsSummary:
    """Vehicle types, a week of the roaster's loads, the distributor's routes of a day and one
    load on its way with the carrier (see the module); returns what was made."""
    started = time.perf_counter()
    with ctx.uow() as uow:
        principals = _principals(uow, network_code)
    today = ctx.clock.now().date()
    count = _vehicles(ctx, principals)
    roaster, distributor = principals[ROASTER], principals[DISTRIBUTOR]
    loads = plan_loads(ctx, roaster, today, today + timedelta(days=PLAN_DAYS - 1), WINDOW_DAYS)
    routes, note = _routes(ctx, distributor, today)
    tendered, events, eta = _tender_and_track(
        ctx, roaster, principals[CARRIER], [x.load_id for x in loads.loads if x.load_id]
    )
    if tendered is None and routes is not None:
        tendered, events, eta = _tender_and_track(
            ctx, distributor, principals[CARRIER], [x.load_id for x in routes.routes if x.load_id]
        )
    return LogisticsSummary(
        count, loads, routes, note, tendered, events, eta, time.perf_counter() - started
    )
