"""MASE, RMSSE, WAPE, bias, pooled accuracy, empirical intervals and lead-time spread, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tandem.planning.forecasting import (
    LeadTimeMethod,
    accuracy,
    bias,
    conformal_halfwidths,
    mase,
    pooled_accuracy,
    rmsse,
    scales,
    wape,
)
from tandem.planning.forecasting.intervals import lead_time_std

HISTORY = [1.0, 3.0, 2.0, 6.0]  # naive differences 2, -1, 4: MAE 7/3, mean square 21/3 = 7
ACTUAL = [5.0, 7.0]
FORECAST = [6.0, 5.0]  # errors +1, -2


def test_scales_are_the_in_sample_naive_mae_and_rms() -> None:
    assert scales(HISTORY) == (7 / 3, math.sqrt(7))


def test_mase_divides_mean_absolute_error_by_in_sample_naive_mae() -> None:
    assert mase(ACTUAL, FORECAST, HISTORY) == 1.5 / (7 / 3)


def test_rmsse_divides_rms_error_by_in_sample_naive_rms() -> None:
    assert rmsse(ACTUAL, FORECAST, HISTORY) == math.sqrt(2.5) / math.sqrt(7)


def test_wape_and_bias_relate_errors_to_actual_volume() -> None:
    assert wape(ACTUAL, FORECAST) == 3 / 12
    assert bias(ACTUAL, FORECAST) == -1 / 12


def test_seasonal_scale_uses_lag_m_differences() -> None:
    history = [10.0, 20.0, 12.0, 24.0, 11.0, 23.0]  # lag-2 differences 2, 4, -1, -1
    assert scales(history, season_length=2) == (2.0, math.sqrt(22 / 4))
    assert mase([12.0, 20.0], [11.0, 23.0], history, season_length=2) == 1.0


def test_season_not_shorter_than_history_falls_back_to_lag_one() -> None:
    assert scales(HISTORY, season_length=4) == scales(HISTORY, season_length=1)


def test_constant_history_leaves_scaled_errors_undefined() -> None:
    result = accuracy([5.0], [4.0], [5.0, 5.0, 5.0])
    assert math.isnan(result.mase)
    assert math.isnan(result.rmsse)
    assert result.wape == 0.2


def test_no_actual_demand_leaves_wape_and_bias_undefined() -> None:
    assert math.isnan(wape([0.0, 0.0], [1.0, 0.0]))
    assert math.isnan(bias([0.0, 0.0], [1.0, 0.0]))


def test_pooled_accuracy_averages_scaled_errors_and_pools_volumes() -> None:
    actual = np.array([[5.0, 7.0], [0.0, 10.0]])
    forecast = np.array([[6.0, 5.0], [2.0, 10.0]])
    result = pooled_accuracy(actual, forecast, np.array([7 / 3, 0.0]), np.array([1.0, 2.0]))
    assert result.series == 2
    assert result.mase == 1.5 / (7 / 3)  # the zero-scale series is left out of the mean
    assert result.rmsse == (math.sqrt(2.5) + math.sqrt(2.0) / 2.0) / 2
    assert result.wape == 5 / 22
    assert result.bias == 1 / 22


def test_empirical_intervals_use_the_conformal_rank_and_never_narrow() -> None:
    errors = np.array([[1.0, -4.0, 0.0], [-2.0, 0.5, 0.1], [0.2, 3.0, 0.0]])
    # step 1 pools 0.2, 1, 2; step 2 adds 4, 0.5, 3; step 3 adds 0, 0.1, 0
    assert conformal_halfwidths(errors, 50, min_pool=1).tolist() == [1.0, 2.0, 2.0]
    widths = conformal_halfwidths(errors, 95, min_pool=1)
    assert widths.tolist() == [2.0, 4.0, 4.0]
    assert np.all(conformal_halfwidths(errors, 80, min_pool=1) <= widths)


def test_empirical_intervals_pool_later_steps_until_enough_errors() -> None:
    errors = np.array([[1.0, -4.0, 0.0], [-2.0, 0.5, 0.1], [0.2, 3.0, 0.0]])
    # at least 6 errors: step 1 pools steps 1-2 (0.2 0.5 1 2 3 4, rank ceil(7 / 2) = 4);
    # step 3 pools 9 errors (rank 5: 0.5) but the width never narrows
    assert conformal_halfwidths(errors, 50, min_pool=6).tolist() == [2.0, 2.0, 2.0]


def test_lead_time_spread_comes_from_cv_sums_with_three_windows() -> None:
    errors = np.array([[1.0, 1.0, 9.0], [-1.0, -1.0, 9.0], [2.0, 0.0, 9.0]])
    assert lead_time_std(errors, 2, fallback_sigma=99.0) == (2.0, LeadTimeMethod.CV_SUMS)


@pytest.mark.parametrize(("windows", "lead_time"), [(2, 2), (3, 4)])
def test_lead_time_spread_falls_back_to_sqrt_l_sigma(windows: int, lead_time: int) -> None:
    errors = np.ones((windows, 3))
    std, method = lead_time_std(errors, lead_time, fallback_sigma=1.5)
    assert method is LeadTimeMethod.SQRT_L_SIGMA
    assert std == math.sqrt(lead_time) * 1.5
