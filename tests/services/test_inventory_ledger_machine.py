"""The inventory ledger under random sequences of use cases, against a naive model.

A Hypothesis state machine receives, issues, consumes, adjusts (both signs), transfers between
sites, allocates, releases and issues allocations, at two ordinary sites and one that allows
backorders, asking on purpose for more than is available. It runs on the in-memory twin and on
SQLite through :class:`SqlUnitOfWork`. After every step:

* conservation: every position's on-hand is the sum of its movements, its allocated stock the
  sum of its open allocations, and ``verify_ledger`` finds no mismatch;
* at ordinary sites neither on-hand nor available stock is negative;
* a refused step changed nothing (positions, movements and allocations are identical);
* the stored positions equal the model, a dict of expected quantities kept by the machine.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
)

from tandem.adapters.database import create_engine
from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.adapters.sql import SqlUnitOfWork
from tandem.adapters.tables import metadata
from tandem.domain.errors import InsufficientStock, InvalidTransition, TandemError, ValidationFailed
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.inventory import AllocationStatus, MovementKind
from tandem.domain.network import Item, Member, MemberRole, Network, Site, SiteKind
from tandem.domain.quantities import ZERO
from tandem.services import inventory
from tandem.services.context import ServiceContext
from tandem.services.inventory import LedgerCheck, RecordMovement, ReserveStock, TransferStock
from tandem.services.ports import UnitOfWork

SITES = ("A", "B", "BACKORDER")
ORDINARY = ("A", "B")

# Quarter units up to 10: small enough that "exactly what is available" happens often.
quantities = st.integers(1, 40).map(lambda n: Decimal(n * 250) / 1000)
sites = st.sampled_from(SITES)


@dataclass
class ModelAllocation:
    site: str
    quantity: Decimal
    status: AllocationStatus


def _seed(ctx: ServiceContext) -> tuple[Principal, dict[str, int], int]:
    with ctx.uow() as uow:
        network = uow.networks.add(Network(0, "ledger", "Ledger"))
        member = uow.members.add(
            Member(0, network.id, "SHOP", "Shop", frozenset({MemberRole.RETAILER}))
        )
        site_ids = {
            code: uow.sites.add(
                Site(
                    0,
                    network.id,
                    member.id,
                    code,
                    code.title(),
                    SiteKind.STORE,
                    52.0,
                    4.0,
                    allows_backorders=code == "BACKORDER",
                )
            ).id
            for code in SITES
        }
        item = uow.items.add(Item(0, network.id, member.id, "CUP", "Cup", "pcs", 1.0))
        uow.commit()
    principal = Principal(member.id, network.id, "shop", ALL_SCOPES)
    return principal, site_ids, item.id


def _snapshot(uow: UnitOfWork) -> tuple[list[Any], list[Any], list[Any]]:
    return (uow.stock_positions.find(), uow.stock_movements.find(), uow.allocations.find())


class LedgerMachine(RuleBasedStateMachine):
    """The rules and invariants; subclasses choose the storage."""

    allocations = Bundle("allocations")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock()
        self.ctx = self.make_context()
        self.principal, self.site_ids, self.item_id = _seed(self.ctx)
        self.on_hand = dict.fromkeys(SITES, ZERO)
        self.held: dict[int, ModelAllocation] = {}
        self.movements = 0

    def make_context(self) -> ServiceContext:
        raise NotImplementedError

    # ------------------------------------------------------------ helpers

    def available(self, site: str) -> Decimal:
        return self.on_hand[site] - self.allocated(site)

    def allocated(self, site: str) -> Decimal:
        return sum(
            (a.quantity for a in self.held.values() if a.site == site and a.status == "open"),
            ZERO,
        )

    def stored(self) -> tuple[list[Any], list[Any], list[Any]]:
        with self.ctx.uow() as uow:
            return _snapshot(uow)

    def attempt(self, refused: type[TandemError] | None, action: Any) -> Any:
        """Run ``action``; when ``refused`` names an error, it must raise exactly that and
        leave the stored ledger identical."""
        if refused is None:
            return action()
        before = self.stored()
        try:
            action()
        except refused:
            assert self.stored() == before
            return None
        raise AssertionError(f"expected {refused.__name__}")

    def short(self, site: str, quantity: Decimal) -> type[TandemError] | None:
        """InsufficientStock if taking ``quantity`` leaves less than nothing available."""
        if site in ORDINARY and self.available(site) - quantity < 0:
            return InsufficientStock
        return None

    def record(self, site: str, kind: MovementKind, signed: Decimal, quantity: Decimal) -> None:
        command = RecordMovement(self.site_ids[site], self.item_id, kind, quantity, lot=site)
        refused = self.short(site, -signed) if signed < 0 else None
        self.attempt(refused, lambda: inventory.record_movement(self.ctx, self.principal, command))
        if refused is None:
            self.on_hand[site] += signed
            self.movements += 1

    # ------------------------------------------------------------ rules

    @rule(site=sites, quantity=quantities)
    def receive(self, site: str, quantity: Decimal) -> None:
        self.record(site, MovementKind.RECEIPT, quantity, quantity)

    @rule(
        site=sites,
        kind=st.sampled_from([MovementKind.ISSUE, MovementKind.CONSUMPTION]),
        quantity=quantities,
    )
    def take(self, site: str, kind: MovementKind, quantity: Decimal) -> None:
        self.record(site, kind, -quantity, quantity)

    @rule(site=sites, quantity=quantities, outwards=st.booleans())
    def adjust(self, site: str, quantity: Decimal, outwards: bool) -> None:
        signed = -quantity if outwards else quantity
        self.record(site, MovementKind.ADJUSTMENT, signed, signed)

    @rule(pair=st.permutations(SITES), quantity=quantities)
    def transfer(self, pair: list[str], quantity: Decimal) -> None:
        source, target = pair[0], pair[1]
        command = TransferStock(
            self.site_ids[source], self.site_ids[target], self.item_id, quantity
        )
        refused = self.short(source, quantity)
        self.attempt(refused, lambda: inventory.transfer_stock(self.ctx, self.principal, command))
        if refused is None:
            self.on_hand[source] -= quantity
            self.on_hand[target] += quantity
            self.movements += 2

    @rule(target=allocations, site=sites, quantity=quantities)
    def allocate(self, site: str, quantity: Decimal) -> Any:
        command = ReserveStock(self.site_ids[site], self.item_id, quantity, f"order-{site}")
        refused = self.short(site, quantity)
        allocation = self.attempt(
            refused, lambda: inventory.reserve_stock(self.ctx, self.principal, command)
        )
        if refused is not None:
            return multiple()
        assert (allocation.quantity, allocation.status) == (quantity, AllocationStatus.OPEN)
        self.held[allocation.id] = ModelAllocation(site, quantity, AllocationStatus.OPEN)
        return allocation.id

    @rule(allocation_id=allocations)
    def release(self, allocation_id: int) -> None:
        model = self.held[allocation_id]
        refused = InvalidTransition if model.status is AllocationStatus.CONSUMED else None
        released = self.attempt(
            refused,
            lambda: inventory.release_reservation(self.ctx, self.principal, allocation_id),
        )
        if refused is None:
            assert released.status is AllocationStatus.RELEASED
            model.status = AllocationStatus.RELEASED

    @rule(allocation_id=allocations)
    def ship(self, allocation_id: int) -> None:
        model = self.held[allocation_id]
        refused = None if model.status is AllocationStatus.OPEN else ValidationFailed

        def issue() -> None:
            with self.ctx.uow() as uow:
                allocation = uow.allocations.get(allocation_id)
                assert allocation is not None
                inventory.issue_allocation(uow, allocation, MovementKind.ISSUE, self.clock.now())
                uow.commit()

        self.attempt(refused, issue)
        if refused is None:
            model.status = AllocationStatus.CONSUMED
            self.on_hand[model.site] -= model.quantity
            self.movements += 1

    # ------------------------------------------------------------ invariants

    @invariant()
    def ledger_is_conserved_and_equals_the_model(self) -> None:
        positions, movements, allocations = self.stored()
        by_site = {p.site_id: p for p in positions}
        names = {site_id: name for name, site_id in self.site_ids.items()}
        assert len(movements) == self.movements
        for position in positions:
            key = (position.site_id, position.item_id)
            ledger = sum((m.quantity for m in movements if (m.site_id, m.item_id) == key), ZERO)
            held = sum(
                (
                    a.quantity
                    for a in allocations
                    if (a.site_id, a.item_id) == key and a.status is AllocationStatus.OPEN
                ),
                ZERO,
            )
            assert (position.on_hand, position.allocated) == (ledger, held)
            if names[position.site_id] in ORDINARY:
                assert position.on_hand >= 0
                assert position.available >= 0
        expected = {
            site: (self.on_hand[site], self.allocated(site))
            for site in SITES
            if self.site_ids[site] in by_site
        }
        got = {
            names[p.site_id]: (p.on_hand, p.allocated)
            for p in positions
            if names[p.site_id] in expected
        }
        assert got == expected
        for site in SITES:  # a site without a position has had nothing happen to it
            if self.site_ids[site] not in by_site:
                assert (self.on_hand[site], self.allocated(site)) == (ZERO, ZERO)
        assert {a.id: a.status for a in allocations} == {i: a.status for i, a in self.held.items()}
        assert inventory.verify_ledger(self.ctx, self.principal) == LedgerCheck(
            len(positions), len(movements), ()
        )


class InMemoryLedgerMachine(LedgerMachine):
    def make_context(self) -> ServiceContext:
        store = InMemoryStore()
        return ServiceContext(in_memory_uow_factory(store), self.clock, PlainPasswordHasher())


class SqliteLedgerMachine(LedgerMachine):
    def make_context(self) -> ServiceContext:
        self.folder = tempfile.TemporaryDirectory()
        self.engine = create_engine(f"sqlite:///{Path(self.folder.name) / 'ledger.db'}")
        metadata.create_all(self.engine)

        def unit_of_work() -> UnitOfWork:
            uow: UnitOfWork = SqlUnitOfWork(self.engine)  # type: ignore[assignment]
            return uow

        return ServiceContext(unit_of_work, self.clock, PlainPasswordHasher())

    def teardown(self) -> None:
        self.engine.dispose()
        self.folder.cleanup()


TestInMemoryLedger = InMemoryLedgerMachine.TestCase
TestInMemoryLedger.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, database=None
)
TestSqliteLedger = SqliteLedgerMachine.TestCase
TestSqliteLedger.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None, database=None
)
