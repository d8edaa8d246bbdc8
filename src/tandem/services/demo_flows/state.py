"""The running simulation: the clock, the agenda of steps still to come, the orders in flight
and the tally of what was done."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum

from tandem.domain.inventory import StockPosition
from tandem.domain.orders import (
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    fulfilment_status,
    target_quantity,
)
from tandem.domain.quantities import ZERO
from tandem.services import inventory
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demo_flows.clock import SimulatedClock
from tandem.services.demo_flows.model import Key, Link, Party, World
from tandem.services.purchase_orders import OrderView

Task = Callable[[], None]
Standing = Callable[[date], None]


class Phase(IntEnum):
    """The steps of a day in order; the value is the hour they happen at."""

    OPEN = 6
    RECEIVE = 7
    DECIDE = 8
    ACKNOWLEDGE = 9
    SHIP = 10
    CUSTOMERS = 11
    INVOICE = 12
    REQUEST = 13
    SETTLE = 14
    PAY = 15
    CLOSE = 16
    REVIEW = 17
    CONSUME = 19
    DUNNING = 20


OPEN_STATUSES = frozenset(
    {OrderStatus.SUBMITTED, OrderStatus.ACKNOWLEDGED, OrderStatus.PARTIALLY_SHIPPED}
)


@dataclass
class Tracked:
    """A purchase order in flight, as the generator last saw it."""

    link: Link
    order: PurchaseOrder
    lines: tuple[PurchaseOrderLine, ...]
    shipments: int = 0
    invoiced_shipments: int = 0
    unsettled_invoices: int = 0
    ship_attempts: int = 0

    def seen(self, view: OrderView) -> None:
        self.order, self.lines = view.order, view.lines

    def unshipped(self, item_id: int) -> Decimal:
        if self.order.status not in OPEN_STATUSES:
            return ZERO
        return sum(
            (
                max(ZERO, target_quantity(x) - x.shipped_quantity)
                for x in self.lines
                if x.item_id == item_id
            ),
            ZERO,
        )

    def book_shipped(self, shipped: dict[int, Decimal]) -> None:
        self.lines = tuple(
            replace(x, shipped_quantity=x.shipped_quantity + shipped.get(x.id, ZERO))
            for x in self.lines
        )
        self.order = replace(self.order, status=fulfilment_status(self.lines))
        self.shipments += 1

    def fully_shipped(self) -> bool:
        return all(x.shipped_quantity >= target_quantity(x) for x in self.lines)

    def settled(self) -> bool:
        """Everything owed was shipped, invoiced and paid."""
        return (
            self.fully_shipped()
            and self.invoiced_shipments == self.shipments
            and self.unsettled_invoices == 0
        )

    def due_to_ship(self) -> date:
        """The day to ship so that the goods arrive on the latest confirmed date."""
        latest = max(x.confirmed_date or x.requested_date for x in self.lines)
        return latest - timedelta(days=self.link.lead_days)


@dataclass
class Blanket:
    """A blanket agreement the buyer calls off against, and what is left of it."""

    agreement_id: int
    buyer: str
    seller: str
    item_id: int
    unit_price_minor: int
    left: Decimal


@dataclass
class Sim:
    """The period being lived through: services on the simulated clock, what the generator knows
    of the network, its random choices and the steps scheduled for later days."""

    ctx: ServiceContext
    clock: SimulatedClock
    world: World
    rng: random.Random
    start: date
    end: date
    orders: dict[int, Tracked] = field(default_factory=dict)
    tally: Counter[str] = field(default_factory=Counter)
    money: Counter[str] = field(default_factory=Counter)
    blankets: list[Blanket] = field(default_factory=list)
    milestones: set[str] = field(default_factory=set)
    _agenda: dict[tuple[date, Phase], list[Task]] = field(default_factory=lambda: defaultdict(list))
    _standing: dict[Phase, list[Standing]] = field(default_factory=lambda: defaultdict(list))
    _stock: dict[int, dict[Key, StockPosition]] = field(default_factory=dict)
    _phase: Phase = Phase.OPEN

    def at(self, day: date, phase: Phase, task: Task) -> None:
        """Do ``task`` on ``day`` in ``phase``; days from the end on never come."""
        if (day, phase) <= (self.today, self._phase):
            raise ValueError(f"{phase.name} on {day} has passed")
        if day < self.end:
            self._agenda[(day, phase)].append(task)

    def every_day(self, phase: Phase, step: Standing) -> None:
        self._standing[phase].append(step)

    def run(self) -> None:
        day = self.start
        while day < self.end:
            for phase in Phase:
                self._phase = phase
                self.clock.set(day, phase.value)
                self._stock.clear()
                while tasks := self._agenda.pop((day, phase), []):
                    for task in tasks:
                        task()
                for step in self._standing[phase]:
                    step(day)
            day += timedelta(days=1)

    @property
    def today(self) -> date:
        return self.clock.today()

    def party(self, code: str) -> Party:
        return self.world.parties[code]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def first_time(self, milestone: str, after: float) -> bool:
        """True once: the first time it is asked at least ``after`` of the way through."""
        reached = self.today >= self.start + (self.end - self.start) * after
        if not reached or milestone in self.milestones:
            return False
        self.milestones.add(milestone)
        return True

    def stock(self, site_id: int) -> dict[Key, StockPosition]:
        """The positions of the site's member, read once per phase through the inventory service
        and kept up to date by :meth:`take` as the phase ships from them."""
        owner = self.world.owner(site_id)
        if owner.member_id not in self._stock:
            page = inventory.list_positions(self.ctx, owner.principal, PageRequest(limit=1000))
            self._stock[owner.member_id] = {
                (p.site_id, p.item_id): p
                for p in page.items
                if p.owner_member_id == owner.member_id
            }
        return self._stock[owner.member_id]

    def available(self, site_id: int, item_id: int) -> Decimal:
        position = self.stock(site_id).get((site_id, item_id))
        return max(ZERO, position.available) if position is not None else ZERO

    def take(self, site_id: int, item_id: int, quantity: Decimal) -> None:
        stock = self.stock(site_id)
        position = stock.get((site_id, item_id))
        if position is not None:
            stock[(site_id, item_id)] = replace(position, on_hand=position.on_hand - quantity)

    def backlog(self, site_id: int, item_id: int) -> Decimal:
        """What the site still has to ship of ``item_id`` on orders it acknowledged."""
        return sum(
            (t.unshipped(item_id) for t in self.orders.values() if t.link.from_site_id == site_id),
            ZERO,
        )

    def forget_stock(self, site_id: int) -> None:
        """Read the member's positions again when next asked (after stock changed)."""
        self._stock.pop(self.world.owner(site_id).member_id, None)
