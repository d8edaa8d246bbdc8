"""``tandem forecast run --executor dask --workers 2`` writes the same file as the local run."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.demand_samples import man_weekly_sample
from typer.testing import CliRunner

from tandem.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("TANDEM_DASK_SCHEDULER", raising=False)


@pytest.fixture
def demand(tmp_path: Path) -> Path:
    path = tmp_path / "man.csv"
    man_weekly_sample().to_csv(path, index=False)
    return path


def test_dask_run_with_two_workers_writes_the_same_csv_as_the_local_run(
    demand: Path, tmp_path: Path
) -> None:
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    common = ["forecast", "run", str(demand), "--horizon", "8"]
    first = runner.invoke(app, [*common, "-o", str(local)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, [*common, "--executor", "dask", "--workers", "2", "-o", str(dask)])
    assert second.exit_code == 0, second.output
    assert "wrote 480 forecasts of 60 series" in second.output
    assert "Dask, 2 local worker(s)" in second.output
    assert "Dask" not in first.output
    assert dask.read_bytes() == local.read_bytes()
    assert len(local.read_text().splitlines()) == 1 + 480


@pytest.mark.parametrize("command", ["run", "backtest"])
def test_workers_without_dask_are_refused(demand: Path, tmp_path: Path, command: str) -> None:
    out = ["-o", str(tmp_path / "out.csv")] if command == "run" else []
    args = ["forecast", command, str(demand), "--horizon", "8", *out]
    result = runner.invoke(app, [*args, "--executor", "local", "--workers", "2"])
    assert result.exit_code == 1
    assert "--workers sizes a Dask cluster: use it with --executor dask" in result.output
    assert not (tmp_path / "out.csv").exists()
