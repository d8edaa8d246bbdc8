"""Capacities that change over time: outages and temporary limits of a :class:`SupplyNetwork`.

A :class:`CapacitySchedule` gives, per period, the most units that may move through a channel:

- ``arcs[(supplier, customer)]``: shipments on the arc, in the supplier's units;
- ``intake[node]``: every inbound supply of the node, in the node's units: the outside source
  of a source node, and each inbound arc (``intake x quantity`` of the supplier's item, as with
  the stage's ``supply_capacity``);
- ``sales[node]``: shipments to the node's own end customers.

Each entry is a number (the same every period) or one value per period (at least ``periods``
values; later ones are ignored). ``np.inf`` is unlimited, ``0`` closes the channel (an outage).
In period ``t`` a channel's capacity is the least of its static capacity (the arc's
``capacity``, the stage's ``supply_capacity``) and every schedule entry that covers it. A capped
claim behaves as under a static capacity: what is not shipped stays owed (backorders) or is
lost (lost sales) and competes again next period; what is already under way still arrives; an
outside source that may release nothing keeps the order owed. A schedule of ``np.inf`` only is
the network without a schedule, to the last bit.

This is the time-varying capacity of capacitated base-stock models (Kapuscinski & Tayur 1998,
"A capacitated production-inventory model with periodic demand", *Operations Research* 46(6))
and of supply disruptions (Snyder et al. 2016, "OR/MS models for supply chain disruptions: a
review", *IIE Transactions* 48(2)), applied per channel of the network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from tandem.planning.simulation.network_topology import Topology

__all__ = ["CapacitySchedule", "ChannelCapacity"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CapacitySchedule:
    """Per-period capacities of arcs, of nodes' intake and of nodes' sales (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> down = np.full(30, np.inf)
    >>> down[5:8] = 0.0
    >>> CapacitySchedule(arcs={("dc", "store"): down}).arcs[("dc", "store")][4:9]
    (inf, 0.0, 0.0, 0.0, inf)
    """

    arcs: Mapping[tuple[str, str], ArrayLike] = field(default_factory=dict)
    intake: Mapping[str, ArrayLike] = field(default_factory=dict)
    sales: Mapping[str, ArrayLike] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("arcs", "intake", "sales"):
            entries: Mapping[object, ArrayLike] = getattr(self, name)
            object.__setattr__(self, name, {k: _values(k, v) for k, v in entries.items()})


def _values(key: object, raw: ArrayLike) -> float | tuple[float, ...]:
    values = np.asarray(raw, dtype=np.float64)
    if values.ndim > 1:
        raise ValueError(f"capacity schedule of {key!r}: a number or one value per period")
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError(f"capacity schedule of {key!r}: values must be non-negative numbers")
    if values.ndim == 0:
        return float(values)
    return tuple(float(x) for x in values)


class ChannelCapacity:
    """A schedule resolved against a network: capacity of each channel and of each node's sales
    in period ``t`` (``None`` = unlimited)."""

    def __init__(self, topology: Topology, schedule: CapacitySchedule | None, periods: int):
        self._static = tuple(ch.capacity for ch in topology.channels)
        self._channels: list[FloatArray | None] = [None] * len(topology.channels)
        self._sales: dict[int, FloatArray] = {}
        if schedule is None:
            return
        index = {name: n for n, name in enumerate(topology.names)}
        arcs = {
            (topology.names[ch.supplier], topology.names[ch.customer]): c
            for c, ch in enumerate(topology.channels)
            if ch.supplier is not None
        }
        for pair, values in schedule.arcs.items():
            if pair not in arcs:
                raise ValueError(f"capacity schedule for unknown arc {pair!r}")
            self._limit(arcs[pair], _per_period(pair, values, periods))
        for name, values in schedule.intake.items():
            n = _node(index, name)
            for c in topology.inbound[n]:
                quantity = topology.channels[c].quantity
                per_unit = _per_period(name, values, periods)
                self._limit(c, per_unit if quantity == 1.0 else per_unit * quantity)
        for name, values in schedule.sales.items():
            n = _node(index, name)
            if n not in topology.demand_nodes:
                raise ValueError(f"capacity schedule: node {name!r} has no end customers")
            self._sales[n] = _per_period(name, values, periods)

    def _limit(self, c: int, values: FloatArray) -> None:
        current = self._channels[c]
        if current is None:
            static = self._static[c]
            current = np.full(values.shape, math.inf if static is None else static)
        self._channels[c] = np.minimum(current, values)

    def channel(self, c: int, t: int) -> float | None:
        """Most units channel ``c`` may carry in period ``t``."""
        values = self._channels[c]
        if values is None:
            return self._static[c]
        return _finite(values[t])

    def sales(self, n: int, t: int) -> float | None:
        """Most units node ``n`` may ship to its end customers in period ``t``."""
        values = self._sales.get(n)
        return None if values is None else _finite(values[t])


def _finite(value: np.float64) -> float | None:
    return None if math.isinf(value) else float(value)


def _node(index: Mapping[str, int], name: str) -> int:
    if name not in index:
        raise ValueError(f"capacity schedule for unknown node {name!r}")
    return index[name]


def _per_period(key: object, raw: ArrayLike, periods: int) -> FloatArray:
    values = np.asarray(raw, dtype=np.float64)
    if values.ndim == 0:
        return np.full(periods, float(values))
    if values.size < periods:
        raise ValueError(
            f"capacity schedule of {key!r}: {values.size} values for {periods} periods"
        )
    return np.array(values[:periods], dtype=np.float64)
