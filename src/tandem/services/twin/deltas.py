"""Apply scenario deltas (:mod:`tandem.domain.scenarios`) to a :class:`TwinNetwork`; pure.

Matching: ``item`` is the SKU of a stocking point (of the *supplier's* item on an arc),
``site`` its site code, ``supplier`` the member shipping on a lane, ``lane`` ``"FROM>TO"``.
Omitted filters match everything. A delta that matches nothing is an error naming it.

* ``demand_scale`` multiplies the end customers' mean and deviation (or the replayed history)
  for the whole horizon, or only the days of its window (:class:`ScaledDemand`); either way
  the same random draws are scaled, so common random numbers hold.
* ``lead_time`` adds days to matching lanes' mean lead times (not below 0); without ``lane``
  and ``supplier`` it also moves the outside supply of matching source points (not below 1).
* ``capacity`` on a lane sets (``per_day``) or scales (``factor``) its capacity; on a site it
  sets or scales the intake of the site's stocking points (production at a source point,
  inbound transport otherwise: the engine's ``supply_capacity``). A factor on an unlimited
  capacity leaves it unlimited (noted).
* ``node_down`` / ``lane_down`` close the site's points or the lane's arcs in the window
  (:class:`~tandem.services.twin.windows.Outage`).
* ``policy`` sets a point's base-stock level (``order_up_to``), its safety stock
  (``safety_stock``: level = lead-time demand + it), or scales the level (``factor``).
* ``safety_stock`` (as in MRP what-ifs) sets (``quantity``) or scales (``factor``) the safety
  stock inside the level: ``S' = S - SS + SS'`` with ``SS = S -`` lead-time demand.
* ``sharing`` switches information sharing (echelon base stock) on or off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.scenarios import (
    CapacityChange,
    DemandScale,
    LaneDown,
    LeadTimeShift,
    NodeDown,
    PolicyChange,
    SafetyStockChange,
    ScenarioDelta,
    SharingSwitch,
)
from tandem.services.twin.model import (
    TwinArc,
    TwinNetwork,
    TwinNode,
    base_levels,
    lead_time_demand,
)
from tandem.services.twin.windows import Outage, OutageKind

__all__ = ["apply_scenario"]


def apply_scenario(net: TwinNetwork, deltas: Sequence[ScenarioDelta]) -> TwinNetwork:
    """``net`` with every delta applied in order; raises :class:`ValidationFailed` naming the
    deltas (``deltas[i]``) that match no stocking point, lane or site."""
    found: list[Violation] = []
    for index, delta in enumerate(deltas):
        changed = _APPLY[type(delta)](net, delta)
        if changed is None:
            found.append(Violation(f"deltas[{index}]", "matches nothing in the network"))
        else:
            net = changed
    if found:
        raise ValidationFailed(
            "scenario does not fit the network: " + "; ".join(str(v) for v in found),
            violations=found,
        )
    return net


def _points(net: TwinNetwork, item: str | None, site: str | None) -> list[TwinNode]:
    return [
        n
        for n in net.nodes
        if (item is None or n.item == item) and (site is None or n.site == site)
    ]


def _with_nodes(net: TwinNetwork, changed: dict[str, TwinNode]) -> TwinNetwork | None:
    if not changed:
        return None
    return replace(net, nodes=tuple(changed.get(n.name, n) for n in net.nodes))


def _demand_scale(net: TwinNetwork, d: DemandScale) -> TwinNetwork | None:
    matched = [n for n in _points(net, d.item, d.site) if n.demand_mean > 0 or n.history]
    if not matched:
        return None
    if d.from_day is not None and d.to_day is not None:
        windows = tuple((n.name, d.factor, d.from_day, d.to_day) for n in matched)
        return replace(net, demand_windows=net.demand_windows + windows)
    f = d.factor
    changed = {
        n.name: replace(
            n,
            demand_mean=n.demand_mean * f,
            demand_std=n.demand_std * f,
            history=tuple(x * f for x in n.history),
        )
        for n in matched
    }
    return _with_nodes(net, changed)


def _arc_matches(net: TwinNetwork, a: TwinArc, item: str | None, supplier: str | None) -> bool:
    return (item is None or net.node(a.supplier).item == item) and (
        supplier is None or a.supplier_member == supplier
    )


def _lead_time(net: TwinNetwork, d: LeadTimeShift) -> TwinNetwork | None:
    arcs = [
        replace(a, lead_time_days=max(0.0, a.lead_time_days + d.add_days))
        if a.lane is not None
        and (d.lane is None or a.lane == d.lane)
        and _arc_matches(net, a, d.item, d.supplier)
        else a
        for a in net.arcs
    ]
    hit = sum(1 for new, old in zip(arcs, net.arcs, strict=True) if new is not old)
    changed: dict[str, TwinNode] = {}
    if d.lane is None and d.supplier is None:
        fed = {a.customer for a in net.arcs}
        for n in _points(net, d.item, None):
            if n.name not in fed:
                changed[n.name] = replace(n, lead_time_days=max(1.0, n.lead_time_days + d.add_days))
    if not hit and not changed:
        return None
    return replace(net, arcs=tuple(arcs), nodes=tuple(changed.get(n.name, n) for n in net.nodes))


def _scaled(current: float | None, d: CapacityChange) -> float | None:
    if d.per_day is not None:
        return d.per_day
    return None if current is None or d.factor is None else current * d.factor


def _capacity(net: TwinNetwork, d: CapacityChange) -> TwinNetwork | None:
    if d.lane is not None:
        if not any(a.lane == d.lane for a in net.arcs):
            return None
        arcs = tuple(
            replace(a, capacity=_scaled(a.capacity, d)) if a.lane == d.lane else a for a in net.arcs
        )
        unlimited = d.factor is not None and any(
            a.lane == d.lane and a.capacity is None for a in net.arcs
        )
        notes = (f"lane {d.lane} has no capacity: a factor leaves it unlimited",)
        return replace(net, arcs=arcs, notes=net.notes + (notes if unlimited else ()))
    changed = {
        n.name: replace(n, supply_capacity=_scaled(n.supply_capacity, d))
        for n in _points(net, None, d.site)
    }
    return _with_nodes(net, changed)


def _node_down(net: TwinNetwork, d: NodeDown) -> TwinNetwork | None:
    names = tuple(n.name for n in _points(net, None, d.site))
    if not names:
        return None
    outage = Outage(OutageKind.NODE, d.from_day, d.to_day, nodes=names, label=f"{d.site} down")
    return replace(net, outages=(*net.outages, outage))


def _lane_down(net: TwinNetwork, d: LaneDown) -> TwinNetwork | None:
    pairs = tuple((a.supplier, a.customer) for a in net.arcs if a.lane == d.lane)
    if not pairs:
        return None
    outage = Outage(OutageKind.LANE, d.from_day, d.to_day, arcs=pairs, label=f"{d.lane} down")
    return replace(net, outages=(*net.outages, outage))


def _policy(net: TwinNetwork, d: PolicyChange) -> TwinNetwork | None:
    levels = base_levels(net)
    changed = {}
    for n in _points(net, d.item, d.site):
        if d.order_up_to is not None:
            changed[n.name] = replace(n, order_up_to=d.order_up_to)
        elif d.safety_stock is not None:
            changed[n.name] = replace(n, order_up_to=None, safety_stock=d.safety_stock)
        else:
            changed[n.name] = replace(n, order_up_to=levels[n.name] * (d.factor or 0.0))
    return _with_nodes(net, changed)


def _safety_stock(net: TwinNetwork, d: SafetyStockChange) -> TwinNetwork | None:
    levels, demand = base_levels(net), lead_time_demand(net)
    changed = {}
    for n in _points(net, d.item, d.site):
        cycle = demand[n.name][0]
        now = levels[n.name] - cycle
        new = d.quantity if d.quantity is not None else now * (d.factor or 0.0)
        changed[n.name] = replace(n, order_up_to=cycle + new, safety_stock=new)
    return _with_nodes(net, changed)


def _sharing(net: TwinNetwork, d: SharingSwitch) -> TwinNetwork | None:
    return replace(net, sharing=d.on)


_APPLY: dict[type, Callable[[TwinNetwork, ScenarioDelta], TwinNetwork | None]] = {
    DemandScale: _demand_scale,  # type: ignore[dict-item]
    LeadTimeShift: _lead_time,  # type: ignore[dict-item]
    CapacityChange: _capacity,  # type: ignore[dict-item]
    NodeDown: _node_down,  # type: ignore[dict-item]
    LaneDown: _lane_down,  # type: ignore[dict-item]
    PolicyChange: _policy,  # type: ignore[dict-item]
    SafetyStockChange: _safety_stock,  # type: ignore[dict-item]
    SharingSwitch: _sharing,  # type: ignore[dict-item]
}
