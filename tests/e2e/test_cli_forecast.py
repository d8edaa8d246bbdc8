"""``tandem forecast run|backtest`` on small CSV files: round trip, errors, determinism."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.cli.main import app

runner = CliRunner()
COLUMNS = ["unique_id", "ds", "forecast", "lo_80", "hi_80", "lo_95", "hi_95", "model"]


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def _write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unique_id", "ds", "y"])
        writer.writerows(rows)
    return path


@pytest.fixture
def demand(tmp_path: Path) -> Path:
    """Three monthly series of 48 months: smooth, seasonal and intermittent."""
    rng = np.random.default_rng(21)
    months = [f"{2020 + m // 12}-{m % 12 + 1:02d}-01" for m in range(48)]
    smooth = 40 + rng.normal(0, 3, 48)
    seasonal = 60 + 25 * np.sin(np.arange(48) * np.pi / 6) + rng.normal(0, 2, 48)
    sparse = (rng.random(48) < 0.3) * (2 + rng.poisson(2, 48))
    rows = [
        (name, month, f"{value:.2f}")
        for name, values in (("smooth", smooth), ("seasonal", seasonal), ("sparse", sparse))
        for month, value in zip(months, values, strict=True)
    ]
    return _write(tmp_path / "demand.csv", rows)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_run_writes_exactly_the_columns_and_horizon_rows_per_series(
    demand: Path, tmp_path: Path
) -> None:
    out = tmp_path / "forecast.csv"
    result = runner.invoke(app, ["forecast", "run", str(demand), "--horizon", "6", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 18 forecasts of 3 series" in result.output
    assert "season length 12" in result.output
    with out.open(newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    rows = _read(out)
    assert [r["unique_id"] for r in rows] == ["seasonal"] * 6 + ["smooth"] * 6 + ["sparse"] * 6
    assert [r["ds"] for r in rows[:6]] == [f"2024-{m:02d}-01" for m in range(1, 7)]
    for r in rows:
        values = [float(r[k]) for k in ("lo_95", "lo_80", "forecast", "hi_80", "hi_95")]
        assert values == sorted(values)
        assert r["model"]


def test_run_twice_gives_identical_files(demand: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("one.csv", "two.csv"):
        out = tmp_path / name
        args = ["forecast", "run", str(demand), "--horizon", "3", "-o", str(out)]
        assert runner.invoke(app, args).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_weekly_dates_and_explicit_season_length(tmp_path: Path) -> None:
    start = np.datetime64("2023-01-02")
    rows = [("w", str(start + np.timedelta64(7 * k, "D")), str(10 + k % 3)) for k in range(30)]
    path = _write(tmp_path / "weekly.csv", rows)
    out = tmp_path / "out.csv"
    args = ["forecast", "run", str(path), "--horizon", "2", "--season-length", "1", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [r["ds"] for r in _read(out)] == ["2023-07-31", "2023-08-07"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("a", "2024-01-01", "1"), ("a", "2024-02-01", "lots")],
            "line 3: y is not a number: 'lots'",
        ),
        ([("a", "2024-01-01", "1"), ("a", "2024-02-01", "-4")], "line 3: y is negative: -4"),
        (
            [("a", "2024-01-01", "1"), ("a", "01/02/2024", "2")],
            "line 3: ds is not a date: '01/02/2024'",
        ),
        (
            [("a", "2024-01-01", "1"), ("a", "2024-02-01", "2"), ("a", "2024-01-01", "3")],
            "line 4: duplicate (unique_id, ds) = ('a', 2024-01-01), first seen in row 0",
        ),
        (
            [("a", "2024-01-01", "1"), ("a", "2024-02-01", "2"), ("b", "2024-01-01", "1"),
             ("b", "2024-01-08", "1")],
            "the table may mix frequencies",
        ),
    ],
)  # fmt: skip
def test_bad_input_fails_with_the_row_and_exit_code_1(
    tmp_path: Path, rows: list[tuple[str, str, str]], message: str
) -> None:
    path = _write(tmp_path / "bad.csv", rows)
    args = ["forecast", "run", str(path), "--horizon", "2", "-o", str(tmp_path / "o.csv")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "error (validation_failed)" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sku,date,qty\na,2024-01-01,1\n")
    args = ["forecast", "run", str(path), "--horizon", "2", "-o", str(tmp_path / "o.csv")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "missing column(s) unique_id, ds, y" in result.stderr


def test_missing_file_and_unknown_frequency_fail_clearly(tmp_path: Path) -> None:
    out = str(tmp_path / "o.csv")
    missing = runner.invoke(app, ["forecast", "run", "nope.csv", "--horizon", "2", "-o", out])
    assert missing.exit_code == 1
    assert "no such file: nope.csv" in missing.stderr
    path = _write(tmp_path / "d.csv", [("a", "2024-01-01", "1")])
    args = ["forecast", "run", str(path), "--horizon", "2", "--freq", "X", "-o", out]
    unknown = runner.invoke(app, args)
    assert unknown.exit_code == 1
    assert "unknown frequency 'X'" in unknown.stderr


def test_backtest_prints_every_model_against_the_baselines(demand: Path) -> None:
    result = runner.invoke(
        app, ["forecast", "backtest", str(demand), "--horizon", "6", "--windows", "2"]
    )
    assert result.exit_code == 0, result.output
    for name in ("auto", "Naive", "SeasonalNaive", "AutoETS", "CrostonSBA", "MASE", "RMSSE"):
        assert name in result.output
    assert "auto chose:" in result.output


def test_backtest_json_lists_accuracy_per_model(demand: Path) -> None:
    args = ["forecast", "backtest", str(demand), "--horizon", "6", "--windows", "2", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["horizon"], report["windows"], report["season_length"]) == (6, 2, 12)
    models = [s["model"] for s in report["scores"]]
    assert models[:3] == ["auto", "Naive", "SeasonalNaive"]
    auto = report["scores"][0]
    assert auto["series"] == 3
    assert set(auto) == {"model", "series", "mase", "rmsse", "wape", "bias", "auto"}
    assert sum(report["chosen"].values()) == 6


def test_backtest_with_nothing_long_enough_fails(tmp_path: Path) -> None:
    path = _write(tmp_path / "short.csv", [("a", str(k), "1") for k in range(8)])
    result = runner.invoke(app, ["forecast", "backtest", str(path), "--horizon", "4"])
    assert result.exit_code == 1
    assert "no series is long enough" in result.stderr


def test_group_scope_gives_one_model_per_group_of_like_series(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    rows = [
        (f"p{s}", str(t), str(int(v)))
        for s in range(4)
        for t, v in enumerate((rng.random(40) < 0.3) * (3 + rng.poisson(1, 40)))
    ]
    path = _write(tmp_path / "sparse.csv", rows)
    out = tmp_path / "out.csv"
    args = ["forecast", "run", str(path), "--horizon", "3", "--scope", "group", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len({r["model"] for r in _read(out)}) == 1
