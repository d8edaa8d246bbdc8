"""The network context over HTTP: the map, members, sites, items and lanes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld


def created(response: Any, path_prefix: str) -> dict[str, Any]:
    """A 201 whose Location names the new resource, which then reads back identically."""
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{path_prefix}/{body['id']}"
    return body


def test_network_map_shows_every_member_site_and_lane(api_world: ApiWorld) -> None:
    response = api_world.get("BEANS", "/api/v1/network")

    assert response.status_code == 200
    body = response.json()
    assert body["network"]["code"] == "coffee"
    assert [m["code"] for m in body["members"]] == ["ROAST", "CAFE", "BEANS"]
    assert [s["code"] for s in body["sites"]] == ["PLANT", "CAFE-1", "CAFE-2", "PORT"]
    assert [(lane["from_site_id"], lane["to_site_id"]) for lane in body["lanes"]] == [
        (api_world.sites["PORT"], api_world.sites["PLANT"]),
        (api_world.sites["PLANT"], api_world.sites["CAFE-1"]),
    ]


def test_admin_onboards_a_member_and_the_member_renames_itself(api_world: ApiWorld) -> None:
    body = {"code": "MILK", "name": "Dairy", "roles": ["supplier"], "country": "NL"}
    member = created(api_world.post("ROAST", "/api/v1/members", body), "/api/v1/members")
    assert member == {"id": member["id"], "network_id": member["network_id"], **body}

    renamed = api_world.put(
        "CAFE",
        f"/api/v1/members/{api_world.members['CAFE']}",
        {
            "code": "CAFE",
            "name": "Cafe chain B.V.",
            "roles": ["retailer", "distributor"],
        },
    )

    assert renamed.status_code == 200
    assert renamed.json()["roles"] == ["distributor", "retailer"]
    assert (
        api_world.get("BEANS", f"/api/v1/members/{api_world.members['CAFE']}").json()
        == renamed.json()
    )
    assert api_world.get("BEANS", "/api/v1/members").json()["total"] == 4


def test_member_adds_changes_filters_and_deletes_its_site(api_world: ApiWorld) -> None:
    body = {
        "code": "CAFE-3",
        "name": "Cafe three",
        "kind": "store",
        "latitude": 52.09,
        "longitude": 5.12,
        "city": "Utrecht",
        "country": "NL",
    }
    site = created(api_world.post("CAFE", "/api/v1/sites", body), "/api/v1/sites")
    assert site == {
        "id": site["id"],
        "network_id": site["network_id"],
        "member_id": api_world.members["CAFE"],
        "allows_backorders": False,
        **body,
    }
    path = f"/api/v1/sites/{site['id']}"

    changed = api_world.put("CAFE", path, {**body, "name": "Cafe three (station)"})
    stores = api_world.rows(
        "BEANS", "/api/v1/sites", member_id=api_world.members["CAFE"], kind="store"
    )
    deleted = api_world.delete("CAFE", path)

    assert changed.json()["name"] == "Cafe three (station)"
    assert [s["code"] for s in stores] == ["CAFE-1", "CAFE-2", "CAFE-3"]
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api_world.get("CAFE", path).status_code == 404


def test_admin_adds_a_site_for_another_member(api_world: ApiWorld) -> None:
    body = {"code": "HUB", "name": "Hub", "kind": "carrier_hub", "latitude": 51.0, "longitude": 4.0}

    response = api_world.post(
        "ROAST", "/api/v1/sites", {**body, "member_id": api_world.members["BEANS"]}
    )

    assert created(response, "/api/v1/sites")["member_id"] == api_world.members["BEANS"]


def test_member_adds_changes_and_deletes_its_item(api_world: ApiWorld) -> None:
    body = {"sku": "CUP", "name": "Paper cup", "unit": "pc", "unit_value": 0.05, "family": "pack"}
    item = created(api_world.post("CAFE", "/api/v1/items", body), "/api/v1/items")
    path = f"/api/v1/items/{item['id']}"

    changed = api_world.put("CAFE", path, {**body, "unit_value": 0.06})
    cafe_items = api_world.rows("ROAST", "/api/v1/items", member_id=api_world.members["CAFE"])
    other = api_world.put("ROAST", path, body)
    deleted = api_world.delete("CAFE", path)

    assert changed.json()["unit_value"] == 0.06
    assert [i["sku"] for i in cafe_items] == ["LATTE", "MOCHA", "CUP"]
    assert (other.status_code, other.json()["code"]) == (403, "forbidden")
    assert deleted.status_code == 204
    assert api_world.get("CAFE", path).status_code == 404


def test_lane_from_own_site_is_added_filtered_changed_and_deleted(api_world: ApiWorld) -> None:
    body = {
        "from_site_id": api_world.sites["PLANT"],
        "to_site_id": api_world.sites["CAFE-2"],
        "mode": "van",
        "lead_time_mean_days": 1.0,
        "lead_time_std_days": 0.25,
        "cost_per_unit": 0.3,
        "capacity_per_day": 500.0,
        "item_id": api_world.items["BLEND"],
        "duty_rate": 0.042,
    }
    lane = created(api_world.post("ROAST", "/api/v1/lanes", body), "/api/v1/lanes")
    assert lane == {"id": lane["id"], "network_id": lane["network_id"], **body}
    path = f"/api/v1/lanes/{lane['id']}"

    changed = api_world.put("CAFE", path, {**body, "lead_time_mean_days": 2.0})
    from_plant = api_world.rows("BEANS", "/api/v1/lanes", from_site_id=api_world.sites["PLANT"])
    refused = api_world.delete("BEANS", path)
    deleted = api_world.delete("ROAST", path)

    assert changed.json()["lead_time_mean_days"] == 2.0
    assert changed.json()["duty_rate"] == 0.042
    assert [x["to_site_id"] for x in from_plant] == [
        api_world.sites["CAFE-1"],
        api_world.sites["CAFE-2"],
    ]
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert deleted.status_code == 204
    assert api_world.get("ROAST", path).status_code == 404
