"""Seeded checks of the synthetic demand engine.

Syntetos-Boylan classes after Syntetos, Boylan & Croston (2005), JORS 56(5), 495-503: ADI > 1.32
is sparse, CV² of the non-zero sizes > 0.49 is variable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum

import numpy as np
import pytest

from tandem.planning.demand_synthesis import (
    DAYS_PER_YEAR,
    DemandProfile,
    Noise,
    Trend,
    synthesise,
    yearly_terms,
)

MONDAY = date(2024, 1, 1)


class Pattern(StrEnum):
    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"


def syntetos_boylan(series: np.ndarray) -> tuple[float, float, Pattern]:
    """ADI (days per demand occurrence), CV² of the non-zero sizes, and the class."""
    sizes = series[series > 0].astype(float)
    adi = series.size / sizes.size
    cv2 = float(sizes.var() / sizes.mean() ** 2)
    if adi > 1.32:
        return adi, cv2, Pattern.LUMPY if cv2 > 0.49 else Pattern.INTERMITTENT
    return adi, cv2, Pattern.ERRATIC if cv2 > 0.49 else Pattern.SMOOTH


MIXED = (
    DemandProfile(level=12.0, trend=0.1, weekly=(1, 1, 1, 1, 1.2, 1.5, 0.6), promo_rate=4.0),
    DemandProfile(level=3.0, occurrence=0.3, noise=Noise.NEGATIVE_BINOMIAL, dispersion=1.0),
    DemandProfile(level=40.0, yearly=yearly_terms(7, 0.8), noise=Noise.NEGATIVE_BINOMIAL),
)


def test_same_seed_gives_identical_series() -> None:
    first = synthesise(MIXED, MONDAY, 400, seed=11)
    second = synthesise(MIXED, MONDAY, 400, seed=11)

    assert np.array_equal(first.quantities, second.quantities)
    assert np.array_equal(first.promo, second.promo)
    assert np.array_equal(first.expected, second.expected)
    assert np.array_equal(first.dates, second.dates)


def test_different_seed_gives_different_series() -> None:
    first = synthesise(MIXED, MONDAY, 400, seed=11)
    second = synthesise(MIXED, MONDAY, 400, seed=12)

    assert not np.array_equal(first.quantities, second.quantities)
    assert not np.array_equal(first.promo, second.promo)


def test_seeded_series_is_pinned() -> None:
    # Regression pin of the whole pipeline on numpy's PCG64 stream (numpy 2.x).
    profile = DemandProfile(
        level=5.0,
        promo_rate=30.0,
        promo_uplift=2.0,
        occurrence=0.5,
        noise=Noise.NEGATIVE_BINOMIAL,
        dispersion=2.0,
    )
    result = synthesise([profile], MONDAY, 14, seed=2024)

    assert result.quantities.tolist() == [[0, 0, 1, 0, 1, 0, 11, 17, 0, 12, 15, 9, 13, 0]]
    assert result.promo.astype(int).tolist() == [[0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0]]


def test_quantities_are_non_negative_integers_on_consecutive_days() -> None:
    result = synthesise(MIXED, date(2024, 2, 27), 730, seed=3)

    assert result.quantities.shape == (3, 730)
    assert result.quantities.dtype == np.int64
    assert result.quantities.min() == 0
    assert result.dates[0] == np.datetime64("2024-02-27")
    assert result.dates[-1] == np.datetime64("2026-02-25")
    assert np.all(np.diff(result.dates).astype(int) == 1)
    assert not result.quantities.flags.writeable


def test_noise_free_series_recovers_the_weekly_profile() -> None:
    weekly = (1.2, 1.1, 1.0, 1.0, 0.9, 0.5, 1.3)  # Monday … Sunday, mean 1
    profile = DemandProfile(level=1000.0, weekly=weekly, noise=Noise.NONE)
    series = synthesise([profile], MONDAY, 7 * 200, seed=0).quantities[0].astype(float)

    recovered = series.reshape(200, 7).mean(axis=0) / series.mean()

    np.testing.assert_allclose(recovered, weekly, atol=1e-3)


def test_weekly_profile_is_normalised_to_mean_one() -> None:
    profile = DemandProfile(level=10.0, weekly=(2, 2, 2, 2, 2, 0, 0), noise=Noise.NONE)
    expected = synthesise([profile], MONDAY, 14, seed=0).expected[0]

    assert expected.tolist() == [14.0] * 5 + [0.0] * 2 + [14.0] * 5 + [0.0] * 2


@pytest.mark.parametrize("month", [1, 4, 7, 10, 12])
def test_yearly_seasonality_peaks_in_the_specified_month(month: int) -> None:
    profile = DemandProfile(level=500.0, yearly=yearly_terms(month, 0.4), noise=Noise.NONE)
    result = synthesise([profile], date(2023, 1, 1), 3 * 365, seed=0)
    months = result.dates.astype("datetime64[M]").astype(int) % 12 + 1

    monthly = [result.quantities[0][months == m].mean() for m in range(1, 13)]

    assert int(np.argmax(monthly)) + 1 == month


def test_strong_yearly_amplitude_gives_an_off_season_without_demand() -> None:
    profile = DemandProfile(level=20.0, yearly=yearly_terms(10, 1.5))
    result = synthesise([profile], date(2023, 1, 1), 365, seed=5)
    april = result.dates.astype("datetime64[M]") == np.datetime64("2023-04")

    assert result.expected[0][april].max() == 0.0
    assert result.quantities[0][april].sum() == 0


@pytest.mark.parametrize(
    ("kind", "growth"),
    [
        (Trend.LINEAR, lambda t: 1 + 0.2 * t),
        (Trend.MULTIPLICATIVE, lambda t: 1.2**t),
    ],
)
def test_trend_scales_the_level_per_year(
    kind: Trend, growth: Callable[[np.ndarray], np.ndarray]
) -> None:
    profile = DemandProfile(level=100.0, trend=0.2, trend_kind=kind, noise=Noise.NONE)
    expected = synthesise([profile], MONDAY, 1000, seed=0).expected[0]
    years = np.arange(1000) / DAYS_PER_YEAR

    np.testing.assert_allclose(expected, 100.0 * growth(years), rtol=1e-12)


def test_linear_decline_stops_at_zero() -> None:
    profile = DemandProfile(level=10.0, trend=-0.5, noise=Noise.NONE)
    result = synthesise([profile], MONDAY, 1000, seed=0)

    assert result.expected[0][-1] == 0.0
    assert result.quantities[0][800:].sum() == 0


def test_promotion_window_raises_mean_demand_by_the_uplift() -> None:
    profile = DemandProfile(
        level=20.0, promo_rate=6.0, promo_days=7, promo_uplift=1.5, dip_days=3, dip_factor=0.8
    )
    result = synthesise([profile] * 400, MONDAY, 730, seed=21)
    quantities, promo = result.quantities, result.promo
    dip = ~promo & np.isclose(result.expected, 16.0)
    regular = ~promo & ~dip

    assert promo.mean() == pytest.approx(1 - np.exp(-6 * 7 / DAYS_PER_YEAR), abs=0.01)
    assert quantities[promo].mean() / quantities[regular].mean() == pytest.approx(1.5, abs=0.02)
    assert quantities[dip].mean() / quantities[regular].mean() == pytest.approx(0.8, abs=0.02)


def test_promotion_windows_last_at_least_promo_days_and_are_followed_by_the_dip() -> None:
    profile = DemandProfile(level=10.0, promo_rate=4.0, promo_days=5, dip_days=2, dip_factor=0.5)
    result = synthesise([profile] * 50, MONDAY, 365, seed=8)

    for flags, expected in zip(result.promo, result.expected, strict=True):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(int), [0]))))
        for begin, end in zip(edges[::2], edges[1::2], strict=True):
            assert end - begin >= 5 or end == 365
            after = [day for day in (end, end + 1) if day < 365 and not flags[day]]
            assert expected[after].tolist() == [5.0] * len(after)
        assert set(expected[flags].tolist()) <= {10.0}


def test_intermittent_profile_has_the_specified_share_of_zero_days() -> None:
    profile = DemandProfile(level=2.0, occurrence=0.25)
    series = synthesise([profile], MONDAY, 40_000, seed=4).quantities[0]

    assert (series == 0).mean() == pytest.approx(0.75, abs=0.01)
    assert series.size / np.count_nonzero(series) == pytest.approx(4.0, abs=0.1)  # ADI
    assert series.mean() == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize(
    ("profile", "pattern"),
    [
        (DemandProfile(level=30.0), Pattern.SMOOTH),
        (DemandProfile(level=10.0, noise=Noise.NEGATIVE_BINOMIAL, dispersion=1.0), Pattern.ERRATIC),
        (DemandProfile(level=2.0, occurrence=0.4), Pattern.INTERMITTENT),
        (
            DemandProfile(level=2.0, occurrence=0.4, noise=Noise.NEGATIVE_BINOMIAL, dispersion=0.5),
            Pattern.LUMPY,
        ),
    ],
)
def test_profile_falls_in_its_syntetos_boylan_class(
    profile: DemandProfile, pattern: Pattern
) -> None:
    series = synthesise([profile], MONDAY, 20_000, seed=9).quantities[0]

    _, _, found = syntetos_boylan(series)

    assert found is pattern


def test_negative_binomial_variance_follows_the_poisson_gamma_mixture() -> None:
    profile = DemandProfile(level=30.0, noise=Noise.NEGATIVE_BINOMIAL, dispersion=5.0)
    series = synthesise([profile], MONDAY, 100_000, seed=6).quantities[0]

    assert series.mean() == pytest.approx(30.0, rel=0.01)
    assert series.var() == pytest.approx(30.0 + 30.0**2 / 5.0, rel=0.03)


def test_no_profiles_give_an_empty_result() -> None:
    result = synthesise([], MONDAY, 5, seed=0)

    assert result.quantities.shape == (0, 5)
    assert result.dates.shape == (5,)


@pytest.mark.parametrize(
    "arguments",
    [
        {"level": -1.0},
        {"level": 1.0, "weekly": (1.0, 1.0)},
        {"level": 1.0, "weekly": (0, 0, 0, 0, 0, 0, 0)},
        {"level": 1.0, "occurrence": 0.0},
        {"level": 1.0, "occurrence": 1.5},
        {"level": 1.0, "dispersion": 0.0},
        {"level": 1.0, "promo_days": 0},
        {"level": 1.0, "trend": -1.0, "trend_kind": Trend.MULTIPLICATIVE},
        {"level": float("nan")},
    ],
)
def test_invalid_profile_is_rejected(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        DemandProfile(**arguments)  # type: ignore[arg-type]


def test_yearly_terms_reject_a_month_outside_the_year() -> None:
    with pytest.raises(ValueError, match="peak_month"):
        yearly_terms(13, 0.5)
