"""Shipments, goods receipts and their EPCIS events through the services (in-memory twins).

The café chain (CAFE) buys 100 kg of house blend from the roaster (ROAST), confirmed at 80 kg,
delivered from PLANT to CAFE-1; the roaster holds 200 kg at PLANT.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from tests.support import World

from tandem.adapters.memory import FLOW_REPOSITORIES, FixedClock, InMemoryStore
from tandem.domain.epcis import BizStep, EventType
from tandem.domain.errors import (
    AlreadyReceived,
    Forbidden,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    OverShipment,
    UnknownShipment,
    ValidationFailed,
    Violation,
)
from tandem.domain.inventory import MovementKind
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.shipments import Discrepancy, ShipmentStatus
from tandem.services import inventory
from tandem.services.context import PageRequest
from tandem.services.epcis import epcis_document
from tandem.services.receipts import (
    DiscrepancyRow,
    ReceiveLine,
    ReceiveShipment,
    get_receipt,
    list_discrepancies,
    receive,
)
from tandem.services.shipments import (
    ShipGoods,
    ShipLine,
    ShipmentDetail,
    ShipmentRole,
    get_shipment,
    list_shipments,
    ship,
)

ALL = PageRequest(0, 1000)
Q = Decimal


def ids(world: World) -> dict[str, int]:
    """Site codes and item SKUs to ids."""
    with world.ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=world.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=world.network_id)}
    return {**sites, **items}


def seed_order(
    world: World,
    to_site: str = "CAFE-1",
    status: OrderStatus = OrderStatus.ACKNOWLEDGED,
    stock: str = "200",
) -> PurchaseOrderLine:
    """An order of 100 kg BLEND (confirmed 80) from ROAST, and the roaster's stock at PLANT."""
    known = ids(world)
    with world.ctx.uow() as uow:
        order = uow.purchase_orders.add(
            PurchaseOrder(
                0,
                world.network_id,
                "PO-000001",
                world.cafe.member_id,
                world.roaster.member_id,
                known[to_site],
                status,
                3,
                world.ctx.clock.now(),
                ship_from_site_id=known["PLANT"],
            )
        )
        line = uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0, order.id, 1, known["BLEND"], Q("100.000"), 1250, date(2026, 11, 25), Q("80.000")
            )
        )
        uow.commit()
    if Q(stock):
        movement = inventory.RecordMovement(
            known["PLANT"], known["BLEND"], MovementKind.RECEIPT, Q(stock)
        )
        inventory.record_movement(world.ctx, world.roaster, movement)
    return line


def ship_lines(world: World, line: PurchaseOrderLine, *quantities: tuple[str, str]) -> ShipGoods:
    return ShipGoods(
        line.order_id,
        tuple(ShipLine(line.id, Q(q), lot) for q, lot in quantities),
        carrier="Van & Co",
        tracking_reference="TR-1",
    )


def position(world: World, site: str, sku: str) -> tuple[Decimal, Decimal]:
    """(on hand, in transit) of ``sku`` at ``site``."""
    known = ids(world)
    with world.ctx.uow() as uow:
        found = uow.stock_positions.find(site_id=known[site], item_id=known[sku])
    return (found[0].on_hand, found[0].in_transit) if found else (Q(0), Q(0))


def order_state(
    world: World, line: PurchaseOrderLine
) -> tuple[OrderStatus, int, PurchaseOrderLine]:
    with world.ctx.uow() as uow:
        order = uow.purchase_orders.get(line.order_id)
        current = uow.purchase_order_lines.get(line.id)
    assert order is not None
    assert current is not None
    return order.status, order.version, current


def flow_rows(store: InMemoryStore) -> dict[str, dict[int, Any]]:
    return {name: dict(getattr(store, name).rows) for name in FLOW_REPOSITORIES}


@pytest.fixture
def order_line(world: World) -> PurchaseOrderLine:
    return seed_order(world)


# ---------------------------------------------------------------- shipping


def test_partial_shipment_then_the_rest_moves_stock_into_transit_and_ships_the_order(
    world: World, order_line: PurchaseOrderLine
) -> None:
    first = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("30", "L1")))

    assert position(world, "PLANT", "BLEND") == (Q("170.000"), Q(0))
    assert position(world, "CAFE-1", "BLEND") == (Q(0), Q("30.000"))
    status, version, line = order_state(world, order_line)
    assert (status, version, line.shipped_quantity) == (
        OrderStatus.PARTIALLY_SHIPPED,
        4,
        Q("30.000"),
    )

    rest = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("50", "L2")))

    assert position(world, "PLANT", "BLEND") == (Q("120.000"), Q(0))
    assert position(world, "CAFE-1", "BLEND") == (Q(0), Q("80.000"))
    status, version, line = order_state(world, order_line)
    assert (status, version, line.shipped_quantity) == (OrderStatus.SHIPPED, 5, Q("80.000"))
    known = ids(world)
    s = first.shipment
    assert (s.number, rest.shipment.number) == ("SHP-000001", "SHP-000002")
    assert (s.order_id, s.shipper_member_id, s.consignee_member_id) == (
        order_line.order_id,
        world.roaster.member_id,
        world.cafe.member_id,
    )
    assert (s.from_site_id, s.to_site_id, s.status) == (
        known["PLANT"],
        known["CAFE-1"],
        ShipmentStatus.IN_TRANSIT,
    )
    # no arrival given: today plus the one-day lead time of the lane PLANT → CAFE-1
    assert (s.shipped_at, s.expected_arrival) == (world.ctx.clock.now(), date(2026, 11, 22))
    assert (s.carrier, s.tracking_reference) == ("Van & Co", "TR-1")
    assert [(x.order_line_id, x.item_id, x.quantity, x.lot) for x in first.lines] == [
        (order_line.id, known["BLEND"], Q("30.000"), "L1")
    ]
    with world.ctx.uow() as uow:
        issues = uow.stock_movements.find(kind=MovementKind.ISSUE)
        events = uow.order_events.find(order_id=order_line.order_id)
    assert [(m.site_id, m.quantity, m.lot, m.reference) for m in issues] == [
        (known["PLANT"], Q("-30.000"), "L1", f"shipment:{s.id}"),
        (known["PLANT"], Q("-50.000"), "L2", f"shipment:{rest.shipment.id}"),
    ]
    assert [(e.kind.value, e.version, e.actor_member_id) for e in events] == [
        ("shipped", 4, world.roaster.member_id),
        ("shipped", 5, world.roaster.member_id),
    ]
    assert events[0].detail == {
        "shipment_id": s.id,
        "shipment_number": "SHP-000001",
        "lines": [{"order_line_id": order_line.id, "quantity": "30.000", "lot": "L1"}],
        "status": ["acknowledged", "partially_shipped"],
    }


def test_two_lines_of_one_order_line_count_together_against_the_open_quantity(
    world: World, order_line: PurchaseOrderLine, store: InMemoryStore
) -> None:
    before = flow_rows(store)

    with pytest.raises(OverShipment) as refused:
        ship(world.ctx, world.roaster, ship_lines(world, order_line, ("60", "L1"), ("21", "L2")))

    assert refused.value.code == "over_shipment"
    assert refused.value.violations == [
        Violation("order line 1", "81.000 to ship, only 80.000 open", "quantity")
    ]
    assert flow_rows(store) == before


def test_over_shipment_after_a_partial_one_is_refused_and_writes_nothing(
    world: World, order_line: PurchaseOrderLine, store: InMemoryStore
) -> None:
    ship(world.ctx, world.roaster, ship_lines(world, order_line, ("30", "")))
    before = flow_rows(store)

    with pytest.raises(OverShipment) as refused:
        ship(world.ctx, world.roaster, ship_lines(world, order_line, ("50.001", "")))

    assert refused.value.violations == [
        Violation("order line 1", "50.001 to ship, only 50.000 open", "quantity")
    ]
    assert flow_rows(store) == before
    assert position(world, "PLANT", "BLEND") == (Q("170.000"), Q(0))
    assert list_shipments(world.ctx, world.roaster, ALL).total == 1


def test_shipping_without_stock_is_refused_and_writes_nothing(
    world: World, store: InMemoryStore
) -> None:
    line = seed_order(world, stock="0")
    before = flow_rows(store)

    with pytest.raises(InsufficientStock) as refused:
        ship(world.ctx, world.roaster, ship_lines(world, line, ("10", "")))

    assert refused.value.code == "insufficient_stock"
    assert flow_rows(store) == before
    assert order_state(world, line)[:2] == (OrderStatus.ACKNOWLEDGED, 3)


def test_only_the_seller_ships_and_a_third_member_cannot_find_the_order(
    world: World, order_line: PurchaseOrderLine
) -> None:
    command = ship_lines(world, order_line, ("10", ""))

    with pytest.raises(Forbidden):
        ship(world.ctx, world.cafe, command)
    with pytest.raises(NotFound):
        ship(world.ctx, world.beans, command)


def test_an_order_not_yet_acknowledged_cannot_be_shipped(world: World) -> None:
    line = seed_order(world, status=OrderStatus.SUBMITTED)

    with pytest.raises(InvalidTransition) as refused:
        ship(world.ctx, world.roaster, ship_lines(world, line, ("10", "")))

    assert refused.value.detail == "cannot ship a purchase order that is submitted"


def test_without_a_lane_the_expected_arrival_is_required(world: World) -> None:
    line = seed_order(world, to_site="CAFE-2")
    command = ship_lines(world, line, ("10", ""))

    with pytest.raises(ValidationFailed) as refused:
        ship(world.ctx, world.roaster, command)
    shipped = ship(
        world.ctx,
        world.roaster,
        ShipGoods(command.order_id, command.lines, expected_arrival=date(2026, 11, 24)),
    )

    assert refused.value.violations == [
        Violation("shipment", "required (no lane)", "expected_arrival")
    ]
    assert shipped.shipment.expected_arrival == date(2026, 11, 24)


def test_goods_ship_only_from_a_site_of_the_seller(
    world: World, order_line: PurchaseOrderLine
) -> None:
    command = ShipGoods(
        order_line.order_id, (ShipLine(order_line.id, Q(5)),), from_site_id=ids(world)["CAFE-2"]
    )

    with pytest.raises(ValidationFailed) as refused:
        ship(world.ctx, world.roaster, command)

    assert refused.value.violations == [
        Violation("shipment", "site CAFE-2 is not one of the seller's sites", "from_site_id")
    ]


def test_shipment_lines_must_be_positive_lines_of_the_order(
    world: World, order_line: PurchaseOrderLine
) -> None:
    bad_quantities = ShipGoods(
        order_line.order_id, (ShipLine(order_line.id, Q(0)), ShipLine(order_line.id, Q("0.0005")))
    )
    stranger = ShipGoods(order_line.order_id, (ShipLine(order_line.id + 99, Q(1)),))

    with pytest.raises(ValidationFailed) as quantities:
        ship(world.ctx, world.roaster, bad_quantities)
    with pytest.raises(ValidationFailed) as lines:
        ship(world.ctx, world.roaster, stranger)

    assert quantities.value.violations == [
        Violation("lines[0]", "must be greater than 0", "quantity"),
        Violation("lines[1]", "Decimal('0.0005') has more than three decimals", "quantity"),
    ]
    assert lines.value.violations == [
        Violation("lines[0]", "not a line of PO-000001", "order_line_id")
    ]


# ---------------------------------------------------------------- receiving


@pytest.fixture
def in_transit(world: World, order_line: PurchaseOrderLine) -> ShipmentDetail:
    """All 80 kg shipped in one shipment of two lots."""
    return ship(world.ctx, world.roaster, ship_lines(world, order_line, ("50", "L1"), ("30", "L2")))


def test_receipt_with_short_and_damaged_quantities_books_what_was_accepted(
    world: World, order_line: PurchaseOrderLine, in_transit: ShipmentDetail
) -> None:
    lot1, lot2 = in_transit.lines
    command = ReceiveShipment(
        in_transit.shipment.id,
        (ReceiveLine(lot1.id, Q("48")), ReceiveLine(lot2.id, Q("30"), Q("5"))),
        note="two bags short, five wet",
    )

    got = receive(world.ctx, world.cafe, command)

    assert position(world, "CAFE-1", "BLEND") == (Q("73.000"), Q(0))
    assert position(world, "PLANT", "BLEND") == (Q("120.000"), Q(0))
    status, _, line = order_state(world, order_line)
    assert (status, line.shipped_quantity, line.received_quantity) == (
        OrderStatus.SHIPPED,
        Q("80.000"),
        Q("73.000"),
    )
    r = got.receipt
    assert (r.number, r.shipment_id, r.consignee_member_id, r.received_at, r.note) == (
        "GR-000001",
        in_transit.shipment.id,
        world.cafe.member_id,
        world.ctx.clock.now(),
        "two bags short, five wet",
    )
    assert [
        (x.shipment_line_id, x.received_quantity, x.damaged_quantity, x.discrepancy)
        for x in got.lines
    ] == [
        (lot1.id, Q("48.000"), Q("0.000"), Discrepancy.SHORT),
        (lot2.id, Q("30.000"), Q("5.000"), Discrepancy.DAMAGED),
    ]
    with world.ctx.uow() as uow:
        receipts = uow.stock_movements.find(kind=MovementKind.RECEIPT, site_id=ids(world)["CAFE-1"])
    assert [(m.quantity, m.lot, m.reference) for m in receipts] == [
        (Q("48.000"), "L1", f"receipt:{r.id}"),
        (Q("25.000"), "L2", f"receipt:{r.id}"),
    ]
    assert get_shipment(world.ctx, world.roaster, in_transit.shipment.id).shipment.status == (
        ShipmentStatus.RECEIVED
    )


def test_discrepancies_flow_back_to_the_shipper(world: World, in_transit: ShipmentDetail) -> None:
    lot1, lot2 = in_transit.lines
    got = receive(
        world.ctx,
        world.cafe,
        ReceiveShipment(
            in_transit.shipment.id,
            (ReceiveLine(lot1.id, Q("48")), ReceiveLine(lot2.id, Q("30"), Q("5"))),
        ),
    )
    blend = ids(world)["BLEND"]
    shipment = in_transit.shipment

    expected = [
        DiscrepancyRow(
            shipment.id,
            "SHP-000001",
            got.receipt.id,
            "GR-000001",
            lot1.id,
            lot1.order_line_id,
            blend,
            "L1",
            Q("50.000"),
            Q("48.000"),
            Q("0.000"),
            Discrepancy.SHORT,
        ),
        DiscrepancyRow(
            shipment.id,
            "SHP-000001",
            got.receipt.id,
            "GR-000001",
            lot2.id,
            lot2.order_line_id,
            blend,
            "L2",
            Q("30.000"),
            Q("30.000"),
            Q("5.000"),
            Discrepancy.DAMAGED,
        ),
    ]
    assert list(list_discrepancies(world.ctx, world.roaster).items) == expected
    assert list(list_discrepancies(world.ctx, world.cafe).items) == expected
    assert list_discrepancies(world.ctx, world.beans).total == 0


def test_receipt_without_lines_takes_everything_as_shipped_and_receives_the_order(
    world: World, order_line: PurchaseOrderLine, in_transit: ShipmentDetail
) -> None:
    got = receive(world.ctx, world.cafe, ReceiveShipment(in_transit.shipment.id))

    assert [(x.received_quantity, x.discrepancy) for x in got.lines] == [
        (Q("50.000"), Discrepancy.NONE),
        (Q("30.000"), Discrepancy.NONE),
    ]
    assert position(world, "CAFE-1", "BLEND") == (Q("80.000"), Q(0))
    status, version, line = order_state(world, order_line)
    assert (status, version, line.received_quantity) == (OrderStatus.RECEIVED, 5, Q("80.000"))
    assert list_discrepancies(world.ctx, world.roaster).total == 0


def test_over_delivery_is_accepted_and_reported_as_over(
    world: World, in_transit: ShipmentDetail
) -> None:
    lot1, _ = in_transit.lines
    got = receive(
        world.ctx,
        world.cafe,
        ReceiveShipment(in_transit.shipment.id, (ReceiveLine(lot1.id, Q(52)),)),
    )

    assert [x.discrepancy for x in got.lines] == [Discrepancy.OVER, Discrepancy.NONE]
    assert position(world, "CAFE-1", "BLEND") == (Q("82.000"), Q(0))


def test_second_receipt_is_refused_and_writes_nothing(
    world: World, in_transit: ShipmentDetail, store: InMemoryStore
) -> None:
    receive(world.ctx, world.cafe, ReceiveShipment(in_transit.shipment.id))
    before = flow_rows(store)

    with pytest.raises(AlreadyReceived) as refused:
        receive(world.ctx, world.cafe, ReceiveShipment(in_transit.shipment.id))

    assert (refused.value.code, refused.value.detail) == (
        "already_received",
        "shipment SHP-000001 has already been received",
    )
    assert flow_rows(store) == before


def test_unknown_or_foreign_shipment_is_unknown_and_the_shipper_cannot_receive(
    world: World, in_transit: ShipmentDetail, store: InMemoryStore
) -> None:
    before = flow_rows(store)

    with pytest.raises(UnknownShipment) as missing:
        receive(world.ctx, world.cafe, ReceiveShipment(999))
    with pytest.raises(UnknownShipment) as foreign:
        receive(world.ctx, world.beans, ReceiveShipment(in_transit.shipment.id))
    with pytest.raises(Forbidden):
        receive(world.ctx, world.roaster, ReceiveShipment(in_transit.shipment.id))

    assert missing.value.code == foreign.value.code == "unknown_shipment"
    assert foreign.value.detail == f"shipment {in_transit.shipment.id} is not known to you"
    assert flow_rows(store) == before


def test_invalid_receipt_lines_are_refused_and_write_nothing(
    world: World, in_transit: ShipmentDetail, store: InMemoryStore
) -> None:
    lot1, _ = in_transit.lines
    before = flow_rows(store)
    damaged_more = ReceiveShipment(in_transit.shipment.id, (ReceiveLine(lot1.id, Q(5), Q(6)),))
    twice = ReceiveShipment(
        in_transit.shipment.id, (ReceiveLine(lot1.id, Q(5)), ReceiveLine(lot1.id, Q(5)))
    )

    with pytest.raises(ValidationFailed) as too_damaged:
        receive(world.ctx, world.cafe, damaged_more)
    with pytest.raises(ValidationFailed) as repeated:
        receive(world.ctx, world.cafe, twice)

    assert too_damaged.value.violations == [
        Violation("lines[0]", "cannot exceed the received quantity", "damaged_quantity")
    ]
    assert repeated.value.violations == [Violation("lines[1]", "given twice", "shipment_line_id")]
    assert flow_rows(store) == before


# ---------------------------------------------------------------- visibility


def test_a_third_member_sees_nothing_of_the_shipment(
    world: World, in_transit: ShipmentDetail
) -> None:
    got = receive(world.ctx, world.cafe, ReceiveShipment(in_transit.shipment.id))

    with pytest.raises(NotFound):
        get_shipment(world.ctx, world.beans, in_transit.shipment.id)
    with pytest.raises(NotFound):
        get_receipt(world.ctx, world.beans, got.receipt.id)
    assert list_shipments(world.ctx, world.beans, ALL).total == 0
    assert epcis_document(world.ctx, world.beans)["epcisBody"]["eventList"] == []
    assert get_receipt(world.ctx, world.roaster, got.receipt.id) == got
    detail = get_shipment(world.ctx, world.cafe, in_transit.shipment.id)
    assert (detail.lines, detail.receipt, detail.receipt_lines) == (
        in_transit.lines,
        got.receipt,
        got.lines,
    )


def test_shipments_are_listed_by_role_and_status_newest_first(
    world: World, order_line: PurchaseOrderLine
) -> None:
    first = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("10", "")))
    second = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("10", "")))
    receive(world.ctx, world.cafe, ReceiveShipment(first.shipment.id))

    def numbers(who: Any, **filters: Any) -> list[str]:
        return [s.number for s in list_shipments(world.ctx, who, ALL, **filters).items]

    assert numbers(world.roaster) == [second.shipment.number, first.shipment.number]
    assert numbers(world.roaster, role=ShipmentRole.SHIPPER) == ["SHP-000002", "SHP-000001"]
    assert numbers(world.roaster, role=ShipmentRole.CONSIGNEE) == []
    assert numbers(world.cafe, role=ShipmentRole.CONSIGNEE, status=ShipmentStatus.IN_TRANSIT) == [
        "SHP-000002"
    ]
    assert numbers(world.cafe, status=ShipmentStatus.RECEIVED) == ["SHP-000001"]
    second_page = list_shipments(world.ctx, world.cafe, PageRequest(1, 1))
    assert ([s.number for s in second_page.items], second_page.total) == (["SHP-000001"], 2)


# ---------------------------------------------------------------- EPCIS


def test_shipping_and_receiving_are_recorded_as_epcis_events(
    world: World, order_line: PurchaseOrderLine, clock: FixedClock
) -> None:
    shipped = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("30", "L1")))
    clock.advance(timedelta(days=1, hours=2, milliseconds=250))
    (line,) = shipped.lines
    receive(
        world.ctx,
        world.cafe,
        ReceiveShipment(shipped.shipment.id, (ReceiveLine(line.id, Q("30"), Q("2.5")),)),
    )

    document = epcis_document(world.ctx, world.roaster)

    assert document == {
        "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-22T11:00:00.250Z",
        "epcisBody": {"eventList": EXPECTED_EVENTS},
    }
    assert epcis_document(world.ctx, world.cafe)["epcisBody"] == document["epcisBody"]


def test_epcis_events_are_filtered_by_step_type_time_and_shipment(
    world: World, order_line: PurchaseOrderLine, clock: FixedClock
) -> None:
    first = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("30", "L1")))
    clock.advance(timedelta(hours=1))
    second = ship(world.ctx, world.roaster, ship_lines(world, order_line, ("10", "")))
    receive(world.ctx, world.cafe, ReceiveShipment(first.shipment.id))

    def steps(**filters: Any) -> list[tuple[str, str]]:
        events = epcis_document(world.ctx, world.cafe, **filters)["epcisBody"]["eventList"]
        return [(e["type"], e["bizStep"]) for e in events]

    start = datetime(2026, 11, 21, 9, 30)  # naive: read as UTC
    assert steps(biz_step=BizStep.SHIPPING) == [("ObjectEvent", "shipping")] * 2
    assert steps(event_type=EventType.AGGREGATION, shipment_id=first.shipment.id) == [
        ("AggregationEvent", "packing"),
        ("AggregationEvent", "unpacking"),
    ]
    assert steps(since=start) == [
        ("AggregationEvent", "packing"),
        ("ObjectEvent", "shipping"),
        ("AggregationEvent", "unpacking"),
        ("ObjectEvent", "receiving"),
    ]
    assert steps(until=start, shipment_id=second.shipment.id) == []


SHIPMENT = "urn:tandem:coffee:shipment:SHP-000001"
BIZ = [
    {"type": "po", "bizTransaction": "urn:tandem:coffee:po:PO-000001"},
    {"type": "desadv", "bizTransaction": "urn:tandem:coffee:desadv:SHP-000001"},
]
RECADV = {"type": "recadv", "bizTransaction": "urn:tandem:coffee:recadv:GR-000001"}
ENDS = {
    "sourceList": [
        {"type": "owning_party", "source": "urn:tandem:coffee:member:ROAST"},
        {"type": "location", "source": "urn:tandem:coffee:site:PLANT"},
    ],
    "destinationList": [
        {"type": "owning_party", "destination": "urn:tandem:coffee:member:CAFE"},
        {"type": "location", "destination": "urn:tandem:coffee:site:CAFE-1"},
    ],
}
LOT = "urn:tandem:coffee:item:BLEND:lot:L1"
PLANT = {"id": "urn:tandem:coffee:site:PLANT"}
CAFE_1 = {"id": "urn:tandem:coffee:site:CAFE-1"}
SHIPPED_AT = {"eventTime": "2026-11-21T09:00:00.000Z", "eventTimeZoneOffset": "+00:00"}
RECEIVED_AT = {"eventTime": "2026-11-22T11:00:00.250Z", "eventTimeZoneOffset": "+00:00"}
EXPECTED_EVENTS = [
    {
        "type": "AggregationEvent",
        **SHIPPED_AT,
        "eventID": "urn:uuid:cd53964f-7284-5b3e-8d34-6c5d48929e6b",
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "parentID": SHIPMENT,
        "childQuantityList": [{"epcClass": LOT, "quantity": 30, "uom": "KGM"}],
        "readPoint": PLANT,
        "bizLocation": PLANT,
        "bizTransactionList": BIZ,
    },
    {
        "type": "ObjectEvent",
        **SHIPPED_AT,
        "eventID": "urn:uuid:edf8bfe7-2727-53df-8a4c-cfeecf1aeb5e",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "quantityList": [{"epcClass": LOT, "quantity": 30, "uom": "KGM"}],
        "readPoint": PLANT,
        "bizTransactionList": BIZ,
        **ENDS,
    },
    {
        "type": "AggregationEvent",
        **RECEIVED_AT,
        "eventID": "urn:uuid:212a2897-e68a-5209-b755-d80a15de9379",
        "action": "DELETE",
        "bizStep": "unpacking",
        "disposition": "in_progress",
        "parentID": SHIPMENT,
        "readPoint": CAFE_1,
        "bizLocation": CAFE_1,
        "bizTransactionList": [*BIZ, RECADV],
    },
    {
        "type": "ObjectEvent",
        **RECEIVED_AT,
        "eventID": "urn:uuid:38731ef4-9b36-5561-b56f-fb457990fb76",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "quantityList": [{"epcClass": LOT, "quantity": 27.5, "uom": "KGM"}],
        "readPoint": CAFE_1,
        "bizLocation": CAFE_1,
        "bizTransactionList": [*BIZ, RECADV],
        **ENDS,
    },
    {
        "type": "ObjectEvent",
        **RECEIVED_AT,
        "eventID": "urn:uuid:d1a79afa-44ab-5fa7-be18-2e9664e04789",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "damaged",
        "quantityList": [{"epcClass": LOT, "quantity": 2.5, "uom": "KGM"}],
        "readPoint": CAFE_1,
        "bizLocation": CAFE_1,
        "bizTransactionList": [*BIZ, RECADV],
        **ENDS,
    },
]
