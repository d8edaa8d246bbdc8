"""Shipments, receipts and EPCIS events over HTTP, on SQLite and PostgreSQL.

CAFE ordered 100 kg of BLEND from ROAST (confirmed 80 kg) for CAFE-1; ROAST holds 200 kg at
PLANT. The order is written straight into storage: this file tests shipping, not ordering.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tandem.domain.inventory import MovementKind
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.services import identity, inventory

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

SHIPMENTS = "/api/v1/shipments"
RECEIPTS = "/api/v1/receipts"
EPCIS = "/api/v1/epcis/events"
NOW = "2026-11-21T09:00:00Z"


@pytest.fixture
def order(api_world: ApiWorld) -> dict[str, int]:
    """The acknowledged order and its line, with the roaster's stock at PLANT."""
    services = api_world.container.services
    with services.uow() as uow:
        network_id = uow.members.get(api_world.members["CAFE"]).network_id  # type: ignore[union-attr]
        po = uow.purchase_orders.add(
            PurchaseOrder(
                0,
                network_id,
                "PO-000001",
                api_world.members["CAFE"],
                api_world.members["ROAST"],
                api_world.sites["CAFE-1"],
                OrderStatus.ACKNOWLEDGED,
                3,
                api_world.clock.now(),
                ship_from_site_id=api_world.sites["PLANT"],
            )
        )
        line = uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0,
                po.id,
                1,
                api_world.items["BLEND"],
                Decimal(100),
                1250,
                date(2026, 11, 25),
                Decimal(80),
            )
        )
        uow.commit()
    roaster = identity.authenticate_token(services, api_world.tokens["ROAST"])
    stock = inventory.RecordMovement(
        api_world.sites["PLANT"], api_world.items["BLEND"], MovementKind.RECEIPT, Decimal(200)
    )
    inventory.record_movement(services, roaster, stock)
    return {"order_id": po.id, "line_id": line.id}


def shipment_body(order: dict[str, int], *lines: tuple[str, str]) -> dict[str, Any]:
    return {
        "order_id": order["order_id"],
        "lines": [
            {"order_line_id": order["line_id"], "quantity": q, "lot": lot} for q, lot in lines
        ],
        "carrier": "Van & Co",
        "tracking_reference": "TR-1",
    }


def plant_on_hand(api: ApiWorld) -> Decimal:
    with api.container.services.uow() as uow:
        (found,) = uow.stock_positions.find(site_id=api.sites["PLANT"], item_id=api.items["BLEND"])
    return found.on_hand


def test_ship_and_receive_round_trip(api_world: ApiWorld, order: dict[str, int]) -> None:
    shipped = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("50", "L1"), ("30", "L2")))

    assert shipped.status_code == 201, shipped.text
    shipment = shipped.json()
    sid = shipment["id"]
    assert shipped.headers["location"] == f"{SHIPMENTS}/{sid}"
    l1, l2 = (line["id"] for line in shipment["lines"])
    blend = api_world.items["BLEND"]
    assert shipment == {
        "id": sid,
        "network_id": shipment["network_id"],
        "number": f"SHP-{sid:06d}",
        "order_id": order["order_id"],
        "shipper_member_id": api_world.members["ROAST"],
        "consignee_member_id": api_world.members["CAFE"],
        "from_site_id": api_world.sites["PLANT"],
        "to_site_id": api_world.sites["CAFE-1"],
        "status": "in_transit",
        "shipped_at": NOW,
        "expected_arrival": "2026-11-22",
        "carrier": "Van & Co",
        "tracking_reference": "TR-1",
        "lines": [
            {
                "id": l1,
                "order_line_id": order["line_id"],
                "item_id": blend,
                "quantity": "50.000",
                "lot": "L1",
            },
            {
                "id": l2,
                "order_line_id": order["line_id"],
                "item_id": blend,
                "quantity": "30.000",
                "lot": "L2",
            },
        ],
        "receipt": None,
    }
    assert api_world.get("CAFE", f"{SHIPMENTS}/{sid}").json() == shipment

    received = api_world.post(
        "CAFE",
        RECEIPTS,
        {
            "shipment_id": sid,
            "lines": [
                {"shipment_line_id": l1, "received_quantity": 48},
                {"shipment_line_id": l2, "received_quantity": "30", "damaged_quantity": "5"},
            ],
            "note": "wet bags",
        },
    )

    assert received.status_code == 201, received.text
    receipt = received.json()
    rid = receipt["id"]
    assert received.headers["location"] == f"{RECEIPTS}/{rid}"
    line_ids = [line["id"] for line in receipt["lines"]]
    assert receipt == {
        "id": rid,
        "network_id": shipment["network_id"],
        "number": f"GR-{rid:06d}",
        "shipment_id": sid,
        "consignee_member_id": api_world.members["CAFE"],
        "received_at": NOW,
        "note": "wet bags",
        "received_by_user_id": receipt["received_by_user_id"],
        "lines": [
            {
                "id": line_ids[0],
                "shipment_line_id": l1,
                "item_id": blend,
                "received_quantity": "48.000",
                "damaged_quantity": "0.000",
                "accepted_quantity": "48.000",
                "discrepancy": "short",
            },
            {
                "id": line_ids[1],
                "shipment_line_id": l2,
                "item_id": blend,
                "received_quantity": "30.000",
                "damaged_quantity": "5.000",
                "accepted_quantity": "25.000",
                "discrepancy": "damaged",
            },
        ],
    }
    assert isinstance(receipt["received_by_user_id"], int)
    assert api_world.get("ROAST", f"{RECEIPTS}/{rid}").json() == receipt
    after = api_world.get("ROAST", f"{SHIPMENTS}/{sid}").json()
    assert (after["status"], after["receipt"]) == ("received", receipt)
    assert api_world.rows("ROAST", f"{SHIPMENTS}/discrepancies") == [
        {
            "shipment_id": sid,
            "shipment_number": shipment["number"],
            "receipt_id": rid,
            "receipt_number": receipt["number"],
            "shipment_line_id": l1,
            "order_line_id": order["line_id"],
            "item_id": blend,
            "lot": "L1",
            "shipped_quantity": "50.000",
            "received_quantity": "48.000",
            "damaged_quantity": "0.000",
            "kind": "short",
        },
        {
            "shipment_id": sid,
            "shipment_number": shipment["number"],
            "receipt_id": rid,
            "receipt_number": receipt["number"],
            "shipment_line_id": l2,
            "order_line_id": order["line_id"],
            "item_id": blend,
            "lot": "L2",
            "shipped_quantity": "30.000",
            "received_quantity": "30.000",
            "damaged_quantity": "5.000",
            "kind": "damaged",
        },
    ]


def test_epcis_events_are_served_as_json_ld_to_the_parties_only(
    api_world: ApiWorld, order: dict[str, int]
) -> None:
    sid = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("30", "L1"))).json()["id"]
    api_world.post("CAFE", RECEIPTS, {"shipment_id": sid})

    response = api_world.get("CAFE", EPCIS, shipment_id=sid)
    receiving = api_world.get("ROAST", EPCIS, bizStep="receiving", eventType="ObjectEvent")
    later = api_world.get("ROAST", EPCIS, GE_eventTime="2026-11-21T09:00:00.001Z")
    stranger = api_world.get("BEANS", EPCIS)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    document = response.json()
    assert (document["@context"], document["type"], document["schemaVersion"]) == (
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "EPCISDocument",
        "2.0",
    )
    events = document["epcisBody"]["eventList"]
    assert [(e["type"], e["bizStep"], e["disposition"]) for e in events] == [
        ("AggregationEvent", "packing", "in_progress"),
        ("ObjectEvent", "shipping", "in_transit"),
        ("AggregationEvent", "unpacking", "in_progress"),
        ("ObjectEvent", "receiving", "in_progress"),
    ]
    number = f"SHP-{sid:06d}"
    assert events[3]["quantityList"] == [
        {"epcClass": "urn:tandem:coffee:item:BLEND:lot:L1", "quantity": 30, "uom": "KGM"}
    ]
    assert events[3]["bizTransactionList"][1] == {
        "type": "desadv",
        "bizTransaction": f"urn:tandem:coffee:desadv:{number}",
    }
    assert receiving.json()["epcisBody"]["eventList"] == [events[3]]
    assert later.json()["epcisBody"]["eventList"] == []
    assert stranger.json()["epcisBody"]["eventList"] == []
    bad = api_world.get("CAFE", EPCIS, bizStep="teleporting")
    assert (bad.status_code, bad.json()["code"]) == (422, "request_validation")


def test_problems_have_stable_codes_and_refused_requests_write_nothing(
    api_world: ApiWorld, order: dict[str, int]
) -> None:
    over = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("81", "")))
    by_buyer = api_world.post("CAFE", SHIPMENTS, shipment_body(order, ("1", "")))
    by_stranger = api_world.post("BEANS", SHIPMENTS, shipment_body(order, ("1", "")))
    zero = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("0", "")))
    unknown = api_world.post("CAFE", RECEIPTS, {"shipment_id": 999_999})

    assert (over.status_code, over.json()["code"]) == (409, "over_shipment")
    assert over.headers["content-type"] == "application/problem+json"
    assert over.json()["errors"] == [
        {
            "location": "order line 1",
            "field": "quantity",
            "message": "81.000 to ship, only 80.000 open",
        }
    ]
    assert (by_buyer.status_code, by_buyer.json()["code"]) == (403, "forbidden")
    assert (by_stranger.status_code, by_stranger.json()["code"]) == (404, "not_found")
    assert (zero.status_code, zero.json()["code"]) == (422, "request_validation")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_shipment")
    assert api_world.get("ROAST", SHIPMENTS).json()["total"] == 0
    assert plant_on_hand(api_world) == Decimal(200)

    sid = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("80", ""))).json()["id"]
    foreign = api_world.post("BEANS", RECEIPTS, {"shipment_id": sid})
    first = api_world.post("CAFE", RECEIPTS, {"shipment_id": sid})
    second = api_world.post("CAFE", RECEIPTS, {"shipment_id": sid})
    hidden = api_world.get("BEANS", f"{SHIPMENTS}/{sid}")

    assert (foreign.status_code, foreign.json()["code"]) == (422, "unknown_shipment")
    assert first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (409, "already_received")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")


def test_retried_shipment_with_the_same_key_ships_once(
    api_world: ApiWorld, order: dict[str, int]
) -> None:
    body = shipment_body(order, ("30", "L1"))

    first = api_world.post("ROAST", SHIPMENTS, body, **{"Idempotency-Key": "asn-1"})
    retry = api_world.post("ROAST", SHIPMENTS, body, **{"Idempotency-Key": "asn-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert [s["number"] for s in api_world.rows("ROAST", SHIPMENTS)] == [first.json()["number"]]
    assert plant_on_hand(api_world) == Decimal(170)


def test_shipments_are_listed_by_role_and_status(
    api_world: ApiWorld, order: dict[str, int]
) -> None:
    first = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("10", ""))).json()
    second = api_world.post("ROAST", SHIPMENTS, shipment_body(order, ("10", ""))).json()
    api_world.post("CAFE", RECEIPTS, {"shipment_id": first["id"]})

    def numbers(who: str, **params: Any) -> list[str]:
        return [s["number"] for s in api_world.rows(who, SHIPMENTS, **params)]

    assert numbers("ROAST") == [second["number"], first["number"]]
    assert numbers("ROAST", role="consignee") == []
    assert numbers("CAFE", role="consignee", status="in_transit") == [second["number"]]
    assert numbers("CAFE", status="received") == [first["number"]]
    assert numbers("BEANS") == []
