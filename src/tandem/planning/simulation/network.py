r"""Seeded simulation of multi-echelon supply networks: distribution, assembly, any DAG.

A :class:`SupplyNetwork` is a set of stocking points (each a :class:`Stage`, with the same
options as in a serial chain) and :class:`Arc`\ s from a supplier node to a customer node. Nodes
without inbound arcs are *sources*, replenished by an outside supplier after the stage's
``lead_time`` (capacity ``supply_capacity`` per period, ``None`` = unlimited, the rest owed). Any
node may face end-customer demand (one :class:`DemandProcess` per demand node; independent, or
jointly normal with a given correlation matrix). State variables are arrays over replications;
one run loops over periods and, within a period, over nodes.

**Period timing** (that of :class:`SerialSupplyChain`, of which a chain of nodes is an exact
copy). In period ``t``: shipments due arrive (components into the node's kit buffer, other
stock on hand) and assembly nodes assemble complete kits; then every node, customers before
suppliers, (1) ships against what it owes and the period's new claims - its end customers'
demand and its downstream nodes' orders placed this period - by its allocation rule,
backlogging or losing the rest; (2) updates its forecast; (3) orders ``q`` (policy, review
period, clipped at zero, batching), which puts a claim of ``q x quantity`` on each supplier (or
on the outside source, which releases up to its capacity). A unit shipped on an arc with lead
time ``L`` is usable at the customer from period ``t + L``. ``L = 0`` (a same-period transfer
from a central stock) is allowed on arcs: after all orders of the period, nodes receiving such
transfers, suppliers first, assemble and ship against their remaining backlog again in the same
period (their shortages must be backordered).

**Distribution.** A node with several claimants (its own end customers and the nodes it
supplies) shares its stock on hand ``A`` by :class:`Allocation`: ``PROPORTIONAL`` - everyone gets
the same share ``A / claims`` of its claim; ``PRIORITY`` - end customers first, then
downstream nodes in the order their arcs are listed; ``FIFO`` - claims are served in the order of
the period in which they arose, across claimants, the claims of the oldest partly served period
split in proportion. A claim is what is owed (backlog plus new claim), capped by the arc's
capacity. With one claimant every rule ships ``min(A, claim)``. End-customer demand at a node
with several claimants must be non-negative (use ``clip_at_zero``).

**Capacity over time.** ``run(capacity=CapacitySchedule(...))`` caps, period by period, the
shipments on an arc (``arcs``), every inbound supply of a node (``intake``: its outside source,
or its inbound arcs times their quantity) and the shipments to a node's end customers
(``sales``); ``np.inf`` is unlimited, ``0`` an outage. The period's capacity of a channel is
the least of its static capacity and the schedule's; a capped claim stays owed (or is lost)
exactly as under a static capacity. See :mod:`tandem.planning.simulation.network_capacity`.

**Assembly.** A node with several inbound arcs is an assembly node: each arc brings a component,
``quantity`` units per unit of the node's item. Its order ``q`` orders ``q x quantity`` of every
component. Components wait in a kit buffer; each period the node assembles
``min_c buffer_c / quantity_c`` kits (the limiting component decides; quantities are continuous),
which become stock on hand at once; leftover components stay in the buffer, valued at the holding
cost of the supplier that shipped them. (A production lead time belongs on the component arcs.)

**Positions.** Installation position of node ``n`` = on hand - owed to claimants + on order, on
order = in transit + owed by the supplier (sources: the outside source; assembly:
``min_c (in transit_c + owed_c + buffer_c) / quantity_c``, the kits on order). Echelon position,
for echelon policies (``SHARED`` information only): with ``M[n, m]`` the units of ``n``'s item in
one unit of ``m`` summed over all paths (1 on the diagonal), and ``C(n)`` the nodes reachable from
``n`` (``n`` included), the echelon position is ``sum_{m in C(n)} M[n, m] (on hand_m - owed to
m's end customers) + sum over arcs inside C(n) of M[n, supplier] (in transit + kit buffer)``
plus ``n``'s on order. That is the node's installation position plus those of all nodes
downstream, internal backlogs cancelling - Clark & Scarf (1960) for serial systems, the
echelon of a distribution node (node and everything downstream, Federgruen & Zipkin 1984), and
for assembly the component's stock at and below it (Rosling 1989, whose equivalence with a serial
system holds when the echelon levels are balanced).

**Information.** ``TRADITIONAL``: a node forecasts from the claims it receives. ``SHARED``: from
the end-customer demand it serves, ``sum_m M[n, m] d_m`` over the demand nodes, and may use
echelon positions. Forecasts, the initial pipeline and Sterman's starting expectation use the
mean of the served demand. Echelon protection intervals: the node's mean inbound lead time plus
the longest such chain below it.

**Statistics** per node, over periods after the warm-up: see
:mod:`tandem.planning.simulation.network_results`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.demand import DemandProcess, NormalDemand
from tandem.planning.simulation.network_capacity import CapacitySchedule
from tandem.planning.simulation.network_results import NetworkResult
from tandem.planning.simulation.network_topology import Topology, build_topology
from tandem.planning.simulation.policies import (
    AnchorAndAdjust,
    InventoryView,
    OrderUpTo,
    policy_view,
)
from tandem.planning.simulation.stages import (
    InformationMode,
    LeadTime,
    Shortage,
    Stage,
)

__all__ = ["Allocation", "Arc", "CapacitySchedule", "SupplyNetwork"]

FloatArray = NDArray[np.float64]


class Allocation(StrEnum):
    """How a node with several claimants shares scarce stock."""

    FIFO = "fifo"
    PROPORTIONAL = "proportional"
    PRIORITY = "priority"


@dataclass(frozen=True)
class Arc:
    """Supply of ``supplier``'s item to ``customer``.

    Parameters
    ----------
    supplier, customer : str
        Node names.
    quantity : float
        Units of the supplier's item per unit of the customer's (bill of materials).
    lead_time : int, StochasticLeadTime or None
        Periods from shipment to availability (0 = same period); ``None``: the customer stage's
        ``lead_time``.
    capacity : float or None
        Most units (of the supplier's item) shipped on the arc per period; ``None``: the
        customer's ``supply_capacity`` times ``quantity``.
    transport_cost : float
        Cost per unit shipped, charged to the customer node.
    """

    supplier: str
    customer: str
    quantity: float = 1.0
    lead_time: LeadTime | None = None
    capacity: float | None = None
    transport_cost: float = 0.0

    def __post_init__(self) -> None:
        if self.supplier == self.customer:
            raise ValueError(f"arc {self.supplier!r} -> itself")
        if not self.quantity > 0:
            raise ValueError("arc quantity must be positive")
        if isinstance(self.lead_time, int) and self.lead_time < 0:
            raise ValueError("arc lead time must be non-negative")
        if self.capacity is not None and self.capacity < 0:
            raise ValueError("arc capacity must be non-negative")
        if self.transport_cost < 0:
            raise ValueError("transport cost must be non-negative")


class SupplyNetwork:
    """A multi-echelon network of stocking points facing end-customer demand.

    Parameters
    ----------
    nodes : sequence of Stage
        Stocking points; ``lead_time`` and ``supply_capacity`` are the outside supply of a source
        node and the default of its inbound arcs otherwise.
    arcs : sequence of Arc
        Supplier -> customer links; the graph must be acyclic.
    demand : mapping of node name to DemandProcess
        End-customer demand, at one or more nodes.
    correlation : array or None
        Correlation matrix of the demand nodes (in ``demand``'s order); needs normal demand.
    allocation : Allocation or mapping of node name to Allocation
        Rationing rule of nodes with several claimants (default ``PROPORTIONAL``).
    information : InformationMode
    periods, replications, warmup, seed
        As in :class:`SerialSupplyChain`.

    Examples
    --------
    >>> from tandem.planning.simulation import BaseStock, NormalDemand, Stage
    >>> network = SupplyNetwork(
    ...     [Stage("dc", BaseStock(300.0), lead_time=2, holding_cost=0.5),
    ...      Stage("cafe a", BaseStock(60.0), holding_cost=1, shortage_cost=9),
    ...      Stage("cafe b", BaseStock(60.0), holding_cost=1, shortage_cost=9)],
    ...     [Arc("dc", "cafe a"), Arc("dc", "cafe b")],
    ...     {"cafe a": NormalDemand(40.0, 8.0), "cafe b": NormalDemand(40.0, 8.0)},
    ...     periods=300, replications=20, warmup=20, seed=1)
    >>> result = network.run()
    >>> round(result.node("dc").variance_ratio.value, 6)
    1.0
    >>> result.node("cafe a").fill_rate.value > 0.9
    True
    """

    def __init__(
        self,
        nodes: Sequence[Stage],
        arcs: Sequence[Arc],
        demand: Mapping[str, DemandProcess],
        *,
        correlation: Sequence[Sequence[float]] | FloatArray | None = None,
        allocation: Allocation | Mapping[str, Allocation] = Allocation.PROPORTIONAL,
        information: InformationMode = InformationMode.TRADITIONAL,
        periods: int = 100,
        replications: int = 1,
        warmup: int = 0,
        seed: int | None = None,
    ) -> None:
        if periods < 1 or replications < 1:
            raise ValueError("periods and replications must be at least 1")
        if not 0 <= warmup < periods:
            raise ValueError("warmup must lie in [0, periods)")
        self.nodes = tuple(nodes)
        self.arcs = tuple(arcs)
        self.demand = dict(demand)
        self.topology: Topology = build_topology(self.nodes, self.arcs, self.demand)
        self.correlation = _check_correlation(correlation, self.demand)
        self.allocation = _allocation_by_node(allocation, self.nodes)
        self.information = information
        self.periods, self.replications, self.warmup, self.seed = (
            periods,
            replications,
            warmup,
            seed,
        )
        self._check_nodes()

    def _check_nodes(self) -> None:
        topo = self.topology
        for n, s in enumerate(self.nodes):
            view = policy_view(s.policy)
            if view is InventoryView.ECHELON and self.information is not InformationMode.SHARED:
                raise ValueError(f"node {s.name!r}: an echelon policy needs SHARED information")
            if s.forward_buying is not None and not isinstance(
                s.policy, OrderUpTo | AnchorAndAdjust
            ):
                raise ValueError(f"node {s.name!r}: forward buying needs a forecasting policy")
            same_period = any(topo.channels[c].lead_time == 0 for c in topo.inbound[n])
            if same_period and s.shortage is Shortage.LOST_SALES:
                raise ValueError(f"node {s.name!r}: same-period supply needs backorders")

    def sample_demand(self, rng: np.random.Generator) -> FloatArray:
        """End-customer demand ``[demand nodes, replications, periods]`` drawn from ``rng``."""
        shape = (self.replications, self.periods)
        processes = list(self.demand.values())
        if self.correlation is None:
            return np.stack(
                [np.asarray(p.sample(rng, *shape), dtype=np.float64) for p in processes]
            )
        normals = [p for p in processes if isinstance(p, NormalDemand)]
        factor = np.linalg.cholesky(self.correlation)
        z = rng.standard_normal((*shape, len(normals))) @ factor.T
        out = np.empty((len(normals), *shape))
        for j, p in enumerate(normals):
            draws = p.mu + p.sigma * z[..., j]
            out[j] = np.maximum(draws, 0.0) if p.clip_at_zero else draws
        return out

    def run(self, capacity: CapacitySchedule | None = None) -> NetworkResult:
        """Simulate and return the frozen per-node results.

        ``capacity`` caps arcs, intakes and sales period by period (module docstring); the
        random draws do not depend on it, so runs with and without it share their demand and
        lead times (common random numbers).
        """
        from tandem.planning.simulation.network_run import NetworkRun

        rng = np.random.default_rng(self.seed)
        demand = self.sample_demand(rng)
        run = NetworkRun(self, rng, demand, capacity)
        for t in range(self.periods):
            run.step(t)
        return run.result()


def _check_correlation(
    correlation: Sequence[Sequence[float]] | FloatArray | None,
    demand: Mapping[str, DemandProcess],
) -> FloatArray | None:
    if correlation is None:
        return None
    matrix = np.array(correlation, dtype=np.float64)
    k = len(demand)
    if matrix.shape != (k, k) or not np.allclose(matrix, matrix.T):
        raise ValueError("correlation must be a symmetric matrix, one row per demand node")
    if not np.allclose(np.diag(matrix), 1.0) or np.linalg.eigvalsh(matrix).min() <= 0:
        raise ValueError("correlation must have a unit diagonal and be positive definite")
    if not all(isinstance(p, NormalDemand) for p in demand.values()):
        raise ValueError("correlated demand needs NormalDemand at every demand node")
    matrix.setflags(write=False)
    return matrix


def _allocation_by_node(
    allocation: Allocation | Mapping[str, Allocation], nodes: Sequence[Stage]
) -> tuple[Allocation, ...]:
    if isinstance(allocation, Allocation):
        return tuple(allocation for _ in nodes)
    names = {s.name for s in nodes}
    unknown = set(allocation) - names
    if unknown:
        raise ValueError(f"allocation for unknown nodes {sorted(unknown)}")
    return tuple(allocation.get(s.name, Allocation.PROPORTIONAL) for s in nodes)
