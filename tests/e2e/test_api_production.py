"""Production over HTTP: resources and routings, the resource load of a run, the master
schedule, releasing and scheduling production orders, capable-to-promise.

The café orders 100 kg of BLEND for Tuesday 2026-12-01; the roaster's weekly run from Monday
2026-11-23 (4 weeks) plans BLEND@PLANT#1: 100 due and released Monday 2026-11-30 (week 1).
The roaster works 8 h a day, Monday to Friday (40 h a week); BLEND takes 2 h setup + 0.5 h/kg.
* Load: 2 + 100 x 0.5 = 52 h in week 1 against 40 (utilisation 1.3, excess 12); week 0 has
  only 40 h free, so no levelling move fits.
* MPS (no backlog, holding 1 per kg-week): a week makes at most (40 - 2) / 0.5 = 76 kg, so 24
  kg are made in week 0 and held one week (cost 24), 76 in week 1 (load 14 h and 40 h).
* Schedule from Monday 23, 06:00: one operation of 52 h = 3120 working minutes, 6.5 shifts of
  480: it ends Tuesday 12-01 at 10:00, 240 minutes after the end of Monday 30's shift (due).
* Promise of 10 kg (2 + 5 = 7 h = 420 min): after the booked order, at minute 3540 = Wednesday
  12-02 09:00, in time for a request of 12-02.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from tests.e2e.conftest import ApiWorld
from tests.services.planning_world import planning_snapshot
from typer.testing import CliRunner

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.bootstrap import bootstrap
from tandem.cli.main import app
from tandem.config import Settings
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.production import RoutingOperation
from tandem.services import identity, planning, production, transfer

RESOURCES = "/api/v1/production/resources"
ROUTINGS = "/api/v1/production/routings"
runner = CliRunner()


def _problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def _planned_run(api: ApiWorld) -> int:
    green = {"item_id": api.items["GREEN"], "site_id": api.sites["PLANT"]}
    assert api.put("ROAST", "/api/v1/item-sites", green).is_success  # BLEND is made of GREEN
    order = {
        "seller_member_id": api.members["ROAST"], "ship_to_site_id": api.sites["CAFE-1"],
        "lines": [{"item_id": api.items["BLEND"], "quantity": "100", "unit_price_minor": 1200,
                   "requested_date": "2026-12-01"}],
    }  # fmt: skip
    placed = api.post("CAFE", "/api/v1/purchase-orders", order)
    assert placed.status_code == 201, placed.text
    assert api.post("CAFE", f"/api/v1/purchase-orders/{placed.json()['id']}/submit").is_success
    services = api.container.services
    roaster = identity.authenticate_token(services, api.tokens["ROAST"])
    command = planning.StartRun(horizon_buckets=4, as_of=api.clock.now().date().replace(day=23))
    run = planning.execute_run(services, planning.start_run(services, roaster, command).id)
    return run.id


def _shop(api: ApiWorld) -> dict[str, Any]:
    roaster = api.post("ROAST", RESOURCES, {
        "site_id": api.sites["PLANT"], "code": "ROASTER", "name": "Drum roaster",
        "hours_per_day": 8, "max_overtime_hours_per_day": 2, "overtime_cost_per_hour": 40,
    })  # fmt: skip
    assert roaster.status_code == 201, roaster.text
    assert roaster.headers["Location"] == f"{RESOURCES}/{roaster.json()['id']}"
    routing = api.post("ROAST", ROUTINGS, {
        "item_id": api.items["BLEND"], "site_id": api.sites["PLANT"], "family": "house",
        "operations": [{"resource_id": roaster.json()["id"], "setup_hours": 2,
                        "run_hours_per_unit": 0.5}],
    })  # fmt: skip
    assert routing.status_code == 201, routing.text
    return {"resource": roaster.json(), "routing": routing.json()}


def test_resources_and_routings_are_the_members_own(api_world: ApiWorld) -> None:
    api = api_world
    shop = _shop(api)
    resource = shop["resource"]
    assert (resource["kind"], resource["working_weekdays"], resource["changeovers"]) == (
        "work_centre", [0, 1, 2, 3, 4], [],
    )  # fmt: skip
    assert [r["code"] for r in api.rows("ROAST", RESOURCES)] == ["ROASTER"]
    assert api.rows("CAFE", RESOURCES) == []
    _problem(api.get("CAFE", f"{RESOURCES}/{resource['id']}"), 404, "not_found")
    _problem(api.delete("ROAST", f"{RESOURCES}/{resource['id']}"), 409, "in_use")
    bad = {"site_id": api.sites["CAFE-1"], "code": "OVEN", "name": "Oven", "hours_per_day": 8}
    _problem(api.post("ROAST", RESOURCES, bad), 422, "validation_failed")
    _problem(api.post("ROAST", RESOURCES, {**bad, "site_id": api.sites["PLANT"],
                                          "code": "ROASTER"}), 409, "duplicate_code")  # fmt: skip
    changed = api.put("ROAST", f"{RESOURCES}/{resource['id']}", {
        "site_id": api.sites["PLANT"], "code": "ROASTER", "name": "Drum roaster",
        "hours_per_day": 16, "changeovers": [
            {"from_family": "house", "to_family": "decaf", "hours": 0.5}],
    })  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["changeovers"] == [
        {"from_family": "house", "to_family": "decaf", "hours": 0.5}
    ]
    routing_url = f"{ROUTINGS}/{shop['routing']['id']}"
    assert api.get("ROAST", routing_url).json()["operations"] == [
        {"resource_id": resource["id"], "setup_hours": 2.0, "run_hours_per_unit": 0.5}
    ]
    assert api.delete("ROAST", routing_url).status_code == 204
    assert api.delete("ROAST", f"{RESOURCES}/{resource['id']}").status_code == 204


def test_a_run_is_loaded_planned_released_scheduled_and_promised(api_world: ApiWorld) -> None:
    api = api_world
    _shop(api)
    _problem(api.get("ROAST", "/api/v1/production/schedule"), 404, "not_found")
    run_id = _planned_run(api)

    load = api.get("ROAST", f"/api/v1/planning-runs/{run_id}/resource-load")
    assert load.status_code == 200, load.text
    body = load.json()
    assert body["buckets"] == ["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]
    (row,) = body["resources"]
    assert (row["capacity"], row["load"]) == ([40.0] * 4, [0.0, 52.0, 0.0, 0.0])
    assert row["utilisation"] == [0.0, 1.3, 0.0, 0.0]
    assert [(o["bucket_start"], o["excess"], o["orders"]) for o in body["overloads"]] == [
        ("2026-11-30", 12.0, [{"ref": "BLEND@PLANT#1", "hours": 52.0}])
    ]
    assert body["moves"] == []
    _problem(api.get("CAFE", f"/api/v1/planning-runs/{run_id}/resource-load"), 404, "not_found")

    mps = api.post("ROAST", "/api/v1/production/mps",
                   {"holding_cost": 1, "allow_backlog": False})  # fmt: skip
    assert mps.status_code == 200, mps.text
    plan = mps.json()
    assert (plan["status"], plan["objective"], plan["costs"]["holding"]) == ("optimal", 24.0, 24.0)
    assert plan["products"][0]["production"] == [24.0, 76.0, 0.0, 0.0]
    assert plan["resources"][0]["load"] == [14.0, 40.0, 0.0, 0.0]

    released = api.post("ROAST", "/api/v1/production-orders/release", {})
    assert released.status_code == 200, released.text
    assert [
        (o["planned_order_ref"], o["quantity"], o["due_date"], o["status"]) for o in released.json()
    ] == [("BLEND@PLANT#1", 100.0, "2026-11-30", "released")]

    scheduled = api.post("ROAST", "/api/v1/production/schedule", {"start": "2026-11-23"})
    assert scheduled.status_code == 200, scheduled.text
    (bar,) = scheduled.json()["bars"]
    assert (bar["start_minute"], bar["end_minute"], bar["tardy"]) == (0, 3120, True)
    assert (bar["start_at"], bar["end_at"]) == ("2026-11-23T06:00:00Z", "2026-12-01T10:00:00Z")
    assert scheduled.json()["orders"][0]["tardiness_minutes"] == 240
    assert api.get("ROAST", "/api/v1/production/schedule").json() == scheduled.json()

    ask = {"item_id": api.items["BLEND"], "site_id": api.sites["PLANT"], "quantity": 10,
           "requested_date": "2026-12-02"}  # fmt: skip
    promise = api.post("ROAST", "/api/v1/production/ctp", ask)
    assert promise.status_code == 200, promise.text
    assert (promise.json()["earliest_completion_at"], promise.json()["on_time"]) == (
        "2026-12-02T09:00:00Z", True,
    )  # fmt: skip
    _problem(api.post("ROAST", "/api/v1/production/ctp", {"item_id": api.items["BLEND"]}),
             422, "request_validation")  # fmt: skip


@pytest.fixture
def roastery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The planning world (BLEND 30 a week, 3 days processing) with a roaster resource: 8 h a
    day, Monday to Friday, closed Wednesday 2026-12-02; BLEND takes 2 h + 1.2 h/kg."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    network_id = transfer.import_snapshot(c.services, planning_snapshot()).network_id
    with c.services.uow() as uow:
        roast = uow.members.find(network_id=network_id, code="ROAST")[0].id
        blend = uow.items.find(network_id=network_id, sku="BLEND")[0].id
        plant = uow.sites.find(network_id=network_id, code="PLANT")[0].id
        uow.forecasts.add_many([
            ForecastPoint(0, roast, plant, blend, date(2026, 11, 23) + timedelta(weeks=w), 30.0,
                          None, None, None, None, "test", datetime(2026, 11, 20, tzinfo=UTC))
            for w in range(6)
        ])  # fmt: skip
        uow.commit()
    roaster = Principal(roast, network_id, "test", ALL_SCOPES)
    spec = production.ResourceSpec(plant, "ROASTER", "Drum roaster",
                                   non_working_dates=(date(2026, 12, 2),))  # fmt: skip
    resource = production.create_resource(c.services, roaster, spec)
    operation = RoutingOperation(resource.id, 2.0, 1.2)
    production.create_routing(
        c.services, roaster, production.RoutingSpec(blend, plant, (operation,))
    )
    c.engine.dispose()


def test_the_plan_workbook_carries_the_resource_load(roastery: None, tmp_path: Path) -> None:
    # MRP (nothing on hand, safety stock 20, 30 a week, 3 days processing = one bucket):
    # BLEND@PLANT#2 = 50 due week 0, released past due (a late start, loaded in week 0):
    # 2 + 60 = 62 h; #1, #3, #4 = 30 due weeks 1..3, released a week earlier: 2 + 36 = 38 h.
    # Week 0: 62 + 38 = 100 h of 40; week 1: 38 of 32 (holiday Wednesday); week 2: 38 of 40.
    # No levelling move fits: nothing is earlier than week 0, and week 0 is full.
    plan = ["plan", "run", "--member", "ROAST", "--horizon-weeks", "4", "--as-of", "2026-11-23"]
    assert runner.invoke(app, plan).exit_code == 0
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["plan", "export", str(out), "--member", "ROAST"])
    assert result.exit_code == 0, result.output
    rows = [list(r) for r in load_workbook(out)["resource load"].iter_rows(values_only=True)]
    week0, week1 = datetime(2026, 11, 23), datetime(2026, 11, 30)
    assert rows[0] == ["resource", "row", week0, week1, datetime(2026, 12, 7),
                       datetime(2026, 12, 14)]  # fmt: skip
    assert rows[1:4] == [
        ["ROASTER", "capacity (h)", 40, 32, 40, 40],
        ["ROASTER", "load (h)", 100, 38, 38, 0],
        ["ROASTER", "utilisation", 2.5, 1.1875, 0.95, 0],
    ]
    assert rows[7] == ["ROASTER", week0, 100, 40, 60,
                       "BLEND@PLANT#2 (62 h); BLEND@PLANT#1 (38 h)"]  # fmt: skip
    assert rows[8] == ["ROASTER", week1, 38, 32, 6, "BLEND@PLANT#3 (38 h)"]
    assert rows[-1] == ["planned order", "from bucket", "to bucket", None, None, None]
