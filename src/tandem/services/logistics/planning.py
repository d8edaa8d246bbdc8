"""Plan a shipper's loads for a window of days: consolidate, pack, choose the mode, store.

``plan_loads`` is three visible steps:

1. **Load** (:mod:`~tandem.services.logistics.shipping_lines`): the member's open purchase
   order lines it sells and the planned transfers of its live plan, not yet on another live
   load; the network's lanes, the vehicle types it may use (its own and the network-wide ones).
2. **Compute** (:mod:`tandem.planning.logistics`): each line becomes an engine ``OrderLine``
   due on its due date, with the *ship-by* day ``due − ⌈transit⌉`` of its packing lane
   (:mod:`~tandem.services.logistics.lane_options`). A line may leave up to ``window_days − 1``
   days before its ship-by day (never before ``from_day``): its ready day is
   ``max(from_day, ship-by − (window_days − 1))``, so lines due within ``window_days`` of each
   other share loads and still arrive on time. Lines whose ship-by day falls on or before
   ``to_day`` are planned (overdue ones leave on ``from_day``, late). ``build_loads`` packs them;
   then :func:`~tandem.planning.logistics.choose_mode` picks each load's lane and mode.
3. **Store** (L2's load service): the loads as ``planned`` loads (one drop each), replacing the
   planned loads this function stored before for the same window; tendered or later loads are
   never touched and their lines are not planned again.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tandem.domain import logistics as model
from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import Item, Lane, Site, TransportMode
from tandem.planning import logistics as engine
from tandem.services.context import ServiceContext
from tandem.services.logistics import load_store
from tandem.services.logistics.lane_options import (
    PairLanes,
    engine_vehicle,
    mode_options,
    pair_lanes,
)
from tandem.services.logistics.shipping_lines import (
    ShippingLine,
    claimed_lines,
    order_lines,
    planned_transfers,
    unplannable,
    without_claimed,
)
from tandem.services.ports import UnitOfWork

MAX_WINDOW_DAYS = 31
MAX_PLAN_DAYS = 92


@dataclass(frozen=True)
class PlannedLine:
    key: str
    item_id: int
    sku: str
    quantity: Decimal
    fraction: float
    weight_kg: float
    volume_m3: float


@dataclass(frozen=True)
class ModeRank:
    option: str
    mode: TransportMode
    freight: float
    carrying: float
    total_cost: float
    arrival_day: date
    feasible: bool
    reason: str


@dataclass(frozen=True)
class PlannedLoad:
    """One vehicle (or tariff consignment) on one lane; utilisation against its vehicle type."""

    load_id: int | None
    number: str
    origin_site_id: int
    origin: str
    destination_site_id: int
    destination: str
    consignee_member_id: int
    lane_id: int
    mode: TransportMode
    vehicle: str | None
    vehicle_type_id: int | None
    departure: date
    arrival: date
    due: date
    weight_kg: float
    volume_m3: float
    weight_utilisation: float | None
    volume_utilisation: float | None
    cost: float
    distance_km: float
    lines: tuple[PlannedLine, ...]
    ranking: tuple[ModeRank, ...]

    @property
    def on_time(self) -> bool:
        return self.arrival <= self.due


@dataclass(frozen=True)
class UnplannedLine:
    key: str
    item_id: int
    quantity: Decimal
    reason: str


@dataclass(frozen=True)
class LoadPlanSummary:
    """The stored plan: loads, what could not be planned and why, packing quality."""

    member_id: int
    from_day: date
    to_day: date
    window_days: int
    loads: tuple[PlannedLoad, ...]
    unplanned: tuple[UnplannedLine, ...]
    split_line_keys: tuple[str, ...]
    total_cost: float
    lower_bound_loads: int
    gap_loads: int
    replaced_loads: int

    @property
    def mean_weight_utilisation(self) -> float | None:
        values = [x.weight_utilisation for x in self.loads if x.weight_utilisation is not None]
        return sum(values) / len(values) if values else None

    @property
    def mean_volume_utilisation(self) -> float | None:
        values = [x.volume_utilisation for x in self.loads if x.volume_utilisation is not None]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class _Inputs:
    sites: dict[int, Site]
    items: dict[int, Item]
    pairs: dict[tuple[int, int], PairLanes]
    vehicles: tuple[model.VehicleType, ...]
    lines: list[ShippingLine]
    replaced: list[model.Load]


def check_window(from_day: date, to_day: date, window_days: int) -> None:
    found = []
    if to_day < from_day:
        found.append(Violation("plan", "must not be before from_day", "to_day"))
    elif (to_day - from_day).days >= MAX_PLAN_DAYS:
        found.append(Violation("plan", f"at most {MAX_PLAN_DAYS} days", "to_day"))
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        found.append(Violation("plan", f"must lie in [1, {MAX_WINDOW_DAYS}]", "window_days"))
    if found:
        raise ValidationFailed("invalid load planning window", violations=found)


def usable_vehicles(uow: UnitOfWork, principal: Principal) -> tuple[model.VehicleType, ...]:
    """The member's own vehicle types and the network-wide ones, by code."""
    found = uow.vehicle_types.find(network_id=principal.network_id)
    own = [v for v in found if v.member_id in (None, principal.member_id)]
    return tuple(sorted(own, key=lambda v: (v.code, v.id)))


def _load_inputs(uow: UnitOfWork, principal: Principal, from_day: date, to_day: date) -> _Inputs:
    nid = principal.network_id
    sites = {s.id: s for s in uow.sites.find(network_id=nid)}
    items = {i.id: i for i in uow.items.find(network_id=nid)}
    lanes: tuple[Lane, ...] = tuple(uow.lanes.find(network_id=nid))
    vehicles = usable_vehicles(uow, principal)
    replaced = load_store.replaceable(uow, principal, load_store.PLAN_REFERENCE, from_day, to_day)
    claimed = claimed_lines(uow, nid, {x.id for x in replaced})
    lines = order_lines(uow, principal.member_id, items, sites, lanes)
    lines += planned_transfers(uow, principal.member_id, items, sites)
    return _Inputs(
        sites,
        items,
        pair_lanes(lanes, vehicles, sites),
        vehicles,
        without_claimed(lines, claimed),
        replaced,
    )


def _classify(
    inputs: _Inputs, from_day: date, to_day: date, window_days: int
) -> tuple[list[tuple[ShippingLine, engine.OrderLine]], list[ShippingLine]]:
    """Engine order lines of the lines to plan now; the others that cannot be, with why."""
    plannable: list[tuple[ShippingLine, engine.OrderLine]] = []
    refused: list[ShippingLine] = []
    for line in inputs.lines:
        if not line.plannable:
            refused.append(line)
            continue
        assert line.origin_site_id is not None
        pair = inputs.pairs.get((line.origin_site_id, line.destination_site_id))
        if pair is None or pair.packing_lane is None:
            why = "no lane" if pair is None else "no vehicle type serves any lane"
            route = (
                f"{_code(inputs, line.origin_site_id)} → {_code(inputs, line.destination_site_id)}"
            )
            refused.append(unplannable(line, f"{why} {route}"))
            continue
        ship_by = line.due - timedelta(days=pair.transit_days)
        if ship_by > to_day:
            continue
        ready = max(from_day, ship_by - timedelta(days=window_days - 1))
        assert line.weight_kg is not None and line.volume_m3 is not None
        plannable.append(
            (
                line,
                engine.OrderLine(
                    line.key, line.origin_site_id, line.destination_site_id, line.weight_kg,
                    line.volume_m3, ready.toordinal(), line.due.toordinal(),
                ),
            )
        )  # fmt: skip
    return plannable, refused


def _code(inputs: _Inputs, site_id: int | None) -> str:
    return "?" if site_id is None else inputs.sites[site_id].code


def _rank(cost: engine.ModeCost) -> ModeRank:
    arrival = date.fromordinal(math.ceil(cost.arrival_day - 1e-9))
    return ModeRank(
        cost.option, TransportMode(cost.mode.value), round(cost.freight, 2),
        round(cost.carrying, 2), round(cost.total_cost, 2), arrival, cost.feasible, cost.reason,
    )  # fmt: skip


def _planned_load(
    inputs: _Inputs,
    load: engine.Load,
    by_key: dict[str, ShippingLine],
    shares: dict[tuple[int, str], Decimal],
    policy: engine.ModePolicy,
) -> PlannedLoad:
    pair = inputs.pairs[(int(load.origin), int(load.destination))]
    parts = tuple(
        PlannedLine(
            str(p.line_id), by_key[str(p.line_id)].item_id,
            inputs.items[by_key[str(p.line_id)].item_id].sku,
            shares[(load.id, str(p.line_id))], p.fraction,
            p.weight_kg, p.volume_m3,
        )
        for p in load.lines
    )  # fmt: skip
    units = float(sum((p.quantity for p in parts), Decimal(0)))
    value = sum(by_key[p.key].value * p.fraction for p in parts)
    options = mode_options(
        pair, inputs.vehicles, load.vehicle, load.weight_kg, load.volume_m3, units
    )
    shipment = engine.Shipment(
        f"load {load.id}", load.weight_kg, load.volume_m3, value, load.departure_day, load.due_day
    )
    choice = engine.choose_mode(shipment, [o for o, _ in options], policy)
    best = choice.chosen or choice.ranking[0]
    source = next(s for o, s in options if o.option == best.option)
    vehicle = source.vehicle
    first = by_key[parts[0].key]
    return PlannedLoad(
        None, "", pair.origin_site_id, _code(inputs, pair.origin_site_id),
        pair.destination_site_id, _code(inputs, pair.destination_site_id),
        first.consignee_member_id, source.lane.id, source.lane.mode,
        None if vehicle is None else vehicle.code, None if vehicle is None else vehicle.id,
        date.fromordinal(load.departure_day),
        date.fromordinal(math.ceil(best.arrival_day - 1e-9)), date.fromordinal(load.due_day),
        load.weight_kg, load.volume_m3,
        None if vehicle is None else load.weight_kg / vehicle.max_weight_kg,
        None if vehicle is None else load.volume_m3 / vehicle.max_volume_m3,
        round(best.freight, 2), pair.distance_km, parts,
        tuple(_rank(c) for c in choice.ranking),
    )  # fmt: skip


def part_quantities(
    loads: Sequence[engine.Load], by_key: dict[str, ShippingLine]
) -> dict[tuple[int, str], Decimal]:
    """Units of each line on each load: the line's quantity x the part's fraction to 0.001,
    the last part of a split line taking what is left, so that the parts sum to the line."""
    parts_left: dict[str, int] = defaultdict(int)
    for load in loads:
        for part in load.lines:
            parts_left[str(part.line_id)] += 1
    given: dict[str, Decimal] = defaultdict(Decimal)
    shares: dict[tuple[int, str], Decimal] = {}
    for load in loads:
        for part in load.lines:
            key = str(part.line_id)
            whole = by_key[key].quantity
            parts_left[key] -= 1
            if parts_left[key] == 0:
                share = whole - given[key]
            else:
                share = (whole * Decimal(str(part.fraction))).quantize(Decimal("0.001"))
            given[key] += share
            shares[(load.id, key)] = share
    return shares


def compute_plan(
    inputs: _Inputs,
    from_day: date,
    to_day: date,
    window_days: int,
    policy: engine.ModePolicy | None = None,
) -> tuple[list[PlannedLoad], list[ShippingLine], engine.LoadPlan]:
    """Step 2 of the module docstring, without storing."""
    plannable, refused = _classify(inputs, from_day, to_day, window_days)
    plan = _build([x for _, x in plannable], inputs, window_days)
    by_key = {line.key: line for line, _ in plannable}
    shares = part_quantities(plan.loads, by_key)
    rules = policy or engine.ModePolicy()
    loads = [_planned_load(inputs, load, by_key, shares, rules) for load in plan.loads]
    return loads, refused, plan


def _build(lines: list[engine.OrderLine], inputs: _Inputs, window_days: int) -> engine.LoadPlan:
    """``build_loads`` per pair of sites (each has its own vehicle types), loads renumbered."""
    by_pair: dict[tuple[int, int], list[engine.OrderLine]] = {}
    for line in lines:
        by_pair.setdefault((int(line.origin), int(line.destination)), []).append(line)
    loads: list[engine.Load] = []
    groups: list[engine.GroupReport] = []
    split: list[str | int] = []
    for key in sorted(by_pair):
        pair = inputs.pairs[key]
        vehicles = [engine_vehicle(v) for v in pair.vehicles]
        part = engine.build_loads(by_pair[key], vehicles, [pair.engine_lane()], window_days)
        loads += [replace(load, id=len(loads) + load.id) for load in part.loads]
        groups += part.groups
        split += part.split_line_ids
    return engine.LoadPlan(tuple(loads), tuple(groups), tuple(split), sum(x.cost for x in loads))


def _draft(load: PlannedLoad) -> load_store.DraftLoad:
    """The load to store: picked up on its departure day, delivered from its arrival day to
    its due day (its arrival day when late)."""
    return load_store.DraftLoad(
        load.origin_site_id,
        load.mode,
        load.vehicle_type_id,
        load_store.day_window(load.departure, load_store.PICKUP_HOURS),
        (
            load_store.day_window(load.arrival, load_store.DELIVERY_HOURS)[0],
            load_store.day_window(max(load.arrival, load.due), load_store.DELIVERY_HOURS)[1],
        ),
        load.cost,
        load.distance_km,
        load_store.PLAN_REFERENCE,
        (load_store.DraftStop(load.destination_site_id, load.consignee_member_id),),
        tuple(_draft_line(load, part) for part in load.lines),
    )


def _draft_line(load: PlannedLoad, part: PlannedLine) -> load_store.DraftLine:
    kind, _, ref = part.key.partition(":")
    return load_store.DraftLine(
        part.item_id,
        part.quantity,
        part.weight_kg,
        part.volume_m3,
        load.destination_site_id,
        order_line_id=int(ref) if kind == "po" else None,
        transfer_reference=ref if kind == "tr" else "",
    )


def plan_loads(
    ctx: ServiceContext,
    principal: Principal,
    from_day: date,
    to_day: date,
    window_days: int = 1,
    policy: engine.ModePolicy | None = None,
) -> LoadPlanSummary:
    """Plan and store the member's loads leaving from ``from_day`` to ``to_day``."""
    principal.require(Scope.DATA_WRITE)
    check_window(from_day, to_day, window_days)
    with ctx.uow() as uow:
        inputs = _load_inputs(uow, principal, from_day, to_day)
        loads, refused, plan = compute_plan(inputs, from_day, to_day, window_days, policy)
        stored = load_store.replace_loads(
            uow, ctx, principal, inputs.replaced, [_draft(x) for x in loads]
        )
        uow.commit()
    loads = [replace(x, load_id=s.id, number=s.number) for x, s in zip(loads, stored, strict=True)]
    bound = sum(g.lower_bound_loads for g in plan.groups)
    return LoadPlanSummary(
        principal.member_id, from_day, to_day, window_days, tuple(loads),
        tuple(UnplannedLine(x.key, x.item_id, x.quantity, x.reason) for x in refused),
        tuple(str(k) for k in plan.split_line_ids), round(sum(x.cost for x in loads), 2),
        bound, sum(g.gap_loads for g in plan.groups), len(inputs.replaced),
    )  # fmt: skip
