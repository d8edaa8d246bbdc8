"""Working calendars over HTTP: set and read the member's and a site's calendar, the problems
of a bad one, and a planning run that nets with it and names it.

The café orders 100 kg of BLEND from the roaster for Monday 2026-12-28. The roaster works
Monday to Friday without 25 and 26 December. BLEND@PLANT has nothing on hand and is bought over
the lane PORT -> PLANT, 2 days. A daily plan from Monday 2026-12-21: working days before the
28th are 21, 22, 23, 24 (W = 4), so the release is the working day s with W(s) <= 4 - 2 = 2:
Wednesday 2026-12-23. Without the calendar every day works (W = 7): W(s) <= 5 is Saturday the
26th, a holiday.
"""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.conftest import ApiWorld

CALENDARS = "/api/v1/working-calendars"
RUNS = "/api/v1/planning-runs"
HAMBURG = {"name": "Hamburg", "holidays": ["2026-12-26", "2026-12-25"]}


def _wait(api: ApiWorld, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run: dict[str, Any] = api.get("ROAST", location).json()
        if run["status"] in ("succeeded", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run still {run['status']} after 120 s")


def test_member_and_site_calendars_are_set_and_read(api_world: ApiWorld) -> None:
    api = api_world
    missing = api.get("ROAST", CALENDARS)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    stored = api.put("ROAST", CALENDARS, HAMBURG)
    assert stored.status_code == 200, stored.text
    body = stored.json()
    assert (body["member_id"], body["site_id"], body["name"]) == (
        api.members["ROAST"], None, "Hamburg"
    )  # fmt: skip
    assert (body["working_weekdays"], body["holidays"]) == (
        [0, 1, 2, 3, 4], ["2026-12-25", "2026-12-26"]
    )  # fmt: skip
    assert api.get("ROAST", CALENDARS).json() == body
    plant = api.sites["PLANT"]
    site = api.put("ROAST", f"{CALENDARS}?site_id={plant}", {"name": "Plant", "holidays": []})
    assert site.status_code == 200, site.text
    assert (site.json()["site_id"], site.json()["working_weekdays"]) == (plant, [0, 1, 2, 3, 4])
    assert api.get("ROAST", CALENDARS, site_id=plant).json() == site.json()
    assert api.get("ROAST", CALENDARS).json() == body  # the member's is unchanged


def test_bad_calendars_are_problems(api_world: ApiWorld) -> None:
    api = api_world
    not_mine = api.put("CAFE", f"{CALENDARS}?site_id={api.sites['PLANT']}", HAMBURG)
    assert (not_mine.status_code, not_mine.json()["code"]) == (403, "forbidden")
    twice = api.put("ROAST", CALENDARS, {"name": "x", "holidays": ["2026-12-25"] * 2})
    assert (twice.status_code, twice.json()["code"]) == (422, "validation_failed")
    assert twice.json()["errors"] == [
        {"location": "working_calendar", "field": "holidays",
         "message": "listed twice: 2026-12-25"}
    ]  # fmt: skip
    no_day = api.put("ROAST", CALENDARS, {"name": "x", "working_weekdays": []})
    assert no_day.status_code == 422
    assert no_day.headers["content-type"] == "application/problem+json"


def test_a_run_nets_with_the_members_calendar_and_names_it(api_world: ApiWorld) -> None:
    api = api_world
    assert api.put("ROAST", CALENDARS, HAMBURG).status_code == 200
    order = {
        "seller_member_id": api.members["ROAST"], "ship_to_site_id": api.sites["CAFE-1"],
        "lines": [{"item_id": api.items["BLEND"], "quantity": "100", "unit_price_minor": 1200,
                   "requested_date": "2026-12-28"}],
    }  # fmt: skip
    placed = api.post("CAFE", "/api/v1/purchase-orders", order)
    assert placed.status_code == 201, placed.text
    submitted = api.post("CAFE", f"/api/v1/purchase-orders/{placed.json()['id']}/submit")
    assert submitted.status_code == 200, submitted.text
    body = {"horizon_buckets": 10, "bucket": "day", "as_of": "2026-12-21"}
    started = api.post("ROAST", RUNS, body)
    assert started.status_code == 202, started.text
    run = _wait(api, started.headers["Location"])
    assert (run["status"], run["error"]) == ("succeeded", "")
    assert run["calendar"] == "Hamburg (Mon–Fri, 2 holidays)"
    orders = api.rows("ROAST", f"{RUNS}/{run['id']}/planned-orders")
    got = [(o["ref"], o["release_date"], o["due_date"], o["quantity"]) for o in orders]
    assert got == [("BLEND@PLANT#1", "2026-12-23", "2026-12-28", 100.0)]
