"""Concurrent writers of one stock position on PostgreSQL: the ordered ``SELECT ... FOR UPDATE``
in ``SqlStockPositions.lock`` makes them queue, so stock is never oversold and never deadlocks.

PostgreSQL only, and never skipped: the ``postgres_url`` fixture fails when no server is there.
Each writer holds its row lock a little longer than it naturally would (``SlowPositions``), so a
missing lock shows up as lost updates and oversold stock on every run, not once in a while.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.errors import InsufficientStock
from tandem.domain.inventory import AllocationStatus, MovementKind, StockPosition
from tandem.services import inventory
from tandem.services.inventory import StockChange
from tandem.services.ports import UnitOfWork
from tests.integration.network_seed import Seed, seed_network

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
WRITERS = 8
STOCK = 5
HOLD_SECONDS = 0.05


class SlowPositions:
    """The positions repository of one unit of work, sleeping after each lock is taken."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def lock(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], StockPosition]:
        found: dict[tuple[int, int], StockPosition] = self.inner.lock(keys)
        time.sleep(HOLD_SECONDS)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _slow(uow: SqlUnitOfWork) -> UnitOfWork:
    uow.stock_positions = SlowPositions(uow.stock_positions)  # type: ignore[attr-defined]
    slowed: UnitOfWork = uow  # type: ignore[assignment]
    return slowed


def _race(count: int, action: Callable[[int], Any]) -> list[Any]:
    """Run ``action(i)`` in ``count`` threads released together; each result or exception."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def contender(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            outcomes[index] = action(index)
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * count
    return outcomes


def _receive(engine: Engine, site_id: int, item_id: int, quantity: Decimal) -> None:
    with SqlUnitOfWork(engine) as uow:
        change = StockChange(site_id, item_id, on_hand=quantity, kind=MovementKind.RECEIPT)
        inventory.apply_stock_changes(uow, [change], AT)  # type: ignore[arg-type]
        uow.commit()


def _allocate(engine: Engine, site_id: int, item_id: int, quantity: Decimal, ref: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        allocation = inventory.allocate_stock(_slow(uow), site_id, item_id, quantity, ref, AT)
        uow.commit()
    return allocation.id


def _stored(engine: Engine, site_id: int, item_id: int) -> tuple[StockPosition, list[Decimal]]:
    with SqlUnitOfWork(engine) as uow:
        (position,) = uow.stock_positions.find(site_id=site_id, item_id=item_id)
        held = uow.allocations.find(site_id=site_id, item_id=item_id, status=AllocationStatus.OPEN)
    return position, [a.quantity for a in held]


def _assert_exactly_the_stock_was_allocated(
    outcomes: list[Any], engine: Engine, seed: Seed, winners: int, each: Decimal
) -> None:
    site, item = seed.sites[0].id, seed.items[0].id
    won = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
    assert (len(won), len(refused)) == (winners, len(outcomes) - winners), outcomes
    assert all(r.code == "insufficient_stock" for r in refused)
    position, held = _stored(engine, site, item)
    assert held == [each] * winners
    assert (position.on_hand, position.allocated) == (Decimal(STOCK), each * winners)
    assert position.available >= 0
    assert position.version == 1 + winners


def test_writers_asking_one_unit_each_get_exactly_the_units_in_stock(
    postgres_engine: Engine,
) -> None:
    seed = seed_network(postgres_engine)
    site, item = seed.sites[0].id, seed.items[0].id
    _receive(postgres_engine, site, item, Decimal(STOCK))

    outcomes = _race(
        WRITERS, lambda i: _allocate(postgres_engine, site, item, Decimal(1), f"line-{i}")
    )

    _assert_exactly_the_stock_was_allocated(outcomes, postgres_engine, seed, STOCK, Decimal(1))


def test_writers_each_asking_for_all_the_stock_let_exactly_one_have_it(
    postgres_engine: Engine,
) -> None:
    seed = seed_network(postgres_engine)
    site, item = seed.sites[0].id, seed.items[0].id
    _receive(postgres_engine, site, item, Decimal(STOCK))

    outcomes = _race(
        WRITERS, lambda i: _allocate(postgres_engine, site, item, Decimal(STOCK), f"line-{i}")
    )

    _assert_exactly_the_stock_was_allocated(outcomes, postgres_engine, seed, 1, Decimal(STOCK))


def test_two_transactions_changing_two_items_in_opposite_orders_both_finish(
    postgres_engine: Engine,
) -> None:
    """The positions are locked in (site, item) order whatever the order of the changes, so
    two writers never each hold the row the other waits for."""
    seed = seed_network(postgres_engine)
    site = seed.sites[0].id
    first, second = seed.items[0].id, seed.items[1].id
    rounds = 4

    def change(index: int) -> None:
        items = [first, second] if index == 0 else [second, first]
        changes = [
            StockChange(site, item, on_hand=Decimal(index + 1), kind=MovementKind.RECEIPT)
            for item in items
        ]
        with SqlUnitOfWork(postgres_engine) as uow:
            inventory.apply_stock_changes(_slow(uow), changes, AT)
            time.sleep(HOLD_SECONDS)
            uow.commit()

    for _ in range(rounds):
        assert _race(2, change) == [None, None]
    for item in (first, second):
        position, _ = _stored(postgres_engine, site, item)
        assert (position.on_hand, position.version) == (Decimal(3 * rounds), 2 * rounds)
    with SqlUnitOfWork(postgres_engine) as uow:
        assert uow.stock_movements.count(site_id=site) == 4 * rounds


def _allocate_in_process(url: str, site: int, item: int, barrier: Any, index: int) -> str:
    """One writer process: its own engine, released by ``barrier`` with the others."""
    engine = create_engine(url)
    try:
        with engine.connect():
            pass  # connect before the race, not during it
        barrier.wait(timeout=60)
        try:
            _allocate(engine, site, item, Decimal(1), f"process-{index}")
        except InsufficientStock:
            return "refused"
        return "allocated"
    finally:
        engine.dispose()


def test_writer_processes_never_oversell(postgres_url: str, postgres_engine: Engine) -> None:
    seed = seed_network(postgres_engine)
    site, item = seed.sites[0].id, seed.items[0].id
    _receive(postgres_engine, site, item, Decimal(3))
    processes = 5
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, spawn.Pool(processes) as pool:
        barrier = manager.Barrier(processes)
        results = pool.starmap(
            _allocate_in_process,
            [(postgres_url, site, item, barrier, index) for index in range(processes)],
        )
    assert sorted(results) == ["allocated"] * 3 + ["refused"] * 2
    position, held = _stored(postgres_engine, site, item)
    assert held == [Decimal(1)] * 3
    assert (position.on_hand, position.allocated) == (Decimal(3), Decimal(3))
