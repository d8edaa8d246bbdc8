"""Time-to-survive (TTS) of a node: how long the network meets all demand with that node down.

Simchi-Levi et al. (2015), "Identifying risks and mitigating disruptions in the automotive supply
chain", *Interfaces* 45(5), section "Time-to-survive model". With node ``n`` down (no production
and no receipts for the whole outage), TTS is the largest ``t`` such that production and flows
over ``[0, t]`` meet the demand ``d t`` with no lost sales from the stock on hand and in the
pipeline, the capacities ``c t`` of the other nodes and arcs, and alternative sources:

``max t  s.t.  B x - d t <= -s`` (balance per node and product, ``B`` from :mod:`._lp`),
``x_k <= c_k t``, ``0 <= t <= T_max``.

Every total scales with ``t`` except the stock, so one LP gives TTS. The cap ``T_max`` keeps the
LP bounded: a node whose loss the network absorbs for good reports ``capped`` (TTS ``>= T_max``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.risk import _lp
from tandem.planning.risk.network import SupplyNetwork

__all__ = ["DEFAULT_HORIZON", "TimeToSurvive", "time_to_survive"]

DEFAULT_HORIZON = 100.0
"""Default cap ``T_max`` on the time-to-survive, in periods."""

_CAP_TOLERANCE = 1e-9


@dataclass(frozen=True)
class TimeToSurvive:
    """The time-to-survive of ``node``, in periods.

    ``capped`` is true when the network survives the whole ``horizon`` (TTS ``>= horizon``,
    ``periods == horizon``): the node's loss is absorbed by other sources.
    """

    node: str
    periods: float
    horizon: float
    capped: bool

    def __str__(self) -> str:
        if self.capped:
            return f"unbounded (>= {self.horizon:g})"
        return f"{self.periods:g}"

    def survives(self, periods: float) -> bool:
        """Whether the network meets all demand for ``periods`` with the node down.

        A capped TTS is only known to reach ``horizon``: longer outages answer ``False``.
        """
        return self.periods >= periods


def time_to_survive(
    network: SupplyNetwork, node: str, *, horizon: float = DEFAULT_HORIZON
) -> TimeToSurvive:
    """The time-to-survive of ``node``: the longest outage the network rides out without loss.

    Parameters
    ----------
    network : SupplyNetwork
        The network, with its stocks (on hand and pipeline) at the start of the outage.
    node : str
        The node that goes down: it neither produces nor receives; its own stock stays usable
        unless ``network.down_stock`` is :attr:`DownStock.LOST`.
    horizon : float
        The cap ``T_max`` on the answer, in periods.

    Returns
    -------
    TimeToSurvive
        The TTS, ``capped`` if it reaches ``horizon``.

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
    ...     demands=(Demand("P", "A", 10.0),),
    ... )
    >>> round(time_to_survive(net, "S").periods, 9)
    3.0
    >>> str(time_to_survive(net, "P"))
    '0'
    """
    network.require_node(node)
    if not (horizon > 0 and math.isfinite(horizon)):
        raise ValueError(f"horizon must be positive and finite, got {horizon!r}")
    _lp.check_base(network)
    return _time_to_survive(network, node, horizon)


def _time_to_survive(network: SupplyNetwork, node: str, horizon: float) -> TimeToSurvive:
    lay = _lp.layout(network, node)
    n = lay.n_flows
    cap = _lp.capacities(lay)
    finite = np.flatnonzero(np.isfinite(cap))
    # Capacity rows x_k - c_k t <= 0 for the finite capacities.
    cap_rows = sparse.csr_matrix(
        (
            np.concatenate([np.ones(finite.size), -cap[finite]]),
            (
                np.concatenate([np.arange(finite.size)] * 2),
                np.concatenate([finite, [n] * finite.size]),
            ),
        ),
        shape=(finite.size, n + 1),
    )
    balance = sparse.hstack([lay.balance, sparse.csr_matrix(lay.demand.reshape(-1, 1))])
    a_ub = sparse.vstack([balance, cap_rows]).tocsr()
    b_ub = np.concatenate([lay.stock, np.zeros(finite.size)])
    bounds: _lp.Bounds = [(0.0, 0.0) if j in lay.down_columns else (0.0, None) for j in range(n)]
    bounds.append((0.0, horizon))
    c = np.zeros(n + 1)
    c[n] = -1.0
    result = _lp.solve(c, a_ub, b_ub, bounds, f"time-to-survive of {node}")
    periods = min(horizon, max(0.0, float(result.x[n])))
    capped = periods >= horizon * (1.0 - _CAP_TOLERANCE)
    return TimeToSurvive(
        node=node, periods=horizon if capped else periods, horizon=horizon, capped=capped
    )
