"""Stocking points over HTTP: set, replace, filter and delete planning parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

NO_PARAMETERS = {
    "target_service_level": None,
    "review_period_days": None,
    "safety_stock": None,
    "reorder_point": None,
    "order_up_to_level": None,
    "min_order_quantity": None,
    "order_multiple": None,
    "holding_cost_rate": None,
    "processing_days": None,
    "added_cost": None,
    "handling_cost": None,
    "order_quantity": None,
}


def test_put_creates_then_replaces_the_stocking_point(api_world: ApiWorld) -> None:
    point = {"item_id": api_world.items["LATTE"], "site_id": api_world.sites["CAFE-2"]}
    first = api_world.put("CAFE", "/api/v1/item-sites", {**point, "parameters": {}})
    assert first.status_code == 200
    assert first.json()["parameters"] == NO_PARAMETERS

    parameters = {
        "target_service_level": 0.95,
        "safety_stock": 12.0,
        "review_period_days": 7.0,
        "processing_days": 1.5,
        "added_cost": 0.12,
    }
    second = api_world.put("CAFE", "/api/v1/item-sites", {**point, "parameters": parameters})

    assert second.json() == {
        "id": first.json()["id"],
        "owner_member_id": api_world.members["CAFE"],
        **point,
        "parameters": {**NO_PARAMETERS, **parameters},
    }


def test_service_level_must_lie_strictly_between_zero_and_one(api_world: ApiWorld) -> None:
    body = {
        "item_id": api_world.items["LATTE"],
        "site_id": api_world.sites["CAFE-1"],
        "parameters": {"target_service_level": 1.0},
    }

    response = api_world.put("CAFE", "/api/v1/item-sites", body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "body.parameters.target_service_level"
    ]


def test_only_the_sites_member_sets_its_stocking_points(api_world: ApiWorld) -> None:
    body = {"item_id": api_world.items["BLEND"], "site_id": api_world.sites["CAFE-1"]}

    response = api_world.put("ROAST", "/api/v1/item-sites", body)

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_stocking_points_are_filtered_and_deleted(api_world: ApiWorld) -> None:
    at_cafe_1 = api_world.rows("CAFE", "/api/v1/item-sites", site_id=api_world.sites["CAFE-1"])
    lattes = api_world.rows("CAFE", "/api/v1/item-sites", item_id=api_world.items["LATTE"])
    target = at_cafe_1[0]["id"]

    refused = api_world.delete("ROAST", f"/api/v1/item-sites/{target}")
    deleted = api_world.delete("CAFE", f"/api/v1/item-sites/{target}")

    assert [(p["item_id"], p["site_id"]) for p in at_cafe_1] == [
        (api_world.items["LATTE"], api_world.sites["CAFE-1"]),
        (api_world.items["MOCHA"], api_world.sites["CAFE-1"]),
    ]
    assert [p["site_id"] for p in lattes] == [api_world.sites["CAFE-1"], api_world.sites["CAFE-2"]]
    assert refused.status_code == 404
    assert deleted.status_code == 204
    assert api_world.get("CAFE", f"/api/v1/item-sites/{target}").status_code == 404
