"""SupplyNetwork against theory: Clark-Scarf optimal serial cost and Eppen's (1979) pooling.

Tolerances come from the simulation's own standard error: every figure carries the half-width
``t s / sqrt(R)`` of its 95% interval over ``R`` independent replications (``Estimate``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.meio import ChenZheng, SerialDemand, SerialSystem
from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    InformationMode,
    InventoryView,
    NetworkResult,
    NormalDemand,
    Stage,
    SupplyNetwork,
)


def _clark_scarf_run(
    local: tuple[float, ...], lead: tuple[int, ...], p: float, demand: SerialDemand
) -> tuple[float, NetworkResult]:
    """Simulate a serial system at its Chen-Zheng optimal echelon base-stock levels.

    In-transit stock is charged at the supplier's local holding cost (S&S 2019, section 6.2),
    so the simulated cost is the one the echelon cost recursion adds up.
    """
    system = SerialSystem.from_local_holding_costs(local, lead, p)
    best = ChenZheng(system).solve(demand)
    names = [f"stage {j + 1}" for j in range(len(local))]
    stages = [
        Stage(
            names[j],
            BaseStock(best.echelon_base_stock[j], view=InventoryView.ECHELON),
            lead_time=lead[j],
            holding_cost=local[j],
            pipeline_holding_cost=local[j + 1] if j + 1 < len(local) else 0.0,
            shortage_cost=p if j == 0 else 0.0,
        )
        for j in range(len(local))
    ]
    arcs = [Arc(names[j + 1], names[j]) for j in range(len(local) - 1)]
    assert demand.std is not None
    network = SupplyNetwork(
        stages,
        arcs,
        {names[0]: NormalDemand(demand.mean, demand.std)},
        information=InformationMode.SHARED,
        periods=4000,
        replications=200,
        warmup=50,
        seed=0,
    )
    return best.expected_cost, network.run()


@pytest.mark.parametrize(
    ("local", "lead", "p", "demand"),
    [
        # Snyder & Shen (2019) Example 6.1: optimum 47.66 at echelon levels (6.5, 12.0, 22.7).
        ((7.0, 4.0, 2.0), (1, 1, 2), 37.12, SerialDemand(5.0, 1.0)),
        # The four-stage chain of bench/bench_simulation.py.
        ((4.0, 3.0, 2.0, 1.0), (2, 1, 1, 3), 20.0, SerialDemand(10.0, 3.0)),
    ],
)
def test_clark_scarf_levels_cost_what_the_chen_zheng_recursion_predicts(
    local: tuple[float, ...], lead: tuple[int, ...], p: float, demand: SerialDemand
) -> None:
    analytic, result = _clark_scarf_run(local, lead, p, demand)
    cost = result.total_cost
    # 200 replications x 3,950 periods make the 95% half-width below 0.2% of the cost, so a
    # gap of 0.5% would be a bias of the simulator (or of the recursion), not noise.
    assert cost.half_width < 0.002 * analytic
    assert abs(cost.value - analytic) < 0.005 * analytic


def _eppen_pair(rho: float, allocation: Allocation) -> tuple[NetworkResult, NetworkResult]:
    """Four retailers, N(100, 20) demand, lead time 2, h = 1, p = 9: decentralised vs pooled.

    Both systems hold the newsvendor level for the critical ratio 0.9 over their lead-time
    demand: each retailer ``2 mu + z sigma sqrt(2)``; the central stock
    ``4 (2 mu) + z sigma sqrt(2 x 4 (1 + 3 rho))`` (the variance of the sum of four correlated
    demands). In the pooled system the retailers hold nothing and are served from the central
    stock in the same period (arcs with lead time 0), as in Eppen (1979).
    """
    n, mu, sigma, lead, h, p = 4, 100.0, 20.0, 2, 1.0, 9.0
    z = float(stats.norm.ppf(p / (h + p)))
    names = [f"cafe {i}" for i in range(n)]
    demand = {name: NormalDemand(mu, sigma, clip_at_zero=True) for name in names}
    corr = None if rho == 0 else np.full((n, n), rho) + (1 - rho) * np.eye(n)
    runs = {"periods": 2000, "replications": 50, "warmup": 20, "seed": 1}
    own = BaseStock(lead * mu + z * sigma * math.sqrt(lead))
    apart = [Stage(x, own, lead, holding_cost=h, shortage_cost=p) for x in names]
    decentral = SupplyNetwork(apart, [], demand, correlation=corr, **runs).run()  # type: ignore[arg-type]
    pooled_sigma = sigma * math.sqrt(lead * n * (1 + (n - 1) * rho))
    central = [Stage("central", BaseStock(n * lead * mu + z * pooled_sigma), lead, holding_cost=h)]
    central += [Stage(x, BaseStock(0.0), holding_cost=h, shortage_cost=p) for x in names]
    arcs = [Arc("central", x, lead_time=0) for x in names]
    pooled = SupplyNetwork(
        central,
        arcs,
        demand,
        correlation=corr,
        allocation=allocation,
        **runs,  # type: ignore[arg-type]
    ).run()
    return decentral, pooled


@pytest.mark.parametrize("rho", [0.0, 0.5])
@pytest.mark.parametrize("allocation", [Allocation.FIFO, Allocation.PROPORTIONAL])
def test_pooling_cuts_the_newsvendor_cost_by_eppens_factor(
    rho: float, allocation: Allocation
) -> None:
    decentral, pooled = _eppen_pair(rho, allocation)
    target = stats.norm.ppf(0.9)
    # Same cycle service level 0.9 in both systems, with sqrt((1 + 3 rho) / 4) of the safety
    # stock: the pooled system is short exactly when the central stock is.
    for result, stock in ((decentral, "cafe 0"), (pooled, "central")):
        csl = result.node(stock).cycle_service_level
        assert abs(csl.value - stats.norm.cdf(target)) < 3 * csl.half_width
    # At the newsvendor levels the cost is (h + p) sigma_L phi(z), proportional to the
    # standard deviation of lead-time demand, so the cost ratio is Eppen's sqrt((1+(N-1)rho)/N).
    eppen = math.sqrt((1 + 3 * rho) / 4)
    c, d = pooled.total_cost, decentral.total_cost
    ratio = c.value / d.value
    # Error of a ratio: relative half-widths add (a conservative bound, ignoring that the two
    # systems see the same demand).
    tolerance = ratio * (c.half_width / c.value + d.half_width / d.value)
    assert abs(ratio - eppen) < tolerance
    for result, sigma_l in (
        (decentral, 4 * 20 * math.sqrt(2)),
        (pooled, eppen * 4 * 20 * math.sqrt(2)),
    ):
        expected = 10.0 * sigma_l * stats.norm.pdf(target)
        assert abs(result.total_cost.value - expected) < 3 * result.total_cost.half_width
    # The retailers of the pooled system never hold stock: all of it is central.
    assert pooled.node("cafe 0").mean_on_hand.value == 0.0


def test_correlated_demand_has_the_requested_correlation_and_marginals() -> None:
    stages = [Stage(x, BaseStock(0.0)) for x in ("a", "b")]
    demand = {"a": NormalDemand(10.0, 2.0), "b": NormalDemand(50.0, 5.0)}
    network = SupplyNetwork(
        stages,
        [],
        demand,
        correlation=[[1.0, -0.6], [-0.6, 1.0]],
        periods=500,
        replications=40,
        seed=3,
    )
    draws = network.run().demand
    a, b = draws["a"].ravel(), draws["b"].ravel()
    # 20,000 pairs: standard errors about 0.015 (mean of a), 0.004 (correlation).
    assert a.mean() == pytest.approx(10.0, abs=0.05)
    assert b.std() == pytest.approx(5.0, abs=0.1)
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(-0.6, abs=0.02)
