"""``tandem twin bullwhip`` and ``tandem twin beer-game`` through the command line.

Bullwhip: Chen, Drezner, Ryan & Simchi-Levi (2000), Management Science 46(3): Var(q)/Var(D) =
1 + (2L/p + 2L²/p²)(1 - rho^p) for one stage with z = 0 (L=2, p=4 -> 2.5; L=1, p=1 -> 5.0),
a product over stages without sharing, the formula at the summed lead time with shared demand.
Beer game: Sterman (1989), Management Science 35(3), 321-339.

Each long bullwhip run is 100 replications x 2,000 measured periods (200,000 periods); across
seeds the simulated ratio then has a relative standard deviation of 0.14-0.2% (measured over 30
seeds), so the 1% tolerance below is five standard deviations or more.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from tandem.cli.main import app
from tandem.planning.simulation import AnchorAndAdjust, BeerGame

runner = CliRunner()

REPLICATIONS = "100"
MONTE_CARLO_REL = 0.01
ECHELONS = ["retailer", "wholesaler", "distributor", "factory"]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Error panels are drawn at this width, so messages are not wrapped mid-phrase."""
    monkeypatch.setenv("COLUMNS", "200")


def _json(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, ["twin", *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def _bullwhip(*args: str) -> dict[str, Any]:
    return _json(["bullwhip", *args])


def _usage_error(args: list[str]) -> str:
    result = runner.invoke(app, ["twin", *args])
    assert result.exit_code == 2, result.output
    return re.sub(r"[\s│]+", " ", result.output)


# --- bullwhip ---------------------------------------------------------------------------------


def test_one_stage_with_lead_time_2_and_window_4_reproduces_chen_2_5() -> None:
    out = _bullwhip(
        "--stages", "1", "--lead-times", "2", "--forecast", "moving-average", "--window", "4",
        "--safety-z", "0", "--periods", "2004", "--replications", REPLICATIONS, "--seed", "2000",
    )  # fmt: skip
    assert out["bound"] == [2.5]
    assert out["exact"] == [2.5]
    assert out["bound_kind"] == "multiplicative"
    assert out["variance_ratio"][0] == pytest.approx(2.5, rel=MONTE_CARLO_REL)
    assert {k: out[k] for k in ("stages", "lead_times", "window", "rho", "sharing")} == {
        "stages": 1,
        "lead_times": [2],
        "window": 4,
        "rho": 0.0,
        "sharing": "none",
    }
    assert {k: out[k] for k in ("safety_z", "periods", "seed", "warmup", "replications")} == {
        "safety_z": 0.0,
        "periods": 2004,
        "seed": 2000,
        "warmup": 4,
        "replications": 100,
    }
    assert out["forecast"] == "moving-average"
    assert out["stage_names"] == ["retailer"]


def test_one_stage_with_lead_time_1_and_window_1_has_bound_5() -> None:
    out = _bullwhip(
        "--lead-times", "1", "--window", "1", "--periods", "2001",
        "--replications", REPLICATIONS, "--seed", "7",
    )  # fmt: skip
    assert out["bound"] == [5.0]
    assert out["exact"] == [5.0]
    assert out["variance_ratio"][0] == pytest.approx(5.0, rel=MONTE_CARLO_REL)


def test_autocorrelated_demand_lowers_the_bound() -> None:
    out = _bullwhip(
        "--lead-times", "2", "--window", "4", "--rho", "0.7", "--periods", "2004",
        "--replications", REPLICATIONS, "--seed", "3",
    )  # fmt: skip
    formula = 1 + 1.5 * (1 - 0.7**4)
    assert out["bound"] == [pytest.approx(formula, abs=1e-12)]
    assert out["rho"] == 0.7
    assert out["variance_ratio"][0] == pytest.approx(formula, rel=MONTE_CARLO_REL)


def test_sharing_demand_shrinks_but_does_not_remove_the_bullwhip_of_three_stages() -> None:
    common = ["--stages", "3", "--lead-times", "1,2,1", "--window", "5", "--periods", "2015"]
    common += ["--replications", REPLICATIONS, "--seed", "31"]
    unshared = _bullwhip(*common, "--sharing", "none")
    shared = _bullwhip(*common, "--sharing", "demand")
    # Product of stage formulas (1.48, 1.48 x 2.12, 1.48 x 2.12 x 1.48) and the formula at the
    # cumulative lead times 1, 3, 4.
    assert unshared["bound"] == pytest.approx([1.48, 3.1376, 4.643648], abs=1e-12)
    assert unshared["bound_kind"] == "multiplicative"
    assert unshared["exact"] == pytest.approx([1.48, 3.4064, 5.68352], abs=1e-12)
    assert shared["bound"] == pytest.approx([1.48, 2.92, 3.88], abs=1e-12)
    assert shared["bound_kind"] == "additive"
    assert shared["bound"] == shared["additive_bound"]
    assert shared["exact"] == pytest.approx(shared["bound"], abs=1e-12)
    assert unshared["additive_bound"] == shared["bound"]
    assert shared["multiplicative_bound"] == unshared["bound"]
    assert unshared["stage_names"] == ["retailer", "wholesaler", "distributor"]
    # No sharing: the simulation follows the exact filter, strictly above the product bound
    # upstream (3.41 > 3.14, 5.68 > 4.64), at it for the retailer.
    assert unshared["variance_ratio"] == pytest.approx(unshared["exact"], rel=MONTE_CARLO_REL)
    for ratio, bound in zip(unshared["variance_ratio"][1:], unshared["bound"][1:], strict=True):
        assert ratio > 1.05 * bound
    # Shared demand: the additive bound is attained.
    assert shared["variance_ratio"] == pytest.approx(shared["bound"], rel=MONTE_CARLO_REL)
    assert shared["variance_ratio"][2] < 0.8 * unshared["variance_ratio"][2]
    assert shared["variance_ratio"][2] > 3.5


def test_a_safety_stock_term_pushes_the_ratio_above_the_bound() -> None:
    out = _bullwhip(
        "--lead-times", "2", "--window", "4", "--safety-z", "2", "--periods", "2004",
        "--replications", REPLICATIONS, "--seed", "5",
    )  # fmt: skip
    assert out["bound"] == [2.5]
    assert out["safety_z"] == 2.0
    assert out["variance_ratio"][0] > 1.2 * 2.5


def test_the_same_seed_gives_the_same_output_and_another_seed_does_not() -> None:
    args = ["twin", "bullwhip", "--lead-times", "1,2", "--periods", "300", "--json"]
    first = runner.invoke(app, [*args, "--seed", "11"])
    again = runner.invoke(app, [*args, "--seed", "11"])
    other = runner.invoke(app, [*args, "--seed", "12"])
    assert first.exit_code == again.exit_code == other.exit_code == 0
    assert first.stdout == again.stdout
    assert json.loads(first.stdout)["variance_ratio"] != json.loads(other.stdout)["variance_ratio"]


def test_stages_default_to_the_lead_times_and_lead_times_to_2() -> None:
    inferred = _bullwhip("--lead-times", "1,2,1", "--periods", "100")
    assert inferred["stages"] == 3
    assert len(inferred["variance_ratio"]) == len(inferred["bound"]) == 3
    defaulted = _bullwhip("--stages", "3", "--periods", "100")
    assert defaulted["lead_times"] == [2, 2, 2]
    assert defaulted["bound"] == [2.5, 6.25, 15.625]


def test_bullwhip_table_shows_ratios_and_names_the_bound() -> None:
    result = runner.invoke(
        app, ["twin", "bullwhip", "--lead-times", "1,2,1", "--window", "5", "--sharing", "demand"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(
        r"│ distributor\s+│\s+1 │\s+\d\.\d{4} │\s+3\.8800 │\s+3\.8800 │", result.output
    )
    assert "Chen bound (additive): the single-stage formula at the cumulative lead time" in (
        result.output
    )
    unshared = runner.invoke(app, ["twin", "bullwhip"])
    assert unshared.exit_code == 0, unshared.output
    assert "Chen bound (multiplicative): the product of the single-stage formulas" in (
        unshared.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stages", "3", "--lead-times", "1,2"], "'--lead-times': --stages 3 needs 3 lead times"),
        (["--lead-times", "1,0"], "'--lead-times': lead times must be whole numbers"),
        (["--lead-times", "2.5"], "'--lead-times': lead times must be whole numbers"),
        (["--lead-times", "1,x"], "'--lead-times': expected comma-separated numbers"),
        (["--rho", "1"], "'--rho': 1.0 is not strictly between -1 and 1"),
        (["--rho", "-1"], "'--rho': -1.0 is not strictly between -1 and 1"),
        (["--window", "0"], "'--window'"),
        (["--stages", "0"], "'--stages'"),
        (["--safety-z", "-1"], "'--safety-z'"),
        (["--safety-z", "inf"], "'--safety-z': inf is not a finite number"),
        (["--replications", "0"], "'--replications'"),
        (["--window", "4", "--periods", "5"], "'--periods': 5 leaves too few measured periods"),
        (["--forecast", "exponential-smoothing"], "'--forecast'"),
    ],
)
def test_bad_bullwhip_options_exit_2_naming_the_option(args: list[str], message: str) -> None:
    assert f"Invalid value for {message}" in _usage_error(["bullwhip", *args])


# --- beer game --------------------------------------------------------------------------------


def test_default_beer_game_is_stermans_estimates_as_the_engine_plays_them() -> None:
    out = _json(["beer-game"])
    engine = BeerGame(AnchorAndAdjust.sterman_mean_estimates()).run()
    assert out["total_cost"] == pytest.approx(engine.total_cost, abs=1e-9)
    assert out["total_cost"] == pytest.approx(2254.741885647113, abs=1e-9)
    assert list(out["stage_costs"]) == ECHELONS
    assert list(out["stage_costs"].values()) == pytest.approx(engine.echelon_cost, abs=1e-9)
    assert list(out["orders"]) == ECHELONS
    for k, name in enumerate(ECHELONS):
        assert out["orders"][name] == engine.orders[k].tolist()
    assert out["orders"]["retailer"][0] == pytest.approx(4.2392, abs=1e-12)
    assert out["policy"] == "sterman"
    assert out["parameters"] == {"theta": 0.36, "alpha": 0.26, "beta": 0.34, "target": 17.0}
    assert out["weeks"] == 36
    assert out["demand"] == [4.0] * 4 + [8.0] * 32
    variance = list(out["order_variance"].values())
    assert variance == sorted(variance)  # amplified at every step upstream


def test_base_stock_at_the_equilibrium_levels_costs_792_as_derived_by_hand() -> None:
    out = _json(["beer-game", "--policy", "base-stock", "--levels", "28,28,28,24"])
    assert out["total_cost"] == 792.0
    assert out["stage_costs"] == {
        "retailer": 330.0,
        "wholesaler": 242.0,
        "distributor": 154.0,
        "factory": 66.0,
    }
    assert {name: len(orders) for name, orders in out["orders"].items()} == dict.fromkeys(
        ECHELONS, 36
    )
    # Base stock passes the step through: each echelon's step comes 2 weeks after its customer's.
    assert out["orders"]["retailer"] == [4.0] * 4 + [8.0] * 32
    assert out["orders"]["factory"] == [4.0] * 10 + [8.0] * 26
    assert out["parameters"] == {
        "levels": {"retailer": 28.0, "wholesaler": 28.0, "distributor": 28.0, "factory": 24.0}
    }
    assert _json(["beer-game", "--policy", "base-stock"]) == out  # the default levels


def test_constant_demand_keeps_the_board_in_steady_state_for_any_number_of_weeks() -> None:
    out = _json(["beer-game", "--policy", "base-stock", "--demand-step", "4", "--weeks", "40"])
    # 40 weeks x 4 echelons x 12 cases x 0.50
    assert out["total_cost"] == 960.0
    assert out["stage_costs"] == dict.fromkeys(ECHELONS, 240.0)
    assert out["orders"] == {name: [4.0] * 40 for name in ECHELONS}
    assert out["weeks"] == 40


def test_sterman_parameters_reach_the_rule() -> None:
    out = _json(
        ["beer-game", "--theta", "0.5", "--alpha", "0.25", "--beta", "0.5", "--target", "18"]
    )
    rule = AnchorAndAdjust(theta=0.5, alpha_s=0.25, beta=0.5, desired_stock=18.0)
    assert out["total_cost"] == pytest.approx(BeerGame(rule).run().total_cost, abs=1e-9)
    assert out["parameters"] == {"theta": 0.5, "alpha": 0.25, "beta": 0.5, "target": 18.0}


def test_beer_game_tables_show_costs_and_weekly_orders() -> None:
    result = runner.invoke(app, ["twin", "beer-game", "--policy", "base-stock"])
    assert result.exit_code == 0, result.output
    assert "Beer game (Sterman 1989), 36 weeks, base-stock: levels 28, 28, 28, 24" in result.output
    assert re.search(r"│ retailer\s+│\s+330\.00 │\s+8\.00 │", result.output)
    assert re.search(r"│ team\s+│\s+792\.00 │", result.output)
    assert "  factory      ▅▅▅▅▅▅▅▅▅▅██████████████████████████" in result.output
    sterman = runner.invoke(app, ["twin", "beer-game"])
    assert sterman.exit_code == 0, sterman.output
    assert re.search(r"│ team\s+│\s+2,254\.74 │", sterman.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "base-stock", "--levels", "28,28,28"], "'--levels': give four levels"),
        (["--policy", "base-stock", "--levels", "28,a,28,24"], "'--levels': expected comma"),
        (["--levels", "28,28,28,24"], "'--levels': applies only to --policy base-stock"),
        (
            ["--policy", "base-stock", "--theta", "0.3"],
            "'--theta': applies only to --policy sterman",
        ),
        (["--alpha", "1.5"], "'--alpha'"),
        (["--target", "inf"], "'--target': inf is not a finite number"),
        (["--demand-step", "inf"], "'--demand-step': inf is not a finite number"),
        (["--weeks", "0"], "'--weeks'"),
        (["--policy", "anchor"], "'--policy'"),
    ],
)
def test_bad_beer_game_options_exit_2_naming_the_option(args: list[str], message: str) -> None:
    assert f"Invalid value for {message}" in _usage_error(["beer-game", *args])


# ---------------------------------------------------------------- twin run / twin report
# The serial chain of tests/services/test_twin_services.py (hand calculation there).


@pytest.fixture
def chain_db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.services.test_twin_services import twin_snapshot

    from tandem.adapters.memory import FixedClock, PlainPasswordHasher
    from tandem.bootstrap import bootstrap
    from tandem.config import Settings
    from tandem.services import transfer

    url = f"sqlite:///{tmp_path / 'twin.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    transfer.import_snapshot(c.services, twin_snapshot())
    c.engine.dispose()


DETERMINISTIC = ["--periods", "20", "--replications", "2", "--batch-size", "1", "--warmup", "0"]


def test_twin_run_reports_the_backlog_of_a_store_closed_three_days(
    chain_db: None, tmp_path: Any
) -> None:
    path = tmp_path / "scenario.json"
    down = {"type": "node_down", "site": "STORE", "from_day": 5, "to_day": 7}
    path.write_text(json.dumps({"name": "store closed", "deltas": [down]}), encoding="utf-8")
    result = runner.invoke(app, ["twin", "run", str(path), *DETERMINISTIC, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    base, closed = payload["scenarios"]
    assert (base["name"], closed["name"]) == ("base", "store closed")
    assert base["figures"]["customer_backlog"] == {"value": 0.0, "half_width": 0.0}
    assert closed["difference"]["customer_backlog"]["value"] == 4.0  # (10+20+30+20) / 20 days
    assert closed["figures"]["customer_fill_rate"]["value"] == pytest.approx(0.8)
    assert payload["options"]["replications"] == 2
    table = runner.invoke(app, ["twin", "run", str(path), *DETERMINISTIC])
    assert table.exit_code == 0, table.output
    assert "customer_backlog" in table.output and "store closed − base" in table.output


def test_twin_run_names_every_invalid_delta(chain_db: None, tmp_path: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"deltas": [{"type": "sharing"}, {"type": "x"}]}), "utf-8")
    result = runner.invoke(app, ["twin", "run", str(path)])
    assert result.exit_code == 1
    assert "scenarios[0].deltas[0].on: is required" in result.output
    assert "scenarios[0].deltas[1].type: unknown type 'x'" in result.output


def test_twin_report_has_traditional_and_shared_columns(chain_db: None) -> None:
    result = runner.invoke(app, ["twin", "report", *DETERMINISTIC, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [c["mode"] for c in payload["columns"]] == ["traditional", "shared"]
    assert payload["adopted"] == "no adopted policy"
    # constant demand of 10: no backlog once primed, and the bullwhip ratio is undefined
    assert payload["columns"][0]["bullwhip"]["BLEND@STORE"]["value"] is None
    assert [m["member"] for m in payload["columns"][1]["members"]] == ["ROAST"]
    table = runner.invoke(app, ["twin", "report", *DETERMINISTIC])
    assert table.exit_code == 0 and "safety stock ROAST" in table.output
