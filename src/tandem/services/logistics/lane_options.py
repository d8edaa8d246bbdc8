"""From the network model to the logistics engines: lanes, vehicle types and mode options.

* **Vehicles on a lane.** A lane of a road mode (road, full truckload, less than truckload, van)
  is driven by every road vehicle type; a sea, air, rail or parcel lane only by vehicle types of
  exactly its mode.
* **The packing lane** of a pair of sites is, among the lanes between them that some vehicle
  type serves, the one of least ``cost_per_unit`` (then least lead time, then id). Its transit
  days are ``ceil(lead_time_mean_days)``; its distance is the great-circle distance × 1.3
  (:mod:`tandem.planning.logistics.geo`).
* **Mode options of a load.** One per lane between the pair (the lanes between the same sites
  with different modes): the packing lane with the vehicle type the load was packed into; any
  other lane with the cheapest vehicle type serving it that holds the whole load (one load at
  fixed + per km × distance); failing such a vehicle type, the lane's tariff
  ``cost_per_unit × units`` as a fixed charge. Transit is the lane's lead time (mean, std).
  :func:`tandem.planning.logistics.choose_mode` ranks them by freight + in-transit carrying and
  keeps the cheapest that arrives by the due day (Chopra & Meindl 2016, ch. 14).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.domain import logistics as model
from tandem.domain.network import Lane, Site, TransportMode
from tandem.planning import logistics as engine

ROAD_MODES = frozenset(
    {
        TransportMode.ROAD,
        TransportMode.FULL_TRUCKLOAD,
        TransportMode.LESS_THAN_TRUCKLOAD,
        TransportMode.VAN,
    }
)


def serves(vehicle: model.VehicleType, lane_mode: TransportMode) -> bool:
    """Whether a vehicle type may run on a lane of ``lane_mode`` (see the module docstring)."""
    if lane_mode in ROAD_MODES:
        return vehicle.mode in ROAD_MODES
    return vehicle.mode is lane_mode


def engine_vehicle(vehicle: model.VehicleType) -> engine.VehicleType:
    """The engine's vehicle type, named by the platform's code."""
    return engine.VehicleType(
        vehicle.code,
        engine.FreightMode(vehicle.mode.value),
        vehicle.max_weight_kg,
        vehicle.max_volume_m3,
        fixed_cost=vehicle.fixed_cost,
        cost_per_km=vehicle.cost_per_km,
    )


def road_km(a: Site, b: Site) -> float:
    """Great-circle distance × the default road factor (1.3)."""
    km = engine.great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)
    return km * engine.DEFAULT_ROAD_FACTOR


@dataclass(frozen=True)
class PairLanes:
    """The lanes between two sites, the one loads are packed for and its vehicle types."""

    origin_site_id: int
    destination_site_id: int
    lanes: tuple[Lane, ...]
    packing_lane: Lane | None
    vehicles: tuple[model.VehicleType, ...]
    distance_km: float

    @property
    def transit_days(self) -> int:
        assert self.packing_lane is not None
        return math.ceil(self.packing_lane.lead_time_mean_days - 1e-9)

    def engine_lane(self) -> engine.Lane:
        return engine.Lane(
            self.origin_site_id, self.destination_site_id, self.distance_km, self.transit_days
        )


def pair_lanes(
    lanes: Sequence[Lane], vehicles: Sequence[model.VehicleType], sites: dict[int, Site]
) -> dict[tuple[int, int], PairLanes]:
    """Every pair of sites joined by a lane, with its packing lane (``None``: no vehicle)."""
    by_pair: dict[tuple[int, int], list[Lane]] = defaultdict(list)
    for lane in lanes:
        by_pair[(lane.from_site_id, lane.to_site_id)].append(lane)
    found = {}
    for (origin, destination), joined in by_pair.items():
        usable = [lane for lane in joined if any(serves(v, lane.mode) for v in vehicles)]
        packing = min(
            usable,
            key=lambda x: (x.cost_per_unit, x.lead_time_mean_days, x.id),
            default=None,
        )
        fleet = () if packing is None else tuple(v for v in vehicles if serves(v, packing.mode))
        km = road_km(sites[origin], sites[destination])
        found[(origin, destination)] = PairLanes(
            origin, destination, tuple(sorted(joined, key=lambda x: x.id)), packing, fleet, km
        )
    return found


def _vehicle_option(
    lane: Lane, vehicle: model.VehicleType, distance_km: float
) -> engine.ModeOption:
    return engine.ModeOption(
        f"{lane.mode.value} lane {lane.id} · {vehicle.code}",
        engine.FreightMode(lane.mode.value),
        lane.lead_time_mean_days,
        lane.lead_time_std_days,
        rate_per_load=vehicle.fixed_cost + vehicle.cost_per_km * distance_km,
        load_weight_kg=vehicle.max_weight_kg,
        load_volume_m3=vehicle.max_volume_m3,
    )


@dataclass(frozen=True)
class OptionSource:
    """Where a mode option comes from: its lane and, for a per-load rate, its vehicle type."""

    lane: Lane
    vehicle: model.VehicleType | None


def _holds(vehicle: model.VehicleType, weight_kg: float, volume_m3: float) -> bool:
    tolerance = 1e-9
    fits_weight = weight_kg <= vehicle.max_weight_kg + tolerance
    return fits_weight and volume_m3 <= vehicle.max_volume_m3 + tolerance


def mode_options(
    pair: PairLanes,
    vehicles: Sequence[model.VehicleType],
    packed_vehicle: str,
    weight_kg: float,
    volume_m3: float,
    units: float,
) -> list[tuple[engine.ModeOption, OptionSource]]:
    """One option per lane of the pair for one packed load (see the module docstring): the
    packing lane with the vehicle type the load was packed into; another lane with the
    cheapest vehicle type that holds the load, else at its tariff."""
    options: list[tuple[engine.ModeOption, OptionSource]] = []
    for lane in pair.lanes:
        if pair.packing_lane is not None and lane.id == pair.packing_lane.id:
            fleet = [v for v in vehicles if v.code == packed_vehicle]
        else:
            fleet = [
                v for v in vehicles if serves(v, lane.mode) and _holds(v, weight_kg, volume_m3)
            ]
        if fleet:
            priced = [(_vehicle_option(lane, v, pair.distance_km), v) for v in fleet]
            best, vehicle = min(priced, key=lambda p: (p[0].rate_per_load, p[1].code))
            options.append((best, OptionSource(lane, vehicle)))
            continue
        tariff = engine.ModeOption(
            f"{lane.mode.value} lane {lane.id} · tariff",
            engine.FreightMode(lane.mode.value),
            lane.lead_time_mean_days,
            lane.lead_time_std_days,
            fixed_charge=lane.cost_per_unit * units,
        )
        options.append((tariff, OptionSource(lane, None)))
    return options
