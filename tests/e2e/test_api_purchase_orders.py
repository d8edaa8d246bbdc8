"""Purchase orders, blanket agreements and trade terms over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

ORDERS = "/api/v1/purchase-orders"


def order_body(api: ApiWorld, quantity: Any = "10.5") -> dict[str, Any]:
    return {
        "seller_member_id": api.members["ROAST"],
        "ship_to_site_id": api.sites["CAFE-1"],
        "buyer_reference": "REQ-7",
        "lines": [
            {
                "item_id": api.items["BLEND"],
                "quantity": quantity,
                "unit_price_minor": 1200,
                "requested_date": "2026-12-01",
            },
            {
                "item_id": api.items["BLEND"],
                "quantity": 2,
                "unit_price_minor": 1150,
                "requested_date": "2026-12-03",
            },
        ],
    }


def create(api: ApiWorld) -> dict[str, Any]:
    response = api.post("CAFE", ORDERS, order_body(api))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def acknowledged(api: ApiWorld) -> dict[str, Any]:
    order = create(api)
    assert api.post("CAFE", f"{ORDERS}/{order['id']}/submit").status_code == 200
    response = api.post("ROAST", f"{ORDERS}/{order['id']}/acknowledge", {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def line_out(api: ApiWorld, line_no: int, quantity: str, price: int, day: str) -> dict[str, Any]:
    return {
        "line_no": line_no,
        "item_id": api.items["BLEND"],
        "quantity": quantity,
        "unit_price_minor": price,
        "requested_date": day,
        "confirmed_quantity": None,
        "confirmed_date": None,
        "shipped_quantity": "0.000",
        "received_quantity": "0.000",
        "invoiced_quantity": "0.000",
        "cancelled": False,
    }


def test_order_is_created_submitted_and_acknowledged_with_exact_json(api_world: ApiWorld) -> None:
    api = api_world
    response = api.post("CAFE", ORDERS, order_body(api))
    order = response.json()
    path = f"{ORDERS}/{order['id']}"
    lines = [
        line_out(api, 1, "10.500", 1200, "2026-12-01"),
        line_out(api, 2, "2.000", 1150, "2026-12-03"),
    ]

    assert (response.status_code, response.headers["location"]) == (201, path)
    assert order == {
        "id": order["id"],
        "network_id": order["network_id"],
        "number": f"PO-{order['id']:06d}",
        "buyer_member_id": api.members["CAFE"],
        "seller_member_id": api.members["ROAST"],
        "ship_to_site_id": api.sites["CAFE-1"],
        "ship_from_site_id": None,
        "status": "draft",
        "version": 1,
        "created_at": "2026-11-21T09:00:00Z",
        "payment_terms_days": 30,
        "agreement_id": None,
        "buyer_reference": "REQ-7",
        "created_by_user_id": order["created_by_user_id"],
        "lines": [{**x, "id": y["id"]} for x, y in zip(lines, order["lines"], strict=True)],
        "pending_change": None,
    }

    submitted = api.post("CAFE", f"{path}/submit", **{"If-Match": '"1"'})
    ack = {
        "lines": [{"line_no": 1, "confirmed_quantity": 8, "confirmed_date": "2026-12-04"}],
        "ship_from_site_id": api.sites["PLANT"],
    }
    acknowledged = api.post("ROAST", f"{path}/acknowledge", ack, **{"If-Match": "2"})
    seen_by_buyer = api.get("CAFE", path)

    assert (submitted.json()["status"], submitted.headers["etag"]) == ("submitted", '"2"')
    body = acknowledged.json()
    assert (body["status"], body["version"], body["ship_from_site_id"]) == (
        "acknowledged",
        3,
        api.sites["PLANT"],
    )
    assert [(x["confirmed_quantity"], x["confirmed_date"]) for x in body["lines"]] == [
        ("8.000", "2026-12-04"),
        ("2.000", "2026-12-03"),
    ]
    assert seen_by_buyer.json() == body
    history = api.get("ROAST", f"{path}/history").json()
    assert [(e["version"], e["kind"]) for e in history] == [
        (1, "created"),
        (2, "submitted"),
        (3, "acknowledged"),
    ]
    assert history[2]["detail"]["lines"][0] == {
        "line_no": 1,
        "confirmed_quantity": [None, "8.000"],
        "confirmed_date": [None, "2026-12-04"],
    }


def test_cancelling_an_acknowledged_order_is_an_invalid_transition(api_world: ApiWorld) -> None:
    order = acknowledged(api_world)

    response = api_world.post("CAFE", f"{ORDERS}/{order['id']}/cancel")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["detail"]) == (
        "invalid_state_transition",
        "cannot cancel a purchase order that is acknowledged",
    )


def test_a_stale_if_match_is_refused(api_world: ApiWorld) -> None:
    order = create(api_world)

    response = api_world.post("CAFE", f"{ORDERS}/{order['id']}/submit", **{"If-Match": '"7"'})

    assert (response.status_code, response.json()["code"]) == (412, "stale_version")
    assert api_world.get("CAFE", f"{ORDERS}/{order['id']}").json()["status"] == "draft"


def test_a_third_member_gets_not_found_for_reads_and_writes(api_world: ApiWorld) -> None:
    path = f"{ORDERS}/{acknowledged(api_world)['id']}"
    missing = f"{ORDERS}/999999"

    responses = [
        api_world.get("BEANS", path),
        api_world.get("BEANS", f"{path}/history"),
        api_world.post("BEANS", f"{path}/close"),
        api_world.post("BEANS", f"{path}/change-requests", {"kind": "cancel"}),
        api_world.get("BEANS", missing),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "not_found")] * 5
    assert responses[0].json()["detail"] == responses[-1].json()["detail"].replace(
        "999999", path.rsplit("/", 1)[1]
    )
    assert api_world.get("BEANS", ORDERS).json()["total"] == 0


def test_retried_create_with_the_same_idempotency_key_makes_one_order(
    api_world: ApiWorld,
) -> None:
    first = api_world.post("CAFE", ORDERS, order_body(api_world), **{"Idempotency-Key": "po-1"})
    retry = api_world.post("CAFE", ORDERS, order_body(api_world), **{"Idempotency-Key": "po-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert [o["id"] for o in api_world.rows("CAFE", ORDERS)] == [first.json()["id"]]


def test_change_request_is_decided_by_the_other_party_and_shows_in_its_inbox(
    api_world: ApiWorld,
) -> None:
    order = acknowledged(api_world)
    path = f"{ORDERS}/{order['id']}"
    change = {"kind": "change", "lines": [{"line_no": 1, "quantity": "9.25"}], "reason": "less"}

    requested = api_world.post("CAFE", f"{path}/change-requests", change)
    change_id = requested.json()["change_request"]["id"]
    inbox = api_world.get("ROAST", f"{ORDERS}/inbox").json()
    pending = api_world.get("CAFE", requested.headers["location"]).json()
    accepted = api_world.post("ROAST", f"{path}/change-requests/{change_id}/accept", {"note": "ok"})

    assert requested.status_code == 201
    assert requested.headers["location"] == f"{path}/change-requests/{change_id}"
    assert (pending["status"], pending["requested_by_member_id"]) == (
        "pending",
        api_world.members["CAFE"],
    )
    assert [(a["order"]["id"], a["action"], a["change_request_id"]) for a in inbox] == [
        (order["id"], "decide_change", change_id)
    ]
    body = accepted.json()
    assert (body["change_request"]["status"], body["order"]["version"]) == ("accepted", 5)
    assert body["order"]["lines"][0]["quantity"] == "9.250"
    assert body["order"]["lines"][0]["confirmed_quantity"] == "9.250"
    assert api_world.get("ROAST", f"{ORDERS}/inbox").json() == []


def test_buyer_agrees_a_blanket_quantity_and_either_party_sets_trade_terms(
    api_world: ApiWorld,
) -> None:
    api = api_world
    agreement = {
        "seller_member_id": api.members["ROAST"],
        "item_id": api.items["BLEND"],
        "unit_price_minor": 1200,
        "total_quantity": "100",
        "valid_from": "2026-12-01",
        "valid_to": "2026-12-31",
    }
    terms = {
        "buyer_member_id": api.members["CAFE"],
        "seller_member_id": api.members["ROAST"],
        "payment_terms_days": 60,
    }

    made = api.post("CAFE", "/api/v1/agreements", agreement)
    put = api.put("ROAST", "/api/v1/agreements/trade-terms", terms)
    pair = {k: v for k, v in terms.items() if k.endswith("member_id")}
    read = api.get("CAFE", "/api/v1/agreements/trade-terms", **pair)
    hidden = api.get("BEANS", made.headers["location"])

    assert made.status_code == 201
    assert made.json() == {
        "id": made.json()["id"],
        "network_id": made.json()["network_id"],
        "number": f"BA-{made.json()['id']:06d}",
        "buyer_member_id": api.members["CAFE"],
        **agreement,
        "total_quantity": "100.000",
        "called_off_quantity": "0.000",
        "remaining_quantity": "100.000",
        "status": "active",
    }
    assert api.get("ROAST", made.headers["location"]).json() == made.json()
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    assert put.status_code == 200
    assert read.json()["payment_terms_days"] == 60
    assert api.post("CAFE", ORDERS, order_body(api)).json()["payment_terms_days"] == 60
    refused = api.get("BEANS", "/api/v1/agreements/trade-terms", **pair)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
