"""ADI / CV² classification (Syntetos, Boylan & Croston 2005) on hand-built series."""

from __future__ import annotations

import math

import pytest

from tandem.planning.forecasting import ADI_CUTOFF, CV2_CUTOFF, DemandClass, classify


def test_cutoffs_are_those_of_syntetos_boylan_and_croston() -> None:
    assert (ADI_CUTOFF, CV2_CUTOFF) == (1.32, 0.49)


@pytest.mark.parametrize(
    ("y", "adi", "cv2", "demand_class"),
    [
        # sizes 10, 12, 8, 10: mean 10, population variance 2
        ([10, 12, 8, 10], 1.0, 0.02, DemandClass.SMOOTH),
        # sizes alternate 1 and 10: mean 5.5, variance 20.25
        ([1, 10, 1, 10, 1, 10], 1.0, 20.25 / 30.25, DemandClass.ERRATIC),
        # demand in 4 of 8 periods, sizes 2, 4, 2, 4: mean 3, variance 1
        ([0, 2, 0, 4, 0, 2, 0, 4], 2.0, 1 / 9, DemandClass.INTERMITTENT),
        # demand in 2 of 6 periods, sizes 1 and 9: mean 5, variance 16
        ([0, 1, 0, 0, 9, 0], 3.0, 0.64, DemandClass.LUMPY),
    ],
)
def test_each_quadrant_has_its_pinned_adi_and_cv2(
    y: list[float], adi: float, cv2: float, demand_class: DemandClass
) -> None:
    profile = classify(y)
    assert profile.adi == adi
    assert profile.cv2 == pytest.approx(cv2, rel=1e-12)
    assert profile.demand_class is demand_class
    assert (profile.periods, profile.demands) == (len(y), sum(v > 0 for v in y))


def test_adi_counts_leading_and_trailing_zeros() -> None:
    assert classify([0, 0, 5, 5, 0, 0]).adi == 3.0


def test_values_exactly_at_the_cutoffs_stay_on_the_smooth_side() -> None:
    # 25 demands in 33 periods: ADI 1.32; sizes 3 and 17 (12 each) and one 10: CV² 0.4704
    at_adi = classify([0] * 8 + [3, 17] * 12 + [10])
    assert at_adi.adi == 1.32
    assert at_adi.cv2 == pytest.approx(0.4704, rel=1e-12)
    assert at_adi.demand_class is DemandClass.SMOOTH
    # sizes 3 and 17: mean 10, variance 49
    at_cv2 = classify([3, 17, 3, 17])
    assert at_cv2.cv2 == 0.49
    assert at_cv2.demand_class is DemandClass.SMOOTH


def test_all_zero_series_has_no_demand() -> None:
    profile = classify([0, 0, 0, 0])
    assert profile.demand_class is DemandClass.NO_DEMAND
    assert profile.adi == math.inf
    assert math.isnan(profile.cv2)


@pytest.mark.parametrize("y", [[0, 0, 7, 0, 0, 0], [4, 5], [3]])
def test_one_demand_or_under_three_periods_is_insufficient(y: list[float]) -> None:
    assert classify(y).demand_class is DemandClass.INSUFFICIENT


def test_sporadic_classes_are_those_for_the_croston_family() -> None:
    sporadic = {c for c in DemandClass if c.is_sporadic}
    assert sporadic == {DemandClass.INTERMITTENT, DemandClass.LUMPY, DemandClass.INSUFFICIENT}
