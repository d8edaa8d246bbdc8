"""Performance impact of a node's outage over its time-to-recover (TTR).

Simchi-Levi et al. (2015), "Identifying risks and mitigating disruptions in the automotive supply
chain", *Interfaces* 45(5), section "Time-to-recover model". With node ``n`` down for its
time-to-recover ``TTR_n``, the network re-plans production and flows over ``[0, TTR_n]`` to lose
as little margin as it can; ``l_j`` is the demand of line ``j`` left unmet:

``min sum_j m_j l_j  s.t.  B x - E l <= s - d TTR``, ``0 <= x_k <= c_k TTR``,
``0 <= l_j <= d_j TTR``

with ``B`` the balance rows of :mod:`._lp` and ``E`` mapping demand lines to their rows. The
minimum is the performance impact (PI) of the node. Nodes whose TTS is below their TTR are the
exposed ones; the ranking by PI shows where mitigation pays (Simchi-Levi, Wang & Wei 2018).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.risk import _lp
from tandem.planning.risk.network import SupplyNetwork

__all__ = ["LostSale", "PerformanceImpact", "performance_impact"]


@dataclass(frozen=True)
class LostSale:
    """Units of ``product`` demanded at ``node`` that the outage leaves unmet."""

    node: str
    product: str
    units: float
    margin: float

    @property
    def lost_margin(self) -> float:
        """``units * margin``."""
        return self.units * self.margin


@dataclass(frozen=True)
class PerformanceImpact:
    """The minimum lost margin over ``ttr`` periods with ``node`` down.

    ``lost_sales`` has one entry per demand line of the network, in its order.
    """

    node: str
    ttr: float
    lost_margin: float
    lost_sales: tuple[LostSale, ...]

    @property
    def lost_units(self) -> float:
        """Total units lost over all demand lines."""
        return sum(sale.units for sale in self.lost_sales)


def performance_impact(network: SupplyNetwork, node: str, ttr: float) -> PerformanceImpact:
    """The performance impact of ``node`` being down for ``ttr`` periods.

    Parameters
    ----------
    network : SupplyNetwork
        The network, with its stocks (on hand and pipeline) at the start of the outage.
    node : str
        The node that goes down: it neither produces nor receives; its own stock stays usable
        unless ``network.down_stock`` is :attr:`DownStock.LOST`.
    ttr : float
        The time-to-recover of the node, in periods.

    Returns
    -------
    PerformanceImpact
        The minimum lost margin and the lost units per demand line of one optimal re-plan.

    Raises
    ------
    InfeasibleNetworkError
        If the undisrupted network cannot meet its demand per period.

    References
    ----------
    Simchi-Levi, D., Schmidt, W., Wei, Y., et al. (2015). Identifying risks and mitigating
    disruptions in the automotive supply chain. *Interfaces* 45(5), 375-390.

    Examples
    --------
    >>> from tandem.planning.risk.network import Arc, BomLine, Demand, Process, Stock
    >>> net = SupplyNetwork(
    ...     nodes=("S", "P"),
    ...     processes=(Process("S", "C", 100.0), Process("P", "A", 100.0)),
    ...     arcs=(Arc("S", "P", "C"),),
    ...     bom=(BomLine("A", "C", 2.0),),
    ...     stocks=(Stock("P", "C", 60.0),),
    ...     demands=(Demand("P", "A", 10.0, margin=7.0),),
    ... )
    >>> round(performance_impact(net, "S", ttr=5.0).lost_margin, 9)  # (50 - 60 / 2) * 7
    140.0
    """
    network.require_node(node)
    if not (ttr >= 0 and math.isfinite(ttr)):
        raise ValueError(f"time-to-recover must be finite and non-negative, got {ttr!r}")
    _lp.check_base(network)
    return _performance_impact(network, node, ttr)


def _performance_impact(network: SupplyNetwork, node: str, ttr: float) -> PerformanceImpact:
    lay = _lp.layout(network, node)
    n = lay.n_flows
    n_lines = len(network.demands)
    cap = _lp.capacities(lay)
    lines = sparse.csr_matrix(
        (-np.ones(n_lines), (list(lay.demand_rows), list(range(n_lines)))),
        shape=(lay.balance.shape[0], n_lines),
    )
    a_ub = sparse.hstack([lay.balance, lines]).tocsr()
    b_ub = lay.stock - lay.demand * ttr
    bounds: _lp.Bounds = [
        (0.0, 0.0)
        if j in lay.down_columns
        else (0.0, None if math.isinf(cap[j]) else float(cap[j] * ttr))
        for j in range(n)
    ]
    bounds += [(0.0, d.rate * ttr) for d in network.demands]
    c = np.concatenate([np.zeros(n), [d.margin for d in network.demands]])
    result = _lp.solve(c, a_ub, b_ub, bounds, f"performance impact of {node}")
    lost = np.clip(result.x[n:], 0.0, None)
    sales = tuple(
        LostSale(node=d.node, product=d.product, units=float(u), margin=d.margin)
        for d, u in zip(network.demands, lost, strict=True)
    )
    return PerformanceImpact(
        node=node,
        ttr=ttr,
        lost_margin=float(sum(s.lost_margin for s in sales)),
        lost_sales=sales,
    )
