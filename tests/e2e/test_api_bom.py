"""Bills of materials over HTTP: add, filter, read and delete lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld


def test_owner_of_the_parent_adds_reads_and_deletes_a_line(api_world: ApiWorld) -> None:
    body = {
        "parent_item_id": api_world.items["LATTE"],
        "component_item_id": api_world.items["GREEN"],
        "quantity_per": 0.001,
        "site_id": api_world.sites["CAFE-2"],
    }
    added = api_world.post("CAFE", "/api/v1/bom-lines", body)
    assert added.status_code == 201
    line = added.json()
    assert line == {"id": line["id"], "owner_member_id": api_world.members["CAFE"], **body}
    assert added.headers["location"] == f"/api/v1/bom-lines/{line['id']}"

    latte = api_world.rows("CAFE", "/api/v1/bom-lines", parent_item_id=api_world.items["LATTE"])
    read = api_world.get("CAFE", f"/api/v1/bom-lines/{line['id']}")
    deleted = api_world.delete("CAFE", f"/api/v1/bom-lines/{line['id']}")

    assert [row["component_item_id"] for row in latte] == [
        api_world.items["BLEND"],
        api_world.items["GREEN"],
    ]
    assert read.json() == line
    assert deleted.status_code == 204
    assert api_world.get("CAFE", f"/api/v1/bom-lines/{line['id']}").status_code == 404


def test_only_the_parents_member_adds_lines(api_world: ApiWorld) -> None:
    body = {
        "parent_item_id": api_world.items["BLEND"],
        "component_item_id": api_world.items["LATTE"],
        "quantity_per": 1,
    }

    response = api_world.post("CAFE", "/api/v1/bom-lines", body)

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_quantity_per_must_be_positive(api_world: ApiWorld) -> None:
    body = {
        "parent_item_id": api_world.items["LATTE"],
        "component_item_id": api_world.items["BLEND"],
        "quantity_per": 0,
    }

    response = api_world.post("CAFE", "/api/v1/bom-lines", body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.quantity_per"]
