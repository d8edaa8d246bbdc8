r"""The MIT beer distribution game on Sterman's (1989) board.

Sterman, J. D. (1989), "Modeling managerial behavior: misperceptions of feedback in a dynamic
decision making experiment", Management Science 35(3), 321-339.

Four echelons, retailer (0), wholesaler (1), distributor (2) and factory (3). An order slip takes
``order_delay`` (2) weeks to reach the supplier; beer takes ``shipping_delay`` (2) weeks to reach
the customer; the factory's production request waits ``production_request_delay`` (1) week
before entering a ``production_delay`` (2) weeks long. Holding costs 0.50 and backlog 1.00 per
case per week, charged on the inventory or backlog recorded each week; customer demand is 4
cases a week, 8 from week 5 on; 36 weeks. The board starts in equilibrium: 12 cases in stock and
4 in every delay slot (shipping, order, production request and production).

Each week runs the five steps of the board game, for all echelons at once:

1. receive the beer in the first shipping (production) slot and move the others forward;
2. read the incoming order (customer demand at the retailer), ship backlog plus incoming order as
   far as the stock allows into the customer's last shipping slot; the rest is backlog;
3. record inventory and backlog and their cost;
4. move order slips forward (the slip read in step 2 is discarded); the factory puts last week's
   production request into the last production slot;
5. place orders into the last order slot (production request at the factory).

So an order placed in week :math:`t` is read by the supplier in week :math:`t + 2` and, if it is
in stock, the beer is usable in week :math:`t + 4` (the factory's in week :math:`t + 3`). The
*supply line* :math:`SL_t` seen at step 5 is every case ordered and not received: order slips in
the mail, the supplier's backlog and beer in shipping (production request and production at the
factory); in equilibrium it is 12 cases (8 at the factory), since this week's slot is still
empty.

With :class:`~tandem.planning.simulation.policies.AnchorAndAdjust` an echelon orders
:math:`O_t = \max(0, \hat L_t + \alpha_S (S' - S_t - \beta SL_t))`, with :math:`S_t` inventory
minus backlog after step 2 and :math:`\hat L_t = \theta I_t + (1 - \theta) \hat L_{t-1}` the
smoothed incoming orders, :math:`\hat L_0 = 4`. Sterman writes
:math:`\hat L_t = \theta L_{t-1} + (1 - \theta) \hat L_{t-1}` with :math:`L_{t-1}` the latest
incoming orders known when ordering, which in the board's step order is this week's :math:`I_t`.
His mean estimates over 44 subjects are :math:`\theta = 0.36, \alpha_S = 0.26, \beta = 0.34,
S' = 17`. With :class:`~tandem.planning.simulation.policies.BaseStock` (levels ``a, b, c, d``) an
echelon orders :math:`\max(0, S - IP_t)`, :math:`IP_t = S_t + SL_t`; the equilibrium levels are
28, 28, 28 and 24. Other installation policies of the engine work too; orders are real numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.forecasting import ForecastState, start_forecast
from tandem.planning.simulation.policies import (
    InventoryView,
    Policy,
    policy_forecast,
    policy_view,
    raw_order,
)

__all__ = ["BeerGame", "BeerGameBoard", "BeerGameResult", "Echelon", "sterman_demand"]

FloatArray = NDArray[np.float64]
ECHELONS = 4


class Echelon(IntEnum):
    """The four positions, downstream first."""

    RETAILER = 0
    WHOLESALER = 1
    DISTRIBUTOR = 2
    FACTORY = 3


def sterman_demand(
    weeks: int = 36, before: float = 4.0, after: float = 8.0, change_week: int = 5
) -> FloatArray:
    """Customer demand of week ``w`` (1-based) at index ``w - 1``: ``before``, then ``after``."""
    week = np.arange(1, weeks + 1)
    return np.where(week < change_week, before, after).astype(np.float64)


@dataclass(frozen=True)
class BeerGameBoard:
    """Delays, costs, horizon and the equilibrium start of the board."""

    weeks: int = 36
    order_delay: int = 2
    shipping_delay: int = 2
    production_request_delay: int = 1
    production_delay: int = 2
    holding_cost: float = 0.5
    backlog_cost: float = 1.0
    initial_inventory: float = 12.0
    initial_flow: float = 4.0

    def __post_init__(self) -> None:
        delays = (
            self.order_delay,
            self.shipping_delay,
            self.production_request_delay,
            self.production_delay,
        )
        if min(delays) < 1 or self.weeks < 1:
            raise ValueError("delays and weeks must be at least 1")

    def pipeline_weeks(self, echelon: Echelon) -> int:
        """Weeks from placing an order to using its beer, when the supplier has stock."""
        if echelon is Echelon.FACTORY:
            return self.production_request_delay + self.production_delay
        return self.order_delay + self.shipping_delay

    def equilibrium_supply_line(self, echelon: Echelon) -> float:
        """Supply line seen when ordering in equilibrium (this week's slot is still empty)."""
        return self.initial_flow * (self.pipeline_weeks(echelon) - 1)

    def equilibrium_base_stock(self) -> tuple[float, ...]:
        """Base-stock levels that keep the board in equilibrium (28, 28, 28, 24)."""
        return tuple(
            self.initial_inventory + self.initial_flow * self.pipeline_weeks(e) for e in Echelon
        )

    def equilibrium_desired_stock(self, beta: float) -> tuple[float, ...]:
        """Sterman's ``S'`` that keeps the board in equilibrium: ``12 + beta * SL``."""
        return tuple(
            self.initial_inventory + beta * self.equilibrium_supply_line(e) for e in Echelon
        )


def _frozen(a: FloatArray) -> FloatArray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class BeerGameResult:
    """Weekly trajectories, ``[echelon, week]`` (retailer first), and costs.

    ``inventory``, ``backlog`` and ``weekly_cost`` are recorded at step 3; ``supply_line`` at
    step 5 before the order; ``incoming_orders`` is what each echelon read at step 2.
    """

    demand: FloatArray
    incoming_orders: FloatArray
    orders: FloatArray
    received: FloatArray
    shipped: FloatArray
    inventory: FloatArray
    backlog: FloatArray
    supply_line: FloatArray
    weekly_cost: FloatArray

    @property
    def echelon_cost(self) -> tuple[float, ...]:
        """Total cost of each echelon over the game."""
        return tuple(float(c) for c in self.weekly_cost.sum(axis=1))

    @property
    def total_cost(self) -> float:
        """Team cost over the game."""
        return float(self.weekly_cost.sum())

    @property
    def order_variance(self) -> tuple[float, ...]:
        """Population variance of each echelon's weekly orders."""
        return tuple(float(v) for v in self.orders.var(axis=1))


class BeerGame:
    """Play the beer game with one ordering policy per echelon.

    Parameters
    ----------
    policies : Policy or sequence of four
        Installation policies, retailer first; one policy is used by every echelon.
    demand : sequence of float or None
        Customer demand per week; default :func:`sterman_demand` over ``board.weeks``.
    board : BeerGameBoard
        Delays, costs and starting state.

    Examples
    --------
    >>> from tandem.planning.simulation import BaseStock
    >>> board = BeerGameBoard()
    >>> game = BeerGame([BaseStock(s) for s in board.equilibrium_base_stock()],
    ...                 demand=[4.0] * 36)
    >>> game.run().total_cost
    864.0
    """

    def __init__(
        self,
        policies: Policy | Sequence[Policy],
        demand: Sequence[float] | FloatArray | None = None,
        board: BeerGameBoard = BeerGameBoard(),
    ) -> None:
        chosen = tuple(policies) if isinstance(policies, Sequence) else (policies,) * ECHELONS
        if len(chosen) != ECHELONS:
            raise ValueError("give one policy, or four (retailer first)")
        if any(policy_view(p) is InventoryView.ECHELON for p in chosen):
            raise ValueError("the beer game shares no information: use installation policies")
        series = sterman_demand(board.weeks) if demand is None else np.asarray(demand, float)
        if series.shape != (board.weeks,):
            raise ValueError(f"demand must have one value per week ({board.weeks})")
        self.policies = chosen
        self.demand = series
        self.board = board

    def run(self) -> BeerGameResult:
        """Play every week and return the trajectories."""
        b, weeks, flow = self.board, self.board.weeks, self.board.initial_flow
        # inbound[k]: shipping slots into echelon k (production slots at the factory), next first.
        inbound = [
            [flow] * (b.production_delay if k == Echelon.FACTORY else b.shipping_delay)
            for k in range(ECHELONS)
        ]
        # mail[k]: order slips travelling to echelon k (k >= 1), slot 0 is read next;
        # mail[0] holds the factory's production requests.
        mail = [
            [flow] * (b.production_request_delay if k == 0 else b.order_delay)
            for k in range(ECHELONS)
        ]
        inventory = [b.initial_inventory] * ECHELONS
        backlog = [0.0] * ECHELONS
        states: list[ForecastState | None] = []
        for p in self.policies:
            spec = policy_forecast(p)
            states.append(None if spec is None else start_forecast(spec, flow, 1))
        rec = {name: np.zeros((ECHELONS, weeks)) for name in _RECORDS}
        for w in range(weeks):
            for k in range(ECHELONS):  # step 1
                rec["received"][k, w] = inbound[k].pop(0)
                inbound[k].append(0.0)
                inventory[k] += rec["received"][k, w]
            for k in range(ECHELONS):  # step 2
                incoming = self.demand[w] if k == 0 else mail[k][0]
                rec["incoming_orders"][k, w] = incoming
                state = states[k]
                if state is not None:
                    state.observe(w, np.array([incoming]))
                due = backlog[k] + incoming
                shipped = min(inventory[k], due)
                inventory[k] -= shipped
                backlog[k] = due - shipped
                rec["shipped"][k, w] = shipped
                if k > 0:
                    inbound[k - 1][-1] += shipped
            for k in range(ECHELONS):  # step 3
                rec["inventory"][k, w] = inventory[k]
                rec["backlog"][k, w] = backlog[k]
                rec["weekly_cost"][k, w] = (
                    b.holding_cost * inventory[k] + b.backlog_cost * (backlog[k])
                )
            for k in range(1, ECHELONS):  # step 4
                mail[k].pop(0)
                mail[k].append(0.0)
            inbound[Echelon.FACTORY][-1] += mail[0].pop(0)
            mail[0].append(0.0)
            for k in range(ECHELONS):  # step 5
                upstream = mail[k + 1] if k < Echelon.FACTORY else mail[0]
                owed = backlog[k + 1] if k < Echelon.FACTORY else 0.0
                supply_line = sum(upstream) + owed + sum(inbound[k])
                rec["supply_line"][k, w] = supply_line
                net = np.array([inventory[k] - backlog[k]])
                order = raw_order(
                    self.policies[k],
                    t=w,
                    position=net + supply_line,
                    net_stock=net,
                    supply_line=np.array([supply_line]),
                    forecast=states[k],
                    initial_forecast=flow,
                    cover=float(b.pipeline_weeks(Echelon(k))),
                    extra_cover=0.0,
                )
                placed = max(0.0, float(order[0]))
                rec["orders"][k, w] = placed
                upstream[-1] = placed
        return BeerGameResult(
            demand=_frozen(self.demand), **{name: _frozen(a) for name, a in rec.items()}
        )


_RECORDS = (
    "incoming_orders",
    "orders",
    "received",
    "shipped",
    "inventory",
    "backlog",
    "supply_line",
    "weekly_cost",
)
