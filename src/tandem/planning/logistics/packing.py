"""Vector bin packing of order lines into vehicles of one or more types.

Each item has a size vector (weight, volume, pallets) and each vehicle type a capacity vector
and a cost per load; a packing puts every item in exactly one vehicle without exceeding any
dimension, at least total cost.

* **First-fit decreasing** (Johnson 1973; for vectors, Panigrahy, Talwar, Uyeda & Wieder 2011,
  "Heuristics for vector bin packing", Microsoft Research): per vehicle type, items sorted by
  their largest share of that vehicle's capacity go into the first open vehicle with room; each
  vehicle is then right-sized to the cheapest type that holds its contents, and the cheapest of
  these plans is kept.
* **Exact**: the assignment MIP (Martello & Toth 1990, "Knapsack Problems", ch. 8, model 8.1-8.5
  with one bin set per vehicle type), ``min sum_b c_b y_b`` s.t. ``sum_b x_ib = 1``,
  ``sum_i s_id x_ib <= C_bd y_b`` and ``y_b >= y_b+1`` within a type (symmetry), solved by HiGHS
  through :func:`scipy.optimize.milp`. A type needs at most as many vehicles as first-fit
  decreasing opens with that type alone (repacking an optimum's vehicles of that type into
  fewer never costs more), which bounds the model.
* **Lower bound** on the number of loads: ``max_d ceil(sum_i s_id / max_t C_td)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np
from scipy import optimize, sparse  # type: ignore[import-untyped, unused-ignore]

__all__ = ["PackingItem", "PackingMethod", "PackingSolution", "pack"]

_TOLERANCE = 1e-9


class PackingMethod(StrEnum):
    """How a consolidation group was packed."""

    FIRST_FIT_DECREASING = "first_fit_decreasing"
    EXACT = "exact"


class _Capacity(Protocol):
    @property
    def max_weight_kg(self) -> float: ...
    @property
    def max_volume_m3(self) -> float: ...
    @property
    def max_pallets(self) -> float | None: ...


@dataclass(frozen=True)
class PackingItem:
    """A line or a part of a split line: its key, share of the line and size."""

    key: str | int
    fraction: float
    weight: float
    volume: float
    pallets: float

    @property
    def size(self) -> tuple[float, float, float]:
        return (self.weight, self.volume, self.pallets)


@dataclass(frozen=True)
class PackingSolution:
    """Vehicles as ``(vehicle type index, items)``; ``optimal`` is proven by the MIP only."""

    bins: tuple[tuple[int, tuple[PackingItem, ...]], ...]
    cost: float
    method: PackingMethod
    lower_bound_loads: int
    optimal: bool


def _caps(vehicle: _Capacity) -> tuple[float, float, float]:
    return (vehicle.max_weight_kg, vehicle.max_volume_m3, vehicle.max_pallets or math.inf)


def _fits(load: Sequence[float], item: PackingItem, caps: Sequence[float]) -> bool:
    return all(u + s <= c * (1 + _TOLERANCE) for u, s, c in zip(load, item.size, caps, strict=True))


def pack(
    items: Sequence[PackingItem],
    vehicles: Sequence[_Capacity],
    costs: Sequence[float],
    exact_max_items: int = 40,
    time_limit_s: float = 5.0,
) -> PackingSolution:
    """Pack ``items`` (each must fit some vehicle) at least cost; exact when few enough."""
    bound = lower_bound_loads(items, vehicles)
    best = first_fit_decreasing(items, vehicles, costs, bound)
    if len(best.bins) <= 1 and len(vehicles) == 1:
        return PackingSolution(best.bins, best.cost, best.method, bound, True)
    if len(items) <= exact_max_items:
        exact = exact_packing(items, vehicles, costs, best, time_limit_s)
        if exact is not None and (exact.optimal or exact.cost < best.cost - 1e-9):
            return exact
    return best


def lower_bound_loads(items: Sequence[PackingItem], vehicles: Sequence[_Capacity]) -> int:
    """``max_d ceil(sum of sizes in d / largest capacity in d)`` (at least 1 for any item)."""
    if not items:
        return 0
    bounds = [1]
    for d in range(3):
        total = sum(item.size[d] for item in items)
        largest = max(_caps(v)[d] for v in vehicles)
        if math.isfinite(largest) and total > 0:
            bounds.append(math.ceil(total / largest - 1e-9))
    return max(bounds)


def first_fit_decreasing(
    items: Sequence[PackingItem],
    vehicles: Sequence[_Capacity],
    costs: Sequence[float],
    bound: int,
) -> PackingSolution:
    """Cheapest right-sized first-fit-decreasing plan over the vehicle types."""
    plans = []
    for t, vehicle in enumerate(vehicles):
        caps = _caps(vehicle)
        fitting = [i for i in items if _fits((0.0, 0.0, 0.0), i, caps)]
        if len(fitting) < len(items):
            plans.append(_ffd_mixed(items, vehicles, t))
            continue
        plans.append(_ffd_one(items, caps))
    priced = [_right_size(plan, vehicles, costs) for plan in plans]
    bins = min(priced, key=lambda p: (sum(costs[t] for t, _ in p), len(p)))
    total = sum(costs[t] for t, _ in bins)
    return PackingSolution(tuple(bins), total, PackingMethod.FIRST_FIT_DECREASING, bound, False)


def _share(item: PackingItem, caps: Sequence[float]) -> float:
    return max(s / c for s, c in zip(item.size, caps, strict=True))


def _ffd_one(items: Sequence[PackingItem], caps: Sequence[float]) -> list[list[PackingItem]]:
    ordered = sorted(items, key=lambda i: -_share(i, caps))
    bins: list[list[PackingItem]] = []
    loads: list[list[float]] = []
    for item in ordered:
        slot = next((k for k, load in enumerate(loads) if _fits(load, item, caps)), None)
        if slot is None:
            bins.append([])
            loads.append([0.0, 0.0, 0.0])
            slot = len(bins) - 1
        bins[slot].append(item)
        loads[slot] = [u + s for u, s in zip(loads[slot], item.size, strict=True)]
    return bins


def _ffd_mixed(
    items: Sequence[PackingItem], vehicles: Sequence[_Capacity], preferred: int
) -> list[list[PackingItem]]:
    """FFD on the preferred type for what fits it; the rest on the type needing fewest loads."""
    caps = _caps(vehicles[preferred])
    small = [i for i in items if _fits((0.0, 0.0, 0.0), i, caps)]
    rest = [i for i in items if not _fits((0.0, 0.0, 0.0), i, caps)]
    big = max(range(len(vehicles)), key=lambda t: sum(_caps(vehicles[t])[:2]))
    return _ffd_one(small, caps) + _ffd_one(rest, _caps(vehicles[big]))


def _right_size(
    bins: list[list[PackingItem]], vehicles: Sequence[_Capacity], costs: Sequence[float]
) -> list[tuple[int, tuple[PackingItem, ...]]]:
    result = []
    for content in bins:
        total = [sum(i.size[d] for i in content) for d in range(3)]
        whole = PackingItem("", 1.0, *total)
        able = [t for t, v in enumerate(vehicles) if _fits((0.0, 0.0, 0.0), whole, _caps(v))]
        result.append((min(able, key=lambda t: (costs[t], t)), tuple(content)))
    return result


def exact_packing(
    items: Sequence[PackingItem],
    vehicles: Sequence[_Capacity],
    costs: Sequence[float],
    incumbent: PackingSolution,
    time_limit_s: float,
) -> PackingSolution | None:
    """Assignment MIP on HiGHS; ``None`` when it finds no plan within the time limit."""
    slots = _bin_slots(items, vehicles)
    n, m = len(items), len(slots)
    n_var = n * m + m
    tie = 1e-6 * (1.0 + max(costs))
    objective = np.zeros(n_var)
    objective[n * m :] = [costs[t] + tie for t in slots]
    upper = np.ones(n_var)
    for b, t in enumerate(slots):
        for i, item in enumerate(items):
            if not _fits((0.0, 0.0, 0.0), item, _caps(vehicles[t])):
                upper[i * m + b] = 0.0
    constraints = _constraints(items, vehicles, slots)
    result = optimize.milp(
        objective,
        constraints=constraints,
        integrality=np.ones(n_var),
        bounds=optimize.Bounds(np.zeros(n_var), upper),
        options={"time_limit": time_limit_s, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return None
    x = np.round(result.x[: n * m]).reshape(n, m)
    bins = []
    for b, t in enumerate(slots):
        content = tuple(items[i] for i in range(n) if x[i, b] > 0.5)
        if content:
            bins.append((t, content))
    if not _valid(bins, vehicles, n):
        return None
    total = sum(costs[t] for t, _ in bins)
    optimal = bool(result.status == 0)
    return PackingSolution(
        tuple(bins), total, PackingMethod.EXACT, incumbent.lower_bound_loads, optimal
    )


def _bin_slots(items: Sequence[PackingItem], vehicles: Sequence[_Capacity]) -> list[int]:
    slots: list[int] = []
    for t, vehicle in enumerate(vehicles):
        caps = _caps(vehicle)
        fitting = [i for i in items if _fits((0.0, 0.0, 0.0), i, caps)]
        slots.extend([t] * len(_ffd_one(fitting, caps)))
    return slots


def _constraints(
    items: Sequence[PackingItem], vehicles: Sequence[_Capacity], slots: list[int]
) -> list[optimize.LinearConstraint]:
    n, m = len(items), len(slots)
    assign = sparse.lil_matrix((n, n * m + m))
    for i in range(n):
        assign[i, i * m : (i + 1) * m] = 1.0
    rows = []
    for b, t in enumerate(slots):
        for d, cap in enumerate(_caps(vehicles[t])):
            if math.isfinite(cap):
                row = np.zeros(n * m + m)
                row[[i * m + b for i in range(n)]] = [item.size[d] / cap for item in items]
                row[n * m + b] = -1.0
                rows.append(row)
    symmetry = []
    for b in range(m - 1):
        if slots[b] == slots[b + 1]:
            row = np.zeros(n * m + m)
            row[n * m + b], row[n * m + b + 1] = -1.0, 1.0
            symmetry.append(row)
    capacity = np.array(rows + symmetry)
    return [
        optimize.LinearConstraint(assign.tocsr(), np.ones(n), np.ones(n)),
        optimize.LinearConstraint(capacity, -np.inf, np.zeros(len(capacity))),
    ]


def _valid(
    bins: list[tuple[int, tuple[PackingItem, ...]]], vehicles: Sequence[_Capacity], n: int
) -> bool:
    if sum(len(content) for _, content in bins) != n:
        return False
    for t, content in bins:
        caps = _caps(vehicles[t])
        totals = [sum(i.size[d] for i in content) for d in range(3)]
        if any(u > c * (1 + _TOLERANCE) for u, c in zip(totals, caps, strict=True)):
            return False
    return True
