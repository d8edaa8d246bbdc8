"""Transport mode choice per shipment by total landed cost against the required date.

For each :class:`ModeOption` on the shipment's lane (Chopra & Meindl 2016, "Supply Chain
Management", 6th ed., ch. 14 "Transportation": the trade-off between transport cost and the
inventory carried in transit; Silver, Pyke & Thomas 2017, section 2.3 on pipeline carrying):

* **freight** ``max(minimum, fixed + per_kg x chargeable kg + per_m3 x m3 + per_load x loads)``
  with the chargeable weight ``max(kg, m3 x volumetric factor)`` (IATA dimensional weight:
  6,000 cm3 per kg, i.e. 166.67 kg per m3 for air; parcel carriers commonly 5,000 cm3 per kg)
  and ``loads = ceil(max(kg / load kg, m3 / load m3))`` when the option carries full loads;
* **planned transit** ``t = mean + z std`` with ``z = Phi^-1(service level)`` when a transit
  standard deviation and a service level are given, else the mean;
* **in-transit carrying** ``value x annual carrying rate x t / 365``;
* **lateness**: an arrival ``ship day + t`` after the required day is infeasible, or, with a
  penalty per day, costs ``penalty x days late``.

The option with the least total among the feasible ones is chosen; the ranking tells why every
other option lost (infeasible, or how much dearer than the choice).

Examples
--------
A 400 kg, 2 m3 shipment worth 20,000 shipped on day 0, required on day 5, carrying 25 % a year:

>>> road = ModeOption("road", FreightMode.LESS_THAN_TRUCKLOAD, 3.0, rate_per_kg=0.20)
>>> air = ModeOption("air", FreightMode.AIR, 1.0, rate_per_kg=2.0, volumetric_kg_per_m3=166.67)
>>> choice = choose_mode(Shipment("S1", 400.0, 2.0, 20_000.0, 0, 5), (road, air))
>>> choice.chosen.option, round(choice.chosen.total_cost, 2)  # 80 + 20000*0.25*3/365
('road', 121.1)
>>> choice.ranking[1].reason
'costs 692.60 more than road'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.logistics.errors import LogisticsInputError

__all__ = [
    "FreightMode",
    "ModeChoice",
    "ModeCost",
    "ModeOption",
    "ModePolicy",
    "Shipment",
    "choose_mode",
    "freight_cost",
]


class FreightMode(StrEnum):
    """Transport modes; the values equal the network model's transport modes."""

    ROAD = "road"
    FULL_TRUCKLOAD = "full_truckload"
    LESS_THAN_TRUCKLOAD = "less_than_truckload"
    PARCEL = "parcel"
    RAIL = "rail"
    SEA = "sea"
    AIR = "air"
    VAN = "van"


@dataclass(frozen=True)
class ModeOption:
    """One way to move a shipment on a lane: a mode, its transit time and its rate card.

    Transit days are the lane's lead time (mean, standard deviation). ``load_weight_kg`` and
    ``load_volume_m3`` (both or neither) make ``rate_per_load`` charge per full vehicle or
    container; without them one load is charged. ``volumetric_kg_per_m3`` (0 = none) sets the
    chargeable weight.
    """

    option: str
    mode: FreightMode
    transit_days_mean: float
    transit_days_std: float = 0.0
    rate_per_kg: float = 0.0
    rate_per_m3: float = 0.0
    rate_per_load: float = 0.0
    minimum_charge: float = 0.0
    fixed_charge: float = 0.0
    volumetric_kg_per_m3: float = 0.0
    load_weight_kg: float | None = None
    load_volume_m3: float | None = None

    def __post_init__(self) -> None:
        numbers = (
            self.transit_days_mean,
            self.transit_days_std,
            self.rate_per_kg,
            self.rate_per_m3,
            self.rate_per_load,
            self.minimum_charge,
            self.fixed_charge,
            self.volumetric_kg_per_m3,
        )
        if not all(math.isfinite(x) and x >= 0 for x in numbers):
            raise LogisticsInputError(f"mode option {self.option}: rates and days must be >= 0")
        for cap in (self.load_weight_kg, self.load_volume_m3):
            if cap is not None and not cap > 0:
                raise LogisticsInputError(f"mode option {self.option}: load capacity must be > 0")


@dataclass(frozen=True)
class Shipment:
    """Goods to move: weight, volume, inventory value; days are integers on one calendar."""

    id: str | int
    weight_kg: float
    volume_m3: float
    value: float
    ship_day: int
    required_day: int


@dataclass(frozen=True)
class ModePolicy:
    """Carrying rate (fraction of value a year), transit service level, lateness penalty.

    ``service_level`` ``None`` plans on the mean transit time. ``lateness_penalty_per_day``
    ``None`` makes a late arrival infeasible; a number charges it per day late.
    """

    carrying_rate_per_year: float = 0.25
    service_level: float | None = None
    lateness_penalty_per_day: float | None = None

    def __post_init__(self) -> None:
        if self.service_level is not None and not 0 < self.service_level < 1:
            raise LogisticsInputError("service_level must lie in (0, 1)")
        if self.carrying_rate_per_year < 0:
            raise LogisticsInputError("carrying_rate_per_year must be >= 0")


@dataclass(frozen=True)
class ModeCost:
    """The landed-cost breakdown of one option for one shipment and why it lost, if it did."""

    option: str
    mode: FreightMode
    freight: float
    carrying: float
    lateness_penalty: float
    total_cost: float
    planned_transit_days: float
    arrival_day: float
    days_late: float
    feasible: bool
    reason: str


@dataclass(frozen=True)
class ModeChoice:
    """Options ranked feasible first, then by total cost; ``chosen`` is ``None`` if none fits."""

    shipment_id: str | int
    chosen: ModeCost | None
    ranking: tuple[ModeCost, ...]


def freight_cost(option: ModeOption, weight_kg: float, volume_m3: float) -> float:
    """Freight of one shipment under the option's rate card (see the module docstring)."""
    chargeable = max(weight_kg, volume_m3 * option.volumetric_kg_per_m3)
    loads = 1
    if option.load_weight_kg is not None or option.load_volume_m3 is not None:
        by_weight = weight_kg / option.load_weight_kg if option.load_weight_kg else 0.0
        by_volume = volume_m3 / option.load_volume_m3 if option.load_volume_m3 else 0.0
        loads = max(1, math.ceil(max(by_weight, by_volume) - 1e-9))
    variable = option.rate_per_kg * chargeable + option.rate_per_m3 * volume_m3
    return max(option.minimum_charge, option.fixed_charge + variable + option.rate_per_load * loads)


def choose_mode(
    shipment: Shipment, options: Sequence[ModeOption], policy: ModePolicy | None = None
) -> ModeChoice:
    """Rank the options by landed cost; choose the cheapest that meets the required date."""
    if not options:
        raise LogisticsInputError(f"shipment {shipment.id}: no mode options")
    rules = policy or ModePolicy()
    z = 0.0 if rules.service_level is None else float(stats.norm.ppf(rules.service_level))
    costs = [_cost(shipment, option, rules, z) for option in options]
    ordered = sorted(costs, key=lambda c: (not c.feasible, c.total_cost, c.option))
    chosen = ordered[0] if ordered[0].feasible else None
    ranking = tuple(_explain(cost, chosen) for cost in ordered)
    return ModeChoice(shipment.id, ranking[0] if chosen else None, ranking)


def _cost(shipment: Shipment, option: ModeOption, rules: ModePolicy, z: float) -> ModeCost:
    transit = option.transit_days_mean + z * option.transit_days_std
    arrival = shipment.ship_day + transit
    late = max(0.0, arrival - shipment.required_day)
    freight = freight_cost(option, shipment.weight_kg, shipment.volume_m3)
    carrying = shipment.value * rules.carrying_rate_per_year * transit / 365.0
    penalty_rate = rules.lateness_penalty_per_day
    feasible = late <= 1e-9 or penalty_rate is not None
    penalty = late * penalty_rate if penalty_rate is not None else 0.0
    total = freight + carrying + penalty
    return ModeCost(
        option.option, option.mode, freight, carrying, penalty, total, transit, arrival, late,
        feasible, "",
    )  # fmt: skip


def _explain(cost: ModeCost, chosen: ModeCost | None) -> ModeCost:
    if not cost.feasible:
        reason = f"infeasible: arrives day {cost.arrival_day:.2f}, {cost.days_late:.2f} days late"
    elif chosen is None or cost is chosen:
        reason = "chosen: least landed cost meeting the required date"
    else:
        reason = f"costs {cost.total_cost - chosen.total_cost:.2f} more than {chosen.option}"
    return ModeCost(**{**cost.__dict__, "reason": reason})
