r"""Replenishment policies of a stocking point, as frozen specs plus one ordering function.

At the end of period :math:`t`, after its demand is filled, a stage orders

- :class:`BaseStock` (level :math:`S`): :math:`q_t = S - IP_t`;
- :class:`OrderUpTo` (forecast-driven base stock, Chen et al. 2000): :math:`q_t = y_t - IP_t`
  with :math:`y_t = \hat D^{c}_t + z \hat\sigma^{c}_t`, the forecast of demand over the
  protection interval of :math:`c` periods plus :math:`z` standard deviations of its error;
- :class:`MinMax` (:math:`s, S`): :math:`q_t = S - IP_t` if :math:`IP_t \le s`, else 0;
- :class:`ReorderPoint` (:math:`r, Q`): the smallest multiple :math:`nQ` with
  :math:`IP_t + nQ > r` if :math:`IP_t \le r`, else 0;
- :class:`AnchorAndAdjust`: Sterman (1989), "Modeling managerial behavior: misperceptions of
  feedback in a dynamic decision making experiment", Management Science 35(3), 321-339:
  :math:`q_t = \max(0, \hat L_t + \alpha_S (S' - S_t - \beta SL_t))` with
  :math:`\hat L_t = \theta x_t + (1 - \theta) \hat L_{t-1}` the smoothed incoming orders,
  :math:`S_t` on hand minus backlog and :math:`SL_t` the supply line (ordered, not received).

:math:`IP_t` is the *installation* inventory position (on hand - backlog + on order) or, with
:attr:`InventoryView.ECHELON`, the echelon position: the sum of the installation positions of the
stage and every stage downstream of it (Clark & Scarf 1960). The engine applies review periods,
batching, the non-negativity of orders and forward buying around these raw quantities.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.forecasting import (
    ExponentialSmoothing,
    Forecast,
    ForecastState,
)

__all__ = [
    "AnchorAndAdjust",
    "BaseStock",
    "InventoryView",
    "MinMax",
    "OrderUpTo",
    "Policy",
    "ReorderPoint",
    "policy_forecast",
    "policy_view",
    "raw_order",
]

FloatArray = NDArray[np.float64]


class InventoryView(StrEnum):
    """Which inventory position a policy compares with its target."""

    INSTALLATION = "installation"
    ECHELON = "echelon"


@dataclass(frozen=True)
class BaseStock:
    """Order up to a fixed base-stock ``level`` every review."""

    level: float
    view: InventoryView = InventoryView.INSTALLATION


@dataclass(frozen=True)
class OrderUpTo:
    """Order up to the forecast lead-time demand plus ``safety_factor`` error deviations."""

    forecast: Forecast
    safety_factor: float = 0.0
    view: InventoryView = InventoryView.INSTALLATION


@dataclass(frozen=True)
class MinMax:
    """(s, S): when the position is at or below ``s``, order up to ``S``."""

    s: float
    S: float
    view: InventoryView = InventoryView.INSTALLATION

    def __post_init__(self) -> None:
        if self.s > self.S:
            raise ValueError("S must be at least s")


@dataclass(frozen=True)
class ReorderPoint:
    """(r, Q): at or below ``r``, order the fewest batches of ``Q`` that lift IP above ``r``."""

    r: float
    Q: float
    view: InventoryView = InventoryView.INSTALLATION

    def __post_init__(self) -> None:
        if self.Q <= 0:
            raise ValueError("Q must be positive")


@dataclass(frozen=True)
class AnchorAndAdjust:
    r"""Sterman's (1989) anchoring-and-adjustment ordering heuristic.

    Parameters
    ----------
    theta : float
        Weight of the latest incoming order in the expected demand :math:`\hat L`, in [0, 1].
    alpha_s : float
        Fraction of the stock discrepancy corrected each period, in [0, 1].
    beta : float
        Weight of the supply line relative to the stock, in [0, 1].
    desired_stock : float
        :math:`S' = S^* + \beta SL^*`, the desired stock plus the weighted desired supply line.
    """

    theta: float
    alpha_s: float
    beta: float
    desired_stock: float

    def __post_init__(self) -> None:
        for name in ("theta", "alpha_s", "beta"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1]")

    @classmethod
    def sterman_mean_estimates(cls) -> AnchorAndAdjust:
        """The mean of Sterman's (1989) estimates over 44 subjects (0.36, 0.26, 0.34, 17)."""
        return cls(theta=0.36, alpha_s=0.26, beta=0.34, desired_stock=17.0)


Policy = BaseStock | OrderUpTo | MinMax | ReorderPoint | AnchorAndAdjust


def policy_forecast(policy: Policy) -> Forecast | None:
    """The forecast a policy runs, if any (Sterman's :math:`\\hat L` is smoothing by theta)."""
    if isinstance(policy, OrderUpTo):
        return policy.forecast
    if isinstance(policy, AnchorAndAdjust):
        return ExponentialSmoothing(policy.theta) if policy.theta > 0 else None
    return None


def policy_view(policy: Policy) -> InventoryView:
    """The inventory view of a policy (Sterman's rule always looks at its own stock)."""
    if isinstance(policy, AnchorAndAdjust):
        return InventoryView.INSTALLATION
    return policy.view


def raw_order(
    policy: Policy,
    *,
    t: int,
    position: FloatArray,
    net_stock: FloatArray,
    supply_line: FloatArray,
    forecast: ForecastState | None,
    initial_forecast: float,
    cover: float,
    extra_cover: float,
) -> FloatArray:
    """Order quantity of ``policy`` before non-negativity, review and batching.

    ``position`` is the inventory position in the policy's view, ``net_stock`` and
    ``supply_line`` the stage's own; ``extra_cover`` adds that many periods of forecast demand
    to the target (forward buying on a price deal).
    """
    if isinstance(policy, BaseStock):
        return np.asarray(policy.level - position, dtype=np.float64)
    if isinstance(policy, MinMax):
        return np.where(position <= policy.s, policy.S - position, 0.0)
    if isinstance(policy, ReorderPoint):
        batches = np.floor((policy.r - position) / policy.Q) + 1.0
        return np.where(position <= policy.r, batches * policy.Q, 0.0)
    if isinstance(policy, OrderUpTo):
        if forecast is None:  # pragma: no cover - the engine always starts one
            raise ValueError("OrderUpTo needs a forecast state")
        target = forecast.lead_time_demand(t, cover)
        if policy.safety_factor != 0.0:
            target = target + policy.safety_factor * forecast.lead_time_sigma(t, cover)
        if extra_cover:
            target = target + extra_cover * forecast.per_period(t)
        return np.asarray(target - position, dtype=np.float64)
    expected = (
        forecast.per_period(t)
        if forecast is not None
        else np.full(position.shape, initial_forecast, dtype=np.float64)
    )
    gap = policy.desired_stock - net_stock - policy.beta * supply_line
    order = expected + policy.alpha_s * gap
    if extra_cover:
        order = order + extra_cover * expected
    return np.maximum(order, 0.0)
