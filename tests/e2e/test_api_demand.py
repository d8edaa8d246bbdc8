"""Demand history over HTTP: batch uploads replace recorded days; one bad row rejects all."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld


def test_upload_inserts_new_days_and_replaces_recorded_ones(api_world: ApiWorld) -> None:
    latte, cafe_2 = api_world.items["LATTE"], api_world.sites["CAFE-2"]
    rows = [
        {"site_id": cafe_2, "item_id": latte, "day": "2026-11-01", "quantity": 31.0},
        {"site_id": cafe_2, "item_id": latte, "day": "2026-11-02", "quantity": 28.0},
    ]

    response = api_world.post("CAFE", "/api/v1/demand-history", {"observations": rows})
    history = api_world.rows("CAFE", "/api/v1/demand-history", item_id=latte, site_id=cafe_2)

    assert response.status_code == 200
    assert response.json() == {"inserted": 1, "replaced": 1}
    assert [(p["day"], p["quantity"]) for p in history] == [
        ("2026-11-01", 31.0),
        ("2026-11-02", 28.0),
    ]


def test_one_bad_row_rejects_the_whole_upload(api_world: ApiWorld) -> None:
    rows = [
        {
            "site_id": api_world.sites["CAFE-1"],
            "item_id": api_world.items["LATTE"],
            "day": "2026-11-03",
        },
        {
            "site_id": api_world.sites["PLANT"],
            "item_id": api_world.items["LATTE"],
            "day": "2026-11-03",
        },
    ]
    body = {"observations": [{**row, "quantity": 5.0} for row in rows]}

    response = api_world.post("CAFE", "/api/v1/demand-history", body)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"] == [
        {
            "location": "row 2",
            "field": "site_id",
            "message": f"site {api_world.sites['PLANT']} is not one of yours",
        }
    ]
    assert api_world.get("CAFE", "/api/v1/demand-history").json()["total"] == 4


def test_negative_quantity_names_the_row_and_field(api_world: ApiWorld) -> None:
    row = {
        "site_id": api_world.sites["CAFE-1"],
        "item_id": api_world.items["LATTE"],
        "day": "2026-11-03",
    }

    response = api_world.post(
        "CAFE", "/api/v1/demand-history", {"observations": [{**row, "quantity": -1}]}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.observations.0.quantity"]
