r"""Frozen results of a :class:`SupplyNetwork` run, with confidence intervals.

Per node, over the periods after the warm-up (definitions of
:mod:`tandem.planning.simulation.results`, pooled over replications):

- ``variance_ratio``: orders against the end-customer demand the node serves,
  :math:`\sum_m M[n, m] d_m` (its own demand for a retailer; the bullwhip ratio);
- ``fill_rate`` (units shipped in the period they were claimed / units claimed),
  ``cycle_service_level`` (periods ending with nothing owed and nothing lost);
- ``mean_on_hand``, ``mean_in_transit`` (inbound, in the suppliers' units), ``mean_backlog``,
  ``mean_lost_sales``, ``mean_components`` (kit buffer of an assembly node);
- per period: ``holding_cost`` (on hand at ``holding_cost``, inbound transit at
  ``pipeline_holding_cost``, buffered components at their supplier's ``holding_cost``),
  ``shortage_cost`` (backlog or lost sales at ``shortage_cost``), ``transport_cost`` (inbound
  units shipped times the arc's ``transport_cost``) and ``cost``, their sum.

Per network: ``total_cost`` per period and ``cost_per_unit`` (total cost / end-customer demand
per period, the landed cost of a unit sold). Every figure is an :class:`Estimate`: the pooled
value and the half-width :math:`t_{R-1} s / \sqrt R` of the 95% interval, with :math:`s` the
standard deviation of the figure's per-replication values over :math:`R` replications (``nan``
when :math:`R = 1`).

**Per replication.** ``NodeResult.per_replication`` (:class:`NodeReplications`) and
``NetworkResult.per_replication`` (:class:`NetworkReplications`) hold the same figures as arrays
of shape ``(replications,)``, ratios as numerator and denominator, so that a caller can pool
replications of several runs or pair them across scenarios: the pooled ``fill_rate`` is
``filled.sum() / claimed.sum()``, the pooled ``variance_ratio`` ``order_variance.sum() /
demand_variance.sum()``, each mean figure the mean of its array, ``cost_per_unit`` the mean
``total_cost`` over the mean ``customer_demand``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.simulation.results import StageResult

if TYPE_CHECKING:
    from tandem.planning.simulation.network import SupplyNetwork

__all__ = [
    "Estimate",
    "NetworkReplications",
    "NetworkResult",
    "NodeReplications",
    "NodeResult",
    "Trajectories",
    "build_result",
]

FloatArray = NDArray[np.float64]
_TOL = 1e-9


@dataclass(frozen=True)
class Estimate:
    """A simulated figure and the half-width of its confidence interval."""

    value: float
    half_width: float

    @property
    def low(self) -> float:
        return self.value - self.half_width

    @property
    def high(self) -> float:
        return self.value + self.half_width

    @classmethod
    def of(cls, value: float, per_replication: FloatArray, confidence: float = 0.95) -> Estimate:
        """``value`` with the t-interval half-width of the finite per-replication values."""
        finite = per_replication[np.isfinite(per_replication)]
        if finite.size < 2:
            return cls(float(value), float("nan"))
        t = float(stats.t.ppf(0.5 + confidence / 2.0, finite.size - 1))
        spread = float(np.std(finite, ddof=1))
        return cls(float(value), t * spread / math.sqrt(finite.size))


@dataclass
class Trajectories:
    """Paths ``[nodes, periods, replications]`` and warm-up-free sums ``[nodes, replications]``."""

    orders: FloatArray
    incoming: FloatArray
    filled_now: FloatArray
    on_hand: FloatArray
    in_transit: FloatArray
    backlog: FloatArray
    lost: FloatArray
    received: FloatArray
    shipped: FloatArray
    supplied: FloatArray
    components: FloatArray
    arc_shipped: FloatArray
    transport: FloatArray
    component_cost: FloatArray

    @classmethod
    def empty(cls, nodes: int, arcs: int, periods: int, replications: int) -> Trajectories:
        """Zeroed paths; ``arc_shipped`` is ``[arcs, periods, replications]``."""
        names = [f.name for f in fields(cls)]
        shapes: dict[str, tuple[int, ...]] = {"arc_shipped": (arcs, periods, replications)}
        shapes |= dict.fromkeys(("transport", "component_cost"), (nodes, replications))
        return cls(**{k: np.zeros(shapes.get(k, (nodes, periods, replications))) for k in names})


def _frozen(a: FloatArray) -> FloatArray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class NodeReplications:
    """One node's figures per replication (arrays ``(replications,)``, periods after warm-up).

    ``filled`` / ``claimed``: units shipped in the period they were claimed / units claimed
    (the fill rate's parts); ``order_variance`` / ``demand_variance``: variance over periods of
    the orders and of the end-customer demand served (the variance ratio's parts);
    ``cycle_service_level``: share of periods ending with nothing owed or lost; the rest are
    means per period as in :class:`NodeResult`.
    """

    filled: FloatArray
    claimed: FloatArray
    order_variance: FloatArray
    demand_variance: FloatArray
    cycle_service_level: FloatArray
    mean_on_hand: FloatArray
    mean_in_transit: FloatArray
    mean_backlog: FloatArray
    mean_lost_sales: FloatArray
    mean_components: FloatArray
    holding_cost: FloatArray
    shortage_cost: FloatArray
    transport_cost: FloatArray
    cost: FloatArray


@dataclass(frozen=True, eq=False)
class NetworkReplications:
    """Network figures per replication: ``total_cost`` per period and ``customer_demand``, the
    end-customer demand per period (``cost_per_unit``'s parts)."""

    total_cost: FloatArray
    customer_demand: FloatArray


@dataclass(frozen=True, eq=False)
class NodeResult:
    """Performance of one node; trajectories are ``[replications, periods]`` (warm-up kept).

    Besides the serial chain's trajectories (``orders``, ``incoming``, period-end ``on_hand``,
    ``in_transit``, ``backlog``, ``lost``): ``received`` (units put on hand: arrivals, or kits
    assembled), ``shipped`` (to all claimants), ``supplied`` (released by the outside source
    into a source node's pipeline) and ``components`` (kit buffer at period end, in the
    suppliers' units), and ``served_demand``, the end-customer demand the node serves.
    """

    name: str
    variance_ratio: Estimate
    fill_rate: Estimate
    cycle_service_level: Estimate
    mean_on_hand: Estimate
    mean_in_transit: Estimate
    mean_backlog: Estimate
    mean_lost_sales: Estimate
    mean_components: Estimate
    holding_cost: Estimate
    shortage_cost: Estimate
    transport_cost: Estimate
    cost: Estimate
    orders: FloatArray = field(repr=False)
    incoming: FloatArray = field(repr=False)
    on_hand: FloatArray = field(repr=False)
    in_transit: FloatArray = field(repr=False)
    backlog: FloatArray = field(repr=False)
    lost: FloatArray = field(repr=False)
    received: FloatArray = field(repr=False)
    shipped: FloatArray = field(repr=False)
    supplied: FloatArray = field(repr=False)
    components: FloatArray = field(repr=False)
    served_demand: FloatArray = field(repr=False)
    per_replication: NodeReplications = field(repr=False)


@dataclass(frozen=True, eq=False)
class NetworkResult:
    """Per-node results (in the order given), network totals and the end-customer demand.

    ``arc_shipments[(supplier, customer)]`` is what the supplier shipped on the arc each period
    (``[replications, periods]``, the supplier's units).
    """

    nodes: tuple[NodeResult, ...]
    demand: Mapping[str, FloatArray]
    arc_shipments: Mapping[tuple[str, str], FloatArray]
    total_cost: Estimate
    cost_per_unit: Estimate
    warmup: int
    seed: int | None
    per_replication: NetworkReplications = field(repr=False)

    def node(self, name: str) -> NodeResult:
        """The result of the node called ``name``."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)


def _per_replication_ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, num / safe, np.nan)


def _replications(
    network: SupplyNetwork,
    n: int,
    served: FloatArray,
    cut: dict[str, FloatArray],
    paths: Trajectories,
) -> NodeReplications:
    """The node's figures per replication over the measured periods ``cut``."""
    s = network.nodes[n]
    w = network.warmup
    measured = network.periods - w
    no_stockout = (cut["backlog"] <= _TOL) & (cut["lost"] <= _TOL)
    means = {k: cut[k].mean(axis=1) for k in ("on_hand", "in_transit", "backlog", "lost")}
    transport = paths.transport[n] / measured
    holding = s.holding_cost * means["on_hand"] + s.pipeline_holding_cost * means["in_transit"]
    holding = holding + paths.component_cost[n] / measured
    shortage = s.shortage_cost * (means["backlog"] + means["lost"])
    return NodeReplications(
        filled=_frozen(cut["filled_now"].sum(axis=1)),
        claimed=_frozen(np.maximum(cut["incoming"], 0.0).sum(axis=1)),
        order_variance=_frozen(np.var(cut["orders"], axis=1)),
        demand_variance=_frozen(np.var(served[:, w:], axis=1)),
        cycle_service_level=_frozen(no_stockout.mean(axis=1)),
        mean_on_hand=_frozen(means["on_hand"]),
        mean_in_transit=_frozen(means["in_transit"]),
        mean_backlog=_frozen(means["backlog"]),
        mean_lost_sales=_frozen(means["lost"]),
        mean_components=_frozen(paths.components[n, w:].mean(axis=0)),
        holding_cost=_frozen(holding),
        shortage_cost=_frozen(shortage),
        transport_cost=_frozen(transport),
        cost=_frozen(holding + shortage + transport),
    )


def _node(network: SupplyNetwork, n: int, served: FloatArray, paths: Trajectories) -> NodeResult:
    """The node's result: pooled estimates and figures per replication."""
    s = network.nodes[n]
    w = network.warmup
    path = {k: getattr(paths, k)[n].T for k in ("orders", "incoming", "filled_now")}
    path |= {k: getattr(paths, k)[n].T for k in ("on_hand", "in_transit", "backlog", "lost")}
    base = StageResult.from_trajectories(
        name=s.name,
        demand=served,
        holding_cost=s.holding_cost,
        pipeline_holding_cost=s.pipeline_holding_cost,
        shortage_cost=s.shortage_cost,
        warmup=w,
        **path,
    )
    r = _replications(network, n, served, {k: v[:, w:] for k, v in path.items()}, paths)
    component_cost = paths.component_cost[n] / (network.periods - w)
    value_holding = base.holding_cost + float(component_cost.mean())
    value_transport = float(r.transport_cost.mean())
    return NodeResult(
        name=s.name,
        variance_ratio=Estimate.of(
            base.variance_ratio, _per_replication_ratio(r.order_variance, r.demand_variance)
        ),
        fill_rate=Estimate.of(base.fill_rate, _per_replication_ratio(r.filled, r.claimed)),
        cycle_service_level=Estimate.of(base.cycle_service_level, r.cycle_service_level),
        mean_on_hand=Estimate.of(base.mean_on_hand, r.mean_on_hand),
        mean_in_transit=Estimate.of(base.mean_in_transit, r.mean_in_transit),
        mean_backlog=Estimate.of(base.mean_backlog, r.mean_backlog),
        mean_lost_sales=Estimate.of(base.mean_lost_sales, r.mean_lost_sales),
        mean_components=Estimate.of(float(r.mean_components.mean()), r.mean_components),
        holding_cost=Estimate.of(value_holding, r.holding_cost),
        shortage_cost=Estimate.of(base.shortage_cost, r.shortage_cost),
        transport_cost=Estimate.of(value_transport, r.transport_cost),
        cost=Estimate.of(value_holding + base.shortage_cost + value_transport, r.cost),
        orders=base.orders,
        incoming=base.incoming,
        on_hand=base.on_hand,
        in_transit=base.in_transit,
        backlog=base.backlog,
        lost=base.lost,
        received=_frozen(paths.received[n].T),
        shipped=_frozen(paths.shipped[n].T),
        supplied=_frozen(paths.supplied[n].T),
        components=_frozen(paths.components[n].T),
        served_demand=_frozen(served),
        per_replication=r,
    )


def _served(network: SupplyNetwork, demand: FloatArray, n: int) -> FloatArray:
    topo = network.topology
    total: FloatArray = np.zeros(demand.shape[1:])
    for i, (j, w) in enumerate(topo.served_terms(n)):
        part = demand[j] if w == 1.0 else w * demand[j]
        total = part.copy() if i == 0 else total + part
    return total


def build_result(network: SupplyNetwork, demand: FloatArray, paths: Trajectories) -> NetworkResult:
    """Freeze the trajectories of a run into per-node and network results."""
    topo = network.topology
    nodes = tuple(_node(network, n, _served(network, demand, n), paths) for n in range(topo.size))
    w = network.warmup
    total_per_rep = np.sum([n.per_replication.cost for n in nodes], axis=0)
    total = float(sum(n.cost.value for n in nodes))
    customer = demand[:, :, w:].sum(axis=0).mean(axis=1)
    mean_customer = float(customer.mean())
    per_unit = total / mean_customer if mean_customer > 0 else float("nan")
    frozen = {}
    for j, m in enumerate(topo.demand_nodes):
        frozen[topo.names[m]] = _frozen(demand[j])
    arcs = {
        (a.supplier, a.customer): _frozen(paths.arc_shipped[i].T)
        for i, a in enumerate(network.arcs)
    }
    return NetworkResult(
        nodes=nodes,
        demand=MappingProxyType(frozen),
        arc_shipments=MappingProxyType(arcs),
        total_cost=Estimate.of(total, total_per_rep),
        cost_per_unit=Estimate.of(per_unit, _per_replication_ratio(total_per_rep, customer)),
        warmup=w,
        seed=network.seed,
        per_replication=NetworkReplications(_frozen(total_per_rep), _frozen(customer)),
    )
