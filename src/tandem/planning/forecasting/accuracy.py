"""Forecast accuracy: scaled errors (MASE, RMSSE), WAPE and bias, per series and pooled.

* MASE, mean absolute scaled error (Hyndman & Koehler 2006, "Another look at measures of
  forecast accuracy", *IJF* 22(4), 679-688): ``mean|e| / s`` with ``s`` the in-sample mean
  absolute error of the seasonal naive forecast (lag ``m``; lag 1 when ``m = 1`` or the history
  is not longer than ``m``). Below 1: better than that in-sample benchmark.
* RMSSE, root mean squared scaled error (Makridakis, Spiliotis & Assimakopoulos 2022, the M5
  competition, *IJF* 38(4)): ``sqrt(mean(e²) / mean(d²))`` with ``d`` the same in-sample
  seasonal differences.
* WAPE ``Σ|e| / Σy`` and bias ``Σe / Σy`` with ``e = forecast − actual`` (positive bias: the
  forecast is too high). Pooled over series they weigh each series by its volume.

Both scaled errors are undefined (``nan``) when the scale is zero (a constant history); series
mean values skip those series. WAPE and bias are ``nan`` when there is no actual demand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Accuracy",
    "accuracy",
    "bias",
    "mase",
    "pooled_accuracy",
    "rmsse",
    "scales",
    "wape",
]


@dataclass(frozen=True)
class Accuracy:
    """Accuracy of forecasts of one or several series.

    Attributes
    ----------
    series : int
        Series evaluated.
    mase, rmsse : float
        Scaled errors: of the series, or their mean over the series with a non-zero scale.
    wape : float
        ``Σ|e| / Σy`` over every point.
    bias : float
        ``Σe / Σy`` over every point (``e = forecast − actual``).
    """

    series: int
    mase: float
    rmsse: float
    wape: float
    bias: float


def scales(insample: ArrayLike, season_length: int = 1) -> tuple[float, float]:
    """The MASE and RMSSE denominators of one history.

    Returns ``(mean |d|, sqrt(mean d²))`` of the seasonal differences ``d_t = y_t − y_{t−m}``
    (``m = 1`` when ``season_length`` is 1 or not shorter than the history); ``nan`` for a
    history of fewer than two values.

    Examples
    --------
    >>> scales([1, 3, 2, 6])
    (2.3333333333333335, 2.6457513110645907)
    """
    y = np.asarray(insample, dtype=np.float64)
    lag = season_length if 1 < season_length < len(y) else 1
    if len(y) <= lag:
        return math.nan, math.nan
    d = y[lag:] - y[:-lag]
    return float(np.abs(d).mean()), math.sqrt(float((d * d).mean()))


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else math.nan


def mase(
    actual: ArrayLike, forecast: ArrayLike, insample: ArrayLike, season_length: int = 1
) -> float:
    """Mean absolute scaled error (Hyndman & Koehler 2006).

    Examples
    --------
    Errors 1 and −2 (mean absolute 1.5); the history 1, 3, 2, 6 has naive errors 2, 1, 4:

    >>> mase([5, 7], [6, 5], [1, 3, 2, 6])
    0.6428571428571428
    """
    e = np.asarray(forecast, dtype=np.float64) - np.asarray(actual, dtype=np.float64)
    return _ratio(float(np.abs(e).mean()), scales(insample, season_length)[0])


def rmsse(
    actual: ArrayLike, forecast: ArrayLike, insample: ArrayLike, season_length: int = 1
) -> float:
    """Root mean squared scaled error (M5 competition).

    >>> round(rmsse([5, 7], [6, 5], [1, 3, 2, 6]), 6)
    0.597614
    """
    e = np.asarray(forecast, dtype=np.float64) - np.asarray(actual, dtype=np.float64)
    return _ratio(math.sqrt(float((e * e).mean())), scales(insample, season_length)[1])


def wape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Weighted absolute percentage error ``Σ|f − y| / Σy``.

    >>> wape([5, 7], [6, 5])
    0.25
    """
    y = np.asarray(actual, dtype=np.float64)
    return _ratio(float(np.abs(np.asarray(forecast, dtype=np.float64) - y).sum()), float(y.sum()))


def bias(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Relative bias ``Σ(f − y) / Σy``; positive when the forecast is too high.

    >>> bias([5, 7], [6, 5])
    -0.08333333333333333
    """
    y = np.asarray(actual, dtype=np.float64)
    return _ratio(float((np.asarray(forecast, dtype=np.float64) - y).sum()), float(y.sum()))


def accuracy(
    actual: ArrayLike, forecast: ArrayLike, insample: ArrayLike, season_length: int = 1
) -> Accuracy:
    """All four measures of one series."""
    return Accuracy(
        1,
        mase(actual, forecast, insample, season_length),
        rmsse(actual, forecast, insample, season_length),
        wape(actual, forecast),
        bias(actual, forecast),
    )


def pooled_accuracy(
    actual: NDArray[np.float64],
    forecast: NDArray[np.float64],
    mae_scale: NDArray[np.float64],
    rmse_scale: NDArray[np.float64],
) -> Accuracy:
    """Accuracy over many series: mean scaled errors, pooled WAPE and bias.

    Parameters
    ----------
    actual, forecast : numpy.ndarray, shape (series, points)
    mae_scale, rmse_scale : numpy.ndarray, shape (series,)
        The :func:`scales` of each series' history.
    """
    e = forecast - actual
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled_mae = np.where(mae_scale > 0, np.abs(e).mean(axis=1) / mae_scale, np.nan)
        scaled_rmse = np.where(rmse_scale > 0, np.sqrt((e * e).mean(axis=1)) / rmse_scale, np.nan)
    total = float(actual.sum())
    return Accuracy(
        len(actual),
        _nanmean(scaled_mae),
        _nanmean(scaled_rmse),
        _ratio(float(np.abs(e).sum()), total),
        _ratio(float(e.sum()), total),
    )


def _nanmean(values: NDArray[np.float64]) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if len(finite) else math.nan
