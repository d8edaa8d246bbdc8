"""Time windows of scenarios: outages and demand in a window, through the engine's public inputs.

* **Demand in a window** — :class:`ScaledDemand` is a :class:`DemandProcess` (the engine's
  protocol for demand) that draws from its base process and multiplies the days of each window
  by its factor. The base draws are the same, so common random numbers hold across scenarios.
* **Outages** (``node_down``, ``lane_down``) — :func:`outage_schedule` turns them into the
  engine's :class:`~tandem.planning.simulation.network.CapacitySchedule`: a closed lane's arcs
  carry nothing on the window's days; a closed site's stocking points take in nothing (their
  ``intake``: inbound arcs and outside supply), ship nothing on their outbound arcs and sell
  nothing to their end customers. What is not shipped stays owed (backorders) and is shipped
  when the window ends; shipments already under way arrive. :func:`simulate` runs
  ``SupplyNetwork.run`` with that schedule; without outages it is ``SupplyNetwork.run()`` bit
  for bit (``tests/services/test_twin_engine.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation import DemandProcess, NetworkResult, SupplyNetwork
from tandem.planning.simulation.network import CapacitySchedule

__all__ = ["Outage", "OutageKind", "ScaledDemand", "outage_schedule", "simulate"]

FloatArray = NDArray[np.float64]
K = TypeVar("K")


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


def outage_schedule(network: SupplyNetwork, outages: tuple[Outage, ...]) -> CapacitySchedule:
    """The engine's capacity schedule closing what ``outages`` close, day by day."""
    index = {name: n for n, name in enumerate(network.topology.names)}
    pairs = {(a.supplier, a.customer) for a in network.arcs}
    arcs: dict[tuple[str, str], FloatArray] = {}
    intake: dict[str, FloatArray] = {}
    sales: dict[str, FloatArray] = {}
    for o in outages:
        if o.kind is OutageKind.NODE:
            nodes = [name for name in o.nodes if name in index]
            closed = [p for p in sorted(pairs) if p[0] in nodes]
            _close(intake, nodes, o, network.periods)
            _close(sales, [name for name in nodes if name in network.demand], o, network.periods)
        else:
            closed = [p for p in o.arcs if p in pairs]
        _close(arcs, closed, o, network.periods)
    return CapacitySchedule(arcs=arcs, intake=intake, sales=sales)


def _close(schedule: dict[K, FloatArray], keys: Sequence[K], outage: Outage, periods: int) -> None:
    """Set the capacity of ``keys`` to zero on the outage's days within the horizon."""
    first, last = max(outage.from_day, 0), min(outage.to_day, periods - 1)
    for key in keys:
        values = schedule.setdefault(key, np.full(periods, np.inf))
        if first <= last:
            values[first : last + 1] = 0.0


def simulate(network: SupplyNetwork, outages: tuple[Outage, ...] = ()) -> NetworkResult:
    """``network.run()`` with ``outages`` applied (module docstring)."""
    return network.run(outage_schedule(network, outages) if outages else None)
