"""Load building: hand-built consolidation and packing cases, properties against brute force."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.logistics import (
    FreightMode,
    Lane,
    LoadPlan,
    OrderLine,
    PackingMethod,
    VehicleType,
    build_loads,
)

TRUCK = VehicleType("truck", FreightMode.FULL_TRUCKLOAD, 1000.0, 20.0, fixed_cost=100.0)
LANE = Lane("DC", "Store", distance_km=0.0, transit_days=0)


def lines_of(weights: list[float], volume: float = 0.1) -> list[OrderLine]:
    return [OrderLine(f"L{k}", "DC", "Store", w, volume, 0, 9) for k, w in enumerate(weights)]


def test_exact_packing_beats_first_fit_decreasing_where_it_is_suboptimal() -> None:
    # Weights 500, 400, 300, 300, 300, 200 kg into 1,000 kg trucks (volume never binds).
    # FFD: [500, 400] (300 no longer fits), [300, 300, 300], [200] -> 3 trucks.
    # Optimum: [500, 300, 200] and [400, 300, 300] -> 2 trucks = ceil(2000 / 1000), the bound.
    lines = lines_of([500, 400, 300, 300, 300, 200])
    ffd = build_loads(lines, [TRUCK], [LANE], exact_max_lines=0)
    exact = build_loads(lines, [TRUCK], [LANE])
    assert [len(ffd.loads), ffd.total_cost] == [3, 300.0]
    assert ffd.groups[0].method is PackingMethod.FIRST_FIT_DECREASING
    assert (ffd.groups[0].lower_bound_loads, ffd.groups[0].gap_loads) == (2, 1)
    assert [len(exact.loads), exact.total_cost] == [2, 200.0]
    assert exact.groups[0].method is PackingMethod.EXACT and exact.groups[0].optimal
    assert exact.groups[0].gap_loads == 0
    assert sorted(sorted(p.weight_kg for p in load.lines) for load in exact.loads) == [
        [200.0, 300.0, 500.0],
        [300.0, 300.0, 400.0],
    ]


def test_volume_binds_when_weight_does_not() -> None:
    # 4 lines of 100 kg, 8 m3 in 20 m3 trucks: two per truck by volume -> 2 loads, bound 2.
    plan = build_loads(lines_of([100] * 4, volume=8.0), [TRUCK], [LANE])
    assert len(plan.loads) == 2
    assert [load.volume_utilisation for load in plan.loads] == [0.8, 0.8]
    assert plan.groups[0].lower_bound_loads == 2


def test_mixed_fleet_takes_the_cheaper_vans() -> None:
    # Three 350 kg lines. One truck cannot take all (1,050 kg); truck + van = 300 + 100 = 400,
    # three vans (400 kg each) = 3 x 100 = 300 -> vans, whichever method.
    truck = VehicleType("truck", FreightMode.FULL_TRUCKLOAD, 1000.0, 20.0, fixed_cost=300.0)
    van = VehicleType("van", FreightMode.VAN, 400.0, 10.0, fixed_cost=100.0)
    for limit in (0, 40):
        plan = build_loads(lines_of([350] * 3), [truck, van], [LANE], exact_max_lines=limit)
        assert [load.vehicle for load in plan.loads] == ["van"] * 3
        assert plan.total_cost == 300.0


def test_lane_rate_and_distance_price_a_load() -> None:
    truck = VehicleType("truck", FreightMode.FULL_TRUCKLOAD, 1000.0, 20.0, 100.0, cost_per_km=1.5)
    by_km = build_loads(lines_of([10]), [truck], [Lane("DC", "Store", 200.0, 1)])
    agreed = build_loads(
        lines_of([10]), [truck], [Lane("DC", "Store", 200.0, 1, (("truck", 250.0),))]
    )
    assert (by_km.total_cost, agreed.total_cost) == (400.0, 250.0)  # 100 + 1.5 x 200; agreed


def test_oversize_line_is_split_into_vehicle_sized_parts() -> None:
    # 2,500 kg / 5 m3 in 1,000 kg trucks: parts 0.4 + 0.4 + 0.2 (1,000, 1,000, 500 kg); the
    # 500 kg remainder shares a truck with a 400 kg line -> 3 loads.
    lines = [
        OrderLine("big", "DC", "Store", 2500.0, 5.0, 0, 9),
        OrderLine("small", "DC", "Store", 400.0, 1.0, 0, 9),
    ]
    plan = build_loads(lines, [TRUCK], [LANE])
    assert plan.split_line_ids == ("big",)
    parts = sorted(
        (p.fraction, p.weight_kg) for load in plan.loads for p in load.lines if p.line_id == "big"
    )
    assert parts == [(pytest.approx(0.2), pytest.approx(500.0)), (0.4, 1000.0), (0.4, 1000.0)]
    assert sorted(load.weight_kg for load in plan.loads) == [pytest.approx(900.0), 1000.0, 1000.0]


def test_consolidation_respects_window_and_earliest_due_date() -> None:
    # Transit 2 days, window 2 days from the group's first ready day.
    # A (ready 0, due 5) and B (ready 1, due 3): leave day 1, arrive 3 <= min(5, 3) -> together.
    # C (ready 1, due 2) cannot arrive before day 3 -> its own late load (it would make A+B late).
    # D (ready 3) is outside the window [0, 1] -> a new load.
    lane = Lane("DC", "Store", 0.0, 2)
    lines = [
        OrderLine("A", "DC", "Store", 10.0, 0.1, 0, 5),
        OrderLine("B", "DC", "Store", 10.0, 0.1, 1, 3),
        OrderLine("C", "DC", "Store", 10.0, 0.1, 1, 2),
        OrderLine("D", "DC", "Store", 10.0, 0.1, 3, 9),
    ]
    plan = build_loads(lines, [TRUCK], [lane], window_days=2)
    summary = [
        (
            sorted(str(p.line_id) for p in load.lines),
            load.departure_day,
            load.arrival_day,
            load.on_time,
        )
        for load in plan.loads
    ]
    assert summary == [(["A", "B"], 1, 3, True), (["C"], 1, 3, False), (["D"], 3, 5, True)]


def test_lanes_are_never_mixed() -> None:
    lanes = [LANE, Lane("DC", "Other", 0.0, 0)]
    lines = [
        OrderLine("x", "DC", "Store", 10.0, 0.1, 0, 9),
        OrderLine("y", "DC", "Other", 10.0, 0.1, 0, 9),
    ]
    plan = build_loads(lines, [TRUCK], lanes)
    assert sorted((load.destination, load.lines[0].line_id) for load in plan.loads) == [
        ("Other", "y"),
        ("Store", "x"),
    ]


# --- properties -------------------------------------------------------------------------------

vehicle_types = st.lists(
    st.builds(
        VehicleType,
        name=st.sampled_from(["van", "truck", "box"]),
        mode=st.just(FreightMode.ROAD),
        max_weight_kg=st.floats(200, 2000),
        max_volume_m3=st.floats(2, 30),
        fixed_cost=st.floats(10, 500),
        cost_per_km=st.floats(0, 3),
        max_pallets=st.one_of(st.none(), st.integers(4, 20).map(float)),
    ),
    min_size=1,
    max_size=2,
    unique_by=lambda v: v.name,
)


@st.composite
def order_lines(draw: st.DrawFn) -> list[OrderLine]:
    count = draw(st.integers(1, 14))
    lines = []
    for k in range(count):
        ready = draw(st.integers(0, 6))
        lines.append(
            OrderLine(
                k,
                "DC",
                draw(st.sampled_from(["S1", "S2"])),
                draw(st.floats(1, 3000)),
                draw(st.floats(0.01, 40)),
                ready,
                ready + draw(st.integers(0, 5)),
                draw(st.integers(0, 12).map(float)),
            )
        )
    return lines


LANES = [Lane("DC", "S1", 50.0, 1), Lane("DC", "S2", 120.0, 2)]


def check_plan(plan: LoadPlan, lines: list[OrderLine], vehicles: list[VehicleType]) -> None:
    by_name = {v.name: v for v in vehicles}
    line_by_id = {line.id: line for line in lines}
    fractions: dict[object, float] = defaultdict(float)
    weights: dict[object, float] = defaultdict(float)
    appearances: dict[object, int] = defaultdict(int)
    for load in plan.loads:
        vehicle = by_name[load.vehicle]
        assert sum(p.weight_kg for p in load.lines) <= vehicle.max_weight_kg * (1 + 1e-9)
        assert sum(p.volume_m3 for p in load.lines) <= vehicle.max_volume_m3 * (1 + 1e-9)
        if vehicle.max_pallets is not None:
            assert sum(p.pallets for p in load.lines) <= vehicle.max_pallets * (1 + 1e-9)
        for part in load.lines:
            line = line_by_id[part.line_id]
            assert (line.origin, line.destination) == (load.origin, load.destination)
            assert load.departure_day >= line.ready_day
            fractions[part.line_id] += part.fraction
            weights[part.line_id] += part.weight_kg
            appearances[part.line_id] += 1
    assert set(fractions) == set(line_by_id)
    for key, line in line_by_id.items():
        assert fractions[key] == pytest.approx(1.0, abs=1e-9)
        assert weights[key] == pytest.approx(line.weight_kg, rel=1e-9)
        if key not in plan.split_line_ids:
            assert appearances[key] == 1
    assert plan.total_cost == pytest.approx(sum(load.cost for load in plan.loads))


@settings(max_examples=60, deadline=None)
@given(order_lines(), vehicle_types, st.integers(1, 4), st.sampled_from([0, 40]))
def test_loads_never_exceed_limits_and_hold_every_line_exactly_once(
    lines: list[OrderLine], vehicles: list[VehicleType], window: int, exact_limit: int
) -> None:
    plan = build_loads(lines, vehicles, LANES, window_days=window, exact_max_lines=exact_limit)
    check_plan(plan, lines, vehicles)
    for group in plan.groups:
        assert group.loads >= group.lower_bound_loads


def brute_force_bins(weights: list[float], volumes: list[float], cap_w: float, cap_v: float) -> int:
    """Fewest bins over every assignment of items to at most n bins (restricted growth strings)."""
    n = len(weights)
    best = n
    for labels in itertools.product(range(n), repeat=n):
        if any(labels[i] > max(labels[:i], default=-1) + 1 for i in range(n)):
            continue
        used = max(labels) + 1
        if used >= best:
            continue
        ok = all(
            sum(w for w, b in zip(weights, labels, strict=True) if b == k) <= cap_w
            and sum(v for v, b in zip(volumes, labels, strict=True) if b == k) <= cap_v
            for k in range(used)
        )
        if ok:
            best = used
    return best


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=6),
)
def test_exact_method_uses_the_brute_force_fewest_vehicles(sizes: list[tuple[int, int]]) -> None:
    # Integer sizes on a 10 x 10 vehicle keep the brute force exact.
    vehicle = VehicleType("box", FreightMode.ROAD, 10.0, 10.0, fixed_cost=1.0)
    lines = [OrderLine(k, "DC", "S1", float(w), float(v), 0, 9) for k, (w, v) in enumerate(sizes)]
    plan = build_loads(lines, [vehicle], LANES)
    fewest = brute_force_bins(
        [float(w) for w, _ in sizes], [float(v) for _, v in sizes], 10.0, 10.0
    )
    assert len(plan.loads) == fewest
    ffd = build_loads(lines, [vehicle], LANES, exact_max_lines=0)
    assert len(ffd.loads) >= fewest
    assert plan.groups[0].lower_bound_loads == max(
        math.ceil(sum(w for w, _ in sizes) / 10), math.ceil(sum(v for _, v in sizes) / 10)
    )
