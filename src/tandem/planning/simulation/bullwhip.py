r"""The bullwhip experiment of Chen, Drezner, Ryan & Simchi-Levi (2000).

Chen, F., Drezner, Z., Ryan, J. K. & Simchi-Levi, D. (2000), "Quantifying the bullwhip effect in a
simple supply chain: the impact of forecasting, lead times, and information", Management Science
46(3), 436-443.

Each stage of a serial chain follows an order-up-to policy :math:`y_t = \hat D^L_t + z \hat
\sigma^L_t` with :math:`\hat D^L_t = L \cdot \frac1p \sum_{i=0}^{p-1} x_{t-i}`, the
:math:`p`-period moving-average forecast of the demand over its protection interval of
:math:`L` periods (an order placed at the end of period :math:`t` arrives at the start of
:math:`t + L`, see :mod:`tandem.planning.simulation.stages`); orders
:math:`q_t = y_t - y_{t-1} + x_t` may be negative. Customer demand is AR(1) with correlation
:math:`\rho`. For :math:`z = 0` the retailer's orders are the linear filter

.. math:: q_t = D_t + \frac{L}{p} (D_t - D_{t-p}),

so :math:`\mathrm{Var}(q)/\mathrm{Var}(D) = 1 + (2L/p + 2L^2/p^2)(1 - \rho^p)` exactly, and a
lower bound when :math:`z > 0`: 2.5 for :math:`L=2, p=4`; 5.0 for :math:`L=1, p=1`; 3.88 for
:math:`L=4, p=5` (i.i.d. demand). Without information sharing each stage forecasts from the
orders it receives and the bound is the product of the stage formulas; when every stage
forecasts customer demand and orders against its echelon position (:attr:`Sharing.DEMAND`) stage
:math:`k` behaves like one stage with lead time :math:`\sum_{i \le k} L_i` and the bound is
additive in the lead times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.demand import AR1Demand
from tandem.planning.simulation.engine import SerialSupplyChain
from tandem.planning.simulation.forecasting import MovingAverage
from tandem.planning.simulation.policies import InventoryView, OrderUpTo
from tandem.planning.simulation.results import SimulationResult
from tandem.planning.simulation.stages import InformationMode, Stage

__all__ = [
    "BullwhipResult",
    "Sharing",
    "additive_bound",
    "chen_bound",
    "exact_variance_ratio",
    "multiplicative_bound",
    "order_filter",
    "run_bullwhip",
]

FloatArray = NDArray[np.float64]


class Sharing(StrEnum):
    """Which demand the upstream stages forecast from."""

    NONE = "none"
    DEMAND = "demand"


def chen_bound(lead_time: float, window: int, rho: float = 0.0) -> float:
    """Chen et al.'s single-stage ratio ``1 + (2L/p + 2L²/p²)(1 - rho^p)`` (exact when z = 0).

    >>> chen_bound(2, 4), chen_bound(1, 1), round(chen_bound(4, 5), 10)
    (2.5, 5.0, 3.88)
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    a = lead_time / window
    return 1.0 + (2.0 * a + 2.0 * a * a) * (1.0 - rho**window)


def multiplicative_bound(
    lead_times: Sequence[float], window: int, rho: float = 0.0
) -> tuple[float, ...]:
    """Lower bound of each stage without sharing: the running product of stage formulas."""
    out: list[float] = []
    product = 1.0
    for lead_time in lead_times:
        product *= chen_bound(lead_time, window, rho)
        out.append(product)
    return tuple(out)


def additive_bound(lead_times: Sequence[float], window: int, rho: float = 0.0) -> tuple[float, ...]:
    """Bound of each stage with shared demand: the formula at the cumulative lead time."""
    cumulative = np.cumsum(np.asarray(lead_times, dtype=np.float64))
    return tuple(chen_bound(float(c), window, rho) for c in cumulative)


def _stage_filter(lead_time: float, window: int) -> FloatArray:
    c = np.zeros(window + 1)
    c[0] = 1.0 + lead_time / window
    c[window] -= lead_time / window
    return c


def order_filter(
    lead_times: Sequence[float], window: int, sharing: Sharing = Sharing.NONE
) -> tuple[FloatArray, ...]:
    """Coefficients ``c`` with ``q^k_t = sum_j c[j] D_{t-j}`` for each stage when z = 0."""
    out: list[FloatArray] = []
    previous = np.ones(1)
    cumulative = 0.0
    for lead_time in lead_times:
        cumulative += lead_time
        if sharing is Sharing.DEMAND:
            out.append(_stage_filter(cumulative, window))
        else:
            previous = np.convolve(previous, _stage_filter(lead_time, window))
            out.append(previous)
    return tuple(out)


def exact_variance_ratio(
    lead_times: Sequence[float], window: int, rho: float = 0.0, sharing: Sharing = Sharing.NONE
) -> tuple[float, ...]:
    """Exact ``Var(q^k)/Var(D)`` of each stage for z = 0 and stationary AR(1) demand.

    ``c' Γ c`` with the demand autocorrelations ``Γ[i, j] = rho^|i - j|``.

    >>> [round(r, 6) for r in exact_variance_ratio([1, 1], 1)]
    [5.0, 33.0]
    """
    out: list[float] = []
    for c in order_filter(lead_times, window, sharing):
        lags = np.arange(c.size)
        gamma = float(rho) ** np.abs(lags[:, None] - lags[None, :])
        out.append(float(c @ gamma @ c))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class BullwhipResult:
    """Simulated and theoretical variance ratios, retailer first.

    ``lower_bound`` is the bound for the sharing mode that was run (``traditional_bound`` or
    ``shared_bound``); ``exact_ratio`` is the z = 0 value of the linear filter.
    """

    variance_ratio: tuple[float, ...]
    lower_bound: tuple[float, ...]
    traditional_bound: tuple[float, ...]
    shared_bound: tuple[float, ...]
    exact_ratio: tuple[float, ...]
    simulation: SimulationResult


def run_bullwhip(
    stages: int = 1,
    lead_times: int | Sequence[int] = 2,
    forecast: MovingAverage = MovingAverage(4),
    rho: float = 0.0,
    sharing: Sharing = Sharing.NONE,
    safety_z: float = 0.0,
    periods: int = 2_000,
    seed: int | None = 0,
    *,
    replications: int = 1,
    warmup: int | None = None,
    demand_mean: float = 100.0,
    noise_sigma: float = 10.0,
) -> BullwhipResult:
    """Simulate Chen et al.'s serial chain and compare with their bounds.

    Parameters
    ----------
    stages : int
        Number of stages, the retailer first.
    lead_times : int or sequence of int
        Lead time :math:`L_k` of each stage (one value for all).
    forecast : MovingAverage
        The moving-average forecast (window :math:`p`) every stage uses.
    rho : float
        Lag-one autocorrelation of the AR(1) customer demand.
    sharing : Sharing
        ``NONE``: each stage forecasts its incoming orders (installation positions);
        ``DEMAND``: each stage forecasts customer demand and orders against its echelon position.
    safety_z : float
        Safety factor :math:`z`.
    periods, seed, replications : int
        Horizon, seed and replications (the statistics pool ``replications`` runs).
    warmup : int or None
        Periods left out of the statistics; default ``stages * p``, the filter's memory.
    demand_mean, noise_sigma : float
        Mean of the demand and standard deviation of its innovations.

    Examples
    --------
    >>> result = run_bullwhip(1, 2, MovingAverage(4), periods=1_000, replications=50, seed=1)
    >>> result.lower_bound, result.exact_ratio
    ((2.5,), (2.5,))
    >>> abs(result.variance_ratio[0] / 2.5 - 1) < 0.03
    True
    """
    if stages < 1:
        raise ValueError("stages must be at least 1")
    leads = [lead_times] * stages if isinstance(lead_times, int) else list(lead_times)
    if len(leads) != stages:
        raise ValueError(f"{stages} stages need {stages} lead times, got {len(leads)}")
    p = forecast.window
    view = InventoryView.ECHELON if sharing is Sharing.DEMAND else InventoryView.INSTALLATION
    names = ("retailer", "wholesaler", "distributor", "factory")
    chain = SerialSupplyChain(
        [
            Stage(
                names[k] if stages <= len(names) else f"stage {k + 1}",
                OrderUpTo(forecast, safety_factor=safety_z, view=view),
                lead_time=leads[k],
            )
            for k in range(stages)
        ],
        AR1Demand(demand_mean, rho, noise_sigma),
        information=InformationMode.SHARED
        if sharing is Sharing.DEMAND
        else (InformationMode.TRADITIONAL),
        allow_negative_orders=True,
        periods=periods,
        replications=replications,
        warmup=min(stages * p, periods - 1) if warmup is None else warmup,
        seed=seed,
    )
    simulation = chain.run()
    traditional = multiplicative_bound(leads, p, rho)
    shared = additive_bound(leads, p, rho)
    return BullwhipResult(
        variance_ratio=simulation.variance_ratios,
        lower_bound=shared if sharing is Sharing.DEMAND else traditional,
        traditional_bound=traditional,
        shared_bound=shared,
        exact_ratio=exact_variance_ratio(leads, p, rho, sharing),
        simulation=simulation,
    )
