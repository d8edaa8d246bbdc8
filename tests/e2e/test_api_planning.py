"""Planning over HTTP: a run started by POST executes in a worker process while the client
polls it; then its results, requisitions and their conversion, and the shared plan.

The café orders 100 kg of BLEND from the roaster for Tuesday 2026-12-01 (week 1 of a weekly
plan from Monday 2026-11-23): the roaster's sales order. BLEND@PLANT (nothing on hand, lead
time 0) plans 100 due and released in week 1; GREEN@PLANT (1.2 kg per kg) needs 120 in week 1:
the importer's offer (lead 7 days, MOQ 100, multiple 25) makes it 125, due in week 1, released
in week 0; 125 reaches only the first price break: 400 cents, 50,000 in all, order by 11-23.
"""

from __future__ import annotations

import os
import time
from typing import Any

from tests.e2e.conftest import ApiWorld

RUNS = "/api/v1/planning-runs"


def _set_up(api: ApiWorld) -> None:
    ids, sites, members = api.items, api.sites, api.members
    stocking = api.put(
        "ROAST", "/api/v1/item-sites", {"item_id": ids["GREEN"], "site_id": sites["PLANT"]}
    )
    assert stocking.status_code in (200, 201), stocking.text
    offer = {
        "supplier_member_id": members["BEANS"], "item_id": ids["GREEN"], "lead_time_days": 7,
        "min_order_quantity": 100, "order_multiple": 25,
        "price_breaks": [{"min_quantity": 0, "unit_price_minor": 400},
                         {"min_quantity": 200, "unit_price_minor": 380}],
    }  # fmt: skip
    created = api.post("ROAST", "/api/v1/supplier-offers", offer)
    assert created.status_code == 201, created.text
    order = {
        "seller_member_id": members["ROAST"], "ship_to_site_id": sites["CAFE-1"],
        "lines": [{"item_id": ids["BLEND"], "quantity": "100", "unit_price_minor": 1200,
                   "requested_date": "2026-12-01"}],
    }  # fmt: skip
    placed = api.post("CAFE", "/api/v1/purchase-orders", order)
    assert placed.status_code == 201, placed.text
    submitted = api.post("CAFE", f"/api/v1/purchase-orders/{placed.json()['id']}/submit")
    assert submitted.status_code == 200, submitted.text


def _wait(api: ApiWorld, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run: dict[str, Any] = api.get("ROAST", location).json()
        if run["status"] in ("succeeded", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run still {run['status']} after 120 s")


def test_run_executes_in_a_worker_process_and_feeds_procurement(api_world: ApiWorld) -> None:
    api = api_world
    _set_up(api)
    body = {"horizon_buckets": 4, "as_of": "2026-11-23", "request_key": "first"}
    started = api.post("ROAST", RUNS, body)
    assert started.status_code == 202, started.text
    location = started.headers["Location"]
    assert location == f"{RUNS}/{started.json()['id']}"
    assert started.json()["status"] in ("queued", "running", "succeeded")

    run = _wait(api, location)
    assert (run["status"], run["progress"], run["error"]) == ("succeeded", 1.0, "")
    assert run["worker_pid"] is not None and run["worker_pid"] != os.getpid()
    run_id = run["id"]
    orders = api.rows("ROAST", f"{RUNS}/{run_id}/planned-orders")
    assert [
        (o["ref"], o["kind"], o["release_date"], o["due_date"], o["quantity"]) for o in orders
    ] == [
        ("BLEND@PLANT#1", "production", "2026-11-30", "2026-11-30", 100.0),
        ("GREEN@PLANT#1", "purchase", "2026-11-23", "2026-11-30", 125.0),
    ]
    green = api.rows("ROAST", f"{RUNS}/{run_id}/records", item_id=api.items["GREEN"])[0]
    assert green["record"]["gross_requirements"] == [0.0, 120.0, 0.0, 0.0]
    assert green["record"]["projected_available"] == [0.0, 5.0, 5.0, 5.0]
    pegging = api.get("ROAST", f"{RUNS}/{run_id}/pegging/{orders[1]['id']}").json()
    assert pegging["end_demands"] == [
        {"demand_ref": "", "quantity": 5.0},
        {"demand_ref": orders_ref(api), "quantity": 120.0},
    ]

    (requisition,) = api.get("ROAST", f"{RUNS}/{run_id}/requisitions").json()
    assert (requisition["supplier_member_id"], requisition["total_minor"]) == (
        api.members["BEANS"],
        50000,
    )
    line = requisition["lines"][0]
    assert (line["quantity"], line["unit_price_minor"], line["order_by_date"]) == (
        125.0,
        400,
        "2026-11-23",
    )
    convert = {"supplier_member_id": api.members["BEANS"]}
    first = api.post("ROAST", f"{RUNS}/{run_id}/requisitions/convert", convert)
    again = api.post("ROAST", f"{RUNS}/{run_id}/requisitions/convert", convert)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["purchase_order_ids"] == again.json()["purchase_order_ids"]
    (po_id,) = first.json()["purchase_order_ids"]
    po = api.get("ROAST", f"/api/v1/purchase-orders/{po_id}").json()
    assert (po["status"], po["lines"][0]["quantity"], po["lines"][0]["requested_date"]) == (
        "draft", "125.000", "2026-11-30"
    )  # fmt: skip

    retried = api.post("ROAST", RUNS, body)  # same request key: the same run, not queued again
    assert (retried.status_code, retried.json()["id"]) == (202, run_id)


def orders_ref(api: ApiWorld) -> str:
    """The café's purchase order line, as the roaster's sales order."""
    (order,) = api.rows("CAFE", "/api/v1/purchase-orders")
    return f"{order['number']}/1"


def test_shared_plan_needs_the_buyers_grant(api_world: ApiWorld) -> None:
    api = api_world
    _set_up(api)
    started = api.post("ROAST", RUNS, {"horizon_buckets": 4, "as_of": "2026-11-23"})
    _wait(api, started.headers["Location"])
    buyer = api.members["ROAST"]
    hidden = api.get("BEANS", "/api/v1/shared-plans", buyer_member_id=buyer)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    grant = {"grantee_member_id": api.members["BEANS"], "category": "production_plans"}
    assert api.post("ROAST", "/api/v1/grants", grant).status_code == 201
    seen = api.get("BEANS", "/api/v1/shared-plans", buyer_member_id=buyer).json()
    assert [(w["item_id"], w["week_start"], w["planned_quantity"]) for w in seen["weeks"]] == [
        (api.items["GREEN"], "2026-11-30", 125.0)
    ]
    commitment = {"buyer_member_id": buyer, "item_id": api.items["GREEN"],
                  "week_start": "2026-11-30", "quantity": 100, "note": "one lot"}  # fmt: skip
    assert api.post("BEANS", "/api/v1/shared-plans/commitments", commitment).status_code == 200
    mine = api.get("ROAST", "/api/v1/shared-plans/commitments").json()
    assert [(w["planned_quantity"], w["committed_quantity"], w["note"]) for w in mine["weeks"]] == [
        (125.0, 100.0, "one lot")
    ]


def test_bad_scenario_is_a_problem_document(api_world: ApiWorld) -> None:
    body = {"kind": "what_if", "scenario": [{"type": "demand_scale", "item": "NOPE", "factor": 2}]}
    response = api_world.post("ROAST", RUNS, body)
    assert response.status_code == 422
    problem = response.json()
    assert (problem["code"], problem["errors"]) == (
        "validation_failed",
        [{"location": "scenario[0]", "field": "item", "message": "unknown item 'NOPE'"}],
    )


def test_net_change_run_re_plans_what_changed_and_matches_a_regeneration(
    api_world: ApiWorld,
) -> None:
    api = api_world
    _set_up(api)
    first = api.post("ROAST", RUNS, {"horizon_buckets": 4, "as_of": "2026-11-23"})
    assert _wait(api, first.headers["Location"])["mode"] == "regeneration"
    stocking = {"item_id": api.items["GREEN"], "site_id": api.sites["PLANT"],
                "parameters": {"safety_stock": 10}}  # fmt: skip
    assert api.put("ROAST", "/api/v1/item-sites", stocking).status_code in (200, 201)

    body = {"horizon_buckets": 4, "as_of": "2026-11-23", "mode": "net_change"}
    net = _wait(api, api.post("ROAST", RUNS, body).headers["Location"])
    assert (net["status"], net["mode"], net["replanned_item_sites"]) == (
        "succeeded", "net_change", 1
    )  # fmt: skip
    # one exception: GREEN's projected available 0 in week 0 is below its new safety stock of
    # 10, and no order can arrive before week 1 (lead 7 days)
    assert net["message"] == (
        "net change re-planned 1 of 2 item-sites; 2 item-sites, 2 planned orders, 1 exceptions"
    )
    body["mode"] = "regeneration"
    full = _wait(api, api.post("ROAST", RUNS, body).headers["Location"])
    assert full["replanned_item_sites"] == 2

    def orders(run_id: int) -> list[tuple[Any, ...]]:
        rows = api.rows("ROAST", f"{RUNS}/{run_id}/planned-orders")
        return [(o["ref"], o["release_date"], o["due_date"], o["quantity"]) for o in rows]

    # GREEN: 120 needed in week 1 plus a safety stock of 10 = 130, MOQ 100, multiple 25 -> 150
    assert (
        orders(net["id"])
        == orders(full["id"])
        == [
            ("BLEND@PLANT#1", "2026-11-30", "2026-11-30", 100.0),
            ("GREEN@PLANT#1", "2026-11-23", "2026-11-30", 150.0),
        ]
    )
