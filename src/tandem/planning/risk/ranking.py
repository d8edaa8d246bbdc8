"""Risk exposure ranking: TTS, TTR, performance impact and exposure for every node.

Simchi-Levi et al. (2015), *Interfaces* 45(5): a node is exposed when its time-to-survive is
shorter than its time-to-recover; nodes are ranked by performance impact so that mitigation
(strategic stock, a second source: :func:`~tandem.planning.risk.network.with_stock`,
:func:`~tandem.planning.risk.network.with_arc`) goes where the lost margin is largest, including
to low-spend suppliers that the spend view overlooks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tandem.planning.risk import _lp
from tandem.planning.risk.impact import PerformanceImpact, _performance_impact
from tandem.planning.risk.network import SupplyNetwork
from tandem.planning.risk.tts import DEFAULT_HORIZON, TimeToSurvive, _time_to_survive

__all__ = ["RiskProfile", "RiskRanking", "rank_nodes"]


@dataclass(frozen=True)
class RiskProfile:
    """One node's risk: TTS, given TTR, performance impact and exposure (TTS < TTR)."""

    node: str
    tts: TimeToSurvive
    ttr: float
    impact: PerformanceImpact
    exposed: bool


@dataclass(frozen=True)
class RiskRanking:
    """Risk profiles by decreasing performance impact, then increasing TTS, then node order."""

    profiles: tuple[RiskProfile, ...]

    @property
    def exposed_nodes(self) -> tuple[str, ...]:
        """The nodes whose TTS is below their TTR, in ranking order."""
        return tuple(p.node for p in self.profiles if p.exposed)

    def profile(self, node: str) -> RiskProfile:
        """The profile of ``node``."""
        for p in self.profiles:
            if p.node == node:
                return p
        raise KeyError(f"node {node!r} is not ranked")


def rank_nodes(
    network: SupplyNetwork,
    ttr: Mapping[str, float],
    *,
    horizon: float = DEFAULT_HORIZON,
) -> RiskRanking:
    """Rank the nodes in ``ttr`` by the performance impact of their outage.

    Parameters
    ----------
    network : SupplyNetwork
        The network, with its stocks at the start of an outage.
    ttr : Mapping[str, float]
        Time-to-recover per node, in periods; only these nodes are ranked.
    horizon : float
        The cap ``T_max`` on TTS; it must be at least every TTR so exposure is decided.

    Returns
    -------
    RiskRanking
        One profile per node in ``ttr``.

    Raises
    ------
    InfeasibleNetworkError
        If the undisrupted network cannot meet its demand per period.

    References
    ----------
    Simchi-Levi, D., Schmidt, W., Wei, Y., et al. (2015). Identifying risks and mitigating
    disruptions in the automotive supply chain. *Interfaces* 45(5), 375-390.
    """
    for node, periods in ttr.items():
        network.require_node(node)
        if not (periods >= 0 and math.isfinite(periods)):
            raise ValueError(f"time-to-recover of {node} must be finite and >= 0, got {periods!r}")
        if periods > horizon:
            raise ValueError(
                f"time-to-recover of {node} ({periods:g}) exceeds the TTS horizon ({horizon:g})"
            )
    if not (horizon > 0 and math.isfinite(horizon)):
        raise ValueError(f"horizon must be positive and finite, got {horizon!r}")
    _lp.check_base(network)
    profiles = []
    for node, periods in ttr.items():
        tts = _time_to_survive(network, node, horizon)
        profiles.append(
            RiskProfile(
                node=node,
                tts=tts,
                ttr=periods,
                impact=_performance_impact(network, node, periods),
                exposed=not tts.survives(periods),
            )
        )
    order = {node: i for i, node in enumerate(network.nodes)}
    profiles.sort(key=lambda p: (-p.impact.lost_margin, p.tts.periods, order[p.node]))
    return RiskRanking(profiles=tuple(profiles))
