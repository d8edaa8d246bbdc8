r"""Customer demand processes for the simulation engine, vectorised over replications.

Every process draws a ``[replications, periods]`` float array from a caller-supplied
:class:`numpy.random.Generator`, so a simulation is reproducible from its seed alone, and states
its stationary mean (used to start forecasts in steady state).

- :class:`NormalDemand`: i.i.d. :math:`N(\mu, \sigma^2)`.
- :class:`PoissonDemand`: i.i.d. Poisson(:math:`\lambda`).
- :class:`EmpiricalDemand`: i.i.d. draws from observed values (a bootstrap of a history).
- :class:`AR1Demand`: :math:`d_t = \mu + \rho (d_{t-1} - \mu) + \varepsilon_t`,
  :math:`\varepsilon_t \sim N(0, \sigma^2)`, started from its stationary law
  :math:`N(\mu, \sigma^2 / (1 - \rho^2))`, the process of Chen, Drezner, Ryan & Simchi-Levi
  (2000), "Quantifying the bullwhip effect in a simple supply chain", Management Science 46(3),
  436-443.
- :class:`ReplayDemand`: the same given history in every replication.

Normal and AR(1) demand may be negative, as Chen et al. allow; ``clip_at_zero=True`` truncates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "AR1Demand",
    "DemandProcess",
    "EmpiricalDemand",
    "NormalDemand",
    "PoissonDemand",
    "ReplayDemand",
]

FloatArray = NDArray[np.float64]


class DemandProcess(Protocol):
    """What the engine needs from a customer demand process."""

    @property
    def mean(self) -> float:
        """Stationary mean demand per period."""
        ...

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        """Draw demand of shape ``[replications, periods]``."""
        ...


def _check_shape(replications: int, periods: int) -> None:
    if replications < 1 or periods < 1:
        raise ValueError("replications and periods must be at least 1")


@dataclass(frozen=True)
class NormalDemand:
    """I.i.d. normal demand :math:`N(\\mu, \\sigma^2)`, optionally truncated at zero."""

    mu: float
    sigma: float
    clip_at_zero: bool = False

    def __post_init__(self) -> None:
        if self.sigma < 0:
            raise ValueError("sigma must be non-negative")

    @property
    def mean(self) -> float:
        return float(self.mu)

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        _check_shape(replications, periods)
        draws = rng.normal(self.mu, self.sigma, size=(replications, periods))
        return np.maximum(draws, 0.0) if self.clip_at_zero else draws


@dataclass(frozen=True)
class PoissonDemand:
    """I.i.d. Poisson demand with mean ``lam``."""

    lam: float

    def __post_init__(self) -> None:
        if self.lam < 0:
            raise ValueError("lam must be non-negative")

    @property
    def mean(self) -> float:
        return float(self.lam)

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        _check_shape(replications, periods)
        return rng.poisson(self.lam, size=(replications, periods)).astype(np.float64)


@dataclass(frozen=True)
class EmpiricalDemand:
    """I.i.d. draws from ``values`` with ``probabilities`` (uniform when omitted)."""

    values: tuple[float, ...]
    probabilities: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("values must not be empty")
        if self.probabilities is not None:
            p = np.asarray(self.probabilities, dtype=np.float64)
            if p.shape != (len(self.values),) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
                raise ValueError("probabilities must be non-negative, one per value, sum 1")

    @property
    def mean(self) -> float:
        v = np.asarray(self.values, dtype=np.float64)
        if self.probabilities is None:
            return float(v.mean())
        return float(v @ np.asarray(self.probabilities, dtype=np.float64))

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        _check_shape(replications, periods)
        v = np.asarray(self.values, dtype=np.float64)
        p = None if self.probabilities is None else np.asarray(self.probabilities)
        return rng.choice(v, size=(replications, periods), p=p)


@dataclass(frozen=True)
class AR1Demand:
    r"""Stationary AR(1) demand :math:`d_t = \mu + \rho (d_{t-1} - \mu) + \varepsilon_t`.

    Parameters
    ----------
    mu : float
        Mean demand.
    rho : float
        Lag-one autocorrelation, :math:`|\rho| < 1`.
    noise_sigma : float
        Standard deviation :math:`\sigma` of the innovations; the demand variance is
        :math:`\sigma^2 / (1 - \rho^2)`.
    clip_at_zero : bool
        Truncate negative demand at zero (breaks the exact AR(1) law).
    """

    mu: float
    rho: float
    noise_sigma: float
    clip_at_zero: bool = False

    def __post_init__(self) -> None:
        if not -1.0 < self.rho < 1.0:
            raise ValueError("rho must lie strictly between -1 and 1")
        if self.noise_sigma < 0:
            raise ValueError("noise_sigma must be non-negative")

    @property
    def mean(self) -> float:
        return float(self.mu)

    @property
    def variance(self) -> float:
        """Stationary variance :math:`\\sigma^2 / (1 - \\rho^2)`."""
        return float(self.noise_sigma**2 / (1.0 - self.rho**2))

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        _check_shape(replications, periods)
        start = rng.normal(0.0, np.sqrt(self.variance), size=replications)
        x = rng.normal(0.0, self.noise_sigma, size=(periods, replications))
        x[0] += self.rho * start
        for t in range(1, periods):
            x[t] += self.rho * x[t - 1]
        draws = self.mu + np.ascontiguousarray(x.T)
        return np.maximum(draws, 0.0) if self.clip_at_zero else draws


@dataclass(frozen=True)
class ReplayDemand:
    """Replay a recorded demand history (the first ``periods`` values) in every replication."""

    history: tuple[float, ...]
    _array: FloatArray = field(init=False, repr=False, compare=False)

    def __init__(self, history: Sequence[float] | FloatArray) -> None:
        arr = np.array(history, dtype=np.float64).reshape(-1)
        if arr.size == 0:
            raise ValueError("history must not be empty")
        arr.setflags(write=False)
        object.__setattr__(self, "history", tuple(float(x) for x in arr))
        object.__setattr__(self, "_array", arr)

    @property
    def mean(self) -> float:
        return float(self._array.mean())

    def sample(self, rng: np.random.Generator, replications: int, periods: int) -> FloatArray:
        _check_shape(replications, periods)
        if periods > self._array.size:
            raise ValueError(f"history has {self._array.size} periods, {periods} requested")
        return np.tile(self._array[:periods], (replications, 1))
