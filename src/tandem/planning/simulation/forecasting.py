r"""Forecasts used inside ordering policies, vectorised over replications.

A forecast *spec* (frozen dataclass) says which method a policy uses; the engine turns it into a
running *state* with :func:`start_forecast`. After each period's observation :math:`x_t` the state
gives a per-period forecast :math:`\hat d_t`, a lead-time demand forecast for a protection
interval of :math:`c` periods and an estimate of the standard deviation of its error.

- :class:`MovingAverage` (window :math:`p`): :math:`\hat d_t = \frac1p \sum_{i=0}^{p-1}
  x_{t-i}`, lead-time demand :math:`c \hat d_t` and error deviation
  :math:`\hat s_t \sqrt{c + c^2/p}`, with :math:`\hat s_t` the standard deviation of the window
  (divisor :math:`p`). This is the estimator of Chen, Drezner, Ryan & Simchi-Levi (2000),
  Management Science 46(3), with their constant :math:`C_{L,\rho}` taken at :math:`\rho = 0`.
- :class:`ExponentialSmoothing` (:math:`\alpha`): :math:`\hat d_t = \hat d_{t-1} + \alpha
  (x_t - \hat d_{t-1})`; the squared one-step error is smoothed with the same :math:`\alpha` and
  rescaled by :math:`(2-\alpha)/2` to estimate :math:`\sigma^2` for i.i.d. demand; the error
  deviation of :math:`c \hat d_t` is :math:`\hat s_t \sqrt{c + c^2 \alpha / (2 - \alpha)}`.
- :class:`SuppliedForecast`: a given per-period forecast path :math:`f_t`; lead-time demand
  :math:`\sum_{j=1}^{c} f_{t+j}` (a fractional last period counts pro rata) and error deviation
  ``sigma`` :math:`\sqrt{c}`.

States start as if every earlier observation had equalled ``initial`` (the demand mean), so a
simulation starts in steady state with zero estimated spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ExponentialSmoothing",
    "Forecast",
    "ForecastState",
    "MovingAverage",
    "SuppliedForecast",
    "start_forecast",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MovingAverage:
    """Moving average of the last ``window`` observations."""

    window: int

    def __post_init__(self) -> None:
        if self.window < 1:
            raise ValueError("window must be at least 1")


@dataclass(frozen=True)
class ExponentialSmoothing:
    """Simple exponential smoothing with smoothing constant ``alpha`` in (0, 1]."""

    alpha: float

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha <= 1.0:
            raise ValueError("alpha must lie in (0, 1]")


@dataclass(frozen=True, eq=False)
class SuppliedForecast:
    """A per-period forecast path ``values[t]`` for period ``t`` (e.g. from a forecasting engine).

    ``values`` must cover every period the protection interval reaches (periods plus the longest
    cover). ``sigma`` is the standard deviation of the one-period forecast error.
    """

    values: FloatArray
    sigma: float = 0.0

    def __post_init__(self) -> None:
        arr = np.array(self.values, dtype=np.float64).reshape(-1)
        arr.setflags(write=False)
        object.__setattr__(self, "values", arr)
        if self.sigma < 0:
            raise ValueError("sigma must be non-negative")


Forecast = MovingAverage | ExponentialSmoothing | SuppliedForecast


class ForecastState(Protocol):
    """A running forecast over ``[replications]`` arrays."""

    def observe(self, t: int, x: FloatArray) -> None:
        """Record the observation of period ``t``."""
        ...

    def per_period(self, t: int) -> FloatArray:
        """Forecast of demand per period after period ``t``."""
        ...

    def lead_time_demand(self, t: int, cover: float) -> FloatArray:
        """Forecast of demand over the ``cover`` periods after period ``t``."""
        ...

    def lead_time_sigma(self, t: int, cover: float) -> FloatArray:
        """Estimated standard deviation of the lead-time forecast error."""
        ...


class _MovingAverageState:
    def __init__(self, window: int, initial: float, replications: int) -> None:
        self._p = window
        self._buf = np.full((replications, window), initial, dtype=np.float64)
        self._pos = 0

    def observe(self, t: int, x: FloatArray) -> None:
        self._buf[:, self._pos] = x
        self._pos = (self._pos + 1) % self._p

    def per_period(self, t: int) -> FloatArray:
        return np.asarray(self._buf.sum(axis=1) / self._p, dtype=np.float64)

    def lead_time_demand(self, t: int, cover: float) -> FloatArray:
        return np.asarray(cover * (self._buf.sum(axis=1) / self._p), dtype=np.float64)

    def lead_time_sigma(self, t: int, cover: float) -> FloatArray:
        spread = np.asarray(self._buf.std(axis=1), dtype=np.float64)
        return spread * math.sqrt(cover + cover * cover / self._p)


class _ExponentialSmoothingState:
    def __init__(self, alpha: float, initial: float, replications: int) -> None:
        self._alpha = alpha
        self._level = np.full(replications, initial, dtype=np.float64)
        self._mse = np.zeros(replications, dtype=np.float64)

    def observe(self, t: int, x: FloatArray) -> None:
        err = x - self._level
        self._level = self._level + self._alpha * err
        self._mse = self._mse + self._alpha * (err * err - self._mse)

    def per_period(self, t: int) -> FloatArray:
        return self._level.copy()

    def lead_time_demand(self, t: int, cover: float) -> FloatArray:
        return np.asarray(cover * self._level, dtype=np.float64)

    def lead_time_sigma(self, t: int, cover: float) -> FloatArray:
        a = self._alpha
        spread = np.sqrt(self._mse * (2.0 - a) / 2.0)
        return np.asarray(spread * math.sqrt(cover + cover * cover * a / (2.0 - a)))


class _SuppliedState:
    def __init__(self, spec: SuppliedForecast, replications: int) -> None:
        self._values = spec.values
        self._sigma = spec.sigma
        self._r = replications

    def observe(self, t: int, x: FloatArray) -> None:
        return None

    def _value(self, period: int) -> float:
        if period >= self._values.size:
            raise ValueError(f"supplied forecast has no value for period {period}")
        return float(self._values[period])

    def per_period(self, t: int) -> FloatArray:
        return np.full(self._r, self._value(t + 1))

    def lead_time_demand(self, t: int, cover: float) -> FloatArray:
        whole = math.floor(cover)
        total = sum(self._value(t + j) for j in range(1, whole + 1))
        frac = cover - whole
        if frac > 0:
            total += frac * self._value(t + whole + 1)
        return np.full(self._r, total)

    def lead_time_sigma(self, t: int, cover: float) -> FloatArray:
        return np.full(self._r, self._sigma * math.sqrt(cover))


def start_forecast(spec: Forecast, initial: float, replications: int) -> ForecastState:
    """Create the running state of forecast ``spec``, primed with ``initial`` per period."""
    if isinstance(spec, MovingAverage):
        return _MovingAverageState(spec.window, initial, replications)
    if isinstance(spec, ExponentialSmoothing):
        return _ExponentialSmoothingState(spec.alpha, initial, replications)
    return _SuppliedState(spec, replications)
