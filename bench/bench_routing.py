"""Delivery routing (OR-Tools) against nearest neighbour, and load building on 10,000 lines.

Routing: 200 stops drawn uniformly in a 60 km radius around a Hamburg depot, road distance =
great circle x 1.3 at 60 km/h; service windows of 2-4 h within a 10 h delivery day (06:00 to
16:00), 3-9 min service; 10 vehicles of 2,000 kg, 10 h routes, fixed cost 100 and 1.0 per km;
total demand 90 % of the fleet's capacity, so capacity binds. Reported: the nearest-neighbour
baseline, OR-Tools (PATH_CHEAPEST_ARC + guided local search) at 10 s and at a long limit, with
the cost ratios to the long run in the same run, dropped stops and seconds. Nearest neighbour
(Solomon's time-oriented rule) runs twice: on the 10 vehicles, where it leaves stops unserved,
and on an unbounded fleet (as many vehicles as it opens), where it serves every stop.

Load building: 10,000 order lines on 50 lanes over 30 days, 3-day windows, trucks (24 t, 80
m3) and vans (1.2 t, 12 m3): first-fit decreasing only, then with the exact MIP on groups of
at most 40 items; ``exact`` counts the groups packed at a proven optimum (a group that fits one
vehicle needs no MIP and is not counted).

Run: ``.venv/bin/python bench/bench_routing.py [--stops 200] [--vehicles 10] [--short 10]
[--long 120] [--seed 0]``; ``BENCH_LONG`` sets the long limit (seconds) under ``make bench``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
import time

import numpy as np

from tandem.planning.logistics import (
    Depot,
    FreightMode,
    Lane,
    OrderLine,
    RoutingProblem,
    RoutingResult,
    RoutingSettings,
    Stop,
    Vehicle,
    VehicleType,
    build_loads,
    nearest_neighbour_routes,
    solve_routes,
)

HAMBURG = (53.5511, 9.9937)
KM_PER_DEGREE = 111.195


def delivery_day(n_stops: int, n_vehicles: int, seed: int) -> RoutingProblem:
    """Seeded stops in a 60 km disc around Hamburg with 2-4 h windows; capacity binds."""
    rng = np.random.default_rng(seed)
    radius = 60.0 * np.sqrt(rng.random(n_stops))
    angle = rng.uniform(0, 2 * np.pi, n_stops)
    lat = HAMBURG[0] + radius * np.sin(angle) / KM_PER_DEGREE
    lon = HAMBURG[1] + radius * np.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(HAMBURG[0])))
    capacity = 2000.0
    demand = rng.uniform(0.5, 1.5, n_stops)
    demand *= 0.9 * capacity * n_vehicles / demand.sum()
    length = rng.integers(120, 241, n_stops)
    start = 360 + (rng.random(n_stops) * (600 - length)).astype(int)
    service = rng.integers(3, 10, n_stops)
    stops = tuple(
        Stop(f"C{k:03d}", float(lat[k]), float(lon[k]), float(demand[k]), 0.0,
             int(start[k]), int(start[k] + length[k]), int(service[k]))
        for k in range(n_stops)
    )  # fmt: skip
    fleet = tuple(
        Vehicle(f"V{k:02d}", capacity, math.inf, 600, 100.0, 1.0) for k in range(n_vehicles)
    )
    depot = Depot("DC", *HAMBURG, open_minute=240, close_minute=1080)
    return RoutingProblem(depot, stops, fleet, road_factor=1.3, speed_kmh=60.0)


def _row(name: str, result: RoutingResult, seconds: float, reference: float) -> str:
    return (
        f"{name:<22} {result.total_cost:>10.1f} {result.total_distance_km:>9.1f}"
        f" {len(result.routes):>5} {len(result.dropped_stop_ids):>7} {seconds:>8.2f}"
        f" {result.total_cost / reference:>7.3f}"
    )


def bench_routing(n_stops: int, n_vehicles: int, short: float, long: float, seed: int) -> None:
    problem = delivery_day(n_stops, n_vehicles, seed)
    runs: list[tuple[str, RoutingResult, float]] = []
    start = time.perf_counter()
    runs.append(
        ("nearest neighbour", nearest_neighbour_routes(problem), time.perf_counter() - start)
    )
    spare = tuple(dataclasses.replace(problem.vehicles[0], id=f"X{k:03d}") for k in range(n_stops))
    unbounded = dataclasses.replace(problem, vehicles=problem.vehicles + spare)
    start = time.perf_counter()
    runs.append(
        ("NN, unbounded fleet", nearest_neighbour_routes(unbounded), time.perf_counter() - start)
    )
    for limit in (short, long):
        start = time.perf_counter()
        result = solve_routes(problem, RoutingSettings(time_limit_s=limit))
        runs.append((f"OR-Tools GLS {limit:g} s", result, time.perf_counter() - start))
    reference = runs[-1][1].total_cost
    print(f"routing: {n_stops} stops, {n_vehicles} vehicles, seed {seed}")
    print(f"ratio = cost / cost at {long:g} s")
    header = ("method", "cost", "km", "vans", "dropped", "seconds", "ratio")
    print("{:<22} {:>10} {:>9} {:>5} {:>7} {:>8} {:>7}".format(*header))
    for name, result, seconds in runs:
        print(_row(name, result, seconds, reference))
        assert all(route.feasible for route in result.routes)


def order_book(n_lines: int, seed: int) -> tuple[list[OrderLine], list[Lane]]:
    rng = np.random.default_rng(seed)
    lanes = [
        Lane("DC", f"S{k:02d}", float(rng.uniform(20, 600)), int(rng.integers(1, 4)))
        for k in range(50)
    ]
    lines = []
    for k in range(n_lines):
        lane = lanes[int(rng.integers(len(lanes)))]
        ready = int(rng.integers(0, 30))
        weight = float(rng.lognormal(5.0, 1.0))
        lines.append(
            OrderLine(k, lane.origin, lane.destination, weight,
                      weight / float(rng.uniform(150, 400)),
                      ready, ready + lane.transit_days + int(rng.integers(0, 6)))
        )  # fmt: skip
    return lines, lanes


def bench_loads(n_lines: int, seed: int) -> None:
    lines, lanes = order_book(n_lines, seed)
    fleet = [
        VehicleType("truck", FreightMode.FULL_TRUCKLOAD, 24000.0, 80.0, 400.0, 1.2),
        VehicleType("van", FreightMode.VAN, 1200.0, 12.0, 80.0, 0.5),
    ]
    print(f"\nload building: {n_lines} lines, 50 lanes, 30 days, 3-day windows")
    print(f"{'method':<26} {'groups':>6} {'exact':>6} {'loads':>6} {'cost':>11} {'seconds':>8}")
    for name, limit in (("first-fit decreasing", 0), ("exact MIP (<= 40 items)", 40)):
        start = time.perf_counter()
        plan = build_loads(
            lines, fleet, lanes, window_days=3, exact_max_lines=limit, exact_time_limit_s=2.0
        )
        seconds = time.perf_counter() - start
        proven = sum(g.optimal for g in plan.groups)
        print(
            f"{name:<26} {len(plan.groups):>6} {proven:>6} {len(plan.loads):>6}"
            f" {plan.total_cost:>11.1f} {seconds:>8.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--vehicles", type=int, default=10)
    parser.add_argument("--short", type=float, default=10.0)
    parser.add_argument("--long", type=float, default=float(os.environ.get("BENCH_LONG", "120")))
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args([] if argv is None else argv)
    bench_routing(args.stops, args.vehicles, args.short, args.long, args.seed)
    bench_loads(args.lines, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
