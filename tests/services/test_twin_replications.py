"""The twin's intervals over replications: ratio figures pooled with their delta-method
interval, and one batch of R replications giving the engine's own intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.services.twin.model import Mode, TwinArc, TwinNetwork, TwinNode, to_supply_network
from tandem.services.twin.runner import RunOptions, batch_seed, ratio_values, run_mode


def test_ratio_values_average_to_the_pooled_ratio_with_the_delta_method_spread() -> None:
    # y = (1, 2, 3), x = (2, 2, 4): pooled r = 6 / 8 = 0.75, x-bar = 8/3;
    # r + (y_i - r x_i) / x-bar = 0.75 + (-0.5, 0.5, 0) * 3/8 = (0.5625, 0.9375, 0.75)
    values = ratio_values(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 4.0]))
    np.testing.assert_allclose(values, [0.5625, 0.9375, 0.75], rtol=1e-15)
    assert values.mean() == pytest.approx(0.75, rel=1e-15)
    # their standard deviation is the ratio estimator's: sqrt(sum (y - r x)^2 / (n - 1)) / x-bar
    residual = math.sqrt((0.25 + 0.25 + 0.0) / 2) / (8 / 3)
    assert values.std(ddof=1) == pytest.approx(residual, rel=1e-12)


def test_ratio_values_are_undefined_without_any_denominator() -> None:
    # constant demand has no variance: the bullwhip ratio is undefined, not 0
    assert np.isnan(ratio_values(np.array([1.0, 0.0]), np.array([0.0, 0.0]))).all()
    # one replication without a denominator still counts in the pooled ratio: (0 + 3) / (0 + 4)
    np.testing.assert_allclose(
        ratio_values(np.array([0.0, 3.0]), np.array([0.0, 4.0])), [0.75, 0.75], rtol=1e-15
    )


def _chain() -> TwinNetwork:
    nodes = (
        TwinNode("B@P", "B", "P", "M", 1, 0.1, 0.0, lead_time_days=2, lead_time_std_days=0.8),
        TwinNode("B@S", "B", "S", "M", 2, 0.2, 4.0, demand_mean=20.0, demand_std=6.0),
    )
    return TwinNetwork(nodes, (TwinArc("B@P", "B@S", 1.0, "P>S", "M", 1.0),))


def test_one_batch_of_eight_replications_has_the_engines_intervals() -> None:
    # Batch means gave no interval from one batch; over replications it is the engine's.
    options = RunOptions(periods=60, replications=8, batch_size=8, warmup=10, seed=4)
    twin = run_mode("one batch", _chain(), Mode.TRADITIONAL, options)
    engine = to_supply_network(_chain(), Mode.TRADITIONAL, 60, 8, 10, batch_seed(4, 0)).run()
    store = engine.node("B@S")
    on_hand = twin.node("B@S", "on_hand")
    assert on_hand.value == pytest.approx(store.mean_on_hand.value, rel=1e-12)
    assert on_hand.half_width == store.mean_on_hand.half_width
    assert twin.figure("total_cost").half_width == engine.total_cost.half_width
    # a ratio: the engine's pooled value, and the t-interval of its linearised values
    fill = twin.node("B@S", "fill_rate")
    assert fill.value == pytest.approx(store.fill_rate.value, rel=1e-12)
    parts = store.per_replication
    linear = ratio_values(parts.filled, parts.claimed)
    t = stats.t.ppf(0.975, 7)
    assert fill.half_width == pytest.approx(t * linear.std(ddof=1) / math.sqrt(8), rel=1e-12)
    assert 0 < fill.half_width < 0.05
