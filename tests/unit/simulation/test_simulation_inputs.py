"""Demand processes and in-policy forecasts of the simulation engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tandem.planning.simulation import (
    AR1Demand,
    EmpiricalDemand,
    ExponentialSmoothing,
    MovingAverage,
    NormalDemand,
    PoissonDemand,
    ReplayDemand,
    StochasticLeadTime,
    SuppliedForecast,
)
from tandem.planning.simulation.forecasting import start_forecast


def test_the_same_seed_draws_the_same_demand_and_another_seed_does_not() -> None:
    process = NormalDemand(100.0, 10.0)
    a = process.sample(np.random.default_rng(3), 4, 50)
    b = process.sample(np.random.default_rng(3), 4, 50)
    c = process.sample(np.random.default_rng(4), 4, 50)
    assert a.shape == (4, 50)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_clipped_normal_demand_is_never_negative() -> None:
    draws = NormalDemand(1.0, 5.0, clip_at_zero=True).sample(np.random.default_rng(0), 10, 100)
    assert draws.min() == 0.0
    assert (draws == 0.0).mean() > 0.3


def test_poisson_demand_is_integer_with_its_mean() -> None:
    draws = PoissonDemand(7.0).sample(np.random.default_rng(1), 100, 1000)
    np.testing.assert_array_equal(draws, np.round(draws))
    assert draws.mean() == pytest.approx(7.0, rel=0.01)
    assert draws.var() == pytest.approx(7.0, rel=0.02)


def test_empirical_demand_draws_only_observed_values_with_their_weights() -> None:
    process = EmpiricalDemand((0.0, 5.0, 20.0), (0.5, 0.3, 0.2))
    draws = process.sample(np.random.default_rng(2), 50, 2000)
    assert set(np.unique(draws)) == {0.0, 5.0, 20.0}
    assert process.mean == pytest.approx(5.5)
    assert (draws == 20.0).mean() == pytest.approx(0.2, abs=0.005)


def test_ar1_demand_has_the_stationary_variance_and_lag_one_correlation() -> None:
    process = AR1Demand(mu=50.0, rho=0.7, noise_sigma=2.0)
    draws = process.sample(np.random.default_rng(5), 200, 2000)
    x = draws - 50.0
    lag1 = float((x[:, 1:] * x[:, :-1]).mean() / (x * x).mean())
    assert process.variance == pytest.approx(4.0 / 0.51)
    assert draws.var() == pytest.approx(process.variance, rel=0.02)
    assert lag1 == pytest.approx(0.7, abs=0.005)
    # Stationary from the first period on (no burn-in needed).
    assert draws[:, 0].var() == pytest.approx(process.variance, rel=0.15)


def test_replay_demand_repeats_the_history_in_every_replication() -> None:
    process = ReplayDemand([3, 1, 4, 1, 5, 9, 2, 6])
    draws = process.sample(np.random.default_rng(0), 3, 6)
    np.testing.assert_array_equal(draws, np.tile([3.0, 1, 4, 1, 5, 9], (3, 1)))
    assert process.mean == 31 / 8
    with pytest.raises(ValueError, match="history has 8 periods"):
        process.sample(np.random.default_rng(0), 1, 9)


def test_invalid_demand_parameters_are_rejected() -> None:
    with pytest.raises(ValueError, match="rho"):
        AR1Demand(0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="probabilities"):
        EmpiricalDemand((1.0, 2.0), (0.5, 0.6))
    with pytest.raises(ValueError, match="sigma"):
        NormalDemand(0.0, -1.0)


def test_moving_average_forecast_of_lead_time_demand_and_its_error() -> None:
    state = start_forecast(MovingAverage(4), initial=10.0, replications=2)
    for t, x in enumerate([12.0, 8.0, 14.0, 6.0]):
        state.observe(t, np.array([x, 10.0]))
    np.testing.assert_array_equal(state.per_period(3), [10.0, 10.0])
    np.testing.assert_array_equal(state.lead_time_demand(3, 2.0), [20.0, 20.0])
    # window std sqrt(10) (divisor p) times sqrt(L + L^2/p) = sqrt(3)
    np.testing.assert_allclose(state.lead_time_sigma(3, 2.0), [math.sqrt(30.0), 0.0])


def test_exponential_smoothing_tracks_the_level_with_weight_alpha() -> None:
    state = start_forecast(ExponentialSmoothing(0.25), initial=8.0, replications=1)
    state.observe(0, np.array([12.0]))
    assert state.per_period(0)[0] == 9.0
    state.observe(1, np.array([13.0]))
    assert state.per_period(1)[0] == 10.0
    # one-step errors 4 and 4: smoothed MSE 0.25*16 = 4, then 4 + 0.25*(16 - 4) = 7
    expected_sigma = math.sqrt(7.0 * 1.75 / 2.0) * math.sqrt(2.0 + 4.0 * 0.25 / 1.75)
    assert state.lead_time_sigma(1, 2.0)[0] == pytest.approx(expected_sigma)


def test_supplied_forecast_sums_the_path_over_the_protection_interval() -> None:
    spec = SuppliedForecast(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), sigma=2.0)
    state = start_forecast(spec, initial=0.0, replications=2)
    np.testing.assert_array_equal(state.per_period(0), [2.0, 2.0])
    np.testing.assert_array_equal(state.lead_time_demand(0, 2.5), [2.0 + 3.0 + 2.0] * 2)
    np.testing.assert_array_equal(state.lead_time_sigma(0, 4.0), [4.0, 4.0])
    with pytest.raises(ValueError, match="no value for period 5"):
        state.lead_time_demand(3, 2.0)


def test_stochastic_lead_time_draws_its_support_with_its_probabilities() -> None:
    lead_time = StochasticLeadTime((1, 2, 4), (0.25, 0.5, 0.25))
    draws = lead_time.sample(np.random.default_rng(9), (400, 100))
    assert lead_time.mean == 2.25
    assert lead_time.maximum == 4
    assert set(np.unique(draws)) == {1, 2, 4}
    assert draws.mean() == pytest.approx(2.25, abs=0.01)
    with pytest.raises(ValueError, match="at least 1"):
        StochasticLeadTime((0, 1), (0.5, 0.5))
