"""Build the guaranteed-service stage network and the landed-cost inputs from platform data.

Rules (``docs/coordinated-inventory.md`` explains them with an example):

* **Stages.** Every visible stocking point (item at site) is a stage, named by its id.
* **Arcs.** A lane into the point's site that carries its item (``item_id`` the item or every
  item) from a site holding a visible stocking point of the same item is an arc (quantity 1).
  A point fed so is a transfer point. At any other point, a bill-of-materials line of its
  item (the site's own line, else the every-site line) is an arc from the component's
  stocking point at the same site, or — where that site stocks no such component — from the
  component's stocking point at a site with a lane into it (quantity ``quantity_per``).
  Two arcs between the same pair of stages are merged (the first lane wins).
* **Processing time** ``T_j = processing_days_j + max`` mean lead time of the lanes of its
  inbound arcs. A point fed by no arc is supplied from outside the visible network: the lanes
  into its site for its item (failing those, for every item) count for ``T_j`` only.
* **Demand stages** are points with a demand estimate (forecast, else history). Lead-time
  variability is folded into their standard deviation per day:
  ``sigma^2 = sigma_d^2 + mu_d^2 sigma_L^2 / L`` with ``L = T_j``, so that ``L sigma^2 =
  L sigma_d^2 + mu_d^2 sigma_L^2`` is the variance of demand over the lead time (Silver, Pyke &
  Thomas, *Inventory and Production Management in Supply Chains*, 4th ed., 2017, eq. 6.10).
  ``sigma_L`` is the largest lead-time standard deviation of the point's lanes, replaced by the
  supplier scorecard's observed one where the caller buys from that supplier.
* **Values** ``v_j`` come from :func:`~tandem.planning.meio.roll_up_landed_cost` and holding
  costs are ``h_j = r_j v_j`` a year (``r_j`` the point's ``holding_cost_rate``, else the run's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from statistics import NormalDist

from tandem.domain.network import BomLine, ItemSite, Lane
from tandem.planning.meio import (
    Arc,
    GSMNetwork,
    LandedCostResult,
    Stage,
    StockingPoint,
    SupplyLane,
    roll_up_landed_cost,
)
from tandem.services.inventory_plan.loading import PlanInputs
from tandem.services.inventory_plan.results import NetworkHasCycle, PlanRequest, StageArc

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class Feed:
    """One inbound arc of a point with the lane that moves it (``None``: same site)."""

    upstream: ItemSite
    quantity: float
    lane: Lane | None


@dataclass(frozen=True)
class BuiltNetwork:
    network: GSMNetwork
    points: tuple[ItemSite, ...]
    arcs: tuple[StageArc, ...]
    stocking_points: tuple[StockingPoint, ...]  # landed-cost inputs, no safety stock yet
    supply_lanes: tuple[SupplyLane, ...]
    values: dict[str, float]
    rates: dict[str, float]
    demand_mean: dict[str, float]
    flow: dict[str, float]  # units a day through each stage
    depth: dict[str, int]
    members: dict[str, str]  # stage -> member code
    assumptions: tuple[str, ...]

    def roll_up(self, safety_stock: dict[str, float], rate: float) -> LandedCostResult:
        """Landed costs with the given safety stock (units by stage) carried."""
        points = tuple(
            replace(p, safety_stock=safety_stock.get(p.id, 0.0)) for p in self.stocking_points
        )
        return roll_up_landed_cost(points, self.supply_lanes, rate)


def _carries(lane: Lane, item_id: int) -> bool:
    return lane.item_id is None or lane.item_id == item_id


def _bom_of(lines: Iterable[BomLine], item_id: int, site_id: int) -> list[BomLine]:
    """The lines of ``item_id`` at ``site_id``: the site's own line wins over the every-site one."""
    chosen: dict[int, BomLine] = {}
    for line in sorted(lines, key=lambda b: b.site_id is not None):
        if line.parent_item_id == item_id and line.site_id in (None, site_id):
            chosen[line.component_item_id] = line
    return [chosen[c] for c in sorted(chosen)]


def _feeds(inputs: PlanInputs, point: ItemSite, at: dict[tuple[int, int], ItemSite]) -> list[Feed]:
    into = [lane for lane in inputs.lanes if lane.to_site_id == point.site_id]
    feeds = [
        Feed(at[(point.item_id, lane.from_site_id)], 1.0, lane)
        for lane in into
        if _carries(lane, point.item_id) and (point.item_id, lane.from_site_id) in at
    ]
    if feeds:  # the item arrives by lane: a transfer point, not where it is made
        return _merged(feeds)
    for line in _bom_of(inputs.bom, point.item_id, point.site_id):
        component = line.component_item_id
        if (component, point.site_id) in at:
            feeds.append(Feed(at[(component, point.site_id)], line.quantity_per, None))
            continue
        feeds += [
            Feed(at[(component, lane.from_site_id)], line.quantity_per, lane)
            for lane in into
            if _carries(lane, component) and (component, lane.from_site_id) in at
        ]
    return _merged(feeds)


def _merged(feeds: list[Feed]) -> list[Feed]:
    merged: dict[int, Feed] = {}
    for feed in feeds:
        merged.setdefault(feed.upstream.id, feed)
    return list(merged.values())


def _outside_lanes(inputs: PlanInputs, point: ItemSite) -> list[Lane]:
    into = [lane for lane in inputs.lanes if lane.to_site_id == point.site_id]
    own = [lane for lane in into if lane.item_id == point.item_id]
    return own or [lane for lane in into if lane.item_id is None]


def _lead_time_std(inputs: PlanInputs, lanes: list[Lane]) -> float:
    stds = []
    for lane in lanes:
        seller = inputs.sites[lane.from_site_id].member_id
        buyer = inputs.sites[lane.to_site_id].member_id
        observed = inputs.scorecard_std.get(seller) if buyer == inputs.viewer_member_id else None
        stds.append(lane.lead_time_std_days if observed is None else observed)
    return max(stds, default=0.0)


def folded_std(mean: float, std: float, lead_time: float, lead_time_std: float) -> float:
    """Per-day sigma with lead-time variability: ``sqrt(sigma_d^2 + mu^2 sigma_L^2 / L)``.

    >>> round(folded_std(20.0, 5.0, 2.0, 0.5), 6)  # 25 + 400 * 0.25 / 2 = 75
    8.660254
    """
    if lead_time <= 0:
        return std
    return math.sqrt(std**2 + mean**2 * lead_time_std**2 / lead_time)


def _topological(names: list[str], arcs: list[StageArc]) -> list[str]:
    indegree = dict.fromkeys(names, 0)
    succ: dict[str, list[str]] = {n: [] for n in names}
    for arc in arcs:
        indegree[str(arc.downstream)] += 1
        succ[str(arc.upstream)].append(str(arc.downstream))
    ready = [n for n in names if indegree[n] == 0]
    order: list[str] = []
    while ready:
        name = ready.pop(0)
        order.append(name)
        for d in succ[name]:
            indegree[d] -= 1
            if indegree[d] == 0:
                ready.append(d)
    if len(order) != len(names):
        raise NetworkHasCycle(
            "the lanes and bills of materials between the stocking points form a cycle"
        )
    return order


def build_network(inputs: PlanInputs, request: PlanRequest) -> BuiltNetwork:
    """The stage network of what ``inputs`` hold (see the module docstring)."""
    points = sorted(inputs.points, key=lambda p: p.id)
    at = {(p.item_id, p.site_id): p for p in points}
    feeds = {p.id: _feeds(inputs, p, at) for p in points}
    arcs = [
        StageArc(f.upstream.id, p.id, f.quantity, None if f.lane is None else f.lane.id)
        for p in points
        for f in feeds[p.id]
    ]
    names = [str(p.id) for p in points]
    order = _topological(names, arcs)
    outside = {p.id: [] if feeds[p.id] else _outside_lanes(inputs, p) for p in points}
    lanes_of = {
        p.id: [f.lane for f in feeds[p.id] if f.lane is not None] + outside[p.id] for p in points
    }
    processing = {
        str(p.id): (p.parameters.processing_days or 0.0)
        + max((lane.lead_time_mean_days for lane in lanes_of[p.id]), default=0.0)
        for p in points
    }
    demand = {str(p.id): inputs.demand.get((p.item_id, p.site_id)) for p in points}
    mean = {name: 0.0 if d is None else d.mean for name, d in demand.items()}
    flow = dict(mean)
    downstream: dict[str, list[StageArc]] = {n: [] for n in names}
    for arc in arcs:
        downstream[str(arc.upstream)].append(arc)
    for name in reversed(order):
        flow[name] += sum(a.quantity * flow[str(a.downstream)] for a in downstream[name])
    depth = dict.fromkeys(names, 0)
    for name in order:
        for a in downstream[name]:
            depth[str(a.downstream)] = max(depth[str(a.downstream)], depth[name] + 1)
    sigma: dict[str, float] = {}
    for p in points:
        d = demand[str(p.id)]
        if d is not None:
            lead = _lead_time_std(inputs, lanes_of[p.id])
            sigma[str(p.id)] = folded_std(d.mean, d.std, processing[str(p.id)], lead)
    stocking, supply = _landed_cost_inputs(inputs, points, feeds, flow)
    values = roll_up_landed_cost(stocking, supply, request.carrying_rate).values()
    rates = {
        str(p.id): request.carrying_rate
        if p.parameters.holding_cost_rate is None
        else p.parameters.holding_cost_rate
        for p in points
    }
    z = NormalDist().inv_cdf(request.service_level)
    stages = tuple(_stage(p, processing, rates, values, sigma, request) for p in points)
    network = GSMNetwork(
        stages=stages,
        arcs=tuple(Arc(str(a.upstream), str(a.downstream), a.quantity) for a in arcs),
        service_factor=z,
    )
    members = {str(p.id): inputs.members[p.owner_member_id].code for p in points}
    return BuiltNetwork(
        network,
        tuple(points),
        tuple(arcs),
        stocking,
        supply,
        values,
        rates,
        mean,
        flow,
        depth,
        members,
        _assumptions(outside, inputs, points),
    )


def _stage(
    p: ItemSite,
    processing: dict[str, float],
    rates: dict[str, float],
    values: dict[str, float],
    sigma: dict[str, float],
    request: PlanRequest,
) -> Stage:
    name = str(p.id)
    is_demand = name in sigma
    level = p.parameters.target_service_level
    own_z = (
        NormalDist().inv_cdf(level)
        if is_demand and request.per_point_service_levels and level is not None
        else None
    )
    return Stage(
        name,
        processing_time=processing[name],
        holding_cost=rates[name] * values[name],
        demand_std=sigma.get(name, 0.0),
        max_service_time=float(request.customer_service_days) if is_demand else None,
        service_factor=own_z,
    )


def _landed_cost_inputs(
    inputs: PlanInputs,
    points: list[ItemSite],
    feeds: dict[int, list[Feed]],
    flow: dict[str, float],
) -> tuple[tuple[StockingPoint, ...], tuple[SupplyLane, ...]]:
    stocking = []
    for p in points:
        params, item = p.parameters, inputs.items[p.item_id]
        bought = not feeds[p.id]
        added = params.added_cost
        annual = flow[str(p.id)] * DAYS_PER_YEAR
        stocking.append(
            StockingPoint(
                str(p.id),
                inputs.members[p.owner_member_id].code,
                item.sku,
                inputs.sites[p.site_id].code,
                added_cost=(item.unit_value if bought else 0.0) if added is None else added,
                handling_cost=params.handling_cost or 0.0,
                annual_demand=annual,
                order_quantity=(params.order_quantity or 0.0) if annual > 0 else 0.0,
            )
        )
    supply = tuple(
        SupplyLane(
            str(f.upstream.id),
            str(p.id),
            f.quantity,
            freight_cost=_freight(inputs, f),
            duty_rate=0.0 if f.lane is None else f.lane.duty_rate,
            transit_days=0.0 if f.lane is None else f.lane.lead_time_mean_days,
        )
        for p in points
        for f in feeds[p.id]
    )
    return tuple(stocking), supply


def _freight(inputs: PlanInputs, feed: Feed) -> float:
    """Freight per unit on the feed's lane: the planned loads' cost per unit of the item moved
    where loads were planned (logistics, issue 8), else the lane's ``cost_per_unit``."""
    if feed.lane is None:
        return 0.0
    key = (feed.lane.id, feed.upstream.item_id)
    return inputs.planned_freight.get(key, feed.lane.cost_per_unit)


def _assumptions(
    outside: dict[int, list[Lane]], inputs: PlanInputs, points: list[ItemSite]
) -> tuple[str, ...]:
    notes = [
        "Guaranteed-service model (Graves & Willems 2000): each stage quotes a guaranteed "
        "service time and holds safety stock z·σ·√(net lead time) against demand bounded at "
        "the service level; demand beyond it is met by measures outside the model.",
        "Demand σ per day is the one-step forecast error (half the 80 % interval / 1.2816); "
        "lead-time variability is folded into demand stages as σ² = σ_d² + μ²σ_L²/L (Silver, "
        "Pyke & Thomas 2017); internal stages' lead-time variability is not modelled.",
        "Processing time = processing days + the longest mean lead time of the inbound lanes; "
        "service times are whole days.",
        "Values are landed costs without carrying (IAS 2); holding cost = rate × value a year.",
    ]
    sourced = [p for p in points if outside[p.id]]
    if sourced:
        notes.append(
            f"{len(sourced)} stocking points have no visible supplying stage: the lanes into "
            "their sites count for their lead time, and their purchase price is the item's "
            "unit value unless added_cost is set."
        )
    return tuple(notes)
