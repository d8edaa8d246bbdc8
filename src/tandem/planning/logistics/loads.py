"""Load building: consolidate order lines by lane and date window, then pack them into vehicles.

1. **Consolidate.** Lines of one lane ``(origin, destination)`` whose ready days fall within
   ``window_days`` of the first line of a group share a load plan. The group leaves on its
   latest ready day and must arrive (departure + lane transit days) by its earliest due day; a
   line joins the first open group where it keeps that promise (a line that cannot be on time
   even alone ships in a late group of its own kind, flagged ``on_time=False``).
2. **Split.** A line larger than every vehicle is cut into vehicle-sized parts (full loads of
   the vehicle needing the fewest parts) plus a remainder; the parts carry fractions summing to
   1 and the line is listed in :attr:`LoadPlan.split_line_ids`.
3. **Pack.** Each group is a two- (or, with pallets, three-) dimensional vector bin-packing
   problem with one or more vehicle types; see :mod:`~tandem.planning.logistics.packing`
   (first-fit decreasing, and an exact MIP for groups of at most ``exact_max_lines`` items).

Load cost is the vehicle's fixed cost per load plus its cost per km times the lane distance,
or the rate per load agreed for that lane and vehicle when one is given.

Examples
--------
>>> van = VehicleType("van", FreightMode.VAN, max_weight_kg=1000.0, max_volume_m3=10.0,
...                   fixed_cost=50.0, cost_per_km=1.0)
>>> lane = Lane("DC", "Cafe1", distance_km=20.0, transit_days=0)
>>> lines = [OrderLine(f"L{k}", "DC", "Cafe1", 400.0, 2.0, ready_day=k, due_day=5)
...          for k in range(3)]
>>> plan = build_loads(lines, [van], [lane], window_days=2)
>>> [(load.departure_day, [part.line_id for part in load.lines]) for load in plan.loads]
[(1, ['L0', 'L1']), (2, ['L2'])]
>>> plan.total_cost  # two loads at 50 + 20 x 1
140.0
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tandem.planning.logistics.errors import LogisticsInputError
from tandem.planning.logistics.modes import FreightMode
from tandem.planning.logistics.packing import (
    PackingItem,
    PackingMethod,
    PackingSolution,
    pack,
)

__all__ = [
    "GroupReport",
    "Lane",
    "Load",
    "LoadLine",
    "LoadPlan",
    "OrderLine",
    "VehicleType",
    "build_loads",
]

Key = str | int


@dataclass(frozen=True)
class OrderLine:
    """A released order line (or transfer) to move; days are integers on one calendar."""

    id: Key
    origin: Key
    destination: Key
    weight_kg: float
    volume_m3: float
    ready_day: int
    due_day: int
    pallets: float = 0.0

    def __post_init__(self) -> None:
        sizes = (self.weight_kg, self.volume_m3, self.pallets)
        if (
            not all(math.isfinite(x) and x >= 0 for x in sizes)
            or self.weight_kg + self.volume_m3 <= 0
        ):
            raise LogisticsInputError(
                f"order line {self.id}: weight and volume must be >= 0, not both 0"
            )


@dataclass(frozen=True)
class VehicleType:
    """A vehicle or container type: limits and cost per load (fixed + per km on the lane)."""

    name: str
    mode: FreightMode
    max_weight_kg: float
    max_volume_m3: float
    fixed_cost: float = 0.0
    cost_per_km: float = 0.0
    max_pallets: float | None = None

    def __post_init__(self) -> None:
        caps = (self.max_weight_kg, self.max_volume_m3, self.max_pallets or 1.0)
        if not all(math.isfinite(c) and c > 0 for c in caps):
            raise LogisticsInputError(f"vehicle type {self.name}: limits must be > 0")
        if self.fixed_cost < 0 or self.cost_per_km < 0:
            raise LogisticsInputError(f"vehicle type {self.name}: costs must be >= 0")


@dataclass(frozen=True)
class Lane:
    """Road distance and transit days of a lane; ``rates`` maps vehicle name to cost per load."""

    origin: Key
    destination: Key
    distance_km: float
    transit_days: int
    rates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LoadLine:
    """The part of an order line on one load (``fraction`` 1 unless the line was split)."""

    line_id: Key
    fraction: float
    weight_kg: float
    volume_m3: float
    pallets: float


@dataclass(frozen=True)
class Load:
    """One vehicle leaving on ``departure_day``, with its lines, utilisation and cost."""

    id: int
    origin: Key
    destination: Key
    vehicle: str
    mode: FreightMode
    departure_day: int
    arrival_day: int
    due_day: int
    lines: tuple[LoadLine, ...]
    weight_kg: float
    volume_m3: float
    pallets: float
    weight_utilisation: float
    volume_utilisation: float
    cost: float

    @property
    def on_time(self) -> bool:
        """Arrives no later than the earliest due day of its lines."""
        return self.arrival_day <= self.due_day


@dataclass(frozen=True)
class GroupReport:
    """How one consolidation group was packed: method, bound and gap (loads above the bound)."""

    origin: Key
    destination: Key
    departure_day: int
    line_ids: tuple[Key, ...]
    method: PackingMethod
    loads: int
    lower_bound_loads: int
    gap_loads: int
    cost: float
    optimal: bool


@dataclass(frozen=True)
class LoadPlan:
    """Loads, the packing report per group, the lines that had to be split, and total cost."""

    loads: tuple[Load, ...]
    groups: tuple[GroupReport, ...]
    split_line_ids: tuple[Key, ...]
    total_cost: float


@dataclass
class _Group:
    lane: Lane
    start: int
    lines: list[OrderLine]

    @property
    def departure(self) -> int:
        return max(line.ready_day for line in self.lines)

    @property
    def due(self) -> int:
        return min(line.due_day for line in self.lines)

    def lateness(self, extra: OrderLine | None = None) -> int:
        lines = self.lines + ([extra] if extra else [])
        departure = max(line.ready_day for line in lines)
        return max(0, departure + self.lane.transit_days - min(line.due_day for line in lines))


def build_loads(
    lines: Iterable[OrderLine],
    vehicles: Sequence[VehicleType],
    lanes: Sequence[Lane],
    window_days: int = 1,
    exact_max_lines: int = 40,
    exact_time_limit_s: float = 5.0,
) -> LoadPlan:
    """Group ``lines`` by lane and window, split oversize lines, pack each group into loads.

    ``window_days`` 1 consolidates only lines ready on the same day. Every lane of a line must
    be in ``lanes``. Groups with at most ``exact_max_lines`` items are packed exactly.
    """
    if not vehicles or window_days < 1:
        raise LogisticsInputError("need at least one vehicle type and window_days >= 1")
    lane_of = {(lane.origin, lane.destination): lane for lane in lanes}
    loads: list[Load] = []
    reports: list[GroupReport] = []
    split: set[Key] = set()
    for group in _consolidate(list(lines), lane_of, window_days):
        items, split_here = _items(group.lines, vehicles)
        split.update(split_here)
        costs = [_load_cost(group.lane, vehicle) for vehicle in vehicles]
        solution = pack(items, vehicles, costs, exact_max_lines, exact_time_limit_s)
        built = _assemble(group, vehicles, costs, solution, first_id=len(loads) + 1)
        loads.extend(built)
        reports.append(_report(group, solution, sum(load.cost for load in built)))
    total = sum(load.cost for load in loads)
    ordered_split = tuple(sorted(split, key=_sort_key))
    return LoadPlan(tuple(loads), tuple(reports), ordered_split, total)


def _sort_key(key: Key) -> tuple[bool, str | int]:
    return (isinstance(key, str), key)


def _consolidate(
    lines: list[OrderLine], lane_of: Mapping[tuple[Key, Key], Lane], window_days: int
) -> list[_Group]:
    by_lane: dict[tuple[Key, Key], list[OrderLine]] = defaultdict(list)
    for line in lines:
        if (line.origin, line.destination) not in lane_of:
            raise LogisticsInputError(
                f"order line {line.id}: no lane {line.origin} -> {line.destination}"
            )
        by_lane[(line.origin, line.destination)].append(line)
    groups: list[_Group] = []
    for key in sorted(by_lane, key=lambda k: (_sort_key(k[0]), _sort_key(k[1]))):
        lane_groups: list[_Group] = []
        ordered = sorted(by_lane[key], key=lambda x: (x.ready_day, x.due_day, _sort_key(x.id)))
        for line in ordered:
            home = next((g for g in lane_groups if _fits(g, line, window_days)), None)
            if home is None:
                lane_groups.append(_Group(lane_of[key], line.ready_day, [line]))
            else:
                home.lines.append(line)
        groups.extend(lane_groups)
    return groups


def _fits(group: _Group, line: OrderLine, window_days: int) -> bool:
    in_window = line.ready_day < group.start + window_days
    return in_window and group.lateness(line) <= group.lateness()


def _items(
    lines: list[OrderLine], vehicles: Sequence[VehicleType]
) -> tuple[list[PackingItem], list[Key]]:
    items: list[PackingItem] = []
    split: list[Key] = []
    for line in lines:
        size = (line.weight_kg, line.volume_m3, line.pallets)
        if any(_fraction_fitting(size, v) >= 1.0 for v in vehicles):
            items.append(PackingItem(line.id, 1.0, *size))
            continue
        split.append(line.id)
        part = max(_fraction_fitting(size, v) for v in vehicles)
        full = math.floor(1.0 / part + 1e-9)
        fractions = [part] * full
        remainder = 1.0 - part * full
        if remainder > 1e-9:
            fractions.append(remainder)
        items.extend(PackingItem(line.id, f, *(f * s for s in size)) for f in fractions)
    return items, split


def _fraction_fitting(size: tuple[float, float, float], vehicle: VehicleType) -> float:
    caps = (vehicle.max_weight_kg, vehicle.max_volume_m3, vehicle.max_pallets or math.inf)
    return min((cap / need for cap, need in zip(caps, size, strict=True) if need > 0), default=1.0)


def _load_cost(lane: Lane, vehicle: VehicleType) -> float:
    agreed = dict(lane.rates).get(vehicle.name)
    return (
        agreed
        if agreed is not None
        else vehicle.fixed_cost + vehicle.cost_per_km * lane.distance_km
    )


def _assemble(
    group: _Group,
    vehicles: Sequence[VehicleType],
    costs: Sequence[float],
    solution: PackingSolution,
    first_id: int,
) -> list[Load]:
    loads = []
    for offset, (vehicle_index, items) in enumerate(solution.bins):
        vehicle = vehicles[vehicle_index]
        parts = tuple(LoadLine(i.key, i.fraction, i.weight, i.volume, i.pallets) for i in items)
        weight = sum(p.weight_kg for p in parts)
        volume = sum(p.volume_m3 for p in parts)
        loads.append(
            Load(
                first_id + offset, group.lane.origin, group.lane.destination, vehicle.name,
                vehicle.mode, group.departure, group.departure + group.lane.transit_days, group.due,
                parts, weight, volume, sum(p.pallets for p in parts),
                weight / vehicle.max_weight_kg, volume / vehicle.max_volume_m3,
                costs[vehicle_index],
            )
        )  # fmt: skip
    return loads


def _report(group: _Group, solution: PackingSolution, cost: float) -> GroupReport:
    return GroupReport(
        group.lane.origin, group.lane.destination, group.departure,
        tuple(line.id for line in group.lines), solution.method, len(solution.bins),
        solution.lower_bound_loads, len(solution.bins) - solution.lower_bound_loads, cost,
        solution.optimal,
    )  # fmt: skip
