r"""Seeded discrete-time simulation of a serial supply chain, vectorised over replications.

State per stage :math:`k` (arrays over replications): on hand :math:`OH_k`, backlog
:math:`B_k` owed to the downstream stage (to customers at :math:`k = 0`), in-transit
:math:`T_k`, and the supplier's backlog to it :math:`B_{k+1}` (the outside source's at the last
stage). The installation inventory position is :math:`IP_k = OH_k - B_k + T_k + B_{k+1}`; the
echelon position is :math:`\sum_{j \le k} IP_j`, which equals the on-hand and in-transit stock at
and below :math:`k`, plus what its supplier owes it, minus the customer backlog (Clark & Scarf
1960). Timing and lead-time conventions are those of :mod:`tandem.planning.simulation.stages`.

Each period: shipments due arrive; then for :math:`k = 0, 1, \dots` the stage ships
:math:`\min(OH_k, B_k + x_k)` (at most the downstream stage's ``supply_capacity``) against its
backlog and the period's demand :math:`x_k`, backlogs or loses the rest, updates its forecast
(from :math:`x_k`, or from customer demand in ``SHARED`` mode), and orders
:math:`q_k`, which is the next stage's demand :math:`x_{k+1}` in the same period.

With ``allow_negative_orders`` a negative order is a return (Chen et al. 2000): it cancels
backlog first, then ships stock back upstream. A return can exceed the stock that is there when
it arrives; on hand then goes below zero until later receipts cover it, and results report the
shortfall as backlog (net inventory). Inventory positions are exact throughout, so the orders are
exactly the linear filter of demand that Chen et al. analyse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.demand import DemandProcess
from tandem.planning.simulation.forecasting import ForecastState, start_forecast
from tandem.planning.simulation.policies import (
    AnchorAndAdjust,
    InventoryView,
    OrderUpTo,
    policy_forecast,
    policy_view,
    raw_order,
)
from tandem.planning.simulation.results import SimulationResult, StageResult
from tandem.planning.simulation.stages import (
    InformationMode,
    Shortage,
    Stage,
    lead_time_max,
    lead_time_mean,
)

__all__ = ["SerialSupplyChain"]

FloatArray = NDArray[np.float64]


class SerialSupplyChain:
    """A serial chain of stages facing one customer demand process.

    Parameters
    ----------
    stages : sequence of Stage
        Retailer first; each stage is supplied by the next, the last by an outside source.
    demand : DemandProcess
        End-customer demand at stage 0.
    information : InformationMode
        ``TRADITIONAL`` (forecast from incoming orders) or ``SHARED`` (forecast from customer
        demand; echelon policies allowed).
    allow_negative_orders : bool
        Let orders go negative (returns), as in Chen et al. (2000); otherwise they are clipped
        at zero.
    periods, replications, warmup : int
        Horizon, independent replications, and leading periods left out of the statistics.
    seed : int or None
        Seed of the ``numpy.random.Generator``; the only source of randomness.

    Examples
    --------
    >>> from tandem.planning.simulation import BaseStock, NormalDemand, SerialSupplyChain, Stage
    >>> chain = SerialSupplyChain(
    ...     [Stage("shop", BaseStock(130.0), lead_time=1, holding_cost=1, shortage_cost=9)],
    ...     NormalDemand(100.0, 20.0), periods=500, replications=20, warmup=20, seed=7)
    >>> result = chain.run()
    >>> round(result.stages[0].variance_ratio, 6)
    1.0
    """

    def __init__(
        self,
        stages: Sequence[Stage],
        demand: DemandProcess,
        *,
        information: InformationMode = InformationMode.TRADITIONAL,
        allow_negative_orders: bool = False,
        periods: int = 100,
        replications: int = 1,
        warmup: int = 0,
        seed: int | None = None,
    ) -> None:
        if not stages:
            raise ValueError("a chain needs at least one stage")
        if periods < 1 or replications < 1:
            raise ValueError("periods and replications must be at least 1")
        if not 0 <= warmup < periods:
            raise ValueError("warmup must lie in [0, periods)")
        names = [s.name for s in stages]
        if len(set(names)) != len(names):
            raise ValueError("stage names must be unique")
        for s in stages:
            view = policy_view(s.policy)
            if view is InventoryView.ECHELON and information is not InformationMode.SHARED:
                raise ValueError(f"stage {s.name!r}: an echelon policy needs SHARED information")
            if s.forward_buying is not None and not isinstance(
                s.policy, OrderUpTo | AnchorAndAdjust
            ):
                raise ValueError(f"stage {s.name!r}: forward buying needs a forecasting policy")
        self.stages = tuple(stages)
        self.demand = demand
        self.information = information
        self.allow_negative_orders = allow_negative_orders
        self.periods = periods
        self.replications = replications
        self.warmup = warmup
        self.seed = seed

    def covers(self) -> tuple[float, ...]:
        """Protection interval of each stage: (echelon) mean lead time plus review period - 1."""
        out: list[float] = []
        cumulative = 0.0
        for s in self.stages:
            cumulative += lead_time_mean(s.lead_time)
            own = lead_time_mean(s.lead_time)
            base = cumulative if policy_view(s.policy) is InventoryView.ECHELON else own
            out.append(base + s.review_period - 1)
        return tuple(out)

    def run(self) -> SimulationResult:
        """Simulate and return the frozen per-stage results."""
        rng = np.random.default_rng(self.seed)
        demand = np.asarray(
            self.demand.sample(rng, self.replications, self.periods), dtype=np.float64
        )
        run = _Run(self, rng, demand)
        for t in range(self.periods):
            run.step(t)
        results = tuple(
            StageResult.from_trajectories(
                name=s.name,
                demand=demand,
                orders=run.orders[k].T,
                incoming=run.incoming[k].T,
                filled_now=run.filled_now[k].T,
                on_hand=run.oh_path[k].T,
                in_transit=run.transit_path[k].T,
                backlog=run.bo_path[k].T,
                lost=run.lost_path[k].T,
                holding_cost=s.holding_cost,
                pipeline_holding_cost=s.pipeline_holding_cost,
                shortage_cost=s.shortage_cost,
                warmup=self.warmup,
            )
            for k, s in enumerate(self.stages)
        )
        frozen_demand = np.ascontiguousarray(demand)
        frozen_demand.setflags(write=False)
        return SimulationResult(results, frozen_demand, self.warmup, self.seed)


class _Run:
    """The mutable state of one run: stock, backlogs, pipelines, forecasts and trajectories."""

    def __init__(self, chain: SerialSupplyChain, rng: np.random.Generator, demand: FloatArray):
        stages = chain.stages
        n_rep, n_per, n_st = chain.replications, chain.periods, len(stages)
        mu = chain.demand.mean
        self.chain, self.demand = chain, demand
        self.lead_draws: list[NDArray[np.int64] | None] = [
            None if isinstance(s.lead_time, int) else s.lead_time.sample(rng, (n_per, n_rep))
            for s in stages
        ]
        horizon = n_per + max(lead_time_max(s.lead_time) for s in stages) + 1
        self.arrivals = np.zeros((n_st, horizon, n_rep))
        self.on_hand = np.array([np.full(n_rep, s.initial_inventory, dtype=float) for s in stages])
        self.backlog = np.zeros((n_st + 1, n_rep))
        self.transit = np.zeros((n_st, n_rep))
        for k, s in enumerate(stages):
            amount = mu if s.initial_pipeline is None else s.initial_pipeline
            self.arrivals[k, : s.pipeline_periods] = amount
            self.transit[k] = s.pipeline_periods * amount
        self.forecasts: list[ForecastState | None] = []
        for s in stages:
            spec = policy_forecast(s.policy)
            self.forecasts.append(None if spec is None else start_forecast(spec, mu, n_rep))
        self.covers = chain.covers()
        self.rows = np.arange(n_rep)
        shape = (n_st, n_per, n_rep)
        self.orders, self.incoming, self.filled_now = (np.zeros(shape) for _ in range(3))
        self.oh_path, self.bo_path, self.lost_path = (np.zeros(shape) for _ in range(3))
        self.transit_path = np.zeros(shape)

    def ship_to(self, k: int, t: int, quantity: FloatArray) -> None:
        """Send ``quantity`` into stage ``k``'s inbound pipeline in period ``t``."""
        draws = self.lead_draws[k]
        if draws is None:
            lead_time = self.chain.stages[k].lead_time
            assert isinstance(lead_time, int)
            self.arrivals[k, t + lead_time] += quantity
        else:
            self.arrivals[k, t + draws[t], self.rows] += quantity
        self.transit[k] += quantity

    def fill(self, k: int, t: int, x: FloatArray) -> None:
        """Stage ``k`` ships against its backlog and the demand ``x`` of period ``t``."""
        stages = self.chain.stages
        self.incoming[k, t] = x
        previous = self.backlog[k].copy()
        owed = previous + x
        shipped = np.minimum(np.maximum(self.on_hand[k], 0.0), owed)
        capacity = stages[k - 1].supply_capacity if k > 0 else None
        if capacity is not None:
            shipped = np.minimum(shipped, capacity)
        short = owed - shipped
        if stages[k].shortage is Shortage.LOST_SALES:
            self.lost_path[k, t] = short
            self.backlog[k] = 0.0
        else:
            self.backlog[k] = short
        self.on_hand[k] -= shipped
        self.filled_now[k, t] = np.clip(shipped - previous, 0.0, np.maximum(x, 0.0))
        if k > 0:
            self.ship_to(k - 1, t, shipped)

    def order(self, k: int, t: int, state: ForecastState | None) -> FloatArray:
        """Stage ``k``'s order at the end of period ``t``."""
        chain = self.chain
        s = chain.stages[k]
        on_hand, backlog, transit = self.on_hand, self.backlog, self.transit
        if t % s.review_period != 0:
            return np.zeros(on_hand.shape[1])
        if policy_view(s.policy) is InventoryView.ECHELON:
            stock = on_hand[: k + 1].sum(axis=0) + transit[: k + 1].sum(axis=0)
            position = np.asarray(stock - backlog[0] + backlog[k + 1], dtype=np.float64)
        else:
            position = on_hand[k] - backlog[k] + transit[k] + backlog[k + 1]
        q = raw_order(
            s.policy,
            t=t,
            position=position,
            net_stock=on_hand[k] - backlog[k],
            supply_line=transit[k] + backlog[k + 1],
            forecast=state,
            initial_forecast=chain.demand.mean,
            cover=self.covers[k],
            extra_cover=0.0 if s.forward_buying is None else s.forward_buying.extra_cover(t),
        )
        if not chain.allow_negative_orders:
            q = np.maximum(q, 0.0)
        if s.batch_size is not None:
            q = np.where(q > 0, np.ceil(q / s.batch_size) * s.batch_size, q)
        return q

    def step(self, t: int) -> None:
        """Simulate period ``t``."""
        chain = self.chain
        stages = chain.stages
        n_st = len(stages)
        self.on_hand += self.arrivals[:, t]
        self.transit -= self.arrivals[:, t]
        shared = chain.information is InformationMode.SHARED
        x = self.demand[:, t]
        for k in range(n_st):
            self.fill(k, t, x)
            state = self.forecasts[k]
            if state is not None:
                state.observe(t, self.demand[:, t] if shared else x)
            x = self.order(k, t, state)
            self.orders[k, t] = x
        owed = self.backlog[n_st] + x
        top_capacity = stages[-1].supply_capacity
        released = owed if top_capacity is None else np.minimum(owed, top_capacity)
        self.backlog[n_st] = owed - released
        self.ship_to(n_st - 1, t, released)
        # Returns can leave on hand below zero: report that as backlog (net inventory view).
        self.oh_path[:, t] = np.maximum(self.on_hand, 0.0)
        self.bo_path[:, t] = self.backlog[:n_st] + np.maximum(-self.on_hand, 0.0)
        self.transit_path[:, t] = self.transit
