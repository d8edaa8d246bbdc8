"""The inventory ledger over HTTP, on SQLite and PostgreSQL: movements and positions as exact
JSON (quantities as three-decimal strings), refusals as problem+json that write nothing, partner
reads through grants only, idempotent retries, transfers, lots, reservations and the check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

MOVEMENTS = "/api/v1/inventory/movements"
POSITIONS = "/api/v1/inventory/positions"
NOW = "2026-11-21T09:00:00Z"


def movement(api: ApiWorld, kind: str, quantity: Any, site: str = "CAFE-1", **extra: Any) -> dict:
    return {
        "site_id": api.sites[site],
        "item_id": api.items["LATTE"],
        "kind": kind,
        "quantity": quantity,
        **extra,
    }


def record(api: ApiWorld, kind: str, quantity: Any, site: str = "CAFE-1", **extra: Any) -> Any:
    response = api.post("CAFE", MOVEMENTS, movement(api, kind, quantity, site, **extra))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_recorded_receipt_gives_an_exact_movement_and_position(api_world: ApiWorld) -> None:
    api = api_world
    body = movement(api, "receipt", "12.5", lot="L-1", reference="PO-7", note="first")
    response = api.post("CAFE", MOVEMENTS, body)

    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"{MOVEMENTS}/{created['id']}"
    assert created == {
        "id": created["id"],
        "owner_member_id": api.members["CAFE"],
        "site_id": api.sites["CAFE-1"],
        "item_id": api.items["LATTE"],
        "kind": "receipt",
        "quantity": "12.500",
        "occurred_at": NOW,
        "lot": "L-1",
        "reference": "PO-7",
        "note": "first",
        "recorded_by_user_id": created["recorded_by_user_id"],
    }
    assert isinstance(created["recorded_by_user_id"], int)
    assert api.get("CAFE", response.headers["location"]).json() == created

    record(api, "issue", 2.25)
    record(api, "adjustment", "-0.125")
    (position,) = api.rows("CAFE", POSITIONS)
    assert position == {
        "id": position["id"],
        "owner_member_id": api.members["CAFE"],
        "site_id": api.sites["CAFE-1"],
        "item_id": api.items["LATTE"],
        "on_hand": "10.125",
        "allocated": "0.000",
        "in_transit": "0.000",
        "available": "10.125",
        "version": 3,
    }
    assert api.get("CAFE", f"{POSITIONS}/{position['id']}").json() == position
    listed = api.get("CAFE", MOVEMENTS, site_id=api.sites["CAFE-1"], item_id=api.items["LATTE"])
    assert [(m["kind"], m["quantity"]) for m in listed.json()["items"]] == [
        ("receipt", "12.500"),
        ("issue", "-2.250"),
        ("adjustment", "-0.125"),
    ]
    assert api.get("CAFE", POSITIONS, site_id=api.sites["CAFE-2"]).json()["total"] == 0


def test_taking_more_than_available_is_a_409_problem_and_writes_nothing(
    api_world: ApiWorld,
) -> None:
    api = api_world
    record(api, "receipt", "5")
    response = api.post("CAFE", MOVEMENTS, movement(api, "issue", "5.001"))

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    site, item = api.sites["CAFE-1"], api.items["LATTE"]
    assert problem == {
        "type": "https://tandem.dev/problems/insufficient_stock",
        "title": "Not enough stock available",
        "status": 409,
        "detail": f"only 5.000 of item {item} available at site {site}, 5.001 needed",
        "instance": MOVEMENTS,
        "code": "insufficient_stock",
        "errors": [
            {
                "location": f"item {item} at site {site}",
                "field": None,
                "message": "insufficient stock",
            }
        ],
    }
    assert [m["quantity"] for m in api.rows("CAFE", MOVEMENTS)] == ["5.000"]
    assert [(p["on_hand"], p["version"]) for p in api.rows("CAFE", POSITIONS)] == [("5.000", 1)]


def test_a_third_member_without_a_grant_sees_no_positions(api_world: ApiWorld) -> None:
    api = api_world
    record(api, "receipt", "3", lot="L-1")
    (position,) = api.rows("CAFE", POSITIONS)
    (recorded,) = api.rows("CAFE", MOVEMENTS)
    grant = {"grantee_member_id": api.members["ROAST"], "category": "inventory_positions"}
    assert api.post("CAFE", "/api/v1/grants", grant).status_code == 201

    assert api.rows("ROAST", POSITIONS) == [position]
    assert api.rows("ROAST", MOVEMENTS) == [recorded]
    assert api.rows("BEANS", POSITIONS) == []
    assert api.rows("BEANS", MOVEMENTS) == []
    for path in (f"{POSITIONS}/{position['id']}", f"{MOVEMENTS}/{recorded['id']}"):
        refused = api.get("BEANS", path)
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    lots = {"site_id": api.sites["CAFE-1"], "item_id": api.items["LATTE"]}
    seen = api.get("BEANS", "/api/v1/inventory/lots", **lots).json()
    assert seen == {**lots, "lots": []}
    granted = api.get("ROAST", "/api/v1/inventory/lots", **lots).json()
    assert granted == {**lots, "lots": [{"lot": "L-1", "on_hand": "3.000"}]}


def test_a_retried_movement_with_one_idempotency_key_is_recorded_once(
    api_world: ApiWorld,
) -> None:
    api = api_world
    body = movement(api, "receipt", "4")
    first = api.post("CAFE", MOVEMENTS, body, **{"Idempotency-Key": "erp-receipt-1"})
    retry = api.post("CAFE", MOVEMENTS, body, **{"Idempotency-Key": "erp-receipt-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert [m["id"] for m in api.rows("CAFE", MOVEMENTS)] == [first.json()["id"]]
    assert [p["on_hand"] for p in api.rows("CAFE", POSITIONS)] == ["4.000"]


def test_a_transfer_moves_stock_between_own_sites(api_world: ApiWorld) -> None:
    api = api_world
    record(api, "receipt", "8")
    one, two, item = api.sites["CAFE-1"], api.sites["CAFE-2"], api.items["LATTE"]
    body = {"from_site_id": one, "to_site_id": two, "item_id": item, "quantity": "2.5"}
    response = api.post("CAFE", "/api/v1/inventory/transfers", body)

    assert response.status_code == 201, response.text
    moved = response.json()
    pairs = [(moved[k]["kind"], moved[k]["site_id"], moved[k]["quantity"]) for k in moved]
    assert pairs == [("transfer_out", one, "-2.500"), ("transfer_in", two, "2.500")]
    on_hand = {p["site_id"]: p["on_hand"] for p in api.rows("CAFE", POSITIONS)}
    assert on_hand == {one: "5.500", two: "2.500"}
    check = api.get("CAFE", "/api/v1/inventory/ledger-check").json()
    assert check == {"positions": 2, "movements": 3, "balanced": True, "mismatches": []}


def test_a_reservation_holds_stock_until_released(api_world: ApiWorld) -> None:
    api = api_world
    record(api, "receipt", "5")
    site, item = api.sites["CAFE-1"], api.items["LATTE"]
    body = {"site_id": site, "item_id": item, "quantity": "4", "reference": "SO-1/1"}
    response = api.post("CAFE", "/api/v1/inventory/allocations", body)

    assert response.status_code == 201, response.text
    held = response.json()
    assert held == {
        "id": held["id"],
        "owner_member_id": api.members["CAFE"],
        "site_id": site,
        "item_id": item,
        "quantity": "4.000",
        "reference": "SO-1/1",
        "status": "open",
        "created_at": NOW,
    }
    assert api.get("CAFE", response.headers["location"]).json() == held
    assert api.get("ROAST", response.headers["location"]).status_code == 404
    short = api.post("CAFE", "/api/v1/inventory/allocations", {**body, "quantity": "1.001"})
    assert (short.status_code, short.json()["code"]) == (409, "insufficient_stock")
    (position,) = api.rows("CAFE", POSITIONS)
    assert (position["allocated"], position["available"]) == ("4.000", "1.000")

    released = api.post("CAFE", f"/api/v1/inventory/allocations/{held['id']}/release")
    assert released.status_code == 200
    assert released.json() == {**held, "status": "released"}
    (position,) = api.rows("CAFE", POSITIONS)
    assert (position["allocated"], position["available"]) == ("0.000", "5.000")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "1.0001"}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"quantity": "1e20"}, "quantity"),
        ({"kind": "transfer_in"}, "kind"),
        ({"lot": "x" * 65}, "lot"),
        ({"site_id": 0}, "site_id"),
    ],
)
def test_a_malformed_movement_is_a_422_naming_the_field(
    api_world: ApiWorld, change: dict[str, Any], field: str
) -> None:
    response = api_world.post("CAFE", MOVEMENTS, {**movement(api_world, "receipt", "1"), **change})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "request_validation"
    assert [e["field"] for e in problem["errors"]] == [f"body.{field}"]
    assert api_world.rows("CAFE", MOVEMENTS) == []


def test_recording_at_a_partners_site_is_forbidden(api_world: ApiWorld) -> None:
    response = api_world.post("ROAST", MOVEMENTS, movement(api_world, "receipt", "1"))

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert api_world.rows("CAFE", MOVEMENTS) == []
