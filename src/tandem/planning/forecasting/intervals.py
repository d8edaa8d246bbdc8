"""Prediction intervals from cross-validation errors, and lead-time demand for inventory planning.

**Empirical (conformal-style) intervals.** The Croston family, TSB, ADIDA, IMAPA and SES have no
model-based intervals in statsforecast. For them the engine reuses the rolling-origin errors of
the selected model (the same windows that chose it): the half-width at step ``j`` is the
``ceil((N + 1) · level / 100)``-th smallest absolute error among the ``N`` errors of steps
``1..max(j, s)`` of every window (the split-conformal rank of Vovk, Gammerman & Shafer 2005;
Angelopoulos & Bates 2023), capped at the largest, then made non-decreasing in ``j``. ``s`` is
the fewest steps that give :data:`MIN_POOL` errors (or all steps): with 3 windows a step alone
would have only 3 errors, and a 95 % quantile of 3 numbers is their maximum. Pooling later steps
into early ones trades horizon-specific calibration (early intervals come out wider) for a
usable sample. The errors are those of one series, so scaling them (MASE-style) and
scaling back would change nothing. The intervals are centred on the point forecast and clipped
at zero.

**Lead-time demand.** Over a lead time of ``L`` periods the mean is the sum of the first ``L``
point forecasts. Its standard deviation is the root mean square of the cross-validation errors
of those ``L``-period sums (``CV_SUMS``, bias included) when at least :data:`MIN_SUM_WINDOWS`
windows exist; otherwise ``sqrt(L) · σ₁`` (``SQRT_L_SIGMA``), with ``σ₁`` the root mean square of
the one-step cross-validation errors, or of the in-sample naive errors when the series was too
short to cross-validate; this assumes independent errors from step to step and understates the
spread of trending or autocorrelated demand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MIN_POOL",
    "MIN_SUM_WINDOWS",
    "LeadTimeDemand",
    "LeadTimeMethod",
    "conformal_halfwidths",
    "lead_time_std",
]

MIN_SUM_WINDOWS = 3
MIN_POOL = 20


class LeadTimeMethod(StrEnum):
    """How the standard deviation of lead-time demand was estimated."""

    CV_SUMS = "cv_sums"
    SQRT_L_SIGMA = "sqrt_l_sigma"


@dataclass(frozen=True)
class LeadTimeDemand:
    """Forecast demand over a lead time for one series.

    Attributes
    ----------
    unique_id : str
    lead_time : int
        Periods.
    mean : float
        Sum of the point forecasts over the lead time.
    std : float
        Standard deviation of the lead-time demand forecast error (``nan`` when unknown).
    method : LeadTimeMethod
    """

    unique_id: str
    lead_time: int
    mean: float
    std: float
    method: LeadTimeMethod


def conformal_halfwidths(
    errors: NDArray[np.float64], level: float, min_pool: int = MIN_POOL
) -> NDArray[np.float64]:
    """Interval half-widths per step from cross-validation errors ``[window, step]``.

    Examples
    --------
    Three windows of two steps, pooling at least 3 errors. Step 1 pools the 3 errors
    ``0.2, 1, 2``: the 80 % rank ``ceil(4 · 0.8) = 4`` is capped at 3. Step 2 pools 6
    (``0.2 .. 4``): rank ``ceil(7 · 0.8) = 6``. With at least 4 errors, step 1 pools all 6.

    >>> e = np.array([[1.0, -4.0], [-2.0, 0.5], [0.2, 3.0]])
    >>> conformal_halfwidths(e, 50, min_pool=3).tolist()
    [1.0, 2.0]
    >>> conformal_halfwidths(e, 80, min_pool=3).tolist()
    [2.0, 4.0]
    >>> conformal_halfwidths(e, 80, min_pool=4).tolist()
    [4.0, 4.0]
    """
    absolute = np.abs(np.asarray(errors, dtype=np.float64))
    windows, steps = absolute.shape
    least = min(steps, math.ceil(min_pool / max(windows, 1)))
    widths = np.full(steps, math.nan)
    for j in range(steps):
        pool = np.sort(absolute[:, : max(j + 1, least)], axis=None)
        pool = pool[np.isfinite(pool)]
        if len(pool):
            rank = min(math.ceil((len(pool) + 1) * level / 100.0), len(pool))
            widths[j] = pool[rank - 1]
    return np.fmax.accumulate(widths)


def lead_time_std(
    errors: NDArray[np.float64], lead_time: int, fallback_sigma: float
) -> tuple[float, LeadTimeMethod]:
    """Standard deviation of lead-time demand from cross-validation errors ``[window, step]``.

    Examples
    --------
    >>> e = np.array([[1.0, 1.0], [-1.0, -1.0], [2.0, 0.0]])
    >>> lead_time_std(e, 2, fallback_sigma=1.0)
    (2.0, <LeadTimeMethod.CV_SUMS: 'cv_sums'>)
    >>> lead_time_std(e[:2], 2, fallback_sigma=1.5)
    (2.121320343559643, <LeadTimeMethod.SQRT_L_SIGMA: 'sqrt_l_sigma'>)
    """
    windows, steps = errors.shape
    if windows >= MIN_SUM_WINDOWS and lead_time <= steps:
        sums = errors[:, :lead_time].sum(axis=1)
        return math.sqrt(float((sums * sums).mean())), LeadTimeMethod.CV_SUMS
    return math.sqrt(lead_time) * fallback_sigma, LeadTimeMethod.SQRT_L_SIGMA
