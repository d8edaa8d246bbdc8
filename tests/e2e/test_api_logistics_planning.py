"""``POST /api/v1/logistics/plan`` and ``/logistics/routes`` on the hand-checked freight world
(``tests/services/logistics_world.py``), over SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.e2e.conftest import PASSWORD, TestClient
from tests.services.logistics_world import MONDAY, FreightWorld, freight_world, order

from tandem.bootstrap import Container
from tandem.services import identity


@dataclass(frozen=True)
class FreightApi:
    client: TestClient
    world: FreightWorld
    tokens: dict[str, str]

    def post(self, who: str, path: str, body: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.post(f"/api/v1{path}", json=body, headers=headers)


@pytest.fixture
def freight_api(
    api_app: tuple[FastAPI, TestClient], api_container: Container
) -> Iterator[FreightApi]:
    services = api_container.services
    world = freight_world(services, cost_per_km=1.0)
    order(
        world,
        "DC",
        [("BAG", 60, MONDAY + timedelta(days=2)), ("BAG", 50, MONDAY + timedelta(days=3))],
    )
    for shop, bags in (("SHOP-A", 50), ("SHOP-B", 60), ("SHOP-C", 30)):
        order(world, shop, [("BAG", bags, MONDAY)], from_site="DEPOT")
    tokens = {
        who: identity.login(services, f"{who}@example.com", PASSWORD).token
        for who in ("ship", "buy")
    }
    app, client = api_app
    idle = app.state.container
    app.state.container = api_container
    yield FreightApi(client, world, tokens)
    app.state.container = idle


def test_plan_returns_the_stored_loads_with_mode_and_utilisation(freight_api: FreightApi) -> None:
    body = {"from_day": "2026-11-23", "to_day": "2026-11-27", "window_days": 3}
    response = freight_api.post("ship", "/logistics/plan", body)
    assert response.status_code == 200, response.text
    plan = response.json()
    # PLANT -> DC: A (60 bags, due Wed) and B (50, due Thu) leave Monday; 1,100 kg need two
    # vans. Road lane 88.99 km (1 deg of longitude at 52 N x 1.3) at 1.0 a km: a van costs
    # 150 + 88.99 = 238.99 (+ carrying 8.22 for A, 6.85 for B); air is 3 a bag: A 180 (+2.05),
    # B 150 (+1.71): both fly. DEPOT -> shops (van lanes, 0 days, due Monday): one van each,
    # 150 + 14.455 km per 0.1 deg (x 1, x 2 for SHOP-B).
    loads = sorted(plan["loads"], key=lambda x: (x["destination"], x["cost"]))
    assert [(x["destination"], x["mode"], x["vehicle"], x["cost"]) for x in loads] == [
        ("DC", "air", None, 150.0),
        ("DC", "air", None, 180.0),
        ("SHOP-A", "van", "VAN", 164.46),
        ("SHOP-B", "van", "VAN", 178.91),
        ("SHOP-C", "van", "VAN", 164.46),
    ]
    assert plan["total_cost"] == 837.83
    assert [x["weight_utilisation"] for x in loads] == [None, None, 0.5, 0.6, 0.3]
    assert all(x["number"].startswith("LD-") for x in loads)
    assert plan["unplanned"] == []


def test_routes_return_the_ordered_stops_and_the_baseline(freight_api: FreightApi) -> None:
    depot = freight_api.world.sites["DEPOT"]
    body = {"depot_site_id": depot, "day": "2026-11-23", "time_limit_s": 1, "vehicles_per_type": 2}
    response = freight_api.post("ship", "/logistics/routes", body)
    assert response.status_code == 200, response.text
    plan = response.json()
    tours = sorted(tuple(s["code"] for s in r["stops"]) for r in plan["routes"])
    assert tours in ([("SHOP-A",), ("SHOP-B", "SHOP-C")], [("SHOP-A",), ("SHOP-C", "SHOP-B")])
    assert (plan["total_km"], plan["baseline_km"]) == (104.6, 75.7)
    assert plan["method"] == "or_tools_guided_local_search"


def test_routes_from_another_members_site_are_forbidden(freight_api: FreightApi) -> None:
    shop = freight_api.world.sites["SHOP-A"]
    body = {"depot_site_id": shop, "day": "2026-11-23"}
    response = freight_api.post("ship", "/logistics/routes", body)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_reversed_plan_window_is_a_validation_problem(freight_api: FreightApi) -> None:
    body = {"from_day": "2026-11-27", "to_day": "2026-11-23"}
    response = freight_api.post("ship", "/logistics/plan", body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
