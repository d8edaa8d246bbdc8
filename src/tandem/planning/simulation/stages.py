"""The description of a serial supply chain: stages, lead times and information modes.

Stage 0 faces the end customer; stage ``k`` is supplied by stage ``k + 1``; the last stage is
supplied by an outside source with unlimited stock (its ``supply_capacity`` limits production).

Timing, per period ``t`` (Chen, Drezner, Ryan & Simchi-Levi 2000): shipments due at ``t``
arrive; then, from the retailer upstream, each stage fills its backlog and the period's demand
(customer demand at stage 0, the downstream stage's order elsewhere) from stock on hand, and
places its own order. A quantity shipped to stage ``k`` in period ``t`` arrives at the start of
period ``t + L_k``; ``L_k >= 1``, so an order placed at the end of ``t`` must cover the demand of
periods ``t + 1 .. t + L_k``: the *protection interval* is ``L_k`` periods (``L_k + R - 1`` with
a review period ``R``). Snyder & Shen (2019) count lead times from an order placed before the
period's demand, so their lead time ``L`` with review 1 is ``L + 1`` here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.policies import Policy

__all__ = [
    "ForwardBuying",
    "InformationMode",
    "LeadTime",
    "Shortage",
    "Stage",
    "StochasticLeadTime",
    "lead_time_max",
    "lead_time_mean",
]


class Shortage(StrEnum):
    """What happens to demand a stage cannot fill from stock."""

    BACKORDER = "backorder"
    LOST_SALES = "lost_sales"


class InformationMode(StrEnum):
    """What each stage sees.

    ``TRADITIONAL``: a stage forecasts from the orders it receives and sees only its own stock.
    ``SHARED``: every stage forecasts from end-customer demand and may use echelon positions.
    """

    TRADITIONAL = "traditional"
    SHARED = "shared"


@dataclass(frozen=True)
class StochasticLeadTime:
    """An integer lead time drawn independently for every shipment (orders may cross)."""

    values: tuple[int, ...]
    probabilities: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values or len(self.values) != len(self.probabilities):
            raise ValueError("give one probability per lead-time value")
        if min(self.values) < 1:
            raise ValueError("lead times must be at least 1 period")
        p = np.asarray(self.probabilities, dtype=np.float64)
        if np.any(p < 0) or not np.isclose(p.sum(), 1.0):
            raise ValueError("probabilities must be non-negative and sum to 1")

    @property
    def mean(self) -> float:
        return float(np.dot(self.values, self.probabilities))

    @property
    def maximum(self) -> int:
        return max(self.values)

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> NDArray[np.int64]:
        return rng.choice(np.asarray(self.values, dtype=np.int64), size=shape, p=self.probabilities)


LeadTime = int | StochasticLeadTime


def lead_time_mean(lead_time: LeadTime) -> float:
    """Expected lead time in periods."""
    return float(lead_time) if isinstance(lead_time, int) else lead_time.mean


def lead_time_max(lead_time: LeadTime) -> int:
    """Longest possible lead time in periods."""
    return lead_time if isinstance(lead_time, int) else lead_time.maximum


@dataclass(frozen=True)
class ForwardBuying:
    """Buy ahead on price deals (Lee, Padmanabhan & Whang 1997, a cause of the bullwhip).

    The purchase price in period ``t`` is ``prices[t % len(prices)]``; whenever it is below the
    highest price of the cycle, the stage raises its order target by ``cover_periods`` periods of
    forecast demand, and works the stock down afterwards.
    """

    prices: tuple[float, ...]
    cover_periods: float

    def __post_init__(self) -> None:
        if not self.prices:
            raise ValueError("prices must not be empty")
        if self.cover_periods < 0:
            raise ValueError("cover_periods must be non-negative")

    def extra_cover(self, t: int) -> float:
        """Extra periods of cover bought in period ``t``."""
        on_deal = self.prices[t % len(self.prices)] < max(self.prices)
        return self.cover_periods if on_deal else 0.0


@dataclass(frozen=True)
class Stage:
    """One stocking point of a serial chain.

    Parameters
    ----------
    name : str
        Label used in results.
    policy : Policy
        Replenishment policy.
    lead_time : int or StochasticLeadTime
        Periods from shipment by the supplier to availability here (at least 1).
    holding_cost, shortage_cost : float
        Cost per unit on hand, and per unit backlogged (or per unit lost), at period end.
    pipeline_holding_cost : float
        Cost per unit in transit to this stage at period end (Snyder & Shen charge it at the
        supplier's local holding cost); a unit shipped is counted ``L`` times.
    shortage : Shortage
        Backorder or lose the demand this stage cannot fill.
    supply_capacity : float or None
        Most units released into this stage's inbound pipeline per period (production capacity at
        the last stage, inbound transport elsewhere); the rest stays owed by the supplier.
    review_period : int
        Orders are placed in periods ``t`` with ``t % review_period == 0``.
    batch_size : float or None
        Positive orders are rounded up to a multiple of it (order batching).
    forward_buying : ForwardBuying or None
        Price-driven forward buying; needs an ``OrderUpTo`` or ``AnchorAndAdjust`` policy.
    initial_inventory : float
        On hand at the start.
    initial_pipeline : float or None
        Quantity arriving in each of the first ``round(E[L])`` periods; ``None`` uses the demand
        mean, the steady state.
    """

    name: str
    policy: Policy
    lead_time: LeadTime = 1
    holding_cost: float = 0.0
    shortage_cost: float = 0.0
    pipeline_holding_cost: float = 0.0
    shortage: Shortage = Shortage.BACKORDER
    supply_capacity: float | None = None
    review_period: int = 1
    batch_size: float | None = None
    forward_buying: ForwardBuying | None = None
    initial_inventory: float = 0.0
    initial_pipeline: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.lead_time, int) and self.lead_time < 1:
            raise ValueError(f"stage {self.name!r}: lead_time must be at least 1 period")
        if self.review_period < 1:
            raise ValueError(f"stage {self.name!r}: review_period must be at least 1")
        if self.batch_size is not None and self.batch_size <= 0:
            raise ValueError(f"stage {self.name!r}: batch_size must be positive")
        if self.supply_capacity is not None and self.supply_capacity < 0:
            raise ValueError(f"stage {self.name!r}: supply_capacity must be non-negative")

    @property
    def pipeline_periods(self) -> int:
        """Periods filled by the initial pipeline: the mean lead time, rounded half up."""
        return max(1, math.floor(lead_time_mean(self.lead_time) + 0.5))
