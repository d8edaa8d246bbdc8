"""Parsing and validation of guaranteed-service network files (tandem.services.meio_files).

Hand-checked assembly network (holding_rate 0.25, 0.95 service level, 0.99 at dc-west)::

    part-a (added 10) --2--> sub (added 6) <--1-- part-b (added 4)
    part-a --1--> final (added 20) <--1-- sub
    final --1--> dc-east (added 1, N(40, 12^2)),  final --1--> dc-west (added 1.5, N(25, 9^2))

Cumulative costs: part-a 10, part-b 4, sub 6 + 2*10 + 4 = 30, final 20 + 10 + 30 = 60,
dc-east 61, dc-west 61.5. Units of part-a per unit of demand: 1 (direct) + 2 (via sub) = 3.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from scipy.stats import norm  # type: ignore[import-untyped, unused-ignore]

from tandem.domain.errors import ValidationFailed
from tandem.services.meio_files import SolveMethod, compare_problem, parse_network, solve_problem


def assembly() -> dict[str, Any]:
    return {
        "service_level": 0.95,
        "holding_rate": 0.25,
        "stages": [
            {"id": "part-a", "processing_time": 3, "added_cost": 10.0,
             "external_inbound_service_time": 1},
            {"id": "part-b", "processing_time": 5, "added_cost": 4.0},
            {"id": "sub", "processing_time": 2, "added_cost": 6.0},
            {"id": "final", "processing_time": 1, "added_cost": 20.0},
            {"id": "dc-east", "processing_time": 2, "added_cost": 1.0, "demand_mean": 40.0,
             "demand_std": 12.0, "max_service_time": 0},
            {"id": "dc-west", "processing_time": 3, "added_cost": 1.5, "demand_mean": 25.0,
             "demand_std": 9.0, "max_service_time": 1, "service_level": 0.99},
        ],
        "arcs": [
            {"from": "part-a", "to": "sub", "quantity": 2},
            {"from": "part-b", "to": "sub", "quantity": 1},
            {"from": "part-a", "to": "final"},
            {"from": "sub", "to": "final", "quantity": 1},
            {"from": "final", "to": "dc-east", "quantity": 1},
            {"from": "final", "to": "dc-west", "quantity": 1},
        ],
    }  # fmt: skip


def violations(doc: object) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        parse_network(doc if isinstance(doc, str) else json.dumps(doc))
    return [str(v) for v in info.value.violations]


def test_holding_cost_is_rate_times_cumulative_added_cost() -> None:
    problem = parse_network(json.dumps(assembly()))
    names = [s.name for s in problem.network.stages]
    cumulative = dict(zip(names, problem.cumulative_cost, strict=True))
    assert cumulative == {
        "part-a": 10.0, "part-b": 4.0, "sub": 30.0, "final": 60.0, "dc-east": 61.0,
        "dc-west": 61.5,
    }  # fmt: skip
    holding = {s.name: s.holding_cost for s in problem.network.stages}
    assert holding == pytest.approx(
        {"part-a": 2.5, "part-b": 1.0, "sub": 7.5, "final": 15.0, "dc-east": 15.25,
         "dc-west": 15.375}
    )  # fmt: skip


def test_explicit_holding_cost_wins_over_the_rate() -> None:
    doc = assembly()
    doc["stages"][2]["holding_cost"] = 99.0
    doc["stages"][3]["holding_cost"] = None  # null: use the rate
    holding = {s.name: s.holding_cost for s in parse_network(json.dumps(doc)).network.stages}
    assert holding["sub"] == 99.0
    assert holding["final"] == 15.0


def test_pooled_mean_counts_every_path() -> None:
    problem = parse_network(json.dumps(assembly()))
    names = [s.name for s in problem.network.stages]
    mean = dict(zip(names, problem.mean_demand, strict=True))
    assert mean == {"part-a": 195.0, "part-b": 65.0, "sub": 65.0, "final": 65.0,
                    "dc-east": 40.0, "dc-west": 25.0}  # fmt: skip


def test_service_levels_become_z_and_a_stage_overrides_the_network() -> None:
    stages = {s.name: s for s in parse_network(json.dumps(assembly())).network.stages}
    network = parse_network(json.dumps(assembly())).network
    assert network.service_factor == pytest.approx(1.6448536269514722)
    assert stages["dc-east"].service_factor is None
    assert stages["dc-west"].service_factor == pytest.approx(norm.ppf(0.99))


def test_base_and_safety_stock_of_part_a_by_hand() -> None:
    result = solve_problem(parse_network(json.dumps(assembly())), SolveMethod.EXACT)
    a = result.stages["part-a"]
    z95, z99 = norm.ppf(0.95), norm.ppf(0.99)
    pooled = math.sqrt((3 * z95 * 12.0) ** 2 + (3 * z99 * 9.0) ** 2)
    assert a.net_lead_time == a.inbound_service_time + 3 - a.outbound_service_time
    assert a.safety_stock == pytest.approx(pooled * math.sqrt(a.net_lead_time))
    assert a.base_stock == pytest.approx(195.0 * a.net_lead_time + a.safety_stock)
    assert a.holding_cost == pytest.approx(2.5 * a.safety_stock)
    assert result.total_cost == pytest.approx(sum(s.holding_cost for s in result.stages.values()))


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_network('{\n  "stages": [\n    {"id": "a",}\n  ]\n}')
    assert "line 3, column" in info.value.detail


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["stages"][0].pop("processing_time"),
         "stage 'part-a'.processing_time: missing (required)"),
        (lambda d: d["stages"][0].update(procesing_time=3),
         "stage 'part-a'.procesing_time: unknown key"),
        (lambda d: d.update(holding_rte=0.3), "network.holding_rte: unknown key"),
        (lambda d: d["arcs"][0].update(qty=2), "arc 'part-a' -> 'sub'.qty: unknown key"),
        (lambda d: d["stages"].append({"id": "sub", "processing_time": 1}),
         "stage 'sub'.id: duplicate stage id"),
        (lambda d: d["arcs"].append({"from": "part-a", "to": "nowhere"}),
         "arc 'part-a' -> 'nowhere'.to: unknown stage id 'nowhere'"),
        (lambda d: d["arcs"].append({"from": "ghost", "to": "sub"}),
         "arc 'ghost' -> 'sub'.from: unknown stage id 'ghost'"),
        (lambda d: d["arcs"].append({"from": "sub", "to": "sub"}),
         "arc 'sub' -> 'sub': an arc must join two different stages"),
        (lambda d: d["stages"][1].update(processing_time=-1),
         "stage 'part-b'.processing_time: must be >= 0, got -1"),
        (lambda d: d["stages"][4].update(max_service_time=-2),
         "stage 'dc-east'.max_service_time: must be >= 0"),
        (lambda d: d["stages"][0].update(external_inbound_service_time=-1),
         "stage 'part-a'.external_inbound_service_time: must be >= 0"),
        (lambda d: d["arcs"][0].update(quantity=0), "arc 'part-a' -> 'sub'.quantity: must be > 0"),
        (lambda d: d["arcs"][0].update(quantity=-1), "arc 'part-a' -> 'sub'.quantity: must be > 0"),
        (lambda d: d["stages"][0].update(processing_time="3"),
         "stage 'part-a'.processing_time: must be a finite number, got \"3\""),
        (lambda d: d["stages"][0].update(processing_time=True),
         "stage 'part-a'.processing_time: must be a finite number"),
        (lambda d: d["stages"][4].update(demand_std=-1.0),
         "stage 'dc-east'.demand_std: must be >= 0"),
        (lambda d: d["stages"][5].update(z=2.0), "stage 'dc-west'.z: give service_level or z"),
        (lambda d: d["stages"][5].update(service_level=1.0),
         "stage 'dc-west'.service_level: must be in [0.5, 1)"),
        (lambda d: d["stages"][5].pop("max_service_time"),
         "stage 'dc-west'.max_service_time: a demand stage needs max_service_time"),
        (lambda d: d["stages"][1].pop("id"), "stages[1].id: missing"),
        (lambda d: d["arcs"].append({"to": "sub"}), "arcs[6].from: missing"),
        (lambda d: d.pop("stages"), "network.stages: must be a non-empty list"),
        (lambda d: d["arcs"].append({"from": "part-a", "to": "sub"}),
         "arc 'part-a' -> 'sub': duplicate arc"),
    ],
)  # fmt: skip
def test_invalid_input_names_the_stage_or_arc(mutate: Any, expected: str) -> None:
    doc = assembly()
    mutate(doc)
    found = violations(doc)
    assert any(expected in v for v in found), found


def test_a_cycle_names_its_stages() -> None:
    doc = assembly()
    doc["arcs"].append({"from": "dc-east", "to": "sub"})
    (message,) = violations(doc)
    assert "cycle" in message
    cycle = message.split("cycle: ")[1].split(" -> ")
    assert cycle[0] == cycle[-1]  # starts and ends at the same stage
    assert sorted(cycle[:-1]) == ["'dc-east'", "'final'", "'sub'"]
    assert message.startswith(f"stage {cycle[0]}: ")


def test_a_demand_stage_without_a_service_level_is_named() -> None:
    doc = assembly()
    del doc["service_level"]
    found = violations(doc)
    assert found == [
        "stage 'dc-east'.service_level: a demand stage needs a service level: give "
        "service_level or z on the stage or the network"
    ]


def test_a_mean_only_demand_stage_still_needs_a_service_level() -> None:
    doc = assembly()
    del doc["service_level"]
    doc["stages"][4]["service_level"] = 0.9
    doc["stages"][5]["demand_std"] = 0.0
    doc["stages"][5].pop("service_level")
    assert any("stage 'dc-west'.service_level" in v for v in violations(doc))


def test_no_holding_cost_available_is_named() -> None:
    doc = assembly()
    del doc["holding_rate"]
    doc["stages"] = [{**s, "holding_cost": 1.0} for s in doc["stages"]]
    doc["stages"][3]["holding_cost"] = None
    assert violations(doc) == [
        "stage 'final'.holding_cost: no holding_cost and no network holding_rate"
    ]
    doc = assembly()
    del doc["stages"][1]["added_cost"]
    found = violations(doc)
    assert "stage 'sub'.holding_cost: no holding_cost, and the cumulative cost is unknown: " \
        "stage 'part-b' has no added_cost" in found  # fmt: skip
    assert any(v.startswith("stage 'part-b'.holding_cost") for v in found)


def test_nan_and_infinity_are_rejected() -> None:
    with pytest.raises(ValidationFailed, match="not a finite number"):
        parse_network('{"stages": [{"id": "a", "processing_time": NaN}]}')
    doc = json.dumps(assembly()).replace('"processing_time": 3', '"processing_time": 1e999', 1)
    assert any("must be a finite number" in v for v in violations(doc))


def test_not_an_object() -> None:
    assert violations("[1, 2]") == ["network: the file must hold one JSON object"]


def test_tree_dp_on_a_non_tree_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="--method tree-dp needs a spanning tree"):
        solve_problem(parse_network(json.dumps(assembly())), SolveMethod.TREE_DP)


def test_every_method_agrees_on_the_assembly_network() -> None:
    problem = parse_network(json.dumps(assembly()))
    exact = solve_problem(problem, SolveMethod.EXACT)
    auto = solve_problem(problem, SolveMethod.AUTO)
    heuristic = solve_problem(problem, SolveMethod.HEURISTIC)
    assert exact.method == "mip" and exact.optimal
    assert auto.optimal
    assert auto.total_cost == pytest.approx(exact.total_cost, rel=1e-9)
    assert heuristic.method == "heuristic"
    assert heuristic.total_cost >= exact.total_cost - 1e-9
    assert heuristic.gap >= 0.0


def test_member_labels_are_kept_beside_the_engine_network() -> None:
    doc = assembly()
    doc["stages"][0]["member"] = "parts-co"
    doc["stages"][1]["member"] = "parts-co"
    doc["stages"][4]["member"] = None
    problem = parse_network(json.dumps(doc))
    assert problem.members == ("parts-co", "parts-co", None, None, None, None)
    assert parse_network(json.dumps(assembly())).members == (None,) * 6


def test_member_label_must_be_a_non_empty_string() -> None:
    doc = assembly()
    doc["stages"][0]["member"] = " "
    assert violations(doc) == ["stage 'part-a'.member: must be a non-empty string or null"]


def test_compare_problem_per_member_and_per_policy() -> None:
    """Optimum <= both policies; member totals add the stages' holding costs; the cumulative
    costs 10, 4, 30, 60, 61, 61.5 weight the safety stocks into the safety-stock value."""
    doc = assembly()
    for stage in doc["stages"]:
        stage["member"] = "maker" if stage["id"] in {"sub", "final"} else "others"
    problem = parse_network(json.dumps(doc))
    out = compare_problem(problem, SolveMethod.EXACT).to_json()
    policies = out["policies"]
    assert out["optimal_proven"] is True
    optimal = policies["optimal"]["total_cost"]
    assert optimal <= policies["buffer_everywhere"]["total_cost"] + 1e-9
    assert optimal <= policies["push_to_customer"]["total_cost"] + 1e-9
    cumulative = {"part-a": 10, "part-b": 4, "sub": 30, "final": 60, "dc-east": 61, "dc-west": 61.5}
    for policy, result in policies.items():
        stages = result["stages"]
        assert result["safety_stock_value"] == pytest.approx(
            sum(cumulative[k] * v["safety_stock"] for k, v in stages.items())
        )
        maker = stages["sub"]["holding_cost"] + stages["final"]["holding_cost"]
        assert out["members"]["maker"][policy] == pytest.approx(maker)
    push = policies["push_to_customer"]["stages"]
    assert [push[k]["safety_stock"] for k in ("part-a", "part-b", "sub", "final")] == [0.0] * 4
