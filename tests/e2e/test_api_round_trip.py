"""The round trip of docs/flows.md over HTTP, on SQLite and PostgreSQL: procure-to-pay between
CAFE (buyer) and ROAST (seller), then order-to-cash from CAFE to its customer.

What is refused on the way is refused with its problem code and changes nothing; every document
POST retried with the same ``Idempotency-Key`` has exactly one effect; BEANS, a third member,
gets 404 for every document of the two and sees none of them in a list.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from tests.support import PASSWORD

from tandem.services import identity

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

EMAILS = {"ROAST": "roaster@example.com", "CAFE": "cafe@example.com", "BEANS": "beans@example.com"}

API = "/api/v1"
ORDERS = f"{API}/purchase-orders"
SHIPMENTS = f"{API}/shipments"
RECEIPTS = f"{API}/receipts"
INVOICES = f"{API}/invoices"
PAYMENTS = f"{API}/payments"
REASON = "line 1: invoiced 80.000 > received 76.000 (+0%)"
PERIOD = {"since": "2026-11-01", "until": "2026-12-01"}


def problem(response: httpx.Response) -> tuple[int, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.status_code, response.json()["code"]


def once(api: ApiWorld, who: str, path: str, body: Any, key: str) -> dict[str, Any]:
    """POST ``body`` twice with one ``Idempotency-Key``: 201, then the same response replayed."""
    first = api.post(who, path, body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    retry = api.post(who, path, body, **{"Idempotency-Key": key})
    assert retry.status_code == 201, retry.text
    assert (retry.content, retry.headers["location"]) == (first.content, first.headers["location"])
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    found: dict[str, Any] = first.json()
    assert first.headers["location"].endswith(f"/{found['id']}")
    return found


def next_day(api: ApiWorld, days: int = 1) -> None:
    """Move the clock on; sessions last hours, so every member signs in again."""
    api.clock.advance(timedelta(days=days))
    for code, email in EMAILS.items():
        api.tokens[code] = identity.login(api.container.services, email, PASSWORD).token


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def position(api: ApiWorld, who: str, site: str) -> tuple[str, str, str]:
    """On hand, allocated and in transit of BLEND at ``site``."""
    (row,) = api.rows(who, f"{API}/inventory/positions", site_id=api.sites[site])
    assert row["item_id"] == api.items["BLEND"]
    return row["on_hand"], row["allocated"], row["in_transit"]


def accounts(api: ApiWorld, who: str) -> dict[str, tuple[int, int]]:
    trial = ok(api.get(who, f"{API}/finance/trial-balance"))
    assert trial["debit_minor"] == trial["credit_minor"]
    return {a["account"]: (a["debit_minor"], a["credit_minor"]) for a in trial["accounts"]}


def steps(api: ApiWorld, who: str, **params: Any) -> list[tuple[str, str, str]]:
    response = api.get(who, f"{API}/epcis/events", **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    events = response.json()["epcisBody"]["eventList"]
    return [(e["type"], e["bizStep"], e["disposition"]) for e in events]


def test_order_to_cash_and_procure_to_pay_over_http(api_world: ApiWorld) -> None:
    api = api_world
    roast, cafe = api.members["ROAST"], api.members["CAFE"]
    plant, cafe_1, blend = api.sites["PLANT"], api.sites["CAFE-1"], api.items["BLEND"]

    # ---- ROAST has 200 kg at PLANT
    movement = {"site_id": plant, "item_id": blend, "kind": "receipt", "quantity": "200"}
    stocked = api.post("ROAST", f"{API}/inventory/movements", movement)
    assert stocked.status_code == 201, stocked.text
    assert position(api, "ROAST", "PLANT") == ("200.000", "0.000", "0.000")

    # ---- CAFE orders 100 kg at 12.50 for CAFE-1 (retried: one order) and submits
    line_in = {
        "item_id": blend,
        "quantity": "100",
        "unit_price_minor": 1250,
        "requested_date": "2026-11-25",
    }
    body = {"seller_member_id": roast, "ship_to_site_id": cafe_1, "lines": [line_in]}
    order = once(api, "CAFE", ORDERS, body, "po-1")
    order_id, line_id = order["id"], order["lines"][0]["id"]
    path = f"{ORDERS}/{order_id}"
    assert (order["number"], order["status"], order["version"]) == (
        f"PO-{order_id:06d}",
        "draft",
        1,
    )
    assert [o["id"] for o in api.rows("CAFE", ORDERS)] == [order_id]
    submitted = api.client.post(f"{path}/submit", headers={**api.auth("CAFE"), "If-Match": '"1"'})
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert submitted.headers["etag"] == '"2"'
    inbox = ok(api.get("ROAST", f"{ORDERS}/inbox"))
    assert [(a["order"]["id"], a["action"]) for a in inbox] == [(order_id, "acknowledge")]

    # ---- ROAST confirms 80 for the 24th, shipping from PLANT
    acknowledgement = {
        "lines": [{"line_no": 1, "confirmed_quantity": "80", "confirmed_date": "2026-11-24"}],
        "ship_from_site_id": plant,
    }
    acknowledged = ok(api.post("ROAST", f"{path}/acknowledge", acknowledgement))
    assert (acknowledged["status"], acknowledged["version"]) == ("acknowledged", 3)
    assert acknowledged["lines"][0]["confirmed_quantity"] == "80.000"

    # ---- ROAST ships 50 (retried: one shipment), is refused 31 of the 30 open, ships 30
    next_day(api)
    ship_50 = {"order_id": order_id, "lines": [{"order_line_id": line_id, "quantity": "50"}]}
    first = once(api, "ROAST", SHIPMENTS, ship_50, "asn-1")
    assert (first["status"], first["expected_arrival"], first["shipped_at"]) == (
        "in_transit",
        "2026-11-23",
        "2026-11-22T09:00:00Z",
    )
    assert position(api, "ROAST", "PLANT") == ("150.000", "0.000", "0.000")
    assert position(api, "CAFE", "CAFE-1") == ("0.000", "0.000", "50.000")
    next_day(api)
    ship_31 = {"order_id": order_id, "lines": [{"order_line_id": line_id, "quantity": "31"}]}
    over = api.post("ROAST", SHIPMENTS, ship_31)
    assert problem(over) == (409, "over_shipment")
    assert over.json()["errors"][0]["message"] == "31.000 to ship, only 30.000 open"
    ship_30 = {"order_id": order_id, "lines": [{"order_line_id": line_id, "quantity": "30"}]}
    second = once(api, "ROAST", SHIPMENTS, ship_30, "asn-2")
    assert [s["id"] for s in api.rows("CAFE", SHIPMENTS)] == [second["id"], first["id"]]
    assert ok(api.get("CAFE", path))["status"] == "shipped"
    assert position(api, "ROAST", "PLANT") == ("120.000", "0.000", "0.000")
    assert position(api, "CAFE", "CAFE-1") == ("0.000", "0.000", "80.000")

    # ---- CAFE: no such shipment; the first in full (retried: one receipt); the second short
    unknown = api.post("CAFE", RECEIPTS, {"shipment_id": 999_999})
    assert problem(unknown) == (422, "unknown_shipment")
    receipt_1 = once(api, "CAFE", RECEIPTS, {"shipment_id": first["id"]}, "gr-1")
    assert [(x["received_quantity"], x["discrepancy"]) for x in receipt_1["lines"]] == [
        ("50.000", "none")
    ]
    assert position(api, "CAFE", "CAFE-1") == ("50.000", "0.000", "30.000")
    again = api.post("CAFE", RECEIPTS, {"shipment_id": first["id"]})
    assert problem(again) == (409, "already_received")
    next_day(api)
    short = {
        "shipment_id": second["id"],
        "lines": [
            {
                "shipment_line_id": second["lines"][0]["id"],
                "received_quantity": "28",
                "damaged_quantity": "2",
            }
        ],
    }
    receipt_2 = once(api, "CAFE", RECEIPTS, short, "gr-2")
    assert [
        (x["received_quantity"], x["damaged_quantity"], x["accepted_quantity"], x["discrepancy"])
        for x in receipt_2["lines"]
    ] == [("28.000", "2.000", "26.000", "short")]
    assert position(api, "CAFE", "CAFE-1") == ("76.000", "0.000", "0.000")
    for who in ("ROAST", "CAFE"):
        (row,) = api.rows(who, f"{SHIPMENTS}/discrepancies")
        assert (row["receipt_id"], row["shipped_quantity"], row["kind"]) == (
            receipt_2["id"],
            "30.000",
            "short",
        )
        assert (row["received_quantity"], row["damaged_quantity"]) == ("28.000", "2.000")

    # ---- ROAST invoices the 80 shipped (retried: one invoice); the match blocks it
    invoice_body = {"order_id": order_id, "lines": [{"order_line_id": line_id, "quantity": "80"}]}
    invoice = once(api, "ROAST", INVOICES, invoice_body, "inv-1")
    invoice_path = f"{INVOICES}/{invoice['id']}"
    assert (invoice["total_minor"], invoice["status"], invoice["match_status"]) == (
        100000,
        "open",
        "blocked",
    )
    assert (invoice["match_reason"], invoice["due_date"]) == (REASON, "2026-12-24")
    assert [i["id"] for i in api.rows("CAFE", INVOICES)] == [invoice["id"]]
    more = {"order_id": order_id, "lines": [{"order_line_id": line_id, "quantity": "1"}]}
    assert problem(api.post("ROAST", INVOICES, more)) == (409, "invoice_exceeds_shipped")
    blocked = api.post("CAFE", PAYMENTS, {"invoice_id": invoice["id"], "amount_minor": 100})
    assert problem(blocked) == (409, "invoice_blocked")

    # ---- ROAST credits the 4 kg; CAFE releases, overpays (refused), pays 45000 + 50000
    credited = api.post(
        "ROAST", f"{invoice_path}/credit-notes", {"amount_minor": 5000, "reason": "4 kg short"}
    )
    assert credited.status_code == 201, credited.text
    released = ok(api.post("CAFE", f"{invoice_path}/release", {"note": "credited"}))
    assert (released["match_status"], released["open_minor"]) == ("released", 95000)
    assert released["match_reason"] == f"{REASON} | released: credited"
    too_much = api.post("CAFE", PAYMENTS, {"invoice_id": invoice["id"], "amount_minor": 95001})
    assert problem(too_much) == (409, "payment_exceeds_open_amount")
    payment_1 = once(
        api, "CAFE", PAYMENTS, {"invoice_id": invoice["id"], "amount_minor": 45000}, "pay-1"
    )
    partly = ok(api.get("ROAST", invoice_path))
    assert (partly["status"], partly["paid_minor"], partly["open_minor"]) == (
        "partially_paid",
        45000,
        50000,
    )
    payment_2 = once(
        api, "CAFE", PAYMENTS, {"invoice_id": invoice["id"], "amount_minor": 50000}, "pay-2"
    )
    paid = ok(api.get("CAFE", invoice_path))
    assert (paid["status"], paid["paid_minor"], paid["credited_minor"], paid["open_minor"]) == (
        "paid",
        95000,
        5000,
        0,
    )
    assert [p["amount_minor"] for p in paid["payments"]] == [45000, 50000]
    assert paid == ok(api.get("ROAST", invoice_path))
    assert [p["id"] for p in api.rows("ROAST", PAYMENTS)] == [payment_1["id"], payment_2["id"]]

    # ---- CAFE closes the order
    closed = ok(api.post("CAFE", f"{path}/close"))
    assert (closed["status"], closed["version"]) == ("closed", 9)

    # ---- CAFE sells 10 kg from CAFE-1
    customer = api.post("CAFE", f"{API}/customers", {"code": "OFFICE", "name": "Office"})
    assert customer.status_code == 201, customer.text
    sale_body = {
        "customer_id": customer.json()["id"],
        "ship_from_site_id": cafe_1,
        "lines": [
            {
                "item_id": blend,
                "quantity": "10",
                "requested_date": "2026-11-25",
                "unit_price_minor": 2400,
            }
        ],
    }
    sale = once(api, "CAFE", f"{API}/customer-orders", sale_body, "co-1")
    sale_path = f"{API}/customer-orders/{sale['id']}"
    assert (sale["status"], sale["total_minor"]) == ("open", 24000)
    promised = ok(api.post("CAFE", f"{sale_path}/promise"))
    assert promised["status"] == "promised"
    assert [(p["quantity"], p["source"]) for p in promised["lines"][0]["promises"]] == [
        ("10.000", "on_hand")
    ]
    assert position(api, "CAFE", "CAFE-1") == ("76.000", "10.000", "0.000")
    sold = ok(api.post("CAFE", f"{sale_path}/ship"))
    assert (sold["status"], sold["lines"][0]["shipped_quantity"]) == ("shipped", "10.000")

    # ---- where everything ends
    assert position(api, "ROAST", "PLANT") == ("120.000", "0.000", "0.000")
    assert position(api, "CAFE", "CAFE-1") == ("66.000", "0.000", "0.000")
    for who in ("ROAST", "CAFE"):
        check = ok(api.get(who, f"{API}/inventory/ledger-check"))
        assert (check["balanced"], check["mismatches"]) == (True, [])
    history = ok(api.get("CAFE", f"{path}/history"))
    assert history == ok(api.get("ROAST", f"{path}/history"))
    assert [(e["version"], e["kind"]) for e in history] == [
        (1, "created"),
        (2, "submitted"),
        (3, "acknowledged"),
        (4, "shipped"),
        (5, "shipped"),
        (6, "received"),
        (7, "received"),
        (8, "invoiced"),
        (9, "closed"),
    ]
    shipping = [
        ("AggregationEvent", "packing", "in_progress"),
        ("ObjectEvent", "shipping", "in_transit"),
    ]
    receiving = [
        ("AggregationEvent", "unpacking", "in_progress"),
        ("ObjectEvent", "receiving", "in_progress"),
    ]
    damaged = ("ObjectEvent", "receiving", "damaged")
    for who in ("ROAST", "CAFE"):
        assert steps(api, who) == [*shipping, *shipping, *receiving, *receiving, damaged]
    assert accounts(api, "ROAST") == {
        "cash": (95000, 0),
        "receivables": (100000, 100000),
        "payables": (0, 0),
        "revenue": (5000, 100000),
        "purchases": (0, 0),
    }
    assert accounts(api, "CAFE") == {
        "cash": (0, 95000),
        "receivables": (0, 0),
        "payables": (100000, 100000),
        "revenue": (0, 0),
        "purchases": (100000, 5000),
    }
    for who in ("ROAST", "CAFE"):
        for side in ("receivable", "payable"):
            report = ok(api.get(who, f"{API}/finance/ageing", side=side))
            assert (report["rows"], report["totals"]["total"]) == ([], 0)
    next_day(api, 2)
    card = ok(api.get("CAFE", f"{API}/performance/supplier-scorecards/{roast}", **PERIOD))
    assert (card["delivery"]["fill_rate"], card["delivery"]["otif_rate"]) == (0.76, 0.0)
    assert card["receiving"]["discrepancy_rate"] == 0.5
    assert card["invoicing"]["match_rate"] == 0.0

    # ---- BEANS: 404 on every document, nothing in its lists
    documents = [
        path,
        f"{path}/history",
        f"{path}/change-requests",
        f"{SHIPMENTS}/{first['id']}",
        f"{SHIPMENTS}/{second['id']}",
        f"{RECEIPTS}/{receipt_1['id']}",
        f"{RECEIPTS}/{receipt_2['id']}",
        invoice_path,
        f"{PAYMENTS}/{payment_1['id']}",
        f"{PAYMENTS}/{payment_2['id']}",
        sale_path,
        f"{API}/customers/{customer.json()['id']}",
    ]
    for document in documents:
        assert problem(api.get("BEANS", document)) == (404, "not_found"), document
    scorecard = f"{API}/performance/supplier-scorecards/{roast}"
    assert problem(api.get("BEANS", scorecard, buyer_member_id=cafe, **PERIOD)) == (
        404,
        "not_found",
    )
    for listing in (
        ORDERS,
        SHIPMENTS,
        f"{SHIPMENTS}/discrepancies",
        INVOICES,
        PAYMENTS,
        f"{API}/customer-orders",
        f"{API}/customers",
    ):
        assert api.rows("BEANS", listing) == [], listing
    assert ok(api.get("BEANS", f"{ORDERS}/inbox")) == []
    assert steps(api, "BEANS") == []
    assert steps(api, "BEANS", shipment_id=first["id"]) == []
    assert all(pair == (0, 0) for pair in accounts(api, "BEANS").values())
    stranger_pays = api.post("BEANS", PAYMENTS, {"invoice_id": invoice["id"], "amount_minor": 1})
    assert problem(stranger_pays) == (404, "not_found")
    stranger_ships = api.post("BEANS", SHIPMENTS, ship_30)
    assert problem(stranger_ships) == (404, "not_found")
    stranger_receives = api.post("BEANS", RECEIPTS, {"shipment_id": first["id"]})
    assert problem(stranger_receives) == (422, "unknown_shipment")
    assert problem(api.post("BEANS", f"{path}/close")) == (404, "not_found")
