"""Two concurrent shipments of one order, and two concurrent receipts of one shipment, on
PostgreSQL: the stock-position locks queue them, so exactly one wins and the other gets the
domain error (never a second receipt, never more shipped than confirmed)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.errors import AlreadyReceived, OverShipment
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.inventory import MovementKind
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.services import inventory, transfer
from tandem.services.context import ServiceContext
from tandem.services.receipts import ReceiptDetail, ReceiveShipment, receive
from tandem.services.shipments import ShipGoods, ShipLine, ShipmentDetail, ship
from tests.support import small_snapshot

pytestmark = pytest.mark.postgres


def _race(action: Callable[[], Any]) -> list[Any]:
    """Run ``action`` in two threads released together; return each result or exception."""
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def contender(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            outcomes[index] = action()
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [thread.is_alive() for thread in threads] == [False, False]
    return outcomes


def _order(ctx: ServiceContext) -> tuple[Principal, Principal, PurchaseOrderLine]:
    network_id = transfer.import_snapshot(ctx, small_snapshot()).network_id
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        blend = uow.items.find(network_id=network_id, sku="BLEND")[0].id
        order = uow.purchase_orders.add(
            PurchaseOrder(
                0,
                network_id,
                "PO-000001",
                members["CAFE"],
                members["ROAST"],
                sites["CAFE-1"],
                OrderStatus.ACKNOWLEDGED,
                3,
                ctx.clock.now(),
                ship_from_site_id=sites["PLANT"],
            )
        )
        line = uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0, order.id, 1, blend, Decimal(100), 1, date(2026, 11, 25), Decimal(80)
            )
        )
        uow.commit()
    roaster = Principal(members["ROAST"], network_id, "roaster", ALL_SCOPES)
    cafe = Principal(members["CAFE"], network_id, "cafe", ALL_SCOPES)
    stock = inventory.RecordMovement(sites["PLANT"], blend, MovementKind.RECEIPT, Decimal(200))
    inventory.record_movement(ctx, roaster, stock)
    return roaster, cafe, line


def test_two_concurrent_shipments_never_ship_more_than_is_open_and_receive_once(
    postgres_url: str, postgres_engine: Engine
) -> None:
    ctx = bootstrap(
        Settings(database_url=postgres_url),
        engine=postgres_engine,
        clock=FixedClock(),
        passwords=PlainPasswordHasher(),
    ).services
    roaster, cafe, line = _order(ctx)
    command = ShipGoods(line.order_id, (ShipLine(line.id, Decimal(50)),))

    shipped = _race(lambda: ship(ctx, roaster, command))

    sent = [o for o in shipped if isinstance(o, ShipmentDetail)]
    assert (len(sent), sum(isinstance(o, OverShipment) for o in shipped)) == (1, 1), shipped
    received = _race(lambda: receive(ctx, cafe, ReceiveShipment(sent[0].shipment.id)))
    assert sum(isinstance(o, ReceiptDetail) for o in received) == 1, received
    assert sum(isinstance(o, AlreadyReceived) for o in received) == 1, received
    with SqlUnitOfWork(postgres_engine) as uow:
        current = uow.purchase_order_lines.get(line.id)
        assert current is not None
        assert (current.shipped_quantity, current.received_quantity) == (
            Decimal("50.000"),
            Decimal("50.000"),
        )
        assert (uow.shipments.count(), uow.receipts.count()) == (1, 1)
