r"""Frozen results of a simulation run and the statistics computed from its trajectories.

Statistics cover the periods after the warm-up, pooled over replications:

- *variance ratio* (bullwhip) of stage :math:`k`: :math:`\sum_r \mathrm{Var}_r(q^k) /
  \sum_r \mathrm{Var}_r(D)`, within-replication variances of the stage's orders over those of
  end-customer demand (Chen, Drezner, Ryan & Simchi-Levi 2000); ``nan`` when demand is constant;
- *fill rate* (type 2): the share of demand filled from stock in the period it arrives;
- *cycle service level* (type 1): the share of periods that end with no backlog and no lost sale;
- mean on hand, in transit, backlog and lost sales per period (period-end), and the holding
  (on hand and in transit) and shortage cost per period they imply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["SimulationResult", "StageResult", "pooled_variance_ratio"]

FloatArray = NDArray[np.float64]
_TOL = 1e-9


def pooled_variance_ratio(numerator: FloatArray, denominator: FloatArray) -> float:
    """Ratio of summed within-row variances, ``nan`` when the denominator has none."""
    den = float(np.var(denominator, axis=1).sum())
    if den <= 0.0:
        return float("nan")
    return float(np.var(numerator, axis=1).sum()) / den


def _frozen(a: FloatArray) -> FloatArray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class StageResult:
    """Performance of one stage; trajectories are ``[replications, periods]`` (warm-up kept).

    ``incoming`` is the demand the stage faced (customer demand or the downstream order),
    ``on_hand``, ``in_transit``, ``backlog`` and ``lost`` are period-end values.
    """

    name: str
    variance_ratio: float
    fill_rate: float
    cycle_service_level: float
    mean_on_hand: float
    mean_in_transit: float
    mean_backlog: float
    mean_lost_sales: float
    holding_cost: float
    shortage_cost: float
    orders: FloatArray
    incoming: FloatArray
    on_hand: FloatArray
    in_transit: FloatArray
    backlog: FloatArray
    lost: FloatArray

    @property
    def cost(self) -> float:
        """Holding plus shortage cost per period."""
        return self.holding_cost + self.shortage_cost

    @classmethod
    def from_trajectories(
        cls,
        *,
        name: str,
        demand: FloatArray,
        orders: FloatArray,
        incoming: FloatArray,
        filled_now: FloatArray,
        on_hand: FloatArray,
        in_transit: FloatArray,
        backlog: FloatArray,
        lost: FloatArray,
        holding_cost: float,
        pipeline_holding_cost: float,
        shortage_cost: float,
        warmup: int,
    ) -> StageResult:
        """Compute the statistics over periods ``warmup:`` of ``[replications, periods]`` arrays."""
        orders, incoming, filled_now = _frozen(orders), _frozen(incoming), _frozen(filled_now)
        on_hand, in_transit = _frozen(on_hand), _frozen(in_transit)
        backlog, lost = _frozen(backlog), _frozen(lost)
        s = slice(warmup, None)
        wanted = float(np.maximum(incoming[:, s], 0.0).sum())
        filled = float(filled_now[:, s].sum())
        fill_rate = filled / wanted if wanted > 0 else float("nan")
        no_stockout = (backlog[:, s] <= _TOL) & (lost[:, s] <= _TOL)
        mean_on_hand = float(on_hand[:, s].mean())
        mean_in_transit = float(in_transit[:, s].mean())
        mean_backlog = float(backlog[:, s].mean())
        mean_lost = float(lost[:, s].mean())
        return cls(
            name=name,
            variance_ratio=pooled_variance_ratio(orders[:, s], demand[:, s]),
            fill_rate=fill_rate,
            cycle_service_level=float(no_stockout.mean()),
            mean_on_hand=mean_on_hand,
            mean_in_transit=mean_in_transit,
            mean_backlog=mean_backlog,
            mean_lost_sales=mean_lost,
            holding_cost=holding_cost * mean_on_hand + pipeline_holding_cost * mean_in_transit,
            shortage_cost=shortage_cost * (mean_backlog + mean_lost),
            orders=orders,
            incoming=incoming,
            on_hand=on_hand,
            in_transit=in_transit,
            backlog=backlog,
            lost=lost,
        )


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Per-stage results (retailer first) and the customer demand that drove them."""

    stages: tuple[StageResult, ...]
    demand: FloatArray
    warmup: int
    seed: int | None

    @property
    def replications(self) -> int:
        return int(self.demand.shape[0])

    @property
    def periods(self) -> int:
        return int(self.demand.shape[1])

    @property
    def variance_ratios(self) -> tuple[float, ...]:
        """Bullwhip ratio of each stage, retailer first."""
        return tuple(s.variance_ratio for s in self.stages)

    @property
    def total_cost(self) -> float:
        """Network holding plus shortage cost per period (mean over replications)."""
        return float(sum(s.cost for s in self.stages))

    @property
    def total_horizon_cost(self) -> float:
        """Network cost summed over the measured periods, mean over replications."""
        return self.total_cost * (self.periods - self.warmup)

    def stage(self, name: str) -> StageResult:
        """The result of the stage called ``name``."""
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(name)
