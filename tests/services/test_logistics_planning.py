"""Load planning and delivery routing of a shipper on the platform (hand-checked cases).

The world (``tests/services/logistics_world.py``): bags of 10 kg and 0.02 m³ worth 100 each;
PLANT → DC by road (2 days, packed into TRUCK 10,000 kg / 40 m³ at 400 or VAN 1,000 kg / 10 m³
at 150) or by air (0.5 days, 3.00 a bag); carrying 25 % a year.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from tests.services.logistics_world import MONDAY, FreightWorld, freight_world, order

from tandem.domain.errors import ValidationFailed
from tandem.domain.logistics import LoadStatus
from tandem.domain.network import PlanningParameters, TransportMode
from tandem.domain.sharing import DataCategory
from tandem.services import inventory_plan, sharing
from tandem.services.context import ServiceContext
from tandem.services.logistics.freight import planned_freight_per_unit
from tandem.services.logistics.planning import plan_loads
from tandem.services.logistics.routes import RouteSettings, plan_routes
from tandem.services.stocking import set_item_site

FRIDAY = MONDAY + timedelta(days=4)


def _three_lines(world: FreightWorld) -> None:
    # A: 60 bags due Wed (ship-by Mon), B: 50 bags due Thu (ship-by Tue),
    # C: 1,500 bags due Sat (ship-by Thu); a mug line without shipping data.
    order(
        world,
        "DC",
        [
            ("BAG", 60, MONDAY + timedelta(days=2)),
            ("BAG", 50, MONDAY + timedelta(days=3)),
            ("BAG", 1500, MONDAY + timedelta(days=5)),
            ("MUG", 10, MONDAY + timedelta(days=2)),
        ],
    )


@pytest.fixture
def world(ctx: ServiceContext) -> FreightWorld:
    built = freight_world(ctx)
    _three_lines(built)
    return built


def test_loads_are_consolidated_split_and_priced_by_hand(world: FreightWorld) -> None:
    plan = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    # Ready days (window 3: up to two days before ship-by, never before Monday): A Mon, B Mon,
    # C Tue. A and B share a group leaving Monday (arrive Wed = A's due); C would make it late.
    # A+B = 1,100 kg: two vans (300) beat one truck (400); lower bound ceil(1100/10000) = 1.
    # C = 15,000 kg > a truck: split 2/3 (10,000 kg, 1,000 bags) + 1/3 (5,000 kg, 500 bags),
    # two trucks (800); bound ceil(15000/10000) = 2. Loads: 4, bound 3, gap 1.
    loads = sorted(plan.loads, key=lambda x: (x.departure, x.lines[0].quantity))
    assert [
        (x.departure.isoformat(), x.mode, x.vehicle, [p.quantity for p in x.lines]) for x in loads
    ] == [
        ("2026-11-23", TransportMode.AIR, None, [Decimal(50)]),
        ("2026-11-23", TransportMode.FULL_TRUCKLOAD, "VAN", [Decimal(60)]),
        ("2026-11-24", TransportMode.FULL_TRUCKLOAD, "TRUCK", [Decimal(500)]),
        ("2026-11-24", TransportMode.FULL_TRUCKLOAD, "TRUCK", [Decimal(1000)]),
    ]
    # B by air: 3 x 50 = 150 + 5000 x 0.25 x 0.5/365 = 151.71 beats the van: 150 + 6.85.
    assert [x.cost for x in loads] == [150.0, 150.0, 400.0, 400.0]
    assert plan.total_cost == 1100.0
    assert (plan.lower_bound_loads, plan.gap_loads) == (3, 1)
    assert [(x.weight_utilisation, x.volume_utilisation) for x in loads] == [
        (None, None),
        (0.6, pytest.approx(0.12)),
        (pytest.approx(0.5), pytest.approx(0.25)),
        (1.0, 0.5),
    ]
    assert [x.arrival.isoformat() for x in loads] == [
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-26",
    ]
    assert all(x.on_time for x in plan.loads)
    assert len(plan.split_line_keys) == 1
    assert [(x.quantity, x.reason) for x in plan.unplanned] == [
        (Decimal(10), "item MUG has no shipping weight or volume")
    ]


def test_every_line_is_in_loads_whose_parts_sum_to_it_within_capacity(
    world: FreightWorld,
) -> None:
    plan = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    carried: dict[str, Decimal] = defaultdict(Decimal)
    fractions: dict[str, float] = defaultdict(float)
    for load in plan.loads:
        for part in load.lines:
            carried[part.key] += part.quantity
            fractions[part.key] += part.fraction
        if load.vehicle == "VAN":
            assert load.weight_kg <= 1000 and load.volume_m3 <= 10
        if load.vehicle == "TRUCK":
            assert load.weight_kg <= 10_000 and load.volume_m3 <= 40
    assert sorted(carried.values()) == [Decimal(50), Decimal(60), Decimal(1500)]
    assert all(f == pytest.approx(1.0) for f in fractions.values())


def test_the_mode_chosen_is_the_cheapest_that_meets_the_due_date(world: FreightWorld) -> None:
    plan = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    for load in plan.loads:
        units = float(sum(p.quantity for p in load.lines))
        value = 100.0 * units
        vehicle_cost = 400.0 if units > 100 else 150.0  # the packed vehicle
        brute = []
        for mode, freight, transit in (
            (TransportMode.FULL_TRUCKLOAD, vehicle_cost, 2.0),
            (TransportMode.AIR, 3.0 * units, 0.5),
        ):
            total = freight + value * 0.25 * transit / 365
            if load.departure.toordinal() + transit <= load.due.toordinal():
                brute.append((total, mode, freight))
        _, mode, freight = min(brute)
        assert (load.mode, load.cost) == (mode, freight)


def test_a_late_road_load_goes_by_air_even_when_dearer(ctx: ServiceContext) -> None:
    world = freight_world(ctx)
    # 90 bags due Tuesday: by road (van, 150) they would arrive Wednesday; air (270) is on time.
    order(world, "DC", [("BAG", 90, MONDAY + timedelta(days=1))])
    plan = plan_loads(world.ctx, world.shipper, MONDAY, MONDAY, window_days=1)
    (load,) = plan.loads
    assert (load.mode, load.cost, load.arrival, load.on_time) == (
        TransportMode.AIR,
        270.0,
        MONDAY + timedelta(days=1),
        True,
    )
    assert [(r.mode, r.feasible) for r in load.ranking] == [
        (TransportMode.AIR, True),
        (TransportMode.FULL_TRUCKLOAD, False),
    ]


def test_replanning_the_same_window_replaces_its_planned_loads(world: FreightWorld) -> None:
    first = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    second = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    assert second.replaced_loads == 4
    assert [x.number for x in first.loads] == [f"LD-{k:06d}" for k in (1, 2, 3, 4)]
    assert [(x.cost, x.lines) for x in second.loads] == [(x.cost, x.lines) for x in first.loads]
    with world.ctx.uow() as uow:
        assert uow.loads.count(shipper_member_id=world.shipper.member_id) == 4
        assert uow.load_lines.count() == 4
        heaviest = max(second.loads, key=lambda x: x.weight_kg)
        stored = uow.loads.get(heaviest.load_id or 0)
    assert stored is not None
    assert (stored.status, stored.planned_cost_minor, stored.weight_kg) == (
        LoadStatus.PLANNED,
        40_000,
        10_000.0,
    )


def test_a_tendered_load_is_kept_and_its_lines_not_planned_again(world: FreightWorld) -> None:
    first = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    van = next(x for x in first.loads if x.vehicle == "VAN")
    with world.ctx.uow() as uow:  # the shipper offered the van load (line A) to a carrier
        load = uow.loads.get(van.load_id or 0)
        assert load is not None
        uow.loads.update(replace(load, status=LoadStatus.TENDERED))
        uow.commit()
    second = plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    assert second.replaced_loads == 3
    # Without A, B (ready Mon, due Thu) and C (ready Tue) share a group leaving Tuesday that
    # arrives Thursday: two trucks, C's 2/3 part alone and B beside C's 1/3 part (5,500 kg).
    assert sorted([p.quantity for p in x.lines] for x in second.loads) == [[50, 500], [1000]]
    assert second.total_cost == 800.0
    with world.ctx.uow() as uow:
        assert uow.loads.count(shipper_member_id=world.shipper.member_id) == 3  # 1 kept + 2
        kept = uow.loads.get(van.load_id or 0)
    assert kept is not None and kept.status is LoadStatus.TENDERED


def test_a_reversed_window_is_refused(world: FreightWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        plan_loads(world.ctx, world.shipper, FRIDAY, MONDAY, window_days=0)
    assert sorted(v.field or "" for v in caught.value.violations) == ["to_day", "window_days"]


# ---------------------------------------------------------------- delivery routes


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine x 1.3, written out again here as an independent reference."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h)) * 1.3


POINTS = {"DEPOT": (0.0, 0.0), "SHOP-A": (0.0, 0.1), "SHOP-B": (0.0, 0.2), "SHOP-C": (0.1, 0.0)}
ROUTING = RouteSettings(time_limit_s=2.0, solution_limit=200, vehicles_per_type=2)


@pytest.fixture
def depot_world(ctx: ServiceContext) -> FreightWorld:
    world = freight_world(ctx, cost_per_km=1.0)
    for shop, bags in (("SHOP-A", 50), ("SHOP-B", 60), ("SHOP-C", 30)):
        order(world, shop, [("BAG", bags, MONDAY)], from_site="DEPOT")
    return world


def test_routes_use_two_vans_and_the_shortest_split(depot_world: FreightWorld) -> None:
    world = depot_world
    plan = plan_routes(world.ctx, world.shipper, world.sites["DEPOT"], MONDAY, ROUTING)
    # 1,400 kg: a van holds 1,000, so A+B (1,100) cannot share one. With u = 0.1 deg x 1.3 =
    # 14.455 km: {A} + {C,B} = 2u + (u + sqrt(5)u + 2u) = 7.236u = 104.6 km (vans 300 + km);
    # {A,C} + {B} = 7.414u; one truck D-A-B-C-D = 5.236u but 400 + 75.7 = 475.7 > 404.6.
    tours = sorted(tuple(s.code for s in r.stops) for r in plan.routes)
    assert tours in ([("SHOP-A",), ("SHOP-B", "SHOP-C")], [("SHOP-A",), ("SHOP-C", "SHOP-B")])
    assert {r.vehicle[:4] for r in plan.routes} == {"VAN-"}
    u = _km(POINTS["DEPOT"], POINTS["SHOP-A"])
    expected = 2 * u + u + _km(POINTS["SHOP-C"], POINTS["SHOP-B"]) + 2 * u
    assert plan.total_km == round(expected, 1) == 104.6
    assert plan.total_cost == pytest.approx(300 + expected, abs=0.02)
    # Nearest neighbour takes the first vehicle type (TRUCK) round D-A-B-C-D: 5.236u, 475.69.
    assert (plan.baseline_km, plan.baseline_cost) == (75.7, 475.69)
    assert plan.unrouted == ()


def test_routes_respect_windows_and_capacities_when_re_simulated(
    depot_world: FreightWorld,
) -> None:
    world = depot_world
    windows = {world.sites["SHOP-C"]: (13 * 60, 14 * 60)}  # C only after lunch
    settings = RouteSettings(2.0, 200, vehicles_per_type=2, site_windows=windows)
    plan = plan_routes(world.ctx, world.shipper, world.sites["DEPOT"], MONDAY, settings)
    served = set()
    for route in plan.routes:
        clock, here, kg = route.start_minute, "DEPOT", 0.0
        for stop in route.stops:
            clock += math.ceil(_km(POINTS[here], POINTS[stop.code]))  # 60 km/h: 1 min per km
            assert stop.arrival_minute == clock
            start = max(clock, stop.window[0])
            assert stop.service_start_minute == start <= stop.window[1]
            clock, here, kg = start + 15, stop.code, kg + stop.delivered_kg
            served.add(stop.code)
        assert kg <= route.capacity_kg
        back = clock + math.ceil(_km(POINTS[here], POINTS["DEPOT"]))
        assert route.end_minute == back and back - route.start_minute <= 600
    assert served == {"SHOP-A", "SHOP-B", "SHOP-C"}
    c = next(s for r in plan.routes for s in r.stops if s.code == "SHOP-C")
    assert 13 * 60 <= c.service_start_minute <= 14 * 60


def test_routes_are_stored_as_loads_with_ordered_drops_and_replaced(
    depot_world: FreightWorld,
) -> None:
    world = depot_world
    first = plan_routes(world.ctx, world.shipper, world.sites["DEPOT"], MONDAY, ROUTING)
    again = plan_routes(world.ctx, world.shipper, world.sites["DEPOT"], MONDAY, ROUTING)
    assert again.replaced_loads == len(first.routes) == 2
    with world.ctx.uow() as uow:
        loads = uow.loads.find(shipper_member_id=world.shipper.member_id)
        assert [x.reference for x in loads] == ["route DEPOT 2026-11-23"] * 2
        for route in again.routes:
            stops = uow.load_stops.find(load_id=route.load_id)
            assert [s.site_id for s in stops] == [s.site_id for s in route.stops]
            assert [s.sequence for s in stops] == list(range(1, len(stops) + 1))
            assert sum(x.weight_kg for x in uow.load_lines.find(load_id=route.load_id)) == (
                route.load_kg
            )


# ---------------------------------------------------------------- freight into landed cost


def _dc_value(world: FreightWorld) -> tuple[float, float]:
    inputs = inventory_plan.load_inputs(world.ctx, world.shipper)
    built = inventory_plan.build_network(inputs, inventory_plan.PlanRequest())
    point = {(p.item_id, p.site_id): str(p.id) for p in built.points}
    bag = world.items["BAG"]
    plant, dc = point[(bag, world.sites["PLANT"])], point[(bag, world.sites["DC"])]
    return built.values[plant], built.values[dc]


def test_planned_freight_replaces_the_lane_rate_in_the_landed_cost(world: FreightWorld) -> None:
    bag = world.items["BAG"]
    set_item_site(world.ctx, world.shipper, bag, world.sites["PLANT"], PlanningParameters())
    set_item_site(world.ctx, world.buyer, bag, world.sites["DC"], PlanningParameters())
    grant = sharing.GrantAccess(world.shipper.member_id, DataCategory.PLANNING_PARAMETERS)
    sharing.grant_access(world.ctx, world.buyer, grant)
    plant_before, dc_before = _dc_value(world)
    plan_loads(world.ctx, world.shipper, MONDAY, FRIDAY, window_days=3)
    plant_after, dc_after = _dc_value(world)
    # Road (full truckload) lane PLANT -> DC carries the van (150, 60 bags) and both trucks
    # (800, 1,500 bags): 950 / 1,560 = 0.608974 a bag instead of the lane's 0.50; the air load
    # books on the air lane, which is not the arc (the first lane between the sites is).
    assert plant_after == plant_before
    assert dc_after - dc_before == pytest.approx(950 / 1560 - 0.5, abs=1e-9)
    with world.ctx.uow() as uow:
        freight = planned_freight_per_unit(uow, world.shipper.network_id, MONDAY)
        lanes = {x.mode: x.id for x in uow.lanes.find(from_site_id=world.sites["PLANT"])}
    assert freight == {
        (lanes[TransportMode.FULL_TRUCKLOAD], bag): pytest.approx(950 / 1560),
        (lanes[TransportMode.AIR], bag): pytest.approx(150 / 50),
    }
