"""The risk register and the TTS/TTR analysis over HTTP: sharing rules, If-Match versions,
problem+json codes, and the hand-solved table of :mod:`tests.risk_cases`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.e2e.conftest import ApiWorld
from tests.risk_cases import load_risk_world, share_everything_with_roaster
from tests.support import PASSWORD

from tandem.services import identity, lanes

RISKS = "/api/v1/risks"
ANALYSES = "/api/v1/risk-analyses"


def _flood(world: ApiWorld, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "Cafe one flooded",
        "category": "natural_hazard",
        "likelihood": 3,
        "impact": 4,
        "site_ids": [world.sites["CAFE-1"]],
        "recovery_days": 10,
        "owner_name": "Carl Cafe",
        **changes,
    }
    return body


def _problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_created_risk_is_the_owners_until_shared(api_world: ApiWorld) -> None:
    created = api_world.post("CAFE", RISKS, _flood(api_world))

    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["Location"] == f"{RISKS}/{body['id']}"
    assert created.headers["ETag"] == '"1"'
    assert (body["score"], body["band"], body["status"]) == (12, "high", "open")
    assert api_world.rows("ROAST", RISKS) == []
    _problem(api_world.get("ROAST", f"{RISKS}/{body['id']}"), 404, "not_found")

    grant = {"grantee_member_id": api_world.members["ROAST"], "category": "risks"}
    assert api_world.post("CAFE", "/api/v1/grants", grant).status_code == 201

    assert [r["title"] for r in api_world.rows("ROAST", RISKS)] == ["Cafe one flooded"]
    _problem(
        api_world.post("ROAST", f"{RISKS}/{body['id']}/status", {"status": "closed"}),
        403,
        "forbidden",
    )


def test_changes_honour_if_match_and_are_recorded(api_world: ApiWorld) -> None:
    risk_id = api_world.post("CAFE", RISKS, _flood(api_world)).json()["id"]
    path = f"{RISKS}/{risk_id}"

    stale = api_world.put("CAFE", path, _flood(api_world, likelihood=5), **{"If-Match": '"2"'})
    _problem(stale, 412, "stale_version")
    updated = api_world.put("CAFE", path, _flood(api_world, likelihood=5), **{"If-Match": '"1"'})
    assert (updated.status_code, updated.headers["ETag"]) == (200, '"2"')
    assert (updated.json()["score"], updated.json()["band"]) == (20, "critical")

    added = api_world.post("CAFE", f"{path}/mitigations", {"text": "Sandbags"}, **{"If-Match": "2"})
    assert added.json()["mitigations"][0]["status"] == "planned"
    done = api_world.post("CAFE", f"{path}/mitigations/1/complete", None)
    assert done.json()["mitigations"][0]["status"] == "done"
    closed = api_world.post("CAFE", f"{path}/status", {"status": "closed", "note": "dry"})
    assert (closed.json()["status"], closed.json()["version"]) == ("closed", 5)
    _problem(
        api_world.post("CAFE", f"{path}/status", {"status": "mitigating"}),
        409,
        "invalid_state_transition",
    )

    history = api_world.get("CAFE", f"{path}/history").json()
    assert [(e["version"], e["kind"]) for e in history] == [
        (1, "created"),
        (2, "updated"),
        (3, "mitigation_added"),
        (4, "mitigation_completed"),
        (5, "status_changed"),
    ]
    assert history[1]["detail"] == {"likelihood": [3, 5]}


def test_invalid_risks_are_problems(api_world: ApiWorld) -> None:
    _problem(
        api_world.post("CAFE", RISKS, _flood(api_world, likelihood=6)), 422, "request_validation"
    )
    _problem(
        api_world.post("CAFE", RISKS, _flood(api_world, site_ids=[])), 422, "validation_failed"
    )
    _problem(
        api_world.put("CAFE", f"{RISKS}/1", _flood(api_world), **{"If-Match": "v1"}),
        422,
        "validation_failed",
    )


def test_heat_map_counts_every_cell_and_filters(api_world: ApiWorld) -> None:
    api_world.post("CAFE", RISKS, _flood(api_world))
    api_world.post("CAFE", RISKS, _flood(api_world, title="Second", likelihood=5, impact=5))

    cells = api_world.get("CAFE", f"{RISKS}/heat-map").json()
    by_cell = {(c["likelihood"], c["impact"]): (c["count"], c["band"]) for c in cells}

    assert len(cells) == 25
    assert (by_cell[(3, 4)], by_cell[(5, 5)], by_cell[(1, 1)]) == (
        (1, "high"),
        (1, "critical"),
        (0, "low"),
    )
    critical = api_world.rows("CAFE", RISKS, band="critical")
    assert [r["title"] for r in critical] == ["Second"]


def _headers(api_world: ApiWorld, email: str) -> dict[str, str]:
    token = identity.login(api_world.container.services, email, PASSWORD).token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def risk_world(api_world: ApiWorld) -> Any:
    return load_risk_world(api_world.container.services, "-api")


def test_analysis_returns_the_hand_solved_table_and_what_ifs(
    api_world: ApiWorld, risk_world: Any
) -> None:
    share_everything_with_roaster(risk_world)
    roaster = _headers(api_world, "roaster-api@example.com")
    fire = {
        "title": "Roastery fire",
        "category": "plant",
        "likelihood": 2,
        "impact": 5,
        "site_ids": [risk_world.sites["PLANT"]],
        "recovery_days": 14,
    }
    assert api_world.client.post(RISKS, json=fire, headers=roaster).status_code == 201
    extra = {
        "site_id": risk_world.sites["CAFE-2"],
        "item_id": risk_world.items["BLEND"],
        "quantity": 4,
    }
    body = {"default_ttr_days": 7, "what_ifs": {"extra_stock": [extra]}}

    response = api_world.client.post(ANALYSES, json=body, headers=roaster)

    assert response.status_code == 200, response.text
    nodes = response.json()["nodes"]
    table = [
        (
            n["site_code"],
            n["member_code"],
            n["base"]["tts_days"],
            n["ttr_days"],
            n["base"]["exposed"],
        )
        for n in nodes
    ]
    assert table == [
        ("PLANT", "ROAST", pytest.approx(9.375), 14.0, True),
        ("CAFE-1", "CAFE", 0.0, 7.0, True),
        ("CAFE-2", "CAFE", 0.0, 7.0, True),
        ("PORT", "BEANS", pytest.approx(22.375), 7.0, False),
    ]
    assert [n["base"]["lost_margin"] for n in nodes] == pytest.approx([1295, 1225, 735, 0])
    assert nodes[0]["what_if"]["tts_days"] == pytest.approx(11.875)
    assert response.json()["left_out"] == []


def test_analysis_for_a_partner_without_grants_says_what_was_left_out(
    api_world: ApiWorld, risk_world: Any
) -> None:
    cafe = _headers(api_world, "cafe-api@example.com")

    response = api_world.client.post(ANALYSES, json={"default_ttr_days": 7}, headers=cafe)

    assert response.status_code == 200, response.text
    result = response.json()
    plant = next(n for n in result["nodes"] if n["site_code"] == "PLANT")
    assert plant["base"]["tts_days"] == pytest.approx(5.0)
    assert {(x["member_code"], x["category"], x["rows"]) for x in result["left_out"]} == {
        ("ROAST", "planning_parameters", 1),
        ("ROAST", "bills_of_materials", 1),
        ("ROAST", "inventory_positions", 2),
        ("BEANS", "planning_parameters", 1),
        ("BEANS", "inventory_positions", 1),
    }


def test_analysis_of_a_network_short_of_lane_capacity_is_a_problem(
    api_world: ApiWorld, risk_world: Any
) -> None:
    ctx = api_world.container.services
    with ctx.uow() as uow:
        lane = next(x for x in uow.lanes.find() if x.to_site_id == risk_world.sites["CAFE-1"])
    fields = lanes.LaneFields(
        lane.from_site_id, lane.to_site_id, lane.mode, 1.0, 0.2, 0.3, capacity_per_day=0.5
    )
    lanes.update_lane(ctx, risk_world.roaster, lane.id, fields)
    cafe = _headers(api_world, "cafe-api@example.com")

    response = api_world.client.post(ANALYSES, json={}, headers=cafe)

    _problem(response, 422, "risk_network_infeasible")
