r"""Synthetic daily demand: level, trend, seasonality, promotions, noise and intermittency.

A pure engine that turns a list of :class:`DemandProfile` parameter sets into daily count series,
for the demo network, tests and benchmarks. The expected demand of series ``s`` on day ``t`` is

.. math::

    \mu_{s,t} = L_s \, g_s(t) \, w_s(\mathrm{weekday}(t)) \, y_s(\mathrm{doy}(t)) \, p_{s,t}

with the level :math:`L`, a linear (:math:`1 + b t`) or multiplicative (:math:`(1 + b)^t`) trend
:math:`g` in years since the start, a weekly profile :math:`w` normalised to mean 1, a yearly
factor :math:`y = \max(0, 1 + \sum_k a_k \cos(\omega k d) + b_k \sin(\omega k d))`,
:math:`\omega = 2\pi / 365.25`, built from Fourier terms of the day of year :math:`d`
(Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §7.4), and a
promotion factor :math:`p` (the uplift inside a promotion window, the dip factor on the days
after one, 1 otherwise). Promotions start on each
day with probability ``promo_rate / 365.25``; overlapping windows merge.

Counts are drawn around :math:`\mu` as Poisson, or negative binomial through its Poisson-gamma
mixture (:math:`\lambda = \mu G`, :math:`G \sim \Gamma(r, 1/r)`, so
:math:`\mathrm{Var} = \mu + \mu^2 / r`), or rounded without noise. An intermittent profile
(``occurrence < 1``) has demand on a day with probability ``occurrence`` (Bernoulli), and then a
size of ``1 + N`` with ``N`` drawn as above around :math:`\mu / \mathrm{occurrence} - 1`; its mean
inter-demand interval (ADI) is ``1 / occurrence``. Sparse occurrence with smooth sizes gives the
*intermittent* class, with overdispersed sizes the *lumpy* class of Syntetos, Boylan & Croston
(2005), "On the categorization of demand patterns", JORS 56(5), 495-503 (cut-offs ADI 1.32,
CV² 0.49).

Randomness comes only from ``numpy.random.default_rng(seed)``; the same profiles, dates and seed
always give the same series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DAYS_PER_YEAR",
    "DemandProfile",
    "Noise",
    "SyntheticDemand",
    "Trend",
    "synthesise",
    "yearly_terms",
]

DAYS_PER_YEAR = 365.25
# 0-based day of year of the 15th of each month in a common year (mid-month).
_MID_MONTH_DAY = (14, 45, 73, 104, 134, 165, 195, 226, 257, 287, 318, 348)


class Trend(StrEnum):
    """How the level grows: ``LINEAR`` ``1 + b t`` or ``MULTIPLICATIVE`` ``(1 + b)^t``."""

    LINEAR = "linear"
    MULTIPLICATIVE = "multiplicative"


class Noise(StrEnum):
    """Distribution of the counts around the expected demand."""

    NONE = "none"
    POISSON = "poisson"
    NEGATIVE_BINOMIAL = "negative_binomial"


@dataclass(frozen=True)
class DemandProfile:
    """Parameters of one synthetic daily demand series.

    Parameters
    ----------
    level : float
        Mean daily demand at the start, before trend, seasonality and promotions.
    trend : float
        Growth per year: ``0.1`` is +10 % a year (of the starting level for ``LINEAR``,
        compounded for ``MULTIPLICATIVE``). A linear trend stops at zero demand.
    trend_kind : Trend
        Linear or multiplicative trend.
    weekly : tuple of 7 float
        Relative demand Monday … Sunday; normalised to mean 1, so only ratios matter.
    yearly : tuple of (float, float)
        Fourier coefficients ``(a_k, b_k)`` of harmonic ``k = 1, 2, …`` of the yearly factor;
        see :func:`yearly_terms` for a single peak in a given month.
    promo_rate : float
        Expected number of promotion starts per year.
    promo_days : int
        Length of one promotion window in days.
    promo_uplift : float
        Demand multiplier inside a promotion window.
    dip_days : int
        Days after a promotion with reduced demand (customers stocked up).
    dip_factor : float
        Demand multiplier on those days.
    occurrence : float
        Probability that a day has any demand; ``1`` for a continuous series, below 1 for an
        intermittent one (ADI ``1 / occurrence``).
    noise : Noise
        Count distribution.
    dispersion : float
        Negative binomial size ``r`` (``Var = mu + mu**2 / r``); used with ``NEGATIVE_BINOMIAL``.
    """

    level: float
    trend: float = 0.0
    trend_kind: Trend = Trend.LINEAR
    weekly: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    yearly: tuple[tuple[float, float], ...] = ()
    promo_rate: float = 0.0
    promo_days: int = 7
    promo_uplift: float = 1.0
    dip_days: int = 0
    dip_factor: float = 1.0
    occurrence: float = 1.0
    noise: Noise = Noise.POISSON
    dispersion: float = 10.0

    def __post_init__(self) -> None:
        finite = (self.level, self.trend, self.promo_rate, self.promo_uplift, self.dip_factor)
        if not all(math.isfinite(v) for v in finite):
            raise ValueError("profile parameters must be finite numbers")
        if self.level < 0 or self.promo_rate < 0 or self.promo_uplift < 0 or self.dip_factor < 0:
            raise ValueError("level, promo_rate, promo_uplift and dip_factor must be >= 0")
        if self.trend_kind is Trend.MULTIPLICATIVE and self.trend <= -1:
            raise ValueError("a multiplicative trend must be greater than -1")
        if len(self.weekly) != 7 or min(self.weekly) < 0 or sum(self.weekly) <= 0:
            raise ValueError("weekly must hold 7 non-negative factors with a positive sum")
        if self.promo_days < 1 or self.dip_days < 0:
            raise ValueError("promo_days must be >= 1 and dip_days >= 0")
        if not 0 < self.occurrence <= 1:
            raise ValueError("occurrence must lie in (0, 1]")
        if not self.dispersion > 0:
            raise ValueError("dispersion must be positive")


@dataclass(frozen=True, eq=False)
class SyntheticDemand:
    """Generated series, one row per profile (arrays are read-only).

    Attributes
    ----------
    dates : ndarray of datetime64[D], shape (days,)
    quantities : ndarray of int64, shape (series, days)
        Non-negative daily counts.
    promo : ndarray of bool, shape (series, days)
        True inside a promotion window.
    expected : ndarray of float64, shape (series, days)
        The expected demand ``mu`` the counts were drawn around.
    """

    dates: NDArray[np.datetime64]
    quantities: NDArray[np.int64]
    promo: NDArray[np.bool_]
    expected: NDArray[np.float64]


def yearly_terms(peak_month: int, amplitude: float) -> tuple[tuple[float, float], ...]:
    """First-harmonic Fourier terms of a yearly factor ``1 + A cos`` peaking mid ``peak_month``.

    Examples
    --------
    >>> yearly_terms(1, 0.0)
    ((0.0, 0.0),)
    """
    if not 1 <= peak_month <= 12:
        raise ValueError("peak_month must lie in 1..12")
    angle = 2 * math.pi * _MID_MONTH_DAY[peak_month - 1] / DAYS_PER_YEAR
    return ((amplitude * math.cos(angle), amplitude * math.sin(angle)),)


def synthesise(
    profiles: Sequence[DemandProfile], start: date, days: int, seed: int
) -> SyntheticDemand:
    """Generate ``days`` days of demand from ``start`` for each profile.

    Parameters
    ----------
    profiles : sequence of DemandProfile
        One per series, in output row order.
    start : date
        First day.
    days : int
        Number of consecutive days (at least 1).
    seed : int
        Seed of the ``numpy.random.Generator``; the only source of randomness.

    Returns
    -------
    SyntheticDemand

    Examples
    --------
    >>> from datetime import date
    >>> flat = DemandProfile(level=5.0, noise=Noise.NONE)
    >>> synthesise([flat], date(2025, 1, 6), 3, seed=1).quantities.tolist()
    [[5, 5, 5]]
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    first = np.datetime64(start, "D")
    dates = first + np.arange(days)
    rng = np.random.default_rng(seed)
    n = len(profiles)
    if n == 0:
        empty = np.zeros((0, days))
        return _frozen(dates, empty.astype(np.int64), empty.astype(np.bool_), empty)
    mean = _baseline(profiles, dates)
    promo, dip = _promotions(profiles, days, rng)
    uplift = _column(profiles, "promo_uplift")
    dip_factor = _column(profiles, "dip_factor")
    mean = mean * np.where(promo, uplift, np.where(dip, dip_factor, 1.0))
    quantities = _draw(profiles, mean, rng)
    return _frozen(dates, quantities, promo, mean)


# ---------------------------------------------------------------- internals


def _column(profiles: Sequence[DemandProfile], name: str) -> NDArray[np.float64]:
    return np.array([float(getattr(p, name)) for p in profiles])[:, None]


def _baseline(
    profiles: Sequence[DemandProfile], dates: NDArray[np.datetime64]
) -> NDArray[np.float64]:
    """Level, trend, weekly and yearly factors multiplied, shape (series, days)."""
    days = dates.shape[0]
    years = np.arange(days) / DAYS_PER_YEAR
    trend = _column(profiles, "trend")
    compound = np.array([p.trend_kind is Trend.MULTIPLICATIVE for p in profiles])[:, None]
    growth = np.where(
        compound,
        np.where(compound, 1.0 + trend, 1.0) ** years,
        np.clip(1.0 + trend * years, 0.0, None),
    )
    weekly = np.array([p.weekly for p in profiles], dtype=np.float64)
    weekly = weekly / weekly.mean(axis=1, keepdims=True)
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    year_start = dates.astype("datetime64[Y]").astype("datetime64[D]")
    angle = 2 * np.pi * (dates - year_start).astype(np.int64) / DAYS_PER_YEAR
    harmonics = max(len(p.yearly) for p in profiles)
    season = np.ones((len(profiles), days))
    for k in range(harmonics):
        terms = [p.yearly[k] if k < len(p.yearly) else (0.0, 0.0) for p in profiles]
        coefficients = np.array(terms, dtype=np.float64)
        season += coefficients[:, :1] * np.cos((k + 1) * angle)
        season += coefficients[:, 1:] * np.sin((k + 1) * angle)
    level = _column(profiles, "level")
    result: NDArray[np.float64] = level * growth * weekly[:, weekday] * np.clip(season, 0.0, None)
    return result


def _promotions(
    profiles: Sequence[DemandProfile], days: int, rng: np.random.Generator
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Promotion windows and post-promotion dip days, each shape (series, days)."""
    start_probability = _column(profiles, "promo_rate") / DAYS_PER_YEAR
    starts = rng.random((len(profiles), days)) < start_probability
    length = np.array([p.promo_days for p in profiles], dtype=np.int64)
    dip_length = np.array([p.dip_days for p in profiles], dtype=np.int64)
    promo = _trailing_any(starts, length, lag=0)
    dip = _trailing_any(promo, dip_length, lag=1) & ~promo
    return promo, dip


def _trailing_any(
    flags: NDArray[np.bool_], window: NDArray[np.int64], lag: int
) -> NDArray[np.bool_]:
    """``out[s, t]``: any of ``flags[s, t-lag-window[s]+1 .. t-lag]`` (per-row window)."""
    n, days = flags.shape
    counts = np.zeros((n, days + 1), dtype=np.int64)
    counts[:, 1:] = np.cumsum(flags, axis=1)
    t = np.arange(days)[None, :]
    high = np.broadcast_to(np.clip(t - lag + 1, 0, days), (n, days))
    low = np.clip(t - lag - window[:, None] + 1, 0, days)
    inside = np.take_along_axis(counts, high, axis=1) - np.take_along_axis(counts, low, axis=1)
    result: NDArray[np.bool_] = inside > 0
    return result


def _draw(
    profiles: Sequence[DemandProfile], mean: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.int64]:
    """Counts around ``mean``: Bernoulli occurrence times size, Poisson or Poisson-gamma noise."""
    shape = mean.shape
    occurrence = _column(profiles, "occurrence")
    mixed = np.array([p.noise is Noise.NEGATIVE_BINOMIAL for p in profiles])[:, None]
    noiseless = np.array([p.noise is Noise.NONE for p in profiles])[:, None]
    gamma_shape = np.where(mixed, _column(profiles, "dispersion"), 1.0)
    gamma = np.where(mixed, rng.gamma(gamma_shape, 1.0 / gamma_shape, size=shape), 1.0)
    occurs = rng.random(shape) < occurrence
    intermittent = occurrence < 1.0
    size_mean = mean / occurrence
    poisson_mean = np.where(intermittent, np.clip(size_mean - 1.0, 0.0, None), mean) * gamma
    noisy = rng.poisson(poisson_mean) + intermittent
    exact = np.where(intermittent, np.maximum(np.rint(size_mean), 1.0), np.rint(mean))
    counts = np.where(noiseless, exact, noisy)
    counts = np.where(intermittent & ~(occurs & (mean > 0)), 0, counts)
    result: NDArray[np.int64] = counts.astype(np.int64)
    return result


def _frozen(
    dates: NDArray[np.datetime64],
    quantities: NDArray[np.int64],
    promo: NDArray[np.bool_],
    expected: NDArray[np.float64],
) -> SyntheticDemand:
    for array in (dates, quantities, promo, expected):
        array.flags.writeable = False
    return SyntheticDemand(dates=dates, quantities=quantities, promo=promo, expected=expected)
