"""The structure of a supply network, precomputed once: channels, orders, BOM multipliers, echelons.

A *channel* is one inbound supply of a node: an arc from a supplier node, or the outside source
of a source node. Channels ``0 .. len(arcs) - 1`` are the arcs in the order given, then one
outside channel per source node. ``M[n, m]`` is the number of units of ``n``'s item in one unit
of ``m``'s, summed over all paths from ``n`` to ``m`` (the product of arc quantities along each),
with ``M[n, n] = 1``; see :mod:`tandem.planning.simulation.network` for how it defines served
demand and echelon positions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.demand import DemandProcess
from tandem.planning.simulation.stages import LeadTime, Stage, lead_time_mean

if TYPE_CHECKING:
    from tandem.planning.simulation.network import Arc

__all__ = ["Channel", "EchelonTerms", "Topology", "build_topology"]


@dataclass(frozen=True)
class Channel:
    """One inbound supply of ``customer``: from node ``supplier``, or the outside (``None``)."""

    supplier: int | None
    customer: int
    quantity: float
    lead_time: LeadTime
    capacity: float | None
    transport_cost: float

    @property
    def pipeline_periods(self) -> int:
        """Periods filled by the initial pipeline: the mean lead time rounded half up (0 if 0)."""
        mean = lead_time_mean(self.lead_time)
        return 0 if mean == 0 else max(1, math.floor(mean + 0.5))


@dataclass(frozen=True)
class EchelonTerms:
    """What a node's echelon position adds up, each with its multiplier, in node order."""

    on_hand: tuple[tuple[int, float], ...]
    transit: tuple[tuple[int, float], ...]
    customer_backlog: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Topology:
    """Precomputed structure of a network (node indices follow the order given)."""

    names: tuple[str, ...]
    channels: tuple[Channel, ...]
    inbound: tuple[tuple[int, ...], ...]
    outbound: tuple[tuple[int, ...], ...]
    downstream_first: tuple[int, ...]
    demand_nodes: tuple[int, ...]
    multiplier: NDArray[np.float64]
    served_mean: tuple[float, ...]
    own_lead: tuple[float, ...]
    chain_lead: tuple[float, ...]
    echelon: tuple[EchelonTerms, ...]

    @property
    def size(self) -> int:
        return len(self.names)

    def is_assembly(self, n: int) -> bool:
        """Whether node ``n`` makes kits: several components, or a quantity other than one."""
        inbound = self.inbound[n]
        return len(inbound) > 1 or self.channels[inbound[0]].quantity != 1.0

    def served_terms(self, n: int) -> tuple[tuple[int, float], ...]:
        """(demand index, multiplier) of the end-customer demand node ``n`` serves."""
        return tuple(
            (j, float(self.multiplier[n, m]))
            for j, m in enumerate(self.demand_nodes)
            if self.multiplier[n, m] != 0.0
        )


def build_topology(
    nodes: Sequence[Stage], arcs: Sequence[Arc], demand: Mapping[str, DemandProcess]
) -> Topology:
    """Check the graph and precompute its structure."""
    names = tuple(s.name for s in nodes)
    if not names:
        raise ValueError("a network needs at least one node")
    if len(set(names)) != len(names):
        raise ValueError("node names must be unique")
    index = {name: i for i, name in enumerate(names)}
    for a in arcs:
        for end in (a.supplier, a.customer):
            if end not in index:
                raise ValueError(f"arc names unknown node {end!r}")
    if len({(a.supplier, a.customer) for a in arcs}) != len(arcs):
        raise ValueError("at most one arc per supplier and customer")
    if not demand:
        raise ValueError("a network needs end-customer demand at some node")
    unknown = [name for name in demand if name not in index]
    if unknown:
        raise ValueError(f"demand at unknown nodes {unknown}")
    channels = _channels(nodes, arcs, index)
    inbound = tuple(
        tuple(c for c, ch in enumerate(channels) if ch.customer == n) for n in range(len(names))
    )
    outbound = tuple(
        tuple(c for c, ch in enumerate(channels) if ch.supplier == n) for n in range(len(names))
    )
    demand_nodes = tuple(index[name] for name in demand)
    idle = [names[n] for n in range(len(names)) if not outbound[n] and n not in demand_nodes]
    if idle:
        raise ValueError(f"nodes {idle} have neither customers nor end-customer demand")
    order = _downstream_first(channels, len(names))
    multiplier = _multipliers(channels, outbound, order)
    means = [p.mean for p in demand.values()]
    served_mean = tuple(
        float(sum(multiplier[n, m] * mu for m, mu in zip(demand_nodes, means, strict=True)))
        for n in range(len(names))
    )
    own_lead = tuple(
        max(lead_time_mean(channels[c].lead_time) for c in inbound[n]) for n in range(len(names))
    )
    chain = [0.0] * len(names)
    for n in order:
        below = max((chain[channels[c].customer] for c in outbound[n]), default=0.0)
        chain[n] = below + own_lead[n]
    echelon = tuple(
        _echelon_terms(n, channels, multiplier, demand_nodes) for n in range(len(names))
    )
    multiplier.setflags(write=False)
    return Topology(
        names, channels, inbound, outbound, order, demand_nodes, multiplier, served_mean,
        own_lead, tuple(chain), echelon,
    )  # fmt: skip


def _channels(
    nodes: Sequence[Stage], arcs: Sequence[Arc], index: Mapping[str, int]
) -> tuple[Channel, ...]:
    out = [
        Channel(
            index[a.supplier],
            index[a.customer],
            float(a.quantity),
            nodes[index[a.customer]].lead_time if a.lead_time is None else a.lead_time,
            _default_capacity(nodes[index[a.customer]], a) if a.capacity is None else a.capacity,
            float(a.transport_cost),
        )
        for a in arcs
    ]
    fed = {index[a.customer] for a in arcs}
    for n, s in enumerate(nodes):
        if n not in fed:
            out.append(Channel(None, n, 1.0, s.lead_time, s.supply_capacity, 0.0))
    return tuple(out)


def _default_capacity(customer: Stage, arc: Arc) -> float | None:
    """The customer's ``supply_capacity`` (its units) in the supplier's units."""
    cap = customer.supply_capacity
    return None if cap is None else (cap if arc.quantity == 1.0 else cap * arc.quantity)


def _downstream_first(channels: Sequence[Channel], size: int) -> tuple[int, ...]:
    """Nodes ordered customers before suppliers (ties by index); raises on a cycle."""
    customers_left = [0] * size
    for ch in channels:
        if ch.supplier is not None:
            customers_left[ch.supplier] += 1
    ready = [n for n in range(size) if customers_left[n] == 0]
    order: list[int] = []
    while ready:
        n = min(ready)
        ready.remove(n)
        order.append(n)
        for ch in channels:
            if ch.customer == n and ch.supplier is not None:
                customers_left[ch.supplier] -= 1
                if customers_left[ch.supplier] == 0:
                    ready.append(ch.supplier)
    if len(order) != size:
        raise ValueError("the network has a cycle")
    return tuple(order)


def _multipliers(
    channels: Sequence[Channel], outbound: Sequence[tuple[int, ...]], order: Sequence[int]
) -> NDArray[np.float64]:
    size = len(outbound)
    m = np.zeros((size, size))
    for n in order:  # customers first, so every customer's row is complete
        m[n, n] = 1.0
        for c in outbound[n]:
            m[n] += channels[c].quantity * m[channels[c].customer]
    return m


def _echelon_terms(
    n: int, channels: Sequence[Channel], m: NDArray[np.float64], demand_nodes: Sequence[int]
) -> EchelonTerms:
    inside = [k for k in range(m.shape[0]) if m[n, k] != 0.0]
    on_hand = tuple((k, float(m[n, k])) for k in inside)
    own = [c for c, ch in enumerate(channels) if ch.customer == n]
    # Channels into the echelon ordered by customer: arcs inside it, and the node's own supply
    # unless it assembles (its kits on order are added separately).
    transit = tuple(
        (c, 1.0 if ch.customer == n else float(m[n, ch.supplier]))
        for k in inside
        for c, ch in enumerate(channels)
        if ch.customer == k
        and (
            (ch.customer == n and len(own) == 1 and ch.quantity == 1.0)
            or (ch.supplier is not None and ch.customer != n and m[n, ch.supplier] != 0.0)
        )
    )
    backlog = tuple((k, float(m[n, k])) for k in demand_nodes if m[n, k] != 0.0)
    return EchelonTerms(on_hand, transit, backlog)
