"""Customers and customer orders over HTTP: entry, promising, ATP, shipping, problems."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tandem.domain.inventory import MovementKind
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.services import identity, inventory
from tandem.services.inventory import RecordMovement

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

CUSTOMERS = "/api/v1/customers"
ORDERS = "/api/v1/customer-orders"


def stock(api: ApiWorld, quantity: str) -> None:
    services = api.container.services
    roaster = identity.authenticate_token(services, api.tokens["ROAST"])
    movement = RecordMovement(
        api.sites["PLANT"], api.items["BLEND"], MovementKind.RECEIPT, Decimal(quantity)
    )
    inventory.record_movement(services, roaster, movement)


def inbound(api: ApiWorld, quantity: str, due: date) -> None:
    """An acknowledged purchase order of blend to the plant, due on ``due``."""
    with api.container.services.uow() as uow:
        order = uow.purchase_orders.add(
            PurchaseOrder(
                0,
                uow.sites.get(api.sites["PLANT"]).network_id,  # type: ignore[union-attr]
                "PO-TEST-1",
                api.members["ROAST"],
                api.members["BEANS"],
                api.sites["PLANT"],
                OrderStatus.ACKNOWLEDGED,
                1,
                datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
        uow.purchase_order_lines.add(
            PurchaseOrderLine(0, order.id, 1, api.items["BLEND"], Decimal(quantity), 900, due)
        )
        uow.commit()


def position(api: ApiWorld) -> tuple[str, str]:
    """On hand and allocated blend at the plant."""
    with api.container.services.uow() as uow:
        (found,) = uow.stock_positions.find(site_id=api.sites["PLANT"], item_id=api.items["BLEND"])
    return str(found.on_hand), str(found.allocated)


def customer(api: ApiWorld, code: str = "C-1") -> dict[str, Any]:
    response = api.post("ROAST", CUSTOMERS, {"code": code, "name": "Canteen"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def order_body(api: ApiWorld, customer_id: int, *lines: tuple[Any, str]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "ship_from_site_id": api.sites["PLANT"],
        "customer_reference": "PO 4711",
        "lines": [
            {
                "item_id": api.items["BLEND"],
                "quantity": quantity,
                "requested_date": requested,
                "unit_price_minor": 1250,
            }
            for quantity, requested in lines
        ],
    }


def new_order(api: ApiWorld, *lines: tuple[Any, str]) -> dict[str, Any]:
    response = api.post("ROAST", ORDERS, order_body(api, customer(api)["id"], *lines))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Any) -> tuple[int, str]:
    assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, response.json()["code"]


def test_customer_is_added_listed_changed_and_private(api_world: ApiWorld) -> None:
    body = {
        "code": "C-OFFICE",
        "name": "Office canteen",
        "segment": "office",
        "service_class": "premium",
        "street": "Dam 1",
        "postal_code": "1012 JS",
        "city": "Amsterdam",
        "country": "NL",
    }
    response = api_world.post("ROAST", CUSTOMERS, body)
    assert response.status_code == 201
    added = response.json()
    assert response.headers["location"] == f"{CUSTOMERS}/{added['id']}"
    assert added == {
        "id": added["id"],
        "network_id": added["network_id"],
        "member_id": api_world.members["ROAST"],
        **body,
    }
    path = f"{CUSTOMERS}/{added['id']}"

    changed = api_world.put("ROAST", path, {**body, "service_class": "economy"})

    assert changed.json() == {**added, "service_class": "economy"}
    assert api_world.get("ROAST", path).json() == changed.json()
    assert api_world.rows("ROAST", CUSTOMERS, segment="office") == [changed.json()]
    assert api_world.rows("CAFE", CUSTOMERS) == []
    assert problem(api_world.get("CAFE", path)) == (404, "not_found")
    assert problem(api_world.put("CAFE", path, body)) == (404, "not_found")
    assert problem(api_world.post("ROAST", CUSTOMERS, body)) == (409, "duplicate_code")


def test_order_is_entered_promised_and_shipped(api_world: ApiWorld) -> None:
    stock(api_world, "10")
    inbound(api_world, "20", date(2026, 11, 26))
    created = new_order(api_world, ("12.5", "2026-11-23"), (2, "2026-11-30"))
    path = f"{ORDERS}/{created['id']}"
    line_ids = [line["id"] for line in created["lines"]]

    promised = api_world.post("ROAST", f"{path}/promise")

    assert promised.status_code == 200
    assert promised.json() == {
        "id": created["id"],
        "network_id": created["network_id"],
        "member_id": api_world.members["ROAST"],
        "customer_id": created["customer_id"],
        "number": f"CO-{created['id']:06d}",
        "ship_from_site_id": api_world.sites["PLANT"],
        "status": "promised",
        "created_at": "2026-11-21T09:00:00Z",
        "customer_reference": "PO 4711",
        "total_minor": 18125,
        "lines": [
            {
                "id": line_ids[0],
                "line_no": 1,
                "item_id": api_world.items["BLEND"],
                "quantity": "12.500",
                "requested_date": "2026-11-23",
                "unit_price_minor": 1250,
                "amount_minor": 15625,
                "shipped_quantity": "0.000",
                "open_quantity": "12.500",
                "promised_quantity": "12.500",
                "unpromised_quantity": "0.000",
                "promises": [
                    {
                        "id": promised.json()["lines"][0]["promises"][0]["id"],
                        "quantity": "10.000",
                        "promised_date": "2026-11-23",
                        "source": "on_hand",
                    },
                    {
                        "id": promised.json()["lines"][0]["promises"][1]["id"],
                        "quantity": "2.500",
                        "promised_date": "2026-11-26",
                        "source": "scheduled_receipt",
                    },
                ],
            },
            {
                "id": line_ids[1],
                "line_no": 2,
                "item_id": api_world.items["BLEND"],
                "quantity": "2.000",
                "requested_date": "2026-11-30",
                "unit_price_minor": 1250,
                "amount_minor": 2500,
                "shipped_quantity": "0.000",
                "open_quantity": "2.000",
                "promised_quantity": "2.000",
                "unpromised_quantity": "0.000",
                "promises": [
                    {
                        "id": promised.json()["lines"][1]["promises"][0]["id"],
                        "quantity": "2.000",
                        "promised_date": "2026-11-30",
                        "source": "scheduled_receipt",
                    }
                ],
            },
        ],
    }
    assert api_world.get("ROAST", path).json() == promised.json()

    atp = api_world.get(
        "ROAST", f"{ORDERS}/atp", site_id=api_world.sites["PLANT"], item_id=api_world.items["BLEND"]
    )
    assert atp.json() == {
        "site_id": api_world.sites["PLANT"],
        "item_id": api_world.items["BLEND"],
        "today": "2026-11-21",
        "on_hand_available": "0.000",
        "buckets": [
            {
                "day": "2026-11-21",
                "supply": "0.000",
                "committed": "0.000",
                "atp": "0.000",
                "cumulative_atp": "0.000",
            },
            {
                "day": "2026-11-26",
                "supply": "20.000",
                "committed": "2.500",
                "atp": "15.500",
                "cumulative_atp": "15.500",
            },
            {
                "day": "2026-11-30",
                "supply": "0.000",
                "committed": "2.000",
                "atp": "0.000",
                "cumulative_atp": "15.500",
            },
        ],
    }

    shipped = api_world.post(
        "ROAST", f"{path}/ship", {"lines": [{"line_id": line_ids[0], "quantity": 4}]}
    )

    assert shipped.status_code == 200
    assert shipped.json()["status"] == "partially_shipped"
    first = shipped.json()["lines"][0]
    assert (first["shipped_quantity"], first["open_quantity"]) == ("4.000", "8.500")
    assert [(p["quantity"], p["source"]) for p in first["promises"]] == [
        ("6.000", "on_hand"),
        ("2.500", "scheduled_receipt"),
    ]
    assert position(api_world) == ("6.000", "6.000")

    short = api_world.post("ROAST", f"{path}/ship")
    stock(api_world, "4.5")
    rest = api_world.post("ROAST", f"{path}/ship")

    assert problem(short) == (409, "insufficient_stock")
    assert rest.json()["status"] == "shipped"
    assert [line["shipped_quantity"] for line in rest.json()["lines"]] == ["12.500", "2.000"]
    assert position(api_world) == ("0.000", "0.000")


def test_refused_steps_are_problems_and_write_nothing(api_world: ApiWorld) -> None:
    stock(api_world, "5")
    order = new_order(api_world, ("5", "2026-11-22"))
    path = f"{ORDERS}/{order['id']}"
    promised = api_world.post("ROAST", f"{path}/promise").json()
    line_id = order["lines"][0]["id"]

    over = api_world.post(
        "ROAST", f"{path}/ship", {"lines": [{"line_id": line_id, "quantity": "5.001"}]}
    )
    too_precise = api_world.post(
        "ROAST", f"{path}/ship", {"lines": [{"line_id": line_id, "quantity": "1.0001"}]}
    )
    foreign = api_world.post("CAFE", f"{path}/ship")
    other_customer = api_world.post(
        "CAFE",
        ORDERS,
        {**order_body(api_world, order["customer_id"], (1, "2026-11-22"))},
    )

    assert problem(over) == (409, "over_shipment")
    assert over.json()["errors"] == [
        {"location": "line 1", "field": "quantity", "message": "only 5.000 open"}
    ]
    assert problem(too_precise) == (422, "request_validation")
    assert problem(foreign) == (404, "not_found")
    assert problem(other_customer) == (422, "validation_failed")
    assert [e["field"] for e in other_customer.json()["errors"]] == [
        "customer_id",
        "ship_from_site_id",
    ]
    assert api_world.get("ROAST", path).json() == promised
    assert api_world.rows("CAFE", ORDERS) == []

    cancelled = api_world.post("ROAST", f"{path}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert problem(api_world.post("ROAST", f"{path}/cancel")) == (409, "invalid_state_transition")
    assert problem(api_world.get("ROAST", f"{ORDERS}/999999")) == (404, "not_found")


def test_atp_needs_one_of_your_sites(api_world: ApiWorld) -> None:
    foreign = api_world.get(
        "CAFE", f"{ORDERS}/atp", site_id=api_world.sites["PLANT"], item_id=api_world.items["BLEND"]
    )
    missing = api_world.get("ROAST", f"{ORDERS}/atp", site_id=api_world.sites["PLANT"])

    assert problem(foreign) == (403, "forbidden")
    assert problem(missing) == (422, "request_validation")


@pytest.mark.parametrize("step", ["create", "promise"])
def test_retried_post_with_the_same_key_has_one_effect(api_world: ApiWorld, step: str) -> None:
    stock(api_world, "3")
    body = order_body(api_world, customer(api_world)["id"], ("2", "2026-11-22"))
    key = {"Idempotency-Key": f"co-{step}"}
    if step == "create":
        first = api_world.post("ROAST", ORDERS, body, **key)
        retry = api_world.post("ROAST", ORDERS, body, **key)
    else:
        path = f"{ORDERS}/{api_world.post('ROAST', ORDERS, body).json()['id']}/promise"
        first = api_world.post("ROAST", path, None, **key)
        retry = api_world.post("ROAST", path, None, **key)

    assert first.status_code in (200, 201)
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(api_world.rows("ROAST", ORDERS)) == 1
    assert position(api_world) == ("3.000", "2.000" if step == "promise" else "0.000")


def test_concurrent_promises_never_share_units(api_world: ApiWorld) -> None:
    stock(api_world, "10")
    inbound(api_world, "5", date(2026, 11, 25))
    buyer = customer(api_world)["id"]
    bodies = [order_body(api_world, buyer, ("8", "2026-11-22")) for _ in range(2)]
    paths = [f"{ORDERS}/{api_world.post('ROAST', ORDERS, b).json()['id']}" for b in bodies]
    start = threading.Barrier(2)
    responses: list[Any] = []

    def promise(path: str) -> None:
        start.wait()
        responses.append(api_world.post("ROAST", f"{path}/promise"))

    threads = [threading.Thread(target=promise, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in responses] == [200, 200]
    parts = sorted(
        (p["source"], p["quantity"], p["promised_date"])
        for r in responses
        for p in r.json()["lines"][0]["promises"]
    )
    assert parts == [
        ("on_hand", "2.000", "2026-11-22"),
        ("on_hand", "8.000", "2026-11-22"),
        ("scheduled_receipt", "5.000", "2026-11-25"),
    ]
    assert position(api_world) == ("10.000", "10.000")
