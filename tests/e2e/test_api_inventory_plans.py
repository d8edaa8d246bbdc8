"""Coordinated inventory plans over HTTP on the hand-checked network of
:mod:`tests.inventory_plan_cases` (the numbers are those of the service tests)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from statistics import NormalDist

import pytest
from fastapi import FastAPI
from tests.e2e.conftest import USERS, ApiWorld, TestClient
from tests.inventory_plan_cases import (
    PASSWORD,
    grant_to_roaster,
    plan_ids,
    plan_snapshot,
    store_forecasts,
)

from tandem.adapters.memory import FixedClock
from tandem.bootstrap import Container
from tandem.services import identity, transfer

PLANS = "/api/v1/inventory-plans"
PROPOSALS = "/api/v1/inventory-proposals"


@pytest.fixture
def plan_world(
    api_app: tuple[FastAPI, TestClient], api_container: Container, api_clock: FixedClock
) -> Iterator[ApiWorld]:
    services = api_container.services
    network_id = transfer.import_snapshot(services, plan_snapshot()).network_id
    ids = plan_ids(services, network_id)
    tokens = {
        code: identity.login(services, email, PASSWORD).token for code, email in USERS.items()
    }
    principals = {c: identity.authenticate_token(services, t) for c, t in tokens.items()}
    store_forecasts(services, ids)
    grant_to_roaster(services, principals["BEANS"], principals["CAFE"], ids.members["ROAST"])
    app, client = api_app
    idle = app.state.container
    app.state.container = api_container
    yield ApiWorld(client, api_container, api_clock, ids.members, ids.sites, ids.items, tokens)
    app.state.container = idle


def test_plan_returns_stages_comparison_members_landed_cost_and_shares(
    plan_world: ApiWorld,
) -> None:
    response = plan_world.post("ROAST", PLANS, {"service_level": 0.95})
    body = response.json()

    assert response.status_code == 200, response.text
    assert (body["method"], body["optimal_proven"], body["gap"]) == ("tree_dp", True, 0.0)
    assert [(s["item"], s["site"], s["processing_time"]) for s in body["stages"]] == [
        ("GREEN", "PORT", 2.0),
        ("GREEN", "PLANT", 3.0),
        ("BLEND", "PLANT", 1.0),
        ("BLEND", "CAFE-1", 1.0),
        ("BLEND", "CAFE-2", 2.0),
    ]
    assert [s["value"] for s in body["stages"]] == pytest.approx(
        [4.0, 4.305, 6.88125, 7.18125, 7.18125]
    )
    policies = {p["policy"]: p for p in body["policies"]}
    # (a) by hand: see tests/services/test_inventory_plan.py
    assert policies["buffer_everywhere"]["holding_cost"] == pytest.approx(192.2983, abs=1e-4)
    assert policies["optimal"]["holding_cost"] <= policies["push_to_customer"]["holding_cost"]
    assert policies["optimal"]["holding_cost"] <= policies["buffer_everywhere"]["holding_cost"]
    assert [m["member"] for m in body["members"]] == ["BEANS", "ROAST", "CAFE"]
    assert [f["rule"] for f in body["fair_shares"]] == ["proportional", "shapley"]
    assert [line["site"] for line in body["landed_costs"]] == ["CAFE-1", "CAFE-2"]
    assert body["exclusions"] == []
    cafe2 = body["stages"][4]
    assert cafe2["demand_std"] == pytest.approx(math.sqrt(75))
    z = NormalDist().inv_cdf(0.95)
    assert cafe2["safety_stock"] == pytest.approx(
        z * math.sqrt(75) * math.sqrt(cafe2["net_lead_time"])
    )


def test_partner_without_grants_is_told_what_was_left_out(plan_world: ApiWorld) -> None:
    body = plan_world.post("CAFE", PLANS, {}).json()

    assert [s["site"] for s in body["stages"]] == ["CAFE-1", "CAFE-2"]
    assert [(e["member"], e["category"], e["rows"]) for e in body["exclusions"]] == [
        ("BEANS", "planning_parameters", 1),
        ("ROAST", "bills_of_materials", 1),
        ("ROAST", "planning_parameters", 2),
    ]


def test_no_demand_is_a_problem_with_a_stable_code(plan_world: ApiWorld) -> None:
    response = plan_world.post("BEANS", PLANS, {"service_level": 0.9})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "no_demand_stages"


def test_invalid_service_level_is_rejected(plan_world: ApiWorld) -> None:
    response = plan_world.post("ROAST", PLANS, {"service_level": 1.0})

    assert (response.status_code, response.json()["code"]) == (422, "request_validation")


def test_proposal_is_created_and_readable_by_every_member(plan_world: ApiWorld) -> None:
    plan = plan_world.post("ROAST", PLANS, {"service_level": 0.95}).json()
    created = plan_world.post("ROAST", PROPOSALS, {"service_level": 0.95, "title": "Blend at 95 %"})
    body = created.json()
    read = plan_world.get("BEANS", f"{PROPOSALS}/{body['id']}").json()

    assert created.status_code == 201, created.text
    assert body["status"] == "open"
    optimal = next(p for p in plan["policies"] if p["policy"] == "optimal")
    assert body["cost_optimal"] == pytest.approx(optimal["holding_cost"])
    assert read["proposal"]["title"] == "Blend at 95 %"
    again = plan_world.post("ROAST", PROPOSALS, {"title": "Again"})
    assert (again.status_code, again.json()["code"]) == (409, "open_proposal_exists")
