"""The mutable state of one :class:`SupplyNetwork` run and its period step.

Arrays are over replications. Per channel ``c`` (see
:mod:`tandem.planning.simulation.network_topology`): scheduled arrivals, stock in transit, what
the supplier owes (its backlog to this customer, or the outside source's), the kit buffer of an
assembly customer and the claim placed this period. Per node: stock on hand, backlog to its own
end customers, its forecast. The semantics are documented in
:mod:`tandem.planning.simulation.network`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.forecasting import ForecastState, start_forecast
from tandem.planning.simulation.network_allocation import FifoLedger, capped, ration
from tandem.planning.simulation.network_capacity import CapacitySchedule, ChannelCapacity
from tandem.planning.simulation.network_results import NetworkResult, Trajectories, build_result
from tandem.planning.simulation.policies import (
    InventoryView,
    policy_forecast,
    policy_view,
    raw_order,
)
from tandem.planning.simulation.stages import InformationMode, Shortage, lead_time_max

if TYPE_CHECKING:
    from tandem.planning.simulation.network import SupplyNetwork

__all__ = ["NetworkRun"]

FloatArray = NDArray[np.float64]


class NetworkRun:
    """State, step and trajectories of one network simulation."""

    def __init__(
        self,
        network: SupplyNetwork,
        rng: np.random.Generator,
        demand: FloatArray,
        capacity: CapacitySchedule | None = None,
    ):
        topo = network.topology
        n_rep, n_per, size = network.replications, network.periods, topo.size
        chans = topo.channels
        self.net, self.topo, self.demand = network, topo, demand
        self.capacity = ChannelCapacity(topo, capacity, n_per)
        self.draws: list[NDArray[np.int64] | None] = [None] * len(chans)
        for n in range(size):  # the serial engine's order: stage by stage
            for c in topo.inbound[n]:
                lead_time = chans[c].lead_time
                if not isinstance(lead_time, int):
                    self.draws[c] = lead_time.sample(rng, (n_per, n_rep))
        horizon = n_per + max(lead_time_max(ch.lead_time) for ch in chans) + 1
        self.arrivals = np.zeros((len(chans), horizon, n_rep))
        self.transit, self.owed, self.buffer, self.placed = (
            np.zeros((len(chans), n_rep)) for _ in range(4)
        )
        self.on_hand = np.array(
            [np.full(n_rep, s.initial_inventory, dtype=float) for s in network.nodes]
        )
        self.ext_backlog = np.zeros((size, n_rep))
        for c, ch in enumerate(chans):
            stage = network.nodes[ch.customer]
            per_unit = (
                topo.served_mean[ch.customer]
                if stage.initial_pipeline is None
                else stage.initial_pipeline
            )
            amount = per_unit if ch.quantity == 1.0 else per_unit * ch.quantity
            self.arrivals[c, : ch.pipeline_periods] = amount
            self.transit[c] = ch.pipeline_periods * amount
        self.forecasts: list[ForecastState | None] = []
        for n, s in enumerate(network.nodes):
            spec = policy_forecast(s.policy)
            mean = topo.served_mean[n]
            self.forecasts.append(None if spec is None else start_forecast(spec, mean, n_rep))
        self.covers = tuple(
            (
                topo.chain_lead[n]
                if policy_view(s.policy) is InventoryView.ECHELON
                else topo.own_lead[n]
            )
            + s.review_period
            - 1
            for n, s in enumerate(network.nodes)
        )
        self.demand_of = {m: j for j, m in enumerate(topo.demand_nodes)}
        self.served_terms = tuple(topo.served_terms(n) for n in range(size))
        self.ledgers = {
            n: FifoLedger(self._claimants(n), n_per, n_rep)
            for n in range(size)
            if self._claimants(n) > 1 and network.allocation[n].value == "fifo"
        }
        self._check_demand_signs()
        self.rows = np.arange(n_rep)
        self.paths = Trajectories.empty(size, len(network.arcs), n_per, n_rep)
        self.received_now = [False] * size
        self.period: dict[int, tuple[FloatArray, FloatArray, FloatArray]] = {}

    def _claimants(self, n: int) -> int:
        return len(self.topo.outbound[n]) + (1 if n in self.demand_of else 0)

    def _check_demand_signs(self) -> None:
        for m, j in self.demand_of.items():
            if self._claimants(m) > 1 and self.demand[j].min() < 0:
                name = self.topo.names[m]
                raise ValueError(f"node {name!r} supplies others: its demand must be non-negative")

    # -- shipments -------------------------------------------------------------------------
    def ship(self, c: int, t: int, quantity: FloatArray) -> None:
        """Send ``quantity`` on channel ``c`` in period ``t``."""
        ch = self.topo.channels[c]
        if ch.transport_cost and t >= self.net.warmup:
            self.paths.transport[ch.customer] += ch.transport_cost * quantity
        if ch.supplier is None:
            self.paths.supplied[ch.customer, t] += quantity
        else:
            self.paths.arc_shipped[c, t] += quantity
        draws = self.draws[c]
        if draws is not None:
            self.arrivals[c, t + draws[t], self.rows] += quantity
        elif ch.lead_time == 0:
            self.receive(c, t, quantity)
            self.received_now[ch.customer] = True
            return
        else:
            assert isinstance(ch.lead_time, int)
            self.arrivals[c, t + ch.lead_time] += quantity
        self.transit[c] += quantity

    def receive(self, c: int, t: int, quantity: FloatArray) -> None:
        """Channel ``c`` delivers: into the kit buffer of an assembly node, else on hand."""
        m = self.topo.channels[c].customer
        if self.topo.is_assembly(m):
            self.buffer[c] += quantity
        else:
            self.on_hand[m] += quantity
            self.paths.received[m, t] += quantity

    def assemble(self, n: int, t: int) -> None:
        """Turn complete component sets of assembly node ``n`` into stock on hand."""
        chans = self.topo.channels
        inbound = self.topo.inbound[n]
        kits = np.min([self.buffer[c] / chans[c].quantity for c in inbound], axis=0)
        self.on_hand[n] += kits
        self.paths.received[n, t] += kits
        for c in inbound:
            self.buffer[c] = np.maximum(self.buffer[c] - kits * chans[c].quantity, 0.0)

    # -- filling demand --------------------------------------------------------------------
    def _claims(
        self, n: int, t: int
    ) -> tuple[list[FloatArray], list[FloatArray], list[float | None]]:
        """New claims, what is already owed and capacities of node ``n``'s claimants."""
        new: list[FloatArray] = []
        owed: list[FloatArray] = []
        caps: list[float | None] = []
        j = self.demand_of.get(n)
        if j is not None:
            new.append(self.demand[j, :, t])
            owed.append(self.ext_backlog[n])
            caps.append(self.capacity.sales(n, t))
        for c in self.topo.outbound[n]:
            new.append(self.placed[c])
            owed.append(self.owed[c])
            caps.append(self.capacity.channel(c, t))
        return new, owed, caps

    def _settle(self, n: int, t: int, shipped: FloatArray, short: FloatArray) -> None:
        """Book shipments and shortages of node ``n``'s claimants (``[claimants, reps]``)."""
        lost_sales = self.net.nodes[n].shortage is Shortage.LOST_SALES
        i = 0
        if n in self.demand_of:
            self.ext_backlog[n] = 0.0 if lost_sales else short[0]
            i = 1
        for k, c in enumerate(self.topo.outbound[n]):
            self.owed[c] = 0.0 if lost_sales else short[i + k]
            self.ship(c, t, shipped[i + k])
        if lost_sales:
            self.paths.lost[n, t] += short.sum(axis=0) if short.shape[0] > 1 else short[0]

    def fill(self, n: int, t: int) -> FloatArray:
        """Node ``n`` ships against what it owes and the claims of period ``t``; returns them."""
        new, owed_before, caps = self._claims(n, t)
        previous = np.array(owed_before)
        x = np.array(new)
        available = np.maximum(self.on_hand[n], 0.0)
        owed = previous + x
        if len(new) == 1:
            shipped = np.minimum(available, owed[0])
            if caps[0] is not None:
                shipped = np.minimum(shipped, caps[0])
            shipped = shipped[np.newaxis]
        else:
            if n in self.ledgers:
                self.ledgers[n].record(t, x)
            shipped = ration(
                self.net.allocation[n], self.ledgers.get(n), t, available, owed, capped(owed, caps)
            )
        short = owed - shipped
        total = shipped[0] if len(new) == 1 else shipped.sum(axis=0)
        self.on_hand[n] -= total
        self.paths.shipped[n, t] += total
        self._settle(n, t, shipped, short)
        self.period[n] = (previous, x, shipped)
        self._record_fill(n, t)
        return np.asarray(x[0] if len(new) == 1 else x.sum(axis=0), dtype=np.float64)

    def _record_fill(self, n: int, t: int) -> None:
        previous, x, shipped = self.period[n]
        now = np.clip(shipped - previous, 0.0, np.maximum(x, 0.0))
        self.paths.filled_now[n, t] = now[0] if now.shape[0] == 1 else now.sum(axis=0)

    def refill(self, n: int, t: int) -> None:
        """Ship remaining backlog of ``n`` from same-period receipts (capacity left applies)."""
        previous, x, shipped_before = self.period[n]
        _, owed_list, caps = self._claims(n, t)
        owed = np.array(owed_list)
        available = np.maximum(self.on_hand[n], 0.0)
        left = [
            None if cap is None else np.maximum(cap - shipped_before[i], 0.0)
            for i, cap in enumerate(caps)
        ]
        limit = capped(owed, left)
        if len(owed_list) == 1:
            extra = np.minimum(available, limit[0])[np.newaxis]
        else:
            extra = ration(self.net.allocation[n], self.ledgers.get(n), t, available, owed, limit)
        self.on_hand[n] -= extra.sum(axis=0)
        self.paths.shipped[n, t] += extra.sum(axis=0)
        self._settle(n, t, extra, owed - extra)
        self.period[n] = (previous, x, shipped_before + extra)
        self._record_fill(n, t)

    # -- ordering --------------------------------------------------------------------------
    def backlog(self, n: int) -> FloatArray:
        """What node ``n`` owes its end customers and downstream nodes."""
        parts = ([self.ext_backlog[n]] if n in self.demand_of else []) + [
            self.owed[c] for c in self.topo.outbound[n]
        ]
        if not parts:
            return np.zeros(self.on_hand.shape[1])
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return np.asarray(total, dtype=np.float64)

    def on_order(self, n: int) -> FloatArray:
        """In transit plus owed by the supplier, in kits for an assembly node."""
        inbound = self.topo.inbound[n]
        if not self.topo.is_assembly(n):
            return np.asarray(self.transit[inbound[0]] + self.owed[inbound[0]], dtype=np.float64)
        chans = self.topo.channels
        return np.asarray(
            np.min(
                [
                    (self.transit[c] + self.owed[c] + self.buffer[c]) / chans[c].quantity
                    for c in inbound
                ],
                axis=0,
            ),
            dtype=np.float64,
        )

    def echelon_position(self, n: int) -> FloatArray:
        """The echelon inventory position of node ``n`` (module docstring of ``network``)."""
        terms = self.topo.echelon[n]
        stock = _weighted_sum([(self.on_hand[m], w) for m, w in terms.on_hand])
        moving = [
            (
                self.transit[c] + self.buffer[c]
                if self.topo.is_assembly(self.topo.channels[c].customer)
                else self.transit[c],
                w,
            )
            for c, w in terms.transit
        ]
        if moving:
            stock = stock + _weighted_sum(moving)
        for m, w in terms.customer_backlog:
            stock = stock - (self.ext_backlog[m] if w == 1.0 else w * self.ext_backlog[m])
        inbound = self.topo.inbound[n]
        if not self.topo.is_assembly(n):
            return np.asarray(stock + self.owed[inbound[0]], dtype=np.float64)
        return np.asarray(stock + self.on_order(n), dtype=np.float64)

    def order(self, n: int, t: int, state: ForecastState | None) -> FloatArray:
        """Node ``n``'s order at the end of period ``t``."""
        s = self.net.nodes[n]
        if t % s.review_period != 0:
            return np.zeros(self.on_hand.shape[1])
        net_stock = self.on_hand[n] - self.backlog(n)
        inbound = self.topo.inbound[n]
        if policy_view(s.policy) is InventoryView.ECHELON:
            position = self.echelon_position(n)
        elif not self.topo.is_assembly(n):
            position = net_stock + self.transit[inbound[0]] + self.owed[inbound[0]]
        else:
            position = net_stock + self.on_order(n)
        q = raw_order(
            s.policy,
            t=t,
            position=position,
            net_stock=net_stock,
            supply_line=self.on_order(n),
            forecast=state,
            initial_forecast=self.topo.served_mean[n],
            cover=self.covers[n],
            extra_cover=0.0 if s.forward_buying is None else s.forward_buying.extra_cover(t),
        )
        q = np.maximum(q, 0.0)
        if s.batch_size is not None:
            q = np.where(q > 0, np.ceil(q / s.batch_size) * s.batch_size, q)
        return q

    def place(self, n: int, t: int, q: FloatArray) -> None:
        """Claim ``q x quantity`` from each supplier; the outside source releases at once."""
        for c in self.topo.inbound[n]:
            ch = self.topo.channels[c]
            claim = q if ch.quantity == 1.0 else q * ch.quantity
            if ch.supplier is not None:
                self.placed[c] = claim
                continue
            owed = self.owed[c] + claim
            cap = self.capacity.channel(c, t)
            released = owed if cap is None else np.minimum(owed, cap)
            self.owed[c] = owed - released
            self.ship(c, t, released)

    def served(self, n: int, t: int) -> FloatArray:
        """End-customer demand served by node ``n`` in period ``t``, in its units."""
        terms = self.served_terms[n]
        if not terms:
            return np.zeros(self.on_hand.shape[1])
        return _weighted_sum([(self.demand[j, :, t], w) for j, w in terms])

    # -- the period ------------------------------------------------------------------------
    def step(self, t: int) -> None:
        """Simulate period ``t``."""
        topo = self.topo
        shared = self.net.information is InformationMode.SHARED
        for c in range(len(topo.channels)):
            arriving = self.arrivals[c, t]
            self.transit[c] -= arriving
            self.receive(c, t, arriving)
        for n in range(topo.size):
            if topo.is_assembly(n):
                self.assemble(n, t)
        self.received_now = [False] * topo.size
        for n in topo.downstream_first:
            x = self.fill(n, t)
            self.paths.incoming[n, t] = x
            state = self.forecasts[n]
            if state is not None:
                state.observe(t, self.served(n, t) if shared else x)
            q = self.order(n, t, state)
            self.paths.orders[n, t] = q
            self.place(n, t, q)
        for n in reversed(topo.downstream_first):
            if self.received_now[n]:
                if topo.is_assembly(n):
                    self.assemble(n, t)
                self.refill(n, t)
        self._record(t)

    def _record(self, t: int) -> None:
        topo, paths = self.topo, self.paths
        for n in range(topo.size):
            inbound = topo.inbound[n]
            paths.on_hand[n, t] = np.maximum(self.on_hand[n], 0.0)
            paths.backlog[n, t] = self.backlog(n) + np.maximum(-self.on_hand[n], 0.0)
            paths.in_transit[n, t] = (
                self.transit[inbound[0]]
                if len(inbound) == 1
                else self.transit[list(inbound)].sum(axis=0)
            )
            if topo.is_assembly(n):
                paths.components[n, t] = self.buffer[list(inbound)].sum(axis=0)
                if t >= self.net.warmup:
                    for c in inbound:
                        supplier = topo.channels[c].supplier
                        value = 0.0 if supplier is None else self.net.nodes[supplier].holding_cost
                        paths.component_cost[n] += value * self.buffer[c]

    def result(self) -> NetworkResult:
        """The frozen results of the run."""
        return build_result(self.net, self.demand, self.paths)


def _weighted_sum(terms: list[tuple[FloatArray, float]]) -> FloatArray:
    """``sum w x`` added left to right; a weight of one adds ``x`` itself."""
    total: FloatArray | None = None
    for x, w in terms:
        part = x if w == 1.0 else w * x
        total = part.copy() if total is None else total + part
    assert total is not None
    return total
