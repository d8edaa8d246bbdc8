"""Demand signals over HTTP, on SQLite and PostgreSQL: JSON batches and CSV files from tills,
devices with ingest-only keys, customer feedback, and the raw signal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

SIGNALS = "/api/v1/signals"
EXPECTED_COLUMNS = "site,item,quantity,timestamp,message_id"


def _rec(**fields: Any) -> dict[str, Any]:
    return {
        "site": "CAFE-1",
        "item": "LATTE",
        "quantity": 1,
        "occurred_at": "2026-11-01T10:00:00+01:00",
        **fields,
    }


def _batch(api: ApiWorld) -> list[dict[str, Any]]:
    mocha = {"site_id": api.sites["CAFE-2"], "item_id": api.items["MOCHA"], "site": None}
    return [
        _rec(item=None, recipe="LATTE", quantity=4, message_id="pos-1"),
        _rec(quantity="two"),
        _rec(quantity=-3),
        _rec(site="PLANT"),
        _rec(occurred_at="2026-11-01 10:00"),
        _rec(item=None, recipe="LATTE", quantity=4, message_id="pos-1"),
        {**_rec(item=None, occurred_at="2026-11-03T09:00:00Z"), **mocha},
    ]


def _demand(api: ApiWorld, site: str, sku: str) -> dict[str, float]:
    rows = api.rows(
        "CAFE", "/api/v1/demand-history", site_id=api.sites[site], item_id=api.items[sku]
    )
    return {row["day"]: row["quantity"] for row in rows}


def test_a_batch_keeps_good_records_and_reports_each_bad_one(api_world: ApiWorld) -> None:
    api = api_world

    response = api.post("CAFE", SIGNALS, {"records": _batch(api)})

    assert response.status_code == 200, response.text
    report = response.json()
    assert {k: report[k] for k in ("received", "accepted", "duplicates", "rejected_records")} == {
        "received": 7,
        "accepted": 2,
        "duplicates": 1,
        "rejected_records": 4,
    }
    assert report["rejected"] == [
        {"index": 1, "line": None, "field": "quantity", "reason": "is not a number: 'two'"},
        {"index": 2, "line": None, "field": "quantity", "reason": "must not be negative (got -3)"},
        {
            "index": 3,
            "line": None,
            "field": "site",
            "reason": "site PLANT belongs to another member",
        },
        {
            "index": 4,
            "line": None,
            "field": "occurred_at",
            "reason": "needs a UTC offset (e.g. 'Z' or '+01:00')",
        },
    ]
    assert report["duplicate_records"] == [{"index": 5, "message_id": "pos-1"}]
    cafe_1, cafe_2 = api.sites["CAFE-1"], api.sites["CAFE-2"]
    latte, mocha, blend = api.items["LATTE"], api.items["MOCHA"], api.items["BLEND"]
    assert report["days"] == [
        {
            "site_id": cafe_1,
            "item_id": blend,
            "day": "2026-11-01",
            "added": 0.072,
            "quantity": 0.072,
        },
        {"site_id": cafe_1, "item_id": latte, "day": "2026-11-01", "added": 4.0, "quantity": 44.0},
        {"site_id": cafe_2, "item_id": blend, "day": "2026-11-03", "added": 0.02, "quantity": 0.02},
        {"site_id": cafe_2, "item_id": mocha, "day": "2026-11-03", "added": 1.0, "quantity": 1.0},
    ]
    assert _demand(api, "CAFE-1", "LATTE") == {"2026-11-01": 44.0, "2026-11-02": 42.0}
    assert _demand(api, "CAFE-1", "BLEND") == {"2026-11-01": 0.072}
    assert _demand(api, "CAFE-2", "MOCHA") == {"2026-11-03": 1.0}
    assert _demand(api, "CAFE-1", "GREEN") == {}  # the roaster's bill is not exploded at the café


def test_resending_a_batch_counts_nothing_twice(api_world: ApiWorld) -> None:
    api = api_world
    api.post("CAFE", SIGNALS, {"records": _batch(api)})

    again = api.post("CAFE", SIGNALS, {"records": _batch(api)})

    assert again.status_code == 200
    body = again.json()
    assert (body["accepted"], body["duplicates"], body["rejected_records"]) == (0, 3, 4)
    assert [d["index"] for d in body["duplicate_records"]] == [0, 5, 6]
    assert body["days"] == []
    assert _demand(api, "CAFE-1", "LATTE") == {"2026-11-01": 44.0, "2026-11-02": 42.0}
    signals = api.rows("CAFE", SIGNALS)
    assert [(s["message_id"][:7], s["quantity"], s["source"]) for s in signals] == [
        ("pos-1", 4.0, "http"),
        ("sha256:", 1.0, "http"),
    ]
    assert api.get("ROAST", SIGNALS).json()["total"] == 0


def test_a_batch_whose_records_are_all_rejected_is_refused(api_world: ApiWorld) -> None:
    response = api_world.post("BEANS", SIGNALS, {"records": [_rec(), _rec(quantity=None)]})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["detail"]) == (
        "validation_failed",
        "all 2 records were rejected",
    )
    assert problem["errors"] == [
        {
            "location": "records[0]",
            "field": "site",
            "message": "site CAFE-1 belongs to another member",
        },
        {
            "location": "records[1]",
            "field": "site",
            "message": "site CAFE-1 belongs to another member",
        },
        {
            "location": "records[1]",
            "field": "quantity",
            "message": "is required and must be a number",
        },
    ]
    assert api_world.get("CAFE", SIGNALS).json()["total"] == 0


def test_a_body_that_is_not_a_batch_is_refused(api_world: ApiWorld) -> None:
    for body in ({"records": []}, {"records": "x"}, {"records": [3]}, {"rows": []}):
        response = api_world.post("CAFE", SIGNALS, body)
        assert (response.status_code, response.json()["code"]) == (422, "request_validation")


def _csv(api: ApiWorld, who: str, text: str, media: str = "text/csv") -> Any:
    headers = {**api.auth(who), "Content-Type": media}
    return api.client.post(f"{SIGNALS}/csv", content=text.encode(), headers=headers)


def test_a_csv_file_is_ingested_row_by_row_with_line_numbers(api_world: ApiWorld) -> None:
    text = (
        f"{EXPECTED_COLUMNS}\r\n"
        "CAFE-1,LATTE,3,2026-11-02T08:00:00Z,c-1\r\n"
        "CAFE-1,LATTE,x,2026-11-02T08:00:00Z,c-2\r\n"
        "CAFE-9,LATTE,1,2026-11-02T08:00:00Z,\r\n"
    )

    response = _csv(api_world, "CAFE", text)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["accepted"], body["rejected_records"]) == (1, 2)
    assert body["rejected"] == [
        {"index": 1, "line": 3, "field": "quantity", "reason": "is not a number: 'x'"},
        {"index": 2, "line": 4, "field": "site", "reason": "unknown site 'CAFE-9'"},
    ]
    assert _demand(api_world, "CAFE-1", "LATTE") == {"2026-11-01": 40.0, "2026-11-02": 45.0}
    assert [s["source"] for s in api_world.rows("CAFE", SIGNALS)] == ["csv"]


def test_a_csv_file_may_come_as_a_multipart_upload(api_world: ApiWorld) -> None:
    text = f"{EXPECTED_COLUMNS}\nCAFE-2,LATTE,2,2026-11-01T12:00:00+01:00,u-1\n"

    response = api_world.client.post(
        f"{SIGNALS}/csv",
        files={"file": ("sales.csv", text.encode(), "text/csv")},
        headers=api_world.auth("CAFE"),
    )

    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    assert _demand(api_world, "CAFE-2", "LATTE") == {"2026-11-01": 32.0}


def test_a_csv_file_with_wrong_columns_is_refused_naming_the_expected_ones(
    api_world: ApiWorld,
) -> None:
    response = _csv(api_world, "CAFE", "store,sku,quantity,timestamp\nCAFE-1,LATTE,1,x\n")

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "import_rejected"
    assert problem["detail"] == (
        f"wrong CSV columns: expected the header {EXPECTED_COLUMNS} (message_id may be left "
        "out); missing item, site; unexpected sku, store"
    )
    assert api_world.get("CAFE", SIGNALS).json()["total"] == 0


def test_a_csv_upload_must_be_utf8_text_of_a_csv_type(api_world: ApiWorld) -> None:
    wrong_type = _csv(api_world, "CAFE", "{}", "application/json")
    not_utf8 = api_world.client.post(
        f"{SIGNALS}/csv",
        content="site,item,quantity,timestamp\nCAFÉ,LATTE,1,x\n".encode("latin-1"),
        headers={**api_world.auth("CAFE"), "Content-Type": "text/csv"},
    )

    assert (wrong_type.status_code, wrong_type.json()["code"]) == (415, "unsupported_media_type")
    assert (not_utf8.status_code, not_utf8.json()["detail"]) == (422, "the file is not UTF-8 text")


def _register(api: ApiWorld, code: str = "CAFE-1-M1") -> dict[str, Any]:
    body = {"site_id": api.sites["CAFE-1"], "code": code, "name": "Latte machine"}
    response = api.post("CAFE", "/api/v1/devices", body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/devices/{response.json()['id']}"
    registered: dict[str, Any] = response.json()
    return registered


def test_a_device_reports_with_its_key_and_may_do_nothing_else(api_world: ApiWorld) -> None:
    api = api_world
    device = _register(api)
    key = {"X-API-Key": device["api_key"]}
    record = {
        "recipe": "LATTE",
        "quantity": 2,
        "occurred_at": "2026-11-02T07:30:00Z",
        "message_id": "1",
    }

    sent = api.client.post(SIGNALS, json={"records": [record]}, headers=key)

    assert sent.status_code == 200, sent.text
    assert (sent.json()["accepted"], device["kind"], device["active"]) == (
        1,
        "coffee_machine",
        True,
    )
    assert _demand(api, "CAFE-1", "LATTE") == {"2026-11-01": 40.0, "2026-11-02": 44.0}
    for path in ("/api/v1/purchase-orders", SIGNALS, "/api/v1/demand-history", "/api/v1/devices"):
        refused = api.client.get(path, headers=key)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden"), path
    body = {"site_id": api.sites["CAFE-1"], "code": "X", "name": "X"}
    assert api.client.post("/api/v1/devices", json=body, headers=key).status_code == 403

    detail = api.get("CAFE", f"/api/v1/devices/{device['id']}").json()
    assert detail["last_seen_at"] == "2026-11-21T09:00:00Z"
    assert [(s["sender"], s["message_id"], s["device_id"]) for s in detail["recent_signals"]] == [
        (f"device:{device['id']}", "1", device["id"])
    ]


def test_a_deactivated_device_can_no_longer_report(api_world: ApiWorld) -> None:
    api = api_world
    device = _register(api)
    record = {"recipe": "LATTE", "quantity": 1, "occurred_at": "2026-11-02T07:30:00Z"}

    stopped = api.post("CAFE", f"/api/v1/devices/{device['id']}/deactivate")
    sent = api.client.post(
        SIGNALS, json={"records": [record]}, headers={"X-API-Key": device["api_key"]}
    )

    assert (stopped.status_code, stopped.json()["active"]) == (200, False)
    assert (sent.status_code, sent.json()["code"]) == (401, "authentication_failed")
    assert api.post("ROAST", f"/api/v1/devices/{device['id']}/deactivate").status_code == 404
    assert [d["active"] for d in api.rows("CAFE", "/api/v1/devices")] == [False]


def test_feedback_is_summarised_per_site_and_item_for_owner_and_granted_partners(
    api_world: ApiWorld,
) -> None:
    api = api_world
    device = _register(api)
    key = {"X-API-Key": device["api_key"]}
    cafe_1, latte = api.sites["CAFE-1"], api.items["LATTE"]
    for rating, comment in ((5, "Perfect"), (4, ""), (2, "Too cold")):
        given = api.client.post(
            "/api/v1/feedback",
            json={"rating": rating, "comment": comment, "item": "LATTE"},
            headers=key,
        )
        assert given.status_code == 201, given.text
    staff = api.post("CAFE", "/api/v1/feedback", {"rating": 3, "site_id": cafe_1, "item_id": latte})
    bad = api.post("CAFE", "/api/v1/feedback", {"rating": 6, "site_id": cafe_1})

    assert (staff.status_code, staff.json()["device_id"]) == (201, None)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "body.rating")
    summary = api.get("CAFE", "/api/v1/feedback/summary", site_id=cafe_1, item_id=latte).json()
    (only,) = summary["items"]
    assert (only["count"], only["mean_rating"]) == (4, 3.5)
    assert only["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1}
    assert [c["comment"] for c in only["latest_comments"]] == ["Too cold", "Perfect"]
    assert api.get("ROAST", "/api/v1/feedback/summary").json() == {"items": []}

    grant = {
        "grantee_member_id": api.members["ROAST"],
        "category": "demand_history",
        "site_ids": [cafe_1],
    }
    assert api.post("CAFE", "/api/v1/grants", grant).status_code == 201

    seen = api.get("ROAST", "/api/v1/feedback/summary").json()["items"]
    assert [(s["site_id"], s["item_id"], s["count"]) for s in seen] == [(cafe_1, latte, 4)]
    assert [d["code"] for d in api.rows("ROAST", "/api/v1/devices")] == ["CAFE-1-M1"]
    overview = api.get("ROAST", f"/api/v1/devices/{device['id']}").json()
    assert [(f["item_id"], f["count"]) for f in overview["feedback"]] == [(latte, 3)]
