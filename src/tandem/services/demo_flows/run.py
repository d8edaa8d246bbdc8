"""The generator: set up terms, agreement, customers and opening stock, then live through the
period day by day as every member's planner, through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from tandem.services.context import ServiceContext
from tandem.services.demo_flows import customers, money, stock, trading
from tandem.services.demo_flows.clock import SimulatedClock
from tandem.services.demo_flows.loading import load_world
from tandem.services.demo_flows.state import Phase, Sim

DEFAULT_SEED = 20261122


@dataclass(frozen=True)
class FlowSummary:
    """What the generator did, counted as it went; equal for equal inputs."""

    start: date
    end: date
    purchase_orders: int
    change_requests: int
    cancelled_orders: int
    shipments: int
    receipts: int
    discrepancies: int
    invoices: int
    blocked_invoices: int
    credit_notes: int
    payments: int
    dunning_notices: int
    customer_orders: int
    customer_shipments: int
    stock_movements: int
    invoiced_minor: int
    paid_minor: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def generate_demo_flows(
    ctx: ServiceContext,
    network_code: str,
    *,
    days: int = 120,
    end: date,
    seed: int = DEFAULT_SEED,
) -> FlowSummary:
    """Run ``days`` days of flows, ending the day before ``end``, on a freshly loaded network.

    Every member acts through its planner: buyers review their stock every two to four weeks
    and order up to their forecast need, sellers acknowledge, ship, invoice and dun, buyers
    receive, pay and close, distribution centres take weekly orders from B2B customers, the
    roaster roasts and packs, the cafés book their sales. Each step is a service call on a
    clock that walks day by day from ``end - days``; the same arguments give the same flows on
    every backend. A network that already has purchase orders is refused (:class:`Conflict`).

    Parameters
    ----------
    ctx : ServiceContext
        Services of the store holding the network; its clock is replaced by a simulated one.
    network_code : str
        The network, e.g. ``ELBE-COFFEE``; :class:`NotFound` if there is none of that code.
    days : int
        Length of the period in days (at least 1).
    end : date
        The day after the period, usually today.
    seed : int
        Seed of every random choice.

    Returns
    -------
    FlowSummary
        Counts of the documents created.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    start = end - timedelta(days=days)
    clock = SimulatedClock(start)
    sim_ctx = replace(ctx, clock=clock)
    world = load_world(sim_ctx, network_code, start, end)
    sim = Sim(sim_ctx, clock, world, random.Random(seed), start, end)
    _set_up(sim)
    sim.run()
    return _summary(sim)


def _set_up(sim: Sim) -> None:
    sim.clock.set(sim.start, Phase.OPEN.value - 1)
    trading.agree_terms(sim)
    trading.agree_blanket(sim)
    customers.sign_up(sim)
    stock.open_stock(sim)
    sim.every_day(Phase.OPEN, lambda day: stock.produce(sim, day))
    sim.every_day(Phase.REVIEW, lambda day: trading.review(sim, day))
    sim.every_day(Phase.CONSUME, lambda day: stock.consume(sim, day))
    sim.every_day(Phase.DUNNING, lambda day: money.dunning(sim, day))


def _summary(sim: Sim) -> FlowSummary:
    t = sim.tally
    return FlowSummary(
        sim.start,
        sim.end,
        purchase_orders=t["purchase_orders"],
        change_requests=t["change_requests"],
        cancelled_orders=t["cancelled"],
        shipments=t["shipments"],
        receipts=t["receipts"],
        discrepancies=t["discrepancies"],
        invoices=t["invoices"],
        blocked_invoices=t["blocked"],
        credit_notes=t["credit_notes"],
        payments=t["payments"],
        dunning_notices=t["dunning_notices"],
        customer_orders=t["customer_orders"],
        customer_shipments=t["customer_shipments"],
        stock_movements=t["movements"],
        invoiced_minor=sim.money["invoiced"],
        paid_minor=sim.money["paid"],
    )
