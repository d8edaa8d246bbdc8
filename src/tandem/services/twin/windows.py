"""Time windows the simulation engine has no argument for: outages and demand in a window.

The engine (:mod:`tandem.planning.simulation`) has static capacities and stationary demand.
Two scenario deltas need time windows, and are added here without changing the engine:

* **Demand in a window** — :class:`ScaledDemand` is a :class:`DemandProcess` (the engine's
  protocol for demand) that draws from its base process and multiplies the days of each window
  by its factor. The base draws are the same, so common random numbers hold across scenarios.
* **Outages** (``node_down``, ``lane_down``) — :func:`simulate` runs the engine's own period
  loop (that of ``SupplyNetwork.run``: seed, demand, then ``NetworkRun.step`` day by day) with
  :class:`_WindowedRun`, a subclass of the engine's ``NetworkRun`` that caps the claims of a
  closed channel or a closed site's end customers at zero, and releases nothing from the
  outside source into a closed channel, during the window. What is not shipped stays owed
  (backorders) and is shipped when the window ends. Shipments already under way arrive.

This relies on ``NetworkRun._claims`` (private) returning per-claimant capacities and on
``NetworkRun.place``; a ``capacity_schedule`` argument of the engine would replace it (reported
to the engine's owner). Without outages, :func:`simulate` equals ``SupplyNetwork.run`` bit for
bit (``tests/services/test_twin_engine.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation import DemandProcess, NetworkResult, SupplyNetwork
from tandem.planning.simulation.network_run import NetworkRun

__all__ = ["Outage", "OutageKind", "ScaledDemand", "simulate"]

FloatArray = NDArray[np.float64]


class OutageKind(StrEnum):
    NODE = "node"
    LANE = "lane"


@dataclass(frozen=True)
class Outage:
    """A site's stocking points (``NODE``: every node in ``nodes``) or arcs (``LANE``: the
    ``(supplier, customer)`` pairs in ``arcs``) closed on days ``from_day .. to_day``."""

    kind: OutageKind
    from_day: int
    to_day: int
    nodes: tuple[str, ...] = ()
    arcs: tuple[tuple[str, str], ...] = ()
    label: str = ""


@dataclass(frozen=True)
class ScaledDemand:
    """``base`` demand, multiplied by ``factor`` on days ``from_day .. to_day`` of each window
    ``(factor, from_day, to_day)``; windows multiply where they overlap."""

    base: DemandProcess
    windows: tuple[tuple[float, int | None, int | None], ...]

    @property
    def mean(self) -> float:
        """The base mean times the factors of windows covering the whole horizon."""
        whole = [f for f, a, b in self.windows if a is None and b is None]
        return float(self.base.mean * np.prod(whole)) if whole else float(self.base.mean)

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        draws = np.array(self.base.sample(rng, replications, periods), dtype=np.float64)
        for factor, start, end in self.windows:
            first = 0 if start is None else start
            last = periods - 1 if end is None else min(end, periods - 1)
            if first <= last:
                draws[:, first : last + 1] *= factor
        return draws


class _WindowedRun(NetworkRun):
    """The engine's run with channels and end customers closed on some days."""

    def __init__(
        self,
        network: SupplyNetwork,
        rng: np.random.Generator,
        demand: FloatArray,
        closed: list[tuple[int, int, frozenset[int], frozenset[int]]],
    ) -> None:
        super().__init__(network, rng, demand)
        self.closed = closed  # (from, to, channels, nodes whose end customers wait)

    def _closed_at(self, t: int) -> tuple[set[int], set[int]]:
        channels: set[int] = set()
        nodes: set[int] = set()
        for start, end, chans, customers in self.closed:
            if start <= t <= end:
                channels |= chans
                nodes |= customers
        return channels, nodes

    def _claims(
        self, n: int, t: int
    ) -> tuple[list[FloatArray], list[FloatArray], list[float | None]]:
        new, owed, caps = super()._claims(n, t)
        channels, nodes = self._closed_at(t)
        if not channels and not nodes:
            return new, owed, caps
        i = 0
        if n in self.demand_of:
            caps[0] = 0.0 if n in nodes else caps[0]
            i = 1
        for k, c in enumerate(self.topo.outbound[n]):
            if c in channels:
                caps[i + k] = 0.0
        return new, owed, caps

    def place(self, n: int, t: int, q: FloatArray) -> None:
        channels, _ = self._closed_at(t)
        outside = [c for c in self.topo.inbound[n] if self.topo.channels[c].supplier is None]
        if not any(c in channels for c in outside):
            super().place(n, t, q)
            return
        for c in outside:  # a source node has exactly one inbound channel
            ch = self.topo.channels[c]
            claim = q if ch.quantity == 1.0 else q * ch.quantity
            self.owed[c] = self.owed[c] + claim
            self.ship(c, t, np.zeros_like(claim))


def _closures(
    network: SupplyNetwork, outages: tuple[Outage, ...]
) -> list[tuple[int, int, frozenset[int], frozenset[int]]]:
    topo = network.topology
    index = {name: i for i, name in enumerate(topo.names)}
    out = []
    for o in outages:
        if o.kind is OutageKind.NODE:
            nodes = {index[name] for name in o.nodes if name in index}
            chans = {
                c
                for c, ch in enumerate(topo.channels)
                if ch.customer in nodes or (ch.supplier is not None and ch.supplier in nodes)
            }
        else:
            pairs = {(index.get(s), index.get(c)) for s, c in o.arcs}
            chans = {c for c, ch in enumerate(topo.channels) if (ch.supplier, ch.customer) in pairs}
            nodes = set()
        out.append((o.from_day, o.to_day, frozenset(chans), frozenset(nodes)))
    return out


def simulate(network: SupplyNetwork, outages: tuple[Outage, ...] = ()) -> NetworkResult:
    """``network.run()`` with ``outages`` applied (module docstring)."""
    rng = np.random.default_rng(network.seed)
    demand = network.sample_demand(rng)
    run = _WindowedRun(network, rng, demand, _closures(network, outages))
    for t in range(network.periods):
        run.step(t)
    return run.result()
