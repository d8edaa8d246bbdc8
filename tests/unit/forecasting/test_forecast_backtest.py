"""Backtest: nested selection, baselines on every series, and a check on real car-parts demand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tandem.planning.forecasting import AUTO, AutoForecaster, DemandClass, Model, backtest

CARPARTS = Path(__file__).parents[3] / ".." / "shared" / "data" / "demand" / "carparts_monthly.csv"


def test_baselines_score_every_series_and_the_croston_family_only_sporadic_ones() -> None:
    rng = np.random.default_rng(8)
    rows = [("smooth", t, 50 + v) for t, v in enumerate(rng.normal(0, 4, 60))]
    rows += [("sparse", t, v) for t, v in enumerate((rng.random(60) < 0.25) * 3.0)]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    report = backtest(AutoForecaster(horizon=6, windows=3), frame, windows=2)
    assert report.score(AUTO).accuracy.series == 2
    assert report.score(Model.NAIVE).accuracy.series == 2
    assert report.score(Model.CROSTON_SBA).accuracy.series == 1
    assert report.score(Model.HOLT).accuracy.series == 1
    assert sum(report.chosen.values()) == 4  # two series, two held-out windows
    assert report.classes == {DemandClass.SMOOTH: 1, DemandClass.INTERMITTENT: 1}
    assert report.excluded == ()


def test_the_auto_row_equals_the_model_chosen_when_one_model_is_always_chosen() -> None:
    frame = pd.DataFrame({"unique_id": "z", "ds": range(40), "y": 0.0})
    report = backtest(AutoForecaster(horizon=4), frame, windows=2)
    assert report.chosen == {Model.NAIVE: 2}
    assert report.score(AUTO).accuracy == report.score(Model.NAIVE).accuracy


def test_series_too_short_to_hold_out_and_select_are_excluded() -> None:
    frame = pd.DataFrame({"unique_id": "s", "ds": range(12), "y": np.arange(12.0)})
    report = backtest(AutoForecaster(horizon=4), frame, windows=1)
    assert report.excluded == ("s",)
    assert report.scores == ()


@pytest.mark.skipif(not CARPARTS.exists(), reason="needs ../shared/data beside the repository")
def test_auto_selection_beats_naive_on_real_car_parts_demand() -> None:
    raw = pd.read_csv(CARPARTS, dtype=str, keep_default_na=False)
    complete = raw.groupby("unique_id")["y"].agg(
        lambda y: bool((y != "").all() & (y != "NA").all())
    )
    ids = sorted(complete[complete].index)[:500]  # the first 500 series without missing values
    frame = raw[raw["unique_id"].isin(ids)]
    report = backtest(AutoForecaster(horizon=12, season_length=12), frame, windows=1)
    auto, naive = report.score(AUTO).accuracy, report.score(Model.NAIVE).accuracy
    assert auto.series == naive.series == 500
    assert auto.mase < naive.mase
    assert auto.rmsse < naive.rmsse
