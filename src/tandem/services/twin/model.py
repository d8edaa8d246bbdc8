"""The twin's description of a network, keyed by platform codes, and its engine inputs.

:class:`TwinNetwork` is what :func:`~tandem.services.twin.build.build_twin` reads from the
platform and what scenario deltas change (:mod:`tandem.services.twin.deltas`); it holds plain
numbers per stocking point (:class:`TwinNode`) and supply link (:class:`TwinArc`), in days.
:func:`to_supply_network` turns it into the engine's :class:`SupplyNetwork` for one policy
:class:`Mode` (periods are days):

* ``BASE``: each point's own base stock: its ``order_up_to_level`` if set, else lead-time
  demand plus safety stock, ``S = mu (L + R - 1) + SS`` (mean demand served per day, the mean
  inbound lead time in days, the review period); safety stock is the point's ``safety_stock``,
  else ``z sigma sqrt(L + R - 1)`` at its target service level (default 95 %). With sharing on,
  the same levels become echelon levels, ``S^e_n = sum_m M[n, m] S_m`` over ``n`` and
  everything below it, the installation-to-echelon conversion of serial systems (Axsaeter,
  *Inventory Control*, 3rd ed., 2015, section 5.3).
* ``TRADITIONAL``: each point orders up to its moving-average forecast of the orders it
  receives plus ``z`` forecast-error deviations (Chen, Drezner, Ryan & Simchi-Levi 2000).
* ``SHARED``: the same policy on end-customer demand and echelon positions.
* ``ADOPTED``: installation base stock at the adopted proposal's base-stock levels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist

from tandem.planning.simulation import (
    Arc,
    BaseStock,
    DemandProcess,
    InformationMode,
    InventoryView,
    LeadTime,
    MovingAverage,
    NormalDemand,
    OrderUpTo,
    Policy,
    ReplayDemand,
    Stage,
    StochasticLeadTime,
    SupplyNetwork,
)
from tandem.services.twin.windows import Outage, ScaledDemand

__all__ = [
    "DEFAULT_SERVICE_LEVEL",
    "Mode",
    "TwinArc",
    "TwinNetwork",
    "TwinNode",
    "discrete_lead_time",
    "to_supply_network",
]

DEFAULT_SERVICE_LEVEL = 0.95
FORECAST_WINDOW = 7  # days in the moving average of the forecasting policies


class Mode(StrEnum):
    BASE = "base"
    TRADITIONAL = "traditional"
    SHARED = "shared"
    ADOPTED = "adopted"


@dataclass(frozen=True)
class TwinNode:
    """One stocking point. ``demand_mean``/``demand_std`` are its end customers' per day."""

    name: str  # "SKU@SITE"
    item: str
    site: str
    member: str
    item_site_id: int
    holding_cost: float  # per unit and day
    shortage_cost: float  # per unit backlogged and day (demand points only)
    lead_time_days: float = 1.0  # outside supply of a source point
    lead_time_std_days: float = 0.0
    supply_capacity: float | None = None
    review_days: int = 1
    service_level: float = DEFAULT_SERVICE_LEVEL
    order_up_to: float | None = None
    safety_stock: float | None = None
    adopted_level: float | None = None
    demand_mean: float = 0.0
    demand_std: float = 0.0
    history: tuple[float, ...] = ()


@dataclass(frozen=True)
class TwinArc:
    """``quantity`` units of ``supplier``'s item per unit of ``customer``'s, on ``lane``
    (``"FROM>TO"``; ``None``: a bill of materials at one site)."""

    supplier: str
    customer: str
    quantity: float
    lane: str | None
    supplier_member: str
    lead_time_days: float
    lead_time_std_days: float = 0.0
    capacity: float | None = None
    cost_per_unit: float = 0.0


@dataclass(frozen=True)
class TwinNetwork:
    """A network for the twin and what scenarios changed on it."""

    nodes: tuple[TwinNode, ...]
    arcs: tuple[TwinArc, ...]
    sharing: bool = False
    replay: bool = False
    demand_windows: tuple[tuple[str, float, int, int], ...] = ()  # node, factor, from, to
    outages: tuple[Outage, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def node(self, name: str) -> TwinNode:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)


def discrete_lead_time(mean_days: float, std_days: float, minimum: int = 1) -> LeadTime:
    """Whole days: ``round(mean)``, or with ``std > 0`` a normal law discretised on the whole
    days within three deviations (each day gets the mass of ``[d - 1/2, d + 1/2)``), at least
    ``minimum``, renormalised."""
    centre = max(minimum, math.floor(mean_days + 0.5))
    if std_days <= 0:
        return centre
    law = NormalDist(mean_days, std_days)
    low = max(minimum, math.floor(mean_days - 3 * std_days))
    high = max(low, math.ceil(mean_days + 3 * std_days))
    days = list(range(low, high + 1))
    mass = [law.cdf(d + 0.5) - law.cdf(d - 0.5) for d in days]
    total = sum(mass)
    if total <= 0 or len(days) == 1:
        return centre
    probabilities = tuple(m / total for m in mass)
    return StochasticLeadTime(tuple(days), probabilities)


def _lead_time_of(arcs: list[TwinArc], node: TwinNode) -> float:
    return max((a.lead_time_days for a in arcs), default=node.lead_time_days)


def _downstream_multipliers(net: TwinNetwork) -> dict[str, dict[str, float]]:
    """``M[n][m]``: units of ``n``'s item in one unit of ``m`` over all paths (1 on itself)."""
    below: dict[str, list[TwinArc]] = {n.name: [] for n in net.nodes}
    for a in net.arcs:
        below[a.supplier].append(a)
    memo: dict[str, dict[str, float]] = {}

    def walk(name: str) -> dict[str, float]:
        if name not in memo:
            found = {name: 1.0}
            for a in below[name]:
                for m, w in walk(a.customer).items():
                    found[m] = found.get(m, 0.0) + a.quantity * w
            memo[name] = found
        return memo[name]

    return {n.name: walk(n.name) for n in net.nodes}


def served(net: TwinNetwork) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation per day of the end-customer demand each node serves
    (independent demand points: variances add)."""
    m = _downstream_multipliers(net)
    nodes = {n.name: n for n in net.nodes}
    out = {}
    for name, terms in m.items():
        mean = sum(w * nodes[k].demand_mean for k, w in terms.items())
        var = sum((w * nodes[k].demand_std) ** 2 for k, w in terms.items())
        out[name] = (mean, math.sqrt(var))
    return out


def lead_time_demand(net: TwinNetwork) -> dict[str, tuple[float, float]]:
    """Per node: mean demand served over the protection interval ``L + R - 1`` days, and the
    safety stock at its service level, ``z sigma sqrt(L + R - 1)``."""
    inbound: dict[str, list[TwinArc]] = {n.name: [] for n in net.nodes}
    for a in net.arcs:
        inbound[a.customer].append(a)
    flows = served(net)
    out = {}
    for n in net.nodes:
        mean, std = flows[n.name]
        cover = max(1.0, _lead_time_of(inbound[n.name], n)) + n.review_days - 1
        z = NormalDist().inv_cdf(n.service_level)
        out[n.name] = (mean * cover, z * std * math.sqrt(cover))
    return out


def base_levels(net: TwinNetwork) -> dict[str, float]:
    """Installation base-stock levels of the ``BASE`` mode (module docstring)."""
    demand = lead_time_demand(net)
    levels = {}
    for n in net.nodes:
        mean, derived = demand[n.name]
        if n.order_up_to is not None:
            levels[n.name] = n.order_up_to
        else:
            levels[n.name] = mean + (derived if n.safety_stock is None else n.safety_stock)
    return levels


def _policies(net: TwinNetwork, mode: Mode) -> dict[str, Policy]:
    if mode is Mode.BASE:
        levels = base_levels(net)
        if not net.sharing:
            return {name: BaseStock(level) for name, level in levels.items()}
        m = _downstream_multipliers(net)
        return {
            name: BaseStock(sum(w * levels[k] for k, w in m[name].items()), InventoryView.ECHELON)
            for name in levels
        }
    if mode is Mode.ADOPTED:
        own = base_levels(net)
        return {
            n.name: BaseStock(own[n.name] if n.adopted_level is None else n.adopted_level)
            for n in net.nodes
        }
    view = InventoryView.ECHELON if mode is Mode.SHARED else InventoryView.INSTALLATION
    return {
        n.name: OrderUpTo(
            MovingAverage(FORECAST_WINDOW), NormalDist().inv_cdf(n.service_level), view
        )
        for n in net.nodes
    }


def _demand(net: TwinNetwork, node: TwinNode, periods: int) -> DemandProcess:
    """Normal demand, or the last ``periods`` days of history (repeated if shorter)."""
    base: DemandProcess
    if net.replay and node.history:
        repeats = -(-periods // len(node.history))
        base = ReplayDemand((node.history * repeats)[-periods:])
    else:
        base = NormalDemand(node.demand_mean, node.demand_std, clip_at_zero=True)
    windows = tuple((f, a, b) for name, f, a, b in net.demand_windows if name == node.name)
    return ScaledDemand(base, windows) if windows else base


def _information(net: TwinNetwork, mode: Mode) -> InformationMode:
    shared = mode is Mode.SHARED or (mode is Mode.BASE and net.sharing)
    return InformationMode.SHARED if shared else InformationMode.TRADITIONAL


def to_supply_network(
    net: TwinNetwork, mode: Mode, periods: int, replications: int, warmup: int, seed: int
) -> SupplyNetwork:
    """The engine's network of ``net`` under ``mode`` (module docstring)."""
    policies = _policies(net, mode)
    has_inbound = {a.customer for a in net.arcs}
    stages = [
        Stage(
            n.name,
            policies[n.name],
            lead_time=discrete_lead_time(n.lead_time_days, n.lead_time_std_days)
            if n.name not in has_inbound
            else 1,
            holding_cost=n.holding_cost,
            shortage_cost=n.shortage_cost,
            supply_capacity=n.supply_capacity,
            review_period=n.review_days,
        )
        for n in net.nodes
    ]
    arcs = [
        Arc(
            a.supplier,
            a.customer,
            a.quantity,
            lead_time=discrete_lead_time(a.lead_time_days, a.lead_time_std_days, minimum=0)
            if a.lead_time_std_days <= 0
            else discrete_lead_time(a.lead_time_days, a.lead_time_std_days),
            capacity=a.capacity,
            transport_cost=a.cost_per_unit,
        )
        for a in net.arcs
    ]
    demand = {n.name: _demand(net, n, periods) for n in net.nodes if n.demand_mean > 0 or n.history}
    return SupplyNetwork(
        stages,
        arcs,
        demand,
        information=_information(net, mode),
        periods=periods,
        replications=replications,
        warmup=warmup,
        seed=seed,
    )
