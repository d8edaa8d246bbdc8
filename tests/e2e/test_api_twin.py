"""The digital twin over HTTP: stored scenarios (private to their member), runs side by side,
the traditional-versus-SCM report, and problem+json errors with stable codes."""

from __future__ import annotations

from tests.e2e.conftest import ApiWorld

SMALL = {"periods": 30, "replications": 4, "batch_size": 2, "warmup": 5, "seed": 1}
DOWN = {"type": "node_down", "site": "CAFE-1", "from_day": 10, "to_day": 14}


def test_scenarios_are_stored_read_changed_and_deleted_by_their_member(api_world: ApiWorld) -> None:
    made = api_world.post("CAFE", "/api/v1/scenarios", {"name": "closed", "deltas": [DOWN]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert made.headers["Location"] == f"/api/v1/scenarios/{body['id']}"
    assert (body["name"], body["deltas"]) == ("closed", [DOWN])
    assert [s["id"] for s in api_world.get("CAFE", "/api/v1/scenarios").json()] == [body["id"]]
    assert api_world.get("ROAST", "/api/v1/scenarios").json() == []
    hidden = api_world.get("ROAST", f"/api/v1/scenarios/{body['id']}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    changed = api_world.put(
        "CAFE", f"/api/v1/scenarios/{body['id']}", {"name": "open", "deltas": []}
    )
    assert (changed.status_code, changed.json()["name"]) == (200, "open")
    assert api_world.delete("CAFE", f"/api/v1/scenarios/{body['id']}").status_code == 204
    assert api_world.get("CAFE", "/api/v1/scenarios").json() == []


def test_an_invalid_delta_is_a_problem_naming_it(api_world: ApiWorld) -> None:
    bad = api_world.post(
        "CAFE", "/api/v1/scenarios", {"name": "x", "deltas": [{"type": "node_down"}]}
    )
    assert bad.status_code == 422
    problem = bad.json()
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "validation_failed"
    assert {(v["location"], v["field"]) for v in problem["errors"]} == {
        ("deltas[0]", "site"),
        ("deltas[0]", "from_day"),
        ("deltas[0]", "to_day"),
    }


def test_stored_and_inline_scenarios_run_side_by_side_against_the_base(
    api_world: ApiWorld,
) -> None:
    stored = api_world.post("CAFE", "/api/v1/scenarios", {"name": "closed", "deltas": [DOWN]})
    body = {
        **SMALL,
        "scenario_ids": [stored.json()["id"]],
        "scenarios": [{"name": "same", "deltas": []}],
    }
    run = api_world.post("CAFE", "/api/v1/scenarios/run", body)
    assert run.status_code == 200, run.text
    result = run.json()
    assert [s["name"] for s in result["scenarios"]] == ["base", "closed", "same"]
    assert result["options"] == {**SMALL, "batches": 2}
    base, closed, same = result["scenarios"]
    assert "difference" not in base or base["difference"] is None
    assert closed["difference"]["customer_backlog"]["value"] > 0
    # the same scenario on the same random numbers: exactly no difference
    assert same["difference"]["total_cost"]["value"] == 0.0
    assert same["figures"] == base["figures"]
    assert set(base["stages"]) == {"LATTE@CAFE-1"}  # the others have no demand: left out
    assert "left out of the twin" in result["warnings"][-1]


def test_a_run_of_nothing_or_of_a_foreign_scenario_is_refused(api_world: ApiWorld) -> None:
    empty = api_world.post("CAFE", "/api/v1/scenarios/run", SMALL)
    assert (empty.status_code, empty.json()["code"]) == (422, "validation_failed")
    theirs = api_world.post("ROAST", "/api/v1/scenarios", {"name": "r", "deltas": []})
    foreign = api_world.post(
        "CAFE", "/api/v1/scenarios/run", {**SMALL, "scenario_ids": [theirs.json()["id"]]}
    )
    assert (foreign.status_code, foreign.json()["code"]) == (404, "not_found")
    nowhere = {"type": "lane_down", "lane": "X>Y", "from_day": 1, "to_day": 2}
    unfit = api_world.post(
        "CAFE",
        "/api/v1/scenarios/run",
        {**SMALL, "scenarios": [{"name": "n", "deltas": [nowhere]}]},
    )
    assert unfit.status_code == 422
    assert unfit.json()["errors"][0]["message"] == "matches nothing in the network"


def test_the_report_has_traditional_and_shared_columns_without_an_adopted_policy(
    api_world: ApiWorld,
) -> None:
    report = api_world.post("CAFE", "/api/v1/twin/report", SMALL)
    assert report.status_code == 200, report.text
    body = report.json()
    assert [c["mode"] for c in body["columns"]] == ["traditional", "shared"]
    assert body["adopted"] == "no adopted policy"
    assert [m["member"] for m in body["columns"][0]["members"]] == ["CAFE"]
    assert set(body["sharing_gain"]) == {
        "total_cost",
        "cost_per_unit",
        "customer_fill_rate",
        "customer_backlog",
        "landed_cost",
    }
