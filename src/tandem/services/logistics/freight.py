"""Planned freight per unit, by lane and item: what the loads actually planned cost.

For every load of the network that is not cancelled and is picked up within ``days`` of today
(before or after), its planned cost is shared among its lines by weight (by quantity when the
load weighs nothing) and booked on the lane of its mode from the load's origin to each line's
drop (any lane between the two sites when none has that mode; lanes for one item only count
for that item). Then, per lane and item,

    planned freight per unit = sum of the freight booked / sum of the units carried.

The coordinated-inventory landed-cost roll-up (:mod:`tandem.services.inventory_plan`) uses it
instead of the lane's ``cost_per_unit`` wherever loads were planned (Chopra & Meindl 2016,
ch. 14: transport cost is part of the landed cost of what is moved). Freight is aggregated
over every shipper of the network; only the per-unit averages leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from tandem.domain import logistics as model
from tandem.domain.network import Lane
from tandem.services.ports import UnitOfWork

FREIGHT_WINDOW_DAYS = 28


def _lane_for(lanes: list[Lane], mode: str, item_id: int) -> Lane | None:
    fitting = [x for x in lanes if x.item_id in (None, item_id)]
    same_mode = [x for x in fitting if x.mode.value == mode]
    chosen = same_mode or fitting
    return min(chosen, key=lambda x: x.id) if chosen else None


def _shares(lines: list[model.LoadLine]) -> list[float]:
    weight = sum(x.weight_kg for x in lines)
    if weight > 0:
        return [x.weight_kg / weight for x in lines]
    units = float(sum(x.quantity for x in lines))
    return [float(x.quantity) / units if units > 0 else 0.0 for x in lines]


def planned_freight_per_unit(
    uow: UnitOfWork, network_id: int, today: date, days: int = FREIGHT_WINDOW_DAYS
) -> dict[tuple[int, int], float]:
    """``(lane id, item id)`` → planned freight per unit (see the module docstring)."""
    by_pair: dict[tuple[int, int], list[Lane]] = defaultdict(list)
    for lane in uow.lanes.find(network_id=network_id):
        by_pair[(lane.from_site_id, lane.to_site_id)].append(lane)
    cost: dict[tuple[int, int], float] = defaultdict(float)
    units: dict[tuple[int, int], float] = defaultdict(float)
    first, last = today - timedelta(days=days), today + timedelta(days=days)
    for load in uow.loads.find(network_id=network_id):
        if load.status is model.LoadStatus.CANCELLED:
            continue
        if not first <= load.pickup_from.date() <= last:
            continue
        lines = uow.load_lines.find(load_id=load.id)
        for line, share in zip(lines, _shares(lines), strict=True):
            pair = by_pair.get((load.origin_site_id, line.to_site_id), [])
            booked = _lane_for(pair, load.mode.value, line.item_id)
            if booked is None:
                continue
            key = (booked.id, line.item_id)
            cost[key] += load.planned_cost_minor / 100 * share
            units[key] += float(line.quantity)
    return {key: cost[key] / units[key] for key in cost if units[key] > 0}
