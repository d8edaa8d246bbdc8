"""``tandem meio solve`` through the command line.

Guaranteed-service references (docs/engines/meio.md, /shared/guide/THEORY.md): Simchi-Levi &
Snyder (S&S) Example 6.3 (serial, cost 2 sqrt 2 = 2.828427, S = {3: 0, 2: 0, 1: 1}), Example 6.5
(tree, 2 sqrt 2 + sqrt 6 + 3 = 8.277917), Figure 6.14 camera network with z = Phi^-1(0.95):
18.8240 / 12.4687 / 3.2579 / 0.2326 for customer service times 2 / 5 / 8 / 12.
The input files are the ones shipped in docs/examples/meio/.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tandem.cli.main import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "meio"
TOP_KEYS = {"total_cost", "optimal", "gap", "method", "seconds", "stages"}
STAGE_KEYS = {
    "inbound_service_time", "outbound_service_time", "net_lead_time", "safety_stock",
    "base_stock", "holding_cost",
}  # fmt: skip


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def _solve(path: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["meio", "solve", str(path), *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "network.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def _error(path: Path, *args: str) -> str:
    result = runner.invoke(app, ["meio", "solve", str(path), *args])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr


def _example(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return doc


def test_ss_example_6_3_serial() -> None:
    out = _solve(EXAMPLES / "serial_ss63.json")
    assert out["total_cost"] == pytest.approx(2 * math.sqrt(2), abs=1e-6)
    assert round(out["total_cost"], 6) == 2.828427
    assert {k: v["outbound_service_time"] for k, v in out["stages"].items()} == {
        "3": 0, "2": 0, "1": 1,
    }  # fmt: skip
    assert out["optimal"] is True and out["gap"] == 0.0 and out["method"] == "tree_dp"


def test_ss_example_6_5_tree() -> None:
    out = _solve(EXAMPLES / "tree_ss65.json")
    assert round(out["total_cost"], 6) == 8.277917
    assert {k: v["outbound_service_time"] for k, v in out["stages"].items()} == {
        "1": 0, "2": 0, "3": 0, "4": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("service_time", "cost"), [(2, 18.8240), (5, 12.4687), (8, 3.2579), (12, 0.2326)]
)
def test_camera_network(tmp_path: Path, service_time: int, cost: float) -> None:
    doc = _example("camera.json")
    (customer,) = [s for s in doc["stages"] if s["id"] == "10"]
    customer["max_service_time"] = service_time
    out = _solve(_write(tmp_path, doc))
    assert out["total_cost"] == pytest.approx(cost, abs=1e-4)
    assert out["optimal"] is True
    assert out["stages"]["10"]["outbound_service_time"] <= service_time


def test_json_output_has_exactly_the_documented_keys() -> None:
    out = _solve(EXAMPLES / "assembly_dag.json")
    assert set(out) == TOP_KEYS
    assert isinstance(out["optimal"], bool) and isinstance(out["method"], str)
    assert out["seconds"] >= 0.0 and out["gap"] >= 0.0
    assert list(out["stages"]) == ["part-a", "part-b", "sub", "final", "dc-east", "dc-west"]
    for stage in out["stages"].values():
        assert set(stage) == STAGE_KEYS
        assert isinstance(stage["inbound_service_time"], int)
        assert isinstance(stage["outbound_service_time"], int)
    total = sum(s["holding_cost"] for s in out["stages"].values())
    assert out["total_cost"] == pytest.approx(total)


def test_holding_rate_times_cumulative_cost_in_the_output() -> None:
    """part-a: cumulative 10, h = 2.5; sub: 6 + 2*10 + 4 = 30, h = 7.5; dc-east: 61, 15.25."""
    out = _solve(EXAMPLES / "assembly_dag.json")["stages"]
    for stage, h in (("part-a", 2.5), ("sub", 7.5), ("dc-east", 15.25), ("dc-west", 15.375)):
        if out[stage]["safety_stock"] > 0:
            assert out[stage]["holding_cost"] == pytest.approx(h * out[stage]["safety_stock"])


def test_base_and_safety_stock_of_one_stage_by_hand() -> None:
    """dc-east: N(40, 12^2), z = Phi^-1(0.95), T = 2, S = 0 (customer service time), so its net
    lead time is SI + 2; safety stock z 12 sqrt(net), base stock 40 net + safety stock."""
    east = _solve(EXAMPLES / "assembly_dag.json")["stages"]["dc-east"]
    net = east["inbound_service_time"] + 2 - 0
    assert east["outbound_service_time"] == 0
    assert east["net_lead_time"] == net
    assert east["safety_stock"] == pytest.approx(1.6448536269514722 * 12.0 * math.sqrt(net))
    assert east["base_stock"] == pytest.approx(40.0 * net + east["safety_stock"])


def test_exact_on_a_non_tree_matches_auto() -> None:
    auto = _solve(EXAMPLES / "assembly_dag.json")
    exact = _solve(EXAMPLES / "assembly_dag.json", "--method", "exact")
    assert exact["method"] == "mip" and exact["optimal"] is True
    assert exact["total_cost"] == pytest.approx(auto["total_cost"], rel=1e-9)
    assert auto["optimal"] is True


def test_heuristic_reports_its_gap() -> None:
    out = _solve(EXAMPLES / "assembly_dag.json", "--method", "heuristic")
    assert out["method"] == "heuristic"
    assert out["gap"] >= 0.0
    assert out["optimal"] is (out["gap"] <= 1e-6)


def test_tree_dp_on_a_tree_and_on_a_non_tree() -> None:
    assert _solve(EXAMPLES / "tree_ss65.json", "--method", "tree-dp")["method"] == "tree_dp"
    err = _error(EXAMPLES / "assembly_dag.json", "--method", "tree-dp")
    assert "error (validation_failed): --method tree-dp needs a spanning tree" in err


def test_table_output() -> None:
    result = runner.invoke(app, ["meio", "solve", str(EXAMPLES / "camera.json")])
    assert result.exit_code == 0, result.output
    assert "total cost 18.824004 (optimal); method tree_dp" in result.stdout
    assert re.search(r"│ 1\s+│\s+0 │ 0 │\s+2 │\s+23\.2617 │", result.stdout)


def test_json_syntax_error(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, '{"stages": [\n  {"id": "a" "processing_time": 1}\n]}'))
    assert "error (validation_failed): not valid JSON" in err
    assert "line 2, column 14" in err


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["stages"][0].update(procesing_time=3),
         "  - stage 'part-a'.procesing_time: unknown key"),
        (lambda d: d["stages"][0].pop("processing_time"),
         "  - stage 'part-a'.processing_time: missing (required)"),
        (lambda d: d["stages"].append({"id": "sub", "processing_time": 1}),
         "  - stage 'sub'.id: duplicate stage id"),
        (lambda d: d["arcs"].append({"from": "part-a", "to": "nope"}),
         "  - arc 'part-a' -> 'nope'.to: unknown stage id 'nope'"),
        (lambda d: d["arcs"].append({"from": "sub", "to": "sub"}),
         "  - arc 'sub' -> 'sub': an arc must join two different stages"),
        (lambda d: d["arcs"].append({"from": "final", "to": "part-b"}),
         "the network has a cycle"),
        (lambda d: d["stages"][2].update(processing_time=-2),
         "  - stage 'sub'.processing_time: must be >= 0, got -2"),
        (lambda d: d["stages"][4].update(max_service_time=-1),
         "  - stage 'dc-east'.max_service_time: must be >= 0, got -1"),
        (lambda d: d["arcs"][0].update(quantity=0),
         "  - arc 'part-a' -> 'sub'.quantity: must be > 0, got 0"),
        (lambda d: d.pop("service_level"),
         "  - stage 'dc-east'.service_level: a demand stage needs a service level"),
        (lambda d: d.pop("holding_rate"),
         "  - stage 'part-a'.holding_cost: no holding_cost and no network holding_rate"),
    ],
)  # fmt: skip
def test_validation_errors(tmp_path: Path, mutate: Any, expected: str) -> None:
    doc = _example("assembly_dag.json")
    mutate(doc)
    err = _error(_write(tmp_path, doc))
    assert err.startswith("error (validation_failed): invalid network: ")
    assert expected in err, err


def test_cycle_message_names_the_stages_on_the_cycle(tmp_path: Path) -> None:
    doc = _example("assembly_dag.json")
    doc["arcs"].append({"from": "final", "to": "part-b"})
    err = _error(_write(tmp_path, doc))
    (line,) = [x for x in err.splitlines() if "cycle" in x]
    stages = line.split("cycle: ")[1].split(" -> ")
    assert stages[0] == stages[-1]
    assert sorted(stages[:-1]) == ["'final'", "'part-b'", "'sub'"]


def test_every_violation_on_its_own_line(tmp_path: Path) -> None:
    doc = _example("assembly_dag.json")
    doc["stages"][0]["colour"] = "red"
    doc["arcs"][1]["quantity"] = -1
    err = _error(_write(tmp_path, doc))
    lines = err.splitlines()
    assert lines[0] == "error (validation_failed): invalid network: 2 problems"
    assert lines[1].startswith("  - stage 'part-a'.colour: unknown key")
    assert lines[2] == "  - arc 'part-b' -> 'sub'.quantity: must be > 0, got -1"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["meio", "solve", str(tmp_path / "absent.json")])
    assert result.exit_code == 2


def test_help_documents_the_definitions() -> None:
    result = runner.invoke(app, ["meio", "solve", "--help"])
    assert result.exit_code == 0
    text = re.sub(r"[\s│]+", " ", result.stdout)
    for phrase in ("holding_rate x cumulative cost", "base_stock = mu_j x net lead time",
                   "tree-dp", "exact", "heuristic", "JSON keys: total_cost"):  # fmt: skip
        assert phrase in text, phrase


# ---------------------------------------------------------------------------------------------
# tandem meio compare: (a) buffer everywhere, (b) push to the customer, (c) the optimum.
# Camera network at customer service time 2, z sigma = 16.448536 everywhere:
# (a) stages 1-9 quote 0 (net lead time = T), 10 quotes 2 -> 22.316131;
# (b) S = 2, 5, 7, 4, 9, 12, 6, 4, 3 and SI_10 = 12, all stock at 10: 0.5 x 16.448536 x sqrt 12
#     = 28.489701; (c) 18.824004.


def _compare(path: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["meio", "compare", str(path), *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_compare_camera_network() -> None:
    out = _compare(EXAMPLES / "camera.json")
    assert set(out) == {"optimal_proven", "policies", "changes"}
    assert out["optimal_proven"] is True
    policies = out["policies"]
    assert list(policies) == ["buffer_everywhere", "push_to_customer", "optimal"]
    totals = {k: round(v["total_cost"], 6) for k, v in policies.items()}
    assert totals == {
        "buffer_everywhere": 22.316131, "push_to_customer": 28.489701, "optimal": 18.824004,
    }  # fmt: skip
    zs = 1.6448536269514722 * 10.0
    push = policies["push_to_customer"]["stages"]
    assert push["10"]["holding_cost"] == pytest.approx(0.5 * zs * math.sqrt(12), rel=1e-12)
    assert push["10"]["inbound_service_time"] == 12 and push["10"]["net_lead_time"] == 12.0
    buffer = policies["buffer_everywhere"]["stages"]
    assert buffer["7"]["safety_stock"] == pytest.approx(zs * math.sqrt(6), rel=1e-12)
    assert buffer["7"]["holding_cost"] == pytest.approx(0.2 * zs * math.sqrt(6), rel=1e-12)
    for policy in policies.values():
        assert set(policy) == {
            "total_cost",
            "safety_stock_value",
            "holding_cost_per_unit",
            "stages",
        }
        assert policy["safety_stock_value"] is None  # no added costs in the file
        assert policy["holding_cost_per_unit"] is None  # demand_mean 0
        assert set(policy["stages"]["1"]) == {
            "inbound_service_time", "outbound_service_time", "net_lead_time", "safety_stock",
            "holding_cost",
        }  # fmt: skip
    changes = out["changes"]
    assert round(changes["vs_buffer_everywhere"]["total_cost"], 6) == round(
        18.824004472592172 - 22.31613075894728, 6
    )
    assert changes["vs_push_to_customer"]["stages"]["10"] == pytest.approx(
        -0.5 * zs * math.sqrt(12), rel=1e-12
    )


def test_compare_members_and_landed_value(tmp_path: Path) -> None:
    doc = _example("camera.json")
    for stage in doc["stages"]:
        if stage["id"] in {"1", "2", "3", "4"}:
            stage["member"] = "supplier"
        elif stage["id"] != "10":
            stage["member"] = "maker"
    out = _compare(_write(tmp_path, doc))
    members = out["members"]
    assert list(members) == ["supplier", "maker", "(unlabelled)"]
    stages = {k: v["stages"] for k, v in out["policies"].items()}
    for member, ids in (("supplier", "1234"), ("maker", "56789"), ("(unlabelled)", ["10"])):
        row = members[member]
        for policy in ("buffer_everywhere", "push_to_customer", "optimal"):
            assert row[policy] == pytest.approx(sum(stages[policy][j]["holding_cost"] for j in ids))
        assert row["change_vs_buffer_everywhere"] == pytest.approx(
            row["optimal"] - row["buffer_everywhere"]
        )
        assert row["change_vs_push_to_customer"] == pytest.approx(
            row["optimal"] - row["push_to_customer"]
        )
    assert members["maker"]["push_to_customer"] == 0.0
    assert members["(unlabelled)"]["push_to_customer"] == pytest.approx(28.489701, abs=1e-6)


def test_compare_assembly_value_and_cost_per_unit() -> None:
    """holding_rate 0.25, so safety-stock value = 4 x holding cost; end demand 40 + 25 = 65."""
    out = _compare(EXAMPLES / "assembly_dag.json")
    assert "members" not in out
    for policy in out["policies"].values():
        assert policy["safety_stock_value"] == pytest.approx(4 * policy["total_cost"])
        assert policy["holding_cost_per_unit"] == pytest.approx(policy["total_cost"] / 65.0)
    assert round(out["policies"]["optimal"]["total_cost"], 3) == 1880.077
    costs = [p["total_cost"] for p in out["policies"].values()]
    assert costs[2] <= min(costs[:2])


def test_compare_table_output() -> None:
    result = runner.invoke(app, ["meio", "compare", str(EXAMPLES / "camera.json")])
    assert result.exit_code == 0, result.output
    assert (
        "total cost: buffer everywhere 22.316131, push to customer 28.489701, optimal 18.824004 "
        "(optimal)" in result.stdout
    )
    assert re.search(
        r"│ 10\s+│\s+0\.0000 \(2\) │\s+28\.4897 \(2\) │\s+0\.0000 \(2\) │", result.stdout
    )
    assert re.search(
        r"│ total\s+│\s+22\.3161 │\s+28\.4897 │\s+18\.8240 │\s+-3\.4921 │", result.stdout
    )


def test_compare_rejects_a_bad_member_label(tmp_path: Path) -> None:
    doc = _example("camera.json")
    doc["stages"][0]["member"] = 7
    result = runner.invoke(app, ["meio", "compare", str(_write(tmp_path, doc))])
    assert result.exit_code == 1
    assert "  - stage '1'.member: must be a non-empty string or null" in result.stderr
