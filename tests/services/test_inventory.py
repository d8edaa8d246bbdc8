"""The inventory ledger's use cases on the in-memory twins: exact positions and movements after
each kind of change, refusals that write nothing, backorders, lots, partner reads through grants,
reservations and the conservation check."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from tests.support import World

from tandem.adapters.memory import FixedClock, InMemoryStore
from tandem.domain.errors import (
    Forbidden,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
    MovementKind,
    StockMovement,
    StockPosition,
)
from tandem.domain.sharing import AuditEntry, DataCategory
from tandem.services import inventory, sharing
from tandem.services.context import PageRequest
from tandem.services.inventory import (
    LedgerCheck,
    RecordMovement,
    ReserveStock,
    StockChange,
    TransferStock,
)

ALL = PageRequest(0, 1000)
D = Decimal


def ids(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
        found.update({m.code: m.id for m in uow.members.find()})
    return found


def record(
    world: World, who: Principal, site: int, item: int, kind: MovementKind, quantity: str, **kw: Any
) -> StockMovement:
    return inventory.record_movement(
        world.ctx, who, RecordMovement(site, item, kind, D(quantity), **kw)
    )


def state(store: InMemoryStore) -> tuple[dict[int, Any], ...]:
    """Everything the ledger stores, to prove a refusal wrote nothing."""
    return (
        dict(store.stock_positions.rows),
        dict(store.stock_movements.rows),
        dict(store.allocations.rows),
    )


def positions(world: World, who: Principal) -> dict[tuple[int, int], tuple[str, str, str]]:
    """(site, item) → (on hand, allocated, available) as text, of what ``who`` may read."""
    return {
        (p.site_id, p.item_id): (str(p.on_hand), str(p.allocated), str(p.available))
        for p in inventory.list_positions(world.ctx, who, ALL).items
    }


def test_a_receipt_creates_the_position_and_one_exact_movement(
    world: World, clock: FixedClock
) -> None:
    i = ids(world)
    movement = record(
        world,
        world.cafe,
        i["CAFE-1"],
        i["LATTE"],
        MovementKind.RECEIPT,
        "12.5",
        lot="L-1",
        reference="PO-7",
        note="first",
    )
    assert movement == StockMovement(
        movement.id,
        world.network_id,
        i["CAFE"],
        i["CAFE-1"],
        i["LATTE"],
        MovementKind.RECEIPT,
        D("12.500"),
        clock.now(),
        "L-1",
        "PO-7",
        "first",
        world.cafe.user_id,
    )
    # regression: the movement came back with id 0, not the id it was stored under
    assert inventory.get_movement(world.ctx, world.cafe, movement.id) == movement
    (position,) = inventory.list_positions(world.ctx, world.cafe, ALL).items
    assert position == StockPosition(
        position.id, world.network_id, i["CAFE"], i["CAFE-1"], i["LATTE"], D("12.500"), version=1
    )
    assert str(position.on_hand) == "12.500"
    assert inventory.get_position(world.ctx, world.cafe, position.id) == position


def test_issue_consumption_and_adjustments_of_both_signs_leave_exact_positions(
    world: World,
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "10")
    record(world, world.cafe, site, item, MovementKind.ISSUE, "2.25")
    record(world, world.cafe, site, item, MovementKind.CONSUMPTION, "0.125")
    record(world, world.cafe, site, item, MovementKind.ADJUSTMENT, "-1.5")
    record(world, world.cafe, site, item, MovementKind.ADJUSTMENT, "0.375")
    assert positions(world, world.cafe) == {(site, item): ("6.500", "0.000", "6.500")}
    movements = inventory.list_movements(world.ctx, world.cafe, ALL).items
    assert [(m.kind, str(m.quantity)) for m in movements] == [
        (MovementKind.RECEIPT, "10.000"),
        (MovementKind.ISSUE, "-2.250"),
        (MovementKind.CONSUMPTION, "-0.125"),
        (MovementKind.ADJUSTMENT, "-1.500"),
        (MovementKind.ADJUSTMENT, "0.375"),
    ]
    (position,) = inventory.list_positions(world.ctx, world.cafe, ALL).items
    assert position.version == 5
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(1, 5, ())


def test_a_transfer_moves_stock_between_two_own_sites(world: World) -> None:
    i = ids(world)
    one, two, item = i["CAFE-1"], i["CAFE-2"], i["LATTE"]
    record(world, world.cafe, one, item, MovementKind.RECEIPT, "8", lot="L-1")
    out, into = inventory.transfer_stock(
        world.ctx, world.cafe, TransferStock(one, two, item, D("3.5"), lot="L-1")
    )
    reference = f"transfer:{one}>{two}"
    assert (out.kind, out.site_id, out.quantity, out.lot, out.reference) == (
        MovementKind.TRANSFER_OUT,
        one,
        D("-3.500"),
        "L-1",
        reference,
    )
    assert (into.kind, into.site_id, into.quantity, into.lot, into.reference) == (
        MovementKind.TRANSFER_IN,
        two,
        D("3.500"),
        "L-1",
        reference,
    )
    assert positions(world, world.cafe) == {
        (one, item): ("4.500", "0.000", "4.500"),
        (two, item): ("3.500", "0.000", "3.500"),
    }
    assert inventory.lot_balances(world.ctx, world.cafe, two, item) == {"L-1": D("3.500")}
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(2, 3, ())


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [
        (MovementKind.ISSUE, "5.001"),
        (MovementKind.CONSUMPTION, "6"),
        (MovementKind.ADJUSTMENT, "-5.001"),
    ],
)
def test_taking_more_than_is_available_is_refused_and_writes_nothing(
    world: World, store: InMemoryStore, kind: MovementKind, quantity: str
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "5")
    before = state(store)
    with pytest.raises(InsufficientStock) as caught:
        record(world, world.cafe, site, item, kind, quantity)
    assert caught.value.code == "insufficient_stock"
    assert caught.value.violations == [
        Violation(f"item {item} at site {site}", "insufficient stock")
    ]
    assert state(store) == before
    assert positions(world, world.cafe) == {(site, item): ("5.000", "0.000", "5.000")}


def test_a_transfer_short_at_the_source_writes_neither_side(
    world: World, store: InMemoryStore
) -> None:
    i = ids(world)
    one, two, item = i["CAFE-1"], i["CAFE-2"], i["LATTE"]
    record(world, world.cafe, one, item, MovementKind.RECEIPT, "2")
    before = state(store)
    with pytest.raises(InsufficientStock):
        inventory.transfer_stock(world.ctx, world.cafe, TransferStock(one, two, item, D("2.001")))
    assert state(store) == before
    assert positions(world, world.cafe) == {(one, item): ("2.000", "0.000", "2.000")}


def test_allocated_stock_is_not_available_to_an_issue(world: World, store: InMemoryStore) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "10")
    inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("8"), "SO-1/1"))
    before = state(store)
    with pytest.raises(InsufficientStock):
        record(world, world.cafe, site, item, MovementKind.ISSUE, "2.001")
    assert state(store) == before
    record(world, world.cafe, site, item, MovementKind.ISSUE, "2")
    assert positions(world, world.cafe) == {(site, item): ("8.000", "8.000", "0.000")}


def test_a_site_that_allows_backorders_may_go_below_zero(world: World) -> None:
    i = ids(world)
    site, item = i["CAFE-2"], i["LATTE"]
    with world.ctx.uow() as uow:
        found = uow.sites.get(site)
        assert found is not None
        uow.sites.update(replace(found, allows_backorders=True))
        uow.commit()
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "1")
    record(world, world.cafe, site, item, MovementKind.ISSUE, "3.25")
    inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("2"), "SO-2/1"))
    assert positions(world, world.cafe) == {(site, item): ("-2.250", "2.000", "-4.250")}
    with pytest.raises(InsufficientStock):  # the other café still refuses
        record(world, world.cafe, i["CAFE-1"], item, MovementKind.ISSUE, "0.001")
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(1, 2, ())


def test_lots_are_kept_apart_and_an_emptied_lot_disappears(world: World) -> None:
    i = ids(world)
    site, item = i["PLANT"], i["BLEND"]
    record(world, world.roaster, site, item, MovementKind.RECEIPT, "5", lot="B-1")
    record(world, world.roaster, site, item, MovementKind.RECEIPT, "7.25", lot="B-2")
    record(world, world.roaster, site, item, MovementKind.RECEIPT, "1")
    record(world, world.roaster, site, item, MovementKind.ISSUE, "5", lot="B-1")
    record(world, world.roaster, site, item, MovementKind.CONSUMPTION, "0.25", lot="B-2")
    assert inventory.lot_balances(world.ctx, world.roaster, site, item) == {
        "": D("1.000"),
        "B-2": D("7.000"),
    }
    assert inventory.lot_balances(world.ctx, world.roaster, i["CAFE-1"], item) == {}


def test_a_partner_sees_positions_only_through_an_inventory_grant_and_is_audited(
    world: World, clock: FixedClock
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "4", lot="L-9")
    record(world, world.roaster, i["PLANT"], i["BLEND"], MovementKind.RECEIPT, "1")
    (cafe_position,) = inventory.list_positions(world.ctx, world.cafe, ALL).items
    (movement,) = inventory.list_movements(world.ctx, world.cafe, ALL).items

    assert positions(world, world.roaster) == {
        (i["PLANT"], i["BLEND"]): ("1.000", "0.000", "1.000")
    }
    with pytest.raises(NotFound):
        inventory.get_position(world.ctx, world.roaster, cafe_position.id)
    with pytest.raises(NotFound):
        inventory.get_movement(world.ctx, world.roaster, movement.id)
    assert inventory.lot_balances(world.ctx, world.roaster, site, item) == {}
    forecasts = sharing.GrantAccess(i["ROAST"], DataCategory.FORECASTS)
    sharing.grant_access(world.ctx, world.cafe, forecasts)  # another category grants nothing
    assert inventory.list_positions(world.ctx, world.roaster, ALL).total == 1
    assert world.sign_in("beans@example.com").member_id == i["BEANS"]

    grant = sharing.grant_access(
        world.ctx,
        world.cafe,
        sharing.GrantAccess(i["ROAST"], DataCategory.INVENTORY_POSITIONS),
    )
    assert positions(world, world.roaster) == {
        (i["PLANT"], i["BLEND"]): ("1.000", "0.000", "1.000"),
        (site, item): ("4.000", "0.000", "4.000"),
    }
    assert inventory.get_position(world.ctx, world.roaster, cafe_position.id) == cafe_position
    assert inventory.get_movement(world.ctx, world.roaster, movement.id) == movement
    assert inventory.lot_balances(world.ctx, world.roaster, site, item) == {"L-9": D("4.000")}
    assert inventory.list_positions(world.ctx, world.beans, ALL).total == 0

    log = sharing.read_audit_log(world.ctx, world.cafe, ALL).items
    reader = world.roaster.label
    category = DataCategory.INVENTORY_POSITIONS
    assert [(e.resource, e.rows) for e in reversed(log)] == [
        ("inventory positions", 1),
        (f"inventory position {cafe_position.id}", 1),
        (f"stock movement {movement.id}", 1),
        (f"stock lots site_id={site} item_id={item}", 1),
    ]
    assert {
        (e.grant_id, e.owner_member_id, e.reader_member_id, e.reader, e.category) for e in log
    } == {(grant.id, i["CAFE"], i["ROAST"], reader, category)}
    assert all(isinstance(e, AuditEntry) and e.at == clock.now() for e in log)


def test_only_the_owner_records_movements_at_its_sites(world: World, store: InMemoryStore) -> None:
    i = ids(world)
    before = state(store)
    with pytest.raises(Forbidden):
        record(world, world.roaster, i["CAFE-1"], i["LATTE"], MovementKind.RECEIPT, "1")
    with pytest.raises(NotFound):
        record(world, world.cafe, i["CAFE-1"], 999_999, MovementKind.RECEIPT, "1")
    with pytest.raises(NotFound):
        record(world, world.cafe, 999_999, i["LATTE"], MovementKind.RECEIPT, "1")
    with pytest.raises(Forbidden):
        inventory.transfer_stock(
            world.ctx, world.cafe, TransferStock(i["CAFE-1"], i["PLANT"], i["LATTE"], D("1"))
        )
    assert state(store) == before


@pytest.mark.parametrize(
    ("kind", "quantity", "message"),
    [
        (MovementKind.RECEIPT, "0", "quantity must be positive (got 0.000)"),
        (MovementKind.ISSUE, "-1", "quantity must be positive (got -1.000)"),
        (
            MovementKind.RECEIPT,
            "1.0001",
            "quantity: Decimal('1.0001') has more than three decimals",
        ),
        (MovementKind.ADJUSTMENT, "0", "an adjustment must change the stock"),
        # regression: an adjustment with four decimals escaped as a bare ValueError (a 500)
        (
            MovementKind.ADJUSTMENT,
            "-0.0001",
            "quantity: Decimal('-0.0001') has more than three decimals",
        ),
        (MovementKind.TRANSFER_IN, "1", "record a transfer with both sites (transfer_stock)"),
        (MovementKind.TRANSFER_OUT, "1", "record a transfer with both sites (transfer_stock)"),
    ],
)
def test_a_malformed_movement_is_refused(
    world: World, store: InMemoryStore, kind: MovementKind, quantity: str, message: str
) -> None:
    i = ids(world)
    before = state(store)
    with pytest.raises(ValidationFailed) as caught:
        inventory.record_movement(
            world.ctx, world.cafe, RecordMovement(i["CAFE-1"], i["LATTE"], kind, D(quantity))
        )
    assert caught.value.detail == message
    assert state(store) == before


def test_a_transfer_to_the_same_site_is_refused(world: World) -> None:
    i = ids(world)
    command = TransferStock(i["CAFE-1"], i["CAFE-1"], i["LATTE"], D("1"))
    with pytest.raises(ValidationFailed, match="two different sites"):
        inventory.transfer_stock(world.ctx, world.cafe, command)


def test_a_reservation_is_held_released_once_and_cannot_be_released_after_issue(
    world: World, store: InMemoryStore, clock: FixedClock
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "10")
    held = inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("4"), "A"))
    assert held == Allocation(
        held.id,
        world.network_id,
        i["CAFE"],
        site,
        item,
        D("4.000"),
        "A",
        AllocationStatus.OPEN,
        clock.now(),
    )
    assert inventory.get_reservation(world.ctx, world.cafe, held.id) == held
    with pytest.raises(NotFound):
        inventory.get_reservation(world.ctx, world.roaster, held.id)
    with pytest.raises(NotFound):
        inventory.release_reservation(world.ctx, world.roaster, held.id)
    assert positions(world, world.cafe) == {(site, item): ("10.000", "4.000", "6.000")}

    released = inventory.release_reservation(world.ctx, world.cafe, held.id)
    assert released == replace(held, status=AllocationStatus.RELEASED)
    assert inventory.release_reservation(world.ctx, world.cafe, held.id) == released
    assert positions(world, world.cafe) == {(site, item): ("10.000", "0.000", "10.000")}

    shipped = inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("3"), "B"))
    with world.ctx.uow() as uow:
        movement = inventory.issue_allocation(uow, shipped, MovementKind.ISSUE, clock.now())
        uow.commit()
    assert (movement.kind, movement.quantity, movement.reference) == (
        MovementKind.ISSUE,
        D("-3.000"),
        "B",
    )
    before = state(store)
    with pytest.raises(InvalidTransition):
        inventory.release_reservation(world.ctx, world.cafe, shipped.id)
    assert state(store) == before
    assert positions(world, world.cafe) == {(site, item): ("7.000", "0.000", "7.000")}
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(1, 2, ())


def test_a_reservation_beyond_available_stock_is_refused(
    world: World, store: InMemoryStore
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "1")
    before = state(store)
    with pytest.raises(InsufficientStock):
        inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("1.001"), "A"))
    with pytest.raises(ValidationFailed, match="a reservation needs a reference"):
        inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("1"), "  "))
    assert state(store) == before


@pytest.mark.parametrize("quantity", ["0", "-2"])
def test_allocating_nothing_or_less_is_refused(
    world: World, store: InMemoryStore, clock: FixedClock, quantity: str
) -> None:
    """Regression: a negative allocation lowered ``allocated`` without any open allocation,
    breaking conservation."""
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "5")
    inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("3"), "A"))
    before = state(store)
    with world.ctx.uow() as uow, pytest.raises(ValidationFailed, match="must be positive"):
        inventory.allocate_stock(uow, site, item, D(quantity), "B", clock.now())
    assert state(store) == before


def test_a_stale_copy_of_an_allocation_is_never_released_or_issued_twice(
    world: World, clock: FixedClock
) -> None:
    """Regression: release and issue trusted the caller's copy of the allocation, so a copy
    read before a concurrent release released (or shipped) the same stock a second time."""
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "10")
    a = inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("4"), "A"))
    inventory.reserve_stock(world.ctx, world.cafe, ReserveStock(site, item, D("5"), "B"))
    for _ in range(2):
        with world.ctx.uow() as uow:
            inventory.release_allocation(uow, a, clock.now())  # ``a`` still says OPEN
            uow.commit()
    assert positions(world, world.cafe) == {(site, item): ("10.000", "5.000", "5.000")}
    with world.ctx.uow() as uow, pytest.raises(ValidationFailed, match="is released"):
        inventory.issue_allocation(uow, a, MovementKind.ISSUE, clock.now())
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(1, 1, ())


def test_the_ledger_check_finds_a_position_that_disagrees_with_its_movements(
    world: World, store: InMemoryStore
) -> None:
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "3")
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(1, 1, ())
    (position,) = store.stock_positions.rows.values()
    store.stock_positions.rows[position.id] = replace(position, on_hand=D("3.001"))
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(
        1,
        1,
        (f"site {site} item {item}: on hand 3.001 vs ledger 3.000, allocated 0.000 vs 0.000",),
    )
    assert inventory.verify_ledger(world.ctx, world.roaster) == LedgerCheck(0, 0, ())


def test_the_ledger_check_finds_movements_without_a_position(
    world: World, store: InMemoryStore
) -> None:
    """Regression: only stored positions were checked, so a lost position went unnoticed."""
    i = ids(world)
    site, item = i["CAFE-1"], i["LATTE"]
    record(world, world.cafe, site, item, MovementKind.RECEIPT, "3")
    (position,) = store.stock_positions.rows.values()
    store.stock_positions.delete(position.id)
    assert inventory.verify_ledger(world.ctx, world.cafe) == LedgerCheck(
        0,
        1,
        (f"site {site} item {item}: on hand 0.000 vs ledger 3.000, allocated 0.000 vs 0.000",),
    )


def test_changes_of_several_positions_commit_together_or_not_at_all(
    world: World, store: InMemoryStore, clock: FixedClock
) -> None:
    i = ids(world)
    one, two, item = i["CAFE-1"], i["CAFE-2"], i["LATTE"]
    record(world, world.cafe, one, item, MovementKind.RECEIPT, "1")
    before = state(store)
    changes = [
        StockChange(two, item, on_hand=D("5"), kind=MovementKind.RECEIPT),
        StockChange(one, item, on_hand=D("-2"), kind=MovementKind.ISSUE),
    ]
    with world.ctx.uow() as uow, pytest.raises(InsufficientStock):
        inventory.apply_stock_changes(uow, changes, clock.now())
    assert state(store) == before
