"""Customer orders: entry, promising from ATP (the on-hand part allocated), shipping, cancelling."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.support import World

from tandem.domain.customers import CustomerOrderStatus, PromiseSource
from tandem.domain.errors import (
    Forbidden,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    OverShipment,
    ValidationFailed,
)
from tandem.domain.identity import Scope
from tandem.domain.inventory import AllocationStatus, MovementKind, StockPosition
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.shipments import Shipment, ShipmentLine, ShipmentStatus
from tandem.services import customer_orders, customers, inventory
from tandem.services.context import PageRequest
from tandem.services.customer_orders import (
    CreateCustomerOrder,
    CustomerOrderView,
    OrderLineInput,
    ShipLine,
)
from tandem.services.customers import CustomerFields
from tandem.services.inventory import RecordMovement

ON_HAND = PromiseSource.ON_HAND
RECEIPT = PromiseSource.SCHEDULED_RECEIPT
TODAY = date(2026, 11, 21)  # the FixedClock's day


def d(text: str) -> Decimal:
    return Decimal(text)


def day(n: int) -> date:
    return date(2026, 11, n)


@dataclass(frozen=True)
class Shop:
    """The roaster selling its blend from the plant to one customer."""

    world: World
    plant: int
    port: int
    blend: int
    green: int
    customer: int

    def stock(self, quantity: str, item: int | None = None) -> None:
        movement = RecordMovement(
            self.plant, item or self.blend, MovementKind.RECEIPT, Decimal(quantity)
        )
        inventory.record_movement(self.world.ctx, self.world.roaster, movement)

    def order(self, *lines: tuple[str, int], item: int | None = None) -> CustomerOrderView:
        command = CreateCustomerOrder(
            self.customer,
            self.plant,
            tuple(OrderLineInput(item or self.blend, d(q), day(n), 1250) for q, n in lines),
        )
        return customer_orders.create_order(self.world.ctx, self.world.roaster, command)

    def promise(self, view: CustomerOrderView) -> CustomerOrderView:
        return customer_orders.promise_order(self.world.ctx, self.world.roaster, view.order.id)

    def position(self, item: int | None = None) -> StockPosition:
        with self.world.ctx.uow() as uow:
            (found,) = uow.stock_positions.find(site_id=self.plant, item_id=item or self.blend)
        return found

    def inbound(
        self, quantity: str, due: date, status: OrderStatus = OrderStatus.ACKNOWLEDGED, **line: Any
    ) -> int:
        """An inbound purchase order of blend from the importer to the plant; the line's id."""
        with self.world.ctx.uow() as uow:
            order = uow.purchase_orders.add(
                PurchaseOrder(
                    0,
                    self.world.network_id,
                    f"PO-T{uow.purchase_orders.count() + 1}",
                    self.world.roaster.member_id,
                    self.world.beans.member_id,
                    self.plant,
                    status,
                    1,
                    datetime(2026, 11, 1, tzinfo=UTC),
                )
            )
            added = uow.purchase_order_lines.add(
                PurchaseOrderLine(0, order.id, 1, self.blend, d(quantity), 900, due, **line)
            )
            uow.commit()
        return added.id

    def in_transit(self, quantity: str, arrival: date) -> None:
        line_id = self.inbound(quantity, arrival, OrderStatus.SHIPPED, shipped_quantity=d(quantity))
        with self.world.ctx.uow() as uow:
            shipment = uow.shipments.add(
                Shipment(
                    0,
                    self.world.network_id,
                    f"SH-T{uow.shipments.count() + 1}",
                    uow.purchase_order_lines.get(line_id).order_id,  # type: ignore[union-attr]
                    self.world.beans.member_id,
                    self.world.roaster.member_id,
                    self.port,
                    self.plant,
                    ShipmentStatus.IN_TRANSIT,
                    datetime(2026, 11, 20, tzinfo=UTC),
                    arrival,
                )
            )
            uow.shipment_lines.add(ShipmentLine(0, shipment.id, line_id, self.blend, d(quantity)))
            uow.commit()


@pytest.fixture
def shop(world: World) -> Shop:
    with world.ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=world.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=world.network_id)}
    customer = customers.add_customer(world.ctx, world.roaster, CustomerFields("C-1", "Canteen"))
    return Shop(world, sites["PLANT"], sites["PORT"], items["BLEND"], items["GREEN"], customer.id)


def promises(view: CustomerOrderView) -> list[list[tuple[str, date, PromiseSource]]]:
    return [
        [(str(p.quantity), p.promised_date, p.source) for p in line.promises] for line in view.lines
    ]


def allocations(
    shop: Shop, status: AllocationStatus = AllocationStatus.OPEN
) -> list[tuple[str, str]]:
    with shop.world.ctx.uow() as uow:
        rows = uow.allocations.find(status=status)
    return [(a.reference, str(a.quantity)) for a in rows]


def ref(view: CustomerOrderView, index: int = 0) -> str:
    return f"customer-order-line:{view.lines[index].line.id}"


def ledger_is_balanced(shop: Shop) -> bool:
    return inventory.verify_ledger(shop.world.ctx, shop.world.roaster).mismatches == ()


# ---------------------------------------------------------------- entry


def test_order_is_entered_open_and_numbered(shop: Shop) -> None:
    view = shop.order(("12", 23), ("2.5", 25))

    assert view.order.number == f"CO-{view.order.id:06d}"
    assert view.order.status is CustomerOrderStatus.OPEN
    assert [(x.line.line_no, str(x.line.quantity), x.amount_minor) for x in view.lines] == [
        (1, "12.000", 15000),
        (2, "2.500", 3125),
    ]
    assert view.total_minor == 18125
    assert [str(x.unpromised_quantity) for x in view.lines] == ["12.000", "2.500"]
    assert customer_orders.get_order(shop.world.ctx, shop.world.roaster, view.order.id) == view


def test_invalid_order_is_refused_whole_and_writes_nothing(shop: Shop) -> None:
    cafes = customers.add_customer(shop.world.ctx, shop.world.cafe, CustomerFields("C-9", "X"))
    with shop.world.ctx.uow() as uow:
        cafe_one = uow.sites.find(code="CAFE-1")[0].id
    command = CreateCustomerOrder(
        cafes.id,
        cafe_one,
        (
            OrderLineInput(shop.blend, d("0"), day(23), 100),
            OrderLineInput(999, d("1.0001"), day(23), -1),
        ),
    )

    with pytest.raises(ValidationFailed) as refused:
        customer_orders.create_order(shop.world.ctx, shop.world.roaster, command)

    assert [(v.location, v.field) for v in refused.value.violations] == [
        ("order", "customer_id"),
        ("order", "ship_from_site_id"),
        ("lines[0]", "quantity"),
        ("lines[1]", "item_id"),
        ("lines[1]", "quantity"),
        ("lines[1]", "unit_price_minor"),
    ]
    listed = customer_orders.list_orders(shop.world.ctx, shop.world.roaster, PageRequest())
    assert listed.total == 0


def test_list_filters_by_customer_and_status(shop: Shop) -> None:
    first = shop.order(("1", 23))
    second = shop.promise(shop.order(("1", 23)))
    ctx, roaster = shop.world.ctx, shop.world.roaster

    promised = customer_orders.list_orders(
        ctx, roaster, PageRequest(), status=CustomerOrderStatus.PROMISED
    )
    of_customer = customer_orders.list_orders(
        ctx, roaster, PageRequest(), customer_id=shop.customer
    )

    assert [o.id for o in promised.items] == [second.order.id]
    assert [o.id for o in of_customer.items] == [first.order.id, second.order.id]
    assert customer_orders.list_orders(ctx, shop.world.cafe, PageRequest()).total == 0


# ---------------------------------------------------------------- promising


def test_line_is_promised_from_on_hand_then_from_a_later_receipt(shop: Shop) -> None:
    shop.stock("10")
    shop.inbound("20", day(20), confirmed_quantity=d("20"), confirmed_date=day(26))

    view = shop.promise(shop.order(("12", 23)))

    assert view.order.status is CustomerOrderStatus.PROMISED
    assert promises(view) == [[("10.000", day(23), ON_HAND), ("2.000", day(26), RECEIPT)]]
    assert (str(view.lines[0].promised_quantity), str(view.lines[0].unpromised_quantity)) == (
        "12.000",
        "0.000",
    )
    position = shop.position()
    assert (position.on_hand, position.allocated, position.available) == (d("10"), d("10"), d("0"))
    assert allocations(shop) == [(ref(view), "10.000")]


def test_what_no_supply_covers_is_left_short(shop: Shop) -> None:
    shop.stock("3")

    view = shop.promise(shop.order(("5", 22)))

    assert promises(view) == [[("3.000", day(22), ON_HAND)]]
    assert str(view.lines[0].unpromised_quantity) == "2.000"


def test_two_orders_compete_for_the_last_units(shop: Shop) -> None:
    shop.stock("10")

    first = shop.promise(shop.order(("6", 22)))
    second = shop.promise(shop.order(("6", 22)))

    assert promises(first) == [[("6.000", day(22), ON_HAND)]]
    assert promises(second) == [[("4.000", day(22), ON_HAND)]]
    assert str(second.lines[0].unpromised_quantity) == "2.000"
    assert shop.position().allocated == d("10")
    assert allocations(shop) == [(ref(first), "6.000"), (ref(second), "4.000")]


def test_receipt_promised_to_one_order_is_not_promised_to_the_next(shop: Shop) -> None:
    shop.inbound("5", day(24))

    first = shop.promise(shop.order(("5", 22)))
    second = shop.promise(shop.order(("5", 22)))

    assert promises(first) == [[("5.000", day(24), RECEIPT)]]
    assert promises(second) == [[]]
    assert shop.position().allocated == d("0")


def test_on_hand_needed_by_a_receipt_promise_is_not_allocated_to_a_later_order(shop: Shop) -> None:
    shop.inbound("5", day(30))
    first = shop.promise(shop.order(("5", 30)))
    shop.stock("5")  # the receipt arrives early; the importer has not booked it yet
    with shop.world.ctx.uow() as uow:
        (line,) = uow.purchase_order_lines.find()
        uow.purchase_order_lines.update(replace(line, received_quantity=d("5")))
        uow.commit()

    second = shop.promise(shop.order(("5", 22)))

    assert promises(first) == [[("5.000", day(30), RECEIPT)]]
    assert promises(second) == [[]]


def test_goods_in_transit_are_promised_on_their_expected_arrival(shop: Shop) -> None:
    shop.in_transit("4", day(25))
    shop.inbound("9", day(28), OrderStatus.DRAFT)
    shop.inbound("9", day(28), OrderStatus.CANCELLED)
    shop.inbound("9", day(28), OrderStatus.SUBMITTED, cancelled=True)

    view = shop.promise(shop.order(("6", 22)))

    assert promises(view) == [[("4.000", day(25), RECEIPT)]]


def test_earlier_requested_line_is_promised_first(shop: Shop) -> None:
    shop.stock("4")
    shop.inbound("4", day(27))

    view = shop.promise(shop.order(("4", 29), ("4", 23)))

    assert promises(view) == [[("4.000", day(29), RECEIPT)], [("4.000", day(23), ON_HAND)]]


def test_repromising_releases_the_earlier_allocation_first(shop: Shop) -> None:
    shop.stock("4")
    first = shop.promise(shop.order(("6", 22)))
    shop.stock("5")

    again = shop.promise(first)

    assert promises(again) == [[("6.000", day(22), ON_HAND)]]
    assert allocations(shop) == [(ref(first), "6.000")]
    assert allocations(shop, AllocationStatus.RELEASED) == [(ref(first), "4.000")]
    assert (shop.position().allocated, shop.position().available) == (d("6"), d("3"))
    assert ledger_is_balanced(shop)


def test_atp_profile_shows_dated_buckets_after_promises(shop: Shop) -> None:
    shop.stock("10")
    shop.inbound("20", day(26))
    shop.promise(shop.order(("12", 23)))

    atp = customer_orders.available_to_promise(
        shop.world.ctx, shop.world.roaster, shop.plant, shop.blend
    )

    assert (atp.today, atp.on_hand_available) == (TODAY, d("0"))
    assert [(b.day, b.supply, b.committed, b.atp, b.cumulative_atp) for b in atp.buckets] == [
        (TODAY, d("0"), d("0"), d("0"), d("0")),
        (day(26), d("20"), d("2"), d("18"), d("18")),
    ]


def test_atp_of_another_members_site_is_forbidden(shop: Shop) -> None:
    with pytest.raises(Forbidden):
        customer_orders.available_to_promise(
            shop.world.ctx, shop.world.cafe, shop.plant, shop.blend
        )
    with pytest.raises(NotFound):
        customer_orders.available_to_promise(shop.world.ctx, shop.world.roaster, shop.plant, 999)


# ---------------------------------------------------------------- shipping and cancelling


def test_partial_then_full_shipment_issues_through_the_allocation(shop: Shop) -> None:
    shop.stock("10")
    view = shop.promise(shop.order(("10", 22), ("1", 22)))
    line = view.lines[0].line.id
    ctx, roaster = shop.world.ctx, shop.world.roaster

    partial = customer_orders.ship_order(ctx, roaster, view.order.id, [ShipLine(line, d("4"))])

    assert partial.order.status is CustomerOrderStatus.PARTIALLY_SHIPPED
    assert [str(x.line.shipped_quantity) for x in partial.lines] == ["4.000", "0.000"]
    assert promises(partial) == [[("6.000", day(22), ON_HAND)], []]
    assert (shop.position().on_hand, shop.position().allocated) == (d("6"), d("6"))
    assert allocations(shop) == [(ref(view), "6.000")]

    full = customer_orders.ship_order(ctx, roaster, view.order.id, [ShipLine(line, d("6"))])
    assert full.order.status is CustomerOrderStatus.PARTIALLY_SHIPPED  # line 2 is still open
    shop.stock("1")
    done = customer_orders.ship_order(ctx, roaster, view.order.id)

    assert done.order.status is CustomerOrderStatus.SHIPPED
    assert [str(x.line.shipped_quantity) for x in done.lines] == ["10.000", "1.000"]
    assert (shop.position().on_hand, shop.position().allocated) == (d("0"), d("0"))
    with ctx.uow() as uow:
        issues = uow.stock_movements.find(kind=MovementKind.ISSUE)
    assert [(m.reference, str(m.quantity)) for m in issues] == [
        (ref(view), "-4.000"),
        (ref(view), "-6.000"),
        (ref(view, 1), "-1.000"),
    ]
    assert ledger_is_balanced(shop)


def test_quantity_promised_from_an_arrived_receipt_is_allocated_and_issued(shop: Shop) -> None:
    shop.inbound("5", day(24))
    view = shop.promise(shop.order(("5", 24)))
    shop.stock("5")

    shipped = customer_orders.ship_order(shop.world.ctx, shop.world.roaster, view.order.id)

    assert shipped.order.status is CustomerOrderStatus.SHIPPED
    assert promises(shipped) == [[]]
    assert allocations(shop, AllocationStatus.CONSUMED) == [(ref(view), "5.000")]
    assert (shop.position().on_hand, shop.position().allocated) == (d("0"), d("0"))


def test_shipping_more_than_ordered_is_refused_and_changes_nothing(shop: Shop) -> None:
    shop.stock("20")
    view = shop.promise(shop.order(("10", 22)))
    line = view.lines[0].line.id

    with pytest.raises(OverShipment) as refused:
        customer_orders.ship_order(
            shop.world.ctx, shop.world.roaster, view.order.id, [ShipLine(line, d("10.001"))]
        )

    assert refused.value.code == "over_shipment"
    assert customer_orders.get_order(shop.world.ctx, shop.world.roaster, view.order.id) == view
    assert (shop.position().on_hand, shop.position().allocated) == (d("20"), d("10"))


def test_shipping_without_stock_is_refused_and_changes_nothing(shop: Shop) -> None:
    shop.stock("2")
    view = shop.promise(shop.order(("2", 22), ("3", 22)))

    with pytest.raises(InsufficientStock):
        customer_orders.ship_order(shop.world.ctx, shop.world.roaster, view.order.id)

    assert customer_orders.get_order(shop.world.ctx, shop.world.roaster, view.order.id) == view
    assert (shop.position().on_hand, shop.position().allocated) == (d("2"), d("2"))
    assert allocations(shop) == [(ref(view), "2.000")]


def test_shipping_an_unknown_line_is_refused(shop: Shop) -> None:
    view = shop.order(("2", 22))

    with pytest.raises(ValidationFailed) as refused:
        customer_orders.ship_order(
            shop.world.ctx, shop.world.roaster, view.order.id, [ShipLine(999, d("1"))]
        )

    assert [(v.location, v.field) for v in refused.value.violations] == [("lines[0]", "line_id")]


def test_cancelling_releases_allocations_and_promises(shop: Shop) -> None:
    shop.stock("10")
    shop.inbound("5", day(25))
    view = shop.promise(shop.order(("12", 22)))
    ctx, roaster = shop.world.ctx, shop.world.roaster

    cancelled = customer_orders.cancel_order(ctx, roaster, view.order.id)

    assert cancelled.order.status is CustomerOrderStatus.CANCELLED
    assert promises(cancelled) == [[]]
    assert allocations(shop) == []
    assert shop.position().available == d("10")
    assert ledger_is_balanced(shop)
    for refused in (customer_orders.cancel_order, customer_orders.ship_order):
        with pytest.raises(InvalidTransition):
            refused(ctx, roaster, view.order.id)
    with pytest.raises(InvalidTransition):
        customer_orders.promise_order(ctx, roaster, view.order.id)


def test_partially_shipped_order_cannot_be_cancelled(shop: Shop) -> None:
    shop.stock("5")
    view = shop.promise(shop.order(("5", 22)))
    line = view.lines[0].line.id
    ctx, roaster = shop.world.ctx, shop.world.roaster
    shipped = customer_orders.ship_order(ctx, roaster, view.order.id, [ShipLine(line, d("1"))])

    with pytest.raises(InvalidTransition):
        customer_orders.cancel_order(ctx, roaster, view.order.id)

    assert customer_orders.get_order(ctx, roaster, view.order.id) == shipped


def test_another_member_gets_not_found_for_every_step(shop: Shop) -> None:
    shop.stock("5")
    view = shop.promise(shop.order(("5", 22)))
    ctx, cafe = shop.world.ctx, shop.world.cafe

    for step in (
        customer_orders.get_order,
        customer_orders.promise_order,
        customer_orders.ship_order,
        customer_orders.cancel_order,
    ):
        with pytest.raises(NotFound, match=f"customer order {view.order.id} not found"):
            step(ctx, cafe, view.order.id)
    assert customer_orders.get_order(ctx, shop.world.roaster, view.order.id) == view


def test_writing_needs_the_data_write_scope(shop: Shop) -> None:
    view = shop.order(("5", 22))
    reader = replace(shop.world.roaster, scopes=frozenset({Scope.DATA_READ}))

    with pytest.raises(Forbidden):
        customer_orders.promise_order(shop.world.ctx, reader, view.order.id)
    assert customer_orders.get_order(shop.world.ctx, reader, view.order.id) == view
